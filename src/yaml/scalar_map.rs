//! Maps offsets in a scalar's cooked value (what Kestra renders) back to the file, for every
//! scalar style: plain, single-quoted (`''`), double-quoted (escapes, escaped line breaks),
//! literal `|` and folded `>` blocks with their indentation. Pebble diagnostics use it to point
//! at the exact characters of an expression.

use super::{Node, ScalarStyle};

/// Cooked byte offset → file byte offset for one scalar.
#[derive(Debug, Clone)]
pub struct ScalarMap {
    /// `starts[i]`/`ends[i]`: the file bytes that produced cooked byte `i` (an escape such as
    /// `\u00e9` is several file bytes for one character); one extra entry for the end.
    starts: Vec<usize>,
    ends: Vec<usize>,
}

impl ScalarMap {
    /// The file offset of a cooked byte offset (clamped to the scalar).
    pub fn to_source(&self, cooked: usize) -> usize {
        let last = self.starts.len() - 1;
        self.starts[cooked.min(last)]
    }

    /// A file span for a cooked span.
    pub fn span(&self, cooked: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let start = self.to_source(cooked.start);
        let end = if cooked.end > cooked.start {
            // End after the last mapped character, not at the start of what follows it.
            self.ends[(cooked.end - 1).min(self.ends.len() - 1)]
        } else {
            start
        };
        start..end.max(start)
    }
}

/// Build the map for a scalar node of `text`. `None` when the source and the value cannot be
/// aligned (callers then label the whole scalar).
pub fn map_scalar(text: &str, node: &Node) -> Option<ScalarMap> {
    let scalar = node.as_scalar()?;
    let raw = text.get(node.span.clone())?;
    // A block scalar's span starts at its first content character: its column is the indent.
    let line_start = text[..node.span.start].rfind('\n').map_or(0, |i| i + 1);
    let indent = node.span.start - line_start;
    let (starts, ends) = align(raw, scalar.style, &scalar.text, indent)?;
    let shift = |v: Vec<usize>| v.into_iter().map(|o| o + node.span.start).collect();
    Some(ScalarMap {
        starts: shift(starts),
        ends: shift(ends),
    })
}

type Offsets = (Vec<usize>, Vec<usize>);

fn align(raw: &str, style: ScalarStyle, cooked: &str, indent: usize) -> Option<Offsets> {
    let rb = raw.as_bytes();
    let block = matches!(style, ScalarStyle::Literal | ScalarStyle::Folded);
    let mut pos = match style {
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => 1,
        _ => 0,
    };
    let indent = if block { indent } else { 0 };
    let skip_indent = |pos: &mut usize| {
        let mut n = 0;
        while n < indent && rb.get(*pos) == Some(&b' ') {
            *pos += 1;
            n += 1;
        }
    };
    let mut starts = Vec::with_capacity(cooked.len() + 1);
    let mut ends = Vec::with_capacity(cooked.len() + 1);
    for c in cooked.chars() {
        let at = loop {
            let rest = raw.get(pos..)?;
            let r = rest.chars().next()?;
            if style == ScalarStyle::DoubleQuoted && r == '\\' {
                // An escaped line break joins lines: skip it and the next line's indentation.
                let next = rest[1..].chars().next()?;
                if next == '\n' || next == '\r' {
                    pos += 1;
                    while matches!(rb.get(pos), Some(b'\n' | b'\r' | b' ' | b'\t')) {
                        pos += 1;
                    }
                    continue;
                }
                let len = match next {
                    'x' => 4,
                    'u' => 6,
                    'U' => 10,
                    _ => 1 + next.len_utf8(),
                };
                let at = pos;
                pos += len;
                break at;
            }
            if style == ScalarStyle::SingleQuoted && c == '\'' && rest.starts_with("''") {
                let at = pos;
                pos += 2;
                break at;
            }
            if r == c {
                let at = pos;
                pos += r.len_utf8();
                if block && c == '\n' {
                    skip_indent(&mut pos);
                }
                break at;
            }
            if (c == ' ' || c == '\n') && r.is_whitespace() {
                // Line folding: one space (or newline) stands for a run of breaks and indentation.
                let at = pos;
                let mut saw_break = false;
                while let Some(&b) = rb.get(pos) {
                    match b {
                        b'\n' | b'\r' => {
                            saw_break = true;
                            pos += 1;
                            if block {
                                skip_indent(&mut pos);
                            }
                        }
                        b' ' | b'\t' if !block || !saw_break => pos += 1,
                        _ => break,
                    }
                }
                break at;
            }
            if r.is_whitespace() {
                // Indentation or a folded break the value does not contain.
                pos += r.len_utf8();
                continue;
            }
            return None;
        };
        starts.extend(std::iter::repeat_n(at, c.len_utf8()));
        ends.extend(std::iter::repeat_n(pos.min(raw.len()), c.len_utf8()));
    }
    starts.push(pos.min(raw.len()));
    ends.push(pos.min(raw.len()));
    Some((starts, ends))
}

