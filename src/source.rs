//! A file's text plus a line index, so byte offsets turn into 1-based line/column.

use std::path::PathBuf;

/// One file being linted: its display path, its text and where each line starts.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user should see it (relative when the user gave a relative path).
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
    /// For non-ASCII text, the number of characters before each `CHAR_BLOCK`-byte block, so a
    /// column costs at most one block's scan even on a 10 MB single-line file.
    char_blocks: Option<Vec<usize>>,
    /// The text with control characters masked, for snippets; built on first use.
    masked: std::sync::OnceLock<Option<String>>,
}

const CHAR_BLOCK: usize = 4096;

/// A 1-based line and column; columns count characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    /// The text with each control character other than line breaks and tabs replaced by `?`
    /// (one per byte of its UTF-8 form, so byte offsets are kept): snippets never drive the
    /// terminal. Computed once per file.
    pub fn masked_text(&self) -> &str {
        self.masked
            .get_or_init(|| {
                let shown = |c: char| !c.is_control() || matches!(c, '\n' | '\r' | '\t');
                if self.text.chars().all(shown) {
                    return None;
                }
                let mut out = String::with_capacity(self.text.len());
                for c in self.text.chars() {
                    if shown(c) {
                        out.push(c);
                    } else {
                        out.extend(std::iter::repeat_n('?', c.len_utf8()));
                    }
                }
                Some(out)
            })
            .as_deref()
            .unwrap_or(&self.text)
    }

    pub fn new(path: impl Into<PathBuf>, text: String) -> Self {
        let mut line_starts = vec![0];
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            // A lone CR also ends a line in YAML; CRLF counts once (at the LF).
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                line_starts.push(i + 1);
            }
        }
        let char_blocks = (!text.is_ascii()).then(|| {
            let mut before = 0;
            let mut blocks = Vec::with_capacity(bytes.len() / CHAR_BLOCK + 1);
            for block in bytes.chunks(CHAR_BLOCK) {
                blocks.push(before);
                before += block.iter().filter(|&&b| !is_continuation(b)).count();
            }
            blocks
        });
        Self {
            path: path.into(),
            text,
            line_starts,
            char_blocks,
            masked: std::sync::OnceLock::new(),
        }
    }

    /// Characters in `text[..offset]` (`offset` on a char boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let Some(blocks) = &self.char_blocks else {
            return offset;
        };
        let block = offset / CHAR_BLOCK;
        let from = block * CHAR_BLOCK;
        blocks.get(block).copied().unwrap_or(0)
            + self.text.as_bytes()[from..offset]
                .iter()
                .filter(|&&b| !is_continuation(b))
                .count()
    }

    /// The 0-based line holding a byte offset (binary search over the line starts).
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// The path with forward slashes, as printed in every output format.
    pub fn display_path(&self) -> String {
        display_path(&self.path)
    }

    /// Line and column of a byte offset (clamped to the text and to a char boundary).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line_index = self.line_index(offset);
        let start = self.line_starts[line_index];
        let mut column = self.chars_before(offset) - self.chars_before(start) + 1;
        // A BOM is not a visible column.
        if line_index == 0 && self.text.starts_with('\u{feff}') && offset > 0 {
            column -= 1;
        }
        LineCol {
            line: line_index + 1,
            column,
        }
    }

    /// Byte offset where the 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line.checked_sub(1)?).copied()
    }

    /// The text of a 1-based line without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(start) = self.line_start(line) else {
            return "";
        };
        let end = self.line_start(line + 1).unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// Paths are printed with `/` on every platform, without a leading `./`.
pub fn display_path(path: &std::path::Path) -> String {
    // `\` separates folders on Windows only; elsewhere it is part of a name, shown as written.
    let s = if cfg!(windows) {
        path.to_string_lossy().replace('\\', "/")
    } else {
        path.to_string_lossy().into_owned()
    };
    match s.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => s,
    }
}

/// `path` as seen from `base` (`../.kestra/x.json`), when both are absolute or both relative.
pub fn relative_to(path: &std::path::Path, base: &std::path::Path) -> std::path::PathBuf {
    use std::path::{Component, PathBuf};
    let p: Vec<Component> = path.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 && path.is_absolute() != base.is_absolute() {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c.as_os_str());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(line: usize, column: usize) -> LineCol {
        LineCol { line, column }
    }

    #[test]
    fn columns_count_characters() {
        let f = SourceFile::new("a.yml", "é: ü\nid: x\n".to_string());
        assert_eq!(f.line_col(0), lc(1, 1));
        // `ü` starts at byte 4 (é is 2 bytes, then `: `).
        assert_eq!(f.line_col(4), lc(1, 4));
        assert_eq!(f.line_col(7), lc(2, 1));
    }

    #[test]
    fn crlf_and_lone_cr() {
        let f = SourceFile::new("a.yml", "a: 1\r\nb: 2\rc: 3".to_string());
        assert_eq!(f.line_col(6), lc(2, 1));
        assert_eq!(f.line_col(11), lc(3, 1));
        assert_eq!(f.line_text(1), "a: 1");
        assert_eq!(f.line_count(), 3);
    }

    #[test]
    fn bom_is_not_a_column() {
        let f = SourceFile::new("a.yml", "\u{feff}id: x".to_string());
        assert_eq!(f.line_col(3), lc(1, 1));
        assert_eq!(f.line_col(7), lc(1, 5));
    }

    #[test]
    fn columns_on_a_long_non_ascii_line() {
        let text = format!("{}x: {}", "é".repeat(5000), "ü".repeat(5000));
        let f = SourceFile::new("a.yml", text.clone());
        let at = text.find('x').unwrap();
        assert_eq!(f.line_col(at), lc(1, 5001));
        assert_eq!(f.line_col(text.len()), lc(1, 10004));
        assert_eq!(f.line_index(text.len()), 0);
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let f = SourceFile::new("a.yml", "ab".to_string());
        assert_eq!(f.line_col(99), lc(1, 3));
    }

    #[test]
    fn relative_paths() {
        use std::path::Path;
        assert_eq!(
            relative_to(Path::new("/r/.kestra/s.json"), Path::new("/r/flows")),
            Path::new("../.kestra/s.json")
        );
        assert_eq!(
            relative_to(Path::new("/r/a.yml"), Path::new("/r")),
            Path::new("a.yml")
        );
    }

    #[test]
    fn paths_use_forward_slashes() {
        assert_eq!(
            display_path(std::path::Path::new("./flows/a.yml")),
            "flows/a.yml"
        );
    }
}
