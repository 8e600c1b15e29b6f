//! Positions as LSP counts them (line, UTF-16 code unit) against byte offsets, incremental
//! edits of a buffer, and `file://` URIs.

use std::path::{Path, PathBuf};

use lsp_types::{Position, Range};

/// Where each line of a text starts (lines end at `\n`, `\r\n` or a lone `\r`, as LSP says).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        Self { text, starts }
    }

    /// The LSP position of a byte offset (clamped to the text, moved back to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, span: &std::ops::Range<usize>) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of an LSP position; past the end of a line is its end (before the line
    /// break), past the last line is the end of the text.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .copied()
            .unwrap_or(self.text.len());
        let line = &self.text[start..end];
        let line = line.trim_end_matches(['\n', '\r']);
        let mut units = 0u32;
        for (i, c) in line.char_indices() {
            if units >= position.character {
                return start + i;
            }
            units += c.len_utf16() as u32;
        }
        start + line.len()
    }
}

/// Apply one `didChange` content change: a range replaced, or the whole text.
pub fn apply_change(text: &mut String, range: Option<Range>, new_text: &str) {
    match range {
        None => *text = new_text.to_string(),
        Some(range) => {
            let index = LineIndex::new(text);
            let start = index.offset(range.start);
            let end = index.offset(range.end).max(start);
            text.replace_range(start..end, new_text);
        }
    }
}

/// The path of a `file://` URI (percent-decoded); `None` for other schemes.
pub fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file://host/path`: only an empty host or `localhost` is this machine.
    let path = if rest.starts_with('/') {
        rest
    } else {
        rest.strip_prefix("localhost")?
    };
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    let decoded = String::from_utf8(out).ok()?;
    // Windows: `file:///C:/x` is the path `C:/x`.
    let decoded = match decoded.as_bytes() {
        [b'/', drive, b':', ..] if drive.is_ascii_alphabetic() && cfg!(windows) => {
            decoded[1..].to_string()
        }
        _ => decoded,
    };
    Some(PathBuf::from(decoded))
}

/// The `file://` URI of an absolute path, percent-encoding what a URI path cannot hold.
pub fn path_to_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' | b':' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_positions_round_trip() {
        let text = "a: é😀x\r\nb: 1\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        // `é` is one UTF-16 unit, `😀` two.
        assert_eq!(index.position(x), Position::new(0, 6));
        assert_eq!(index.offset(Position::new(0, 6)), x);
        assert_eq!(index.offset(Position::new(0, 99)), text.find('\r').unwrap());
        assert_eq!(index.offset(Position::new(1, 0)), text.find('b').unwrap());
        assert_eq!(index.offset(Position::new(9, 0)), text.len());
    }

    #[test]
    fn incremental_changes_apply() {
        let mut text = "id: a\nnamespace: b\n".to_string();
        apply_change(
            &mut text,
            Some(Range::new(Position::new(1, 11), Position::new(1, 12))),
            "company",
        );
        assert_eq!(text, "id: a\nnamespace: company\n");
        apply_change(&mut text, None, "x");
        assert_eq!(text, "x");
    }

    #[test]
    fn uris_and_paths() {
        let path = Path::new("/srv/flows/a b/é.yml");
        let uri = path_to_uri(path);
        assert_eq!(uri, "file:///srv/flows/a%20b/%C3%A9.yml");
        assert_eq!(uri_to_path(&uri).unwrap(), path);
        assert_eq!(uri_to_path("untitled:1"), None);
    }
}
