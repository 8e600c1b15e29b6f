//! Finds each definition's bytes in a schema document without parsing the whole document:
//! a served schema with every plugin is megabytes, and one run needs a few dozen definitions.

use std::collections::HashMap;
use std::ops::Range;

/// Byte ranges of the `definitions` entries and of the root `$ref`.
pub struct RawIndex {
    pub definitions: HashMap<String, Range<usize>>,
    pub root_ref: Option<String>,
}

/// Scan the top level of a JSON object document. Errors are plain-words messages.
pub fn index(text: &str) -> Result<RawIndex, String> {
    let bytes = text.as_bytes();
    let mut s = Scanner { bytes, pos: 0 };
    s.ws();
    if s.peek() != Some(b'{') {
        return Err("the file is not a JSON object".into());
    }
    s.pos += 1;
    let mut definitions = None;
    let mut root_ref = None;
    loop {
        s.ws();
        match s.peek() {
            Some(b'}') => break,
            Some(b',') => {
                s.pos += 1;
                continue;
            }
            Some(b'"') => {}
            _ => return Err(format!("malformed JSON at byte {}", s.pos)),
        }
        let key = s.string()?;
        s.ws();
        s.expect(b':')?;
        s.ws();
        let start = s.pos;
        if key == "definitions" && s.peek() == Some(b'{') {
            definitions = Some(s.object_entries()?);
        } else {
            s.skip_value()?;
            if key == "$ref" {
                root_ref = serde_json::from_str::<String>(&text[start..s.pos]).ok();
            }
        }
    }
    Ok(RawIndex {
        definitions: definitions.ok_or("the schema has no `definitions`")?,
        root_ref,
    })
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, b: u8) -> Result<(), String> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!(
                "malformed JSON at byte {}: expected `{}`",
                self.pos, b as char
            ))
        }
    }

    /// A string token, decoded.
    fn string(&mut self) -> Result<String, String> {
        let start = self.pos;
        self.skip_string()?;
        let raw = std::str::from_utf8(&self.bytes[start..self.pos]).map_err(|e| e.to_string())?;
        serde_json::from_str(raw).map_err(|e| format!("malformed JSON string at byte {start}: {e}"))
    }

    fn skip_string(&mut self) -> Result<(), String> {
        let start = self.pos;
        self.expect(b'"')?;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'\\' => self.pos += 1,
                b'"' => return Ok(()),
                _ => {}
            }
        }
        Err(format!("unterminated JSON string at byte {start}"))
    }

    /// Skip any value; nesting is tracked with a counter, not recursion.
    fn skip_value(&mut self) -> Result<(), String> {
        let mut depth = 0usize;
        loop {
            self.ws();
            match self.peek() {
                None => return Err("unexpected end of JSON".into()),
                Some(b'"') => self.skip_string()?,
                Some(b'{' | b'[') => {
                    depth += 1;
                    self.pos += 1;
                    continue;
                }
                Some(b'}' | b']') => {
                    if depth == 0 {
                        return Err(format!("malformed JSON at byte {}", self.pos));
                    }
                    depth -= 1;
                    self.pos += 1;
                }
                Some(_) => {
                    while self.peek().is_some_and(|b| {
                        !matches!(b, b',' | b'}' | b']' | b':' | b' ' | b'\n' | b'\r' | b'\t')
                    }) {
                        self.pos += 1;
                    }
                }
            }
            // Inside a container, keep going over `,` and `:` until it closes.
            if depth == 0 {
                return Ok(());
            }
            self.ws();
            if matches!(self.peek(), Some(b',' | b':')) {
                self.pos += 1;
            }
        }
    }

    fn object_entries(&mut self) -> Result<HashMap<String, Range<usize>>, String> {
        let mut out = HashMap::new();
        self.expect(b'{')?;
        loop {
            self.ws();
            match self.peek() {
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b',') => self.pos += 1,
                Some(b'"') => {
                    let key = self.string()?;
                    self.ws();
                    self.expect(b':')?;
                    self.ws();
                    let start = self.pos;
                    self.skip_value()?;
                    out.insert(key, start..self.pos);
                }
                _ => return Err(format!("malformed JSON at byte {}", self.pos)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_definitions_and_root_ref() {
        let text = r##"{"$schema": "x", "$ref": "#/definitions/A", "definitions": {"A": {"type": "object", "p": [1, {"b": "}"}]}, "B\"q": true}}"##;
        let idx = index(text).unwrap();
        assert_eq!(idx.root_ref.as_deref(), Some("#/definitions/A"));
        let a = &text[idx.definitions["A"].clone()];
        assert_eq!(a, r#"{"type": "object", "p": [1, {"b": "}"}]}"#);
        assert_eq!(&text[idx.definitions["B\"q"].clone()], "true");
    }

    #[test]
    fn rejects_non_schemas() {
        assert!(index("[1, 2]").is_err());
        assert!(index(r#"{"a": 1}"#).is_err());
        assert!(index(r#"{"definitions": {"A": {"#).is_err());
    }
}