#[cfg(test)]
mod tests {
    use crate::yaml::parse;

    /// The file text at the mapped span of `needle` in the value of key `k`.
    fn mapped(yaml: &str, k: &str, needle: &str) -> String {
        let doc = parse(yaml);
        let root = doc.root.unwrap();
        let node = root.get(k).unwrap();
        let value = node.scalar_text().unwrap();
        let at = value
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in {value:?}"));
        let map = super::map_scalar(yaml, node).expect("aligned");
        yaml[map.span(at..at + needle.len())].to_string()
    }

    #[test]
    fn plain() {
        assert_eq!(
            mapped("a: hi {{ x.y }} there\n", "a", "{{ x.y }}"),
            "{{ x.y }}"
        );
        assert_eq!(mapped("a: one\n  two {{ z }}\n", "a", "{{ z }}"), "{{ z }}");
    }

    #[test]
    fn single_quoted() {
        assert_eq!(mapped("a: 'it''s {{ x }}'\n", "a", "{{ x }}"), "{{ x }}");
        assert_eq!(mapped("a: 'it''s {{ x }}'\n", "a", "'s"), "''s");
    }

    #[test]
    fn double_quoted_with_escapes() {
        let yaml = "a: \"line\\n\\t{{ inputs.x }} \\\"q\\\" \\u00e9 {{ y }}\"\n";
        assert_eq!(mapped(yaml, "a", "{{ inputs.x }}"), "{{ inputs.x }}");
        assert_eq!(mapped(yaml, "a", "{{ y }}"), "{{ y }}");
        assert_eq!(mapped(yaml, "a", "é"), "\\u00e9");
        let folded = "a: \"one \\\n   two {{ z }}\"\n";
        assert_eq!(mapped(folded, "a", "{{ z }}"), "{{ z }}");
    }

    #[test]
    fn literal_block() {
        let yaml = "a: |\n  echo {{ inputs.x }}\n    indented {{ y }}\n  last\nb: 1\n";
        assert_eq!(mapped(yaml, "a", "{{ inputs.x }}"), "{{ inputs.x }}");
        assert_eq!(mapped(yaml, "a", "{{ y }}"), "{{ y }}");
        assert_eq!(mapped(yaml, "a", "last"), "last");
    }

    #[test]
    fn folded_block() {
        let yaml = "a: >-\n  select {{ x }}\n  from {{ y }}\n\n  done\n";
        assert_eq!(mapped(yaml, "a", "{{ x }}"), "{{ x }}");
        assert_eq!(mapped(yaml, "a", "{{ y }}"), "{{ y }}");
        assert_eq!(mapped(yaml, "a", "done"), "done");
    }

    #[test]
    fn crlf_and_non_ascii() {
        let yaml = "a: |\r\n  héllo {{ x }}\r\n  wörld {{ y }}\r\n";
        assert_eq!(mapped(yaml, "a", "{{ y }}"), "{{ y }}");
    }
}
