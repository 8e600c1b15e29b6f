//! What the machine formats share: positions, repository-relative paths, fingerprints and the
//! rule table.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Diagnostic, Span};
use crate::engine::FileReport;
use crate::rules::{self, RuleMeta};
use crate::source::{LineCol, SourceFile};

/// Start and end (exclusive) of a span: 1-based lines, columns in characters, byte offsets.
#[derive(Debug, Clone, Copy)]
pub struct Range {
    pub start: LineCol,
    pub end: LineCol,
    pub offset: usize,
    pub end_offset: usize,
}

pub fn range(file: &SourceFile, span: &Span) -> Range {
    let offset = span.start.min(file.text.len());
    let end_offset = span.end.clamp(offset, file.text.len());
    Range {
        start: file.line_col(offset),
        end: file.line_col(end_offset),
        offset,
        end_offset,
    }
}

/// Where a file is, seen from the directory the run started in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepoPath {
    /// Below the working directory: a `/`-separated relative path.
    Relative(String),
    /// Elsewhere: the absolute path with `/` separators.
    Absolute(String),
}

impl RepoPath {
    pub fn new(path: &Path, cwd: &Path) -> Self {
        let absolute = normalize(&cwd.join(path));
        match absolute.strip_prefix(normalize(cwd)) {
            Ok(rel) if !rel.as_os_str().is_empty() => RepoPath::Relative(slashes(rel)),
            _ => RepoPath::Absolute(slashes(&absolute)),
        }
    }

    /// The path for GitLab and fingerprints: relative when possible.
    pub fn as_str(&self) -> &str {
        match self {
            RepoPath::Relative(s) | RepoPath::Absolute(s) => s,
        }
    }
}

/// `.` and `..` removed without touching the file system (the file may be stdin's).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn slashes(path: &Path) -> String {
    if cfg!(windows) {
        path.to_string_lossy().replace('\\', "/")
    } else {
        path.to_string_lossy().into_owned()
    }
}

/// `text` with control characters escaped (`\n`, `\t`, `\r`, `\u{1b}` for ESC…): YAML text
/// and file names go into one-line formats and terminals, where a raw line break splits a
/// finding and an ESC sequence drives the terminal.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Percent-encode a `/`-separated path for a URI, keeping `/` and RFC 3986 unreserved bytes.
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A `file://` URI for an absolute `/`-separated path (a drive letter gets its own slash).
pub fn file_uri(absolute: &str) -> String {
    let encoded = uri_path(absolute).replacen("%3A", ":", 1);
    if encoded.starts_with('/') {
        format!("file://{encoded}")
    } else {
        format!("file:///{encoded}")
    }
}

/// FNV-1a, 128 bits: small, dependency-free and plenty for telling findings apart.
fn fnv1a_128(parts: &[&[u8]]) -> u128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let mut hash = OFFSET;
    for part in parts {
        for &b in *part {
            hash ^= u128::from(b);
            hash = hash.wrapping_mul(PRIME);
        }
        // A separator, so ("ab", "c") and ("a", "bc") differ.
        hash ^= 0xff;
        hash = hash.wrapping_mul(PRIME);
    }
    hash
}

/// One fingerprint per diagnostic, in render order: a hash of the rule code, the file's
/// repository path and the primary span's text with whitespace collapsed — no line numbers, so
/// it survives edits elsewhere in the file — then `:n`, the occurrence of that hash in this run.
pub fn fingerprints(files: &[FileReport], cwd: &Path) -> Vec<Vec<String>> {
    let mut seen: HashMap<u128, usize> = HashMap::new();
    files
        .iter()
        .map(|file| {
            let path = RepoPath::new(&file.source.path, cwd);
            file.diagnostics
                .iter()
                .map(|diag| {
                    let text = span_text(&file.source, &diag.primary.span);
                    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    let hash = fnv1a_128(&[
                        diag.code.as_bytes(),
                        path.as_str().as_bytes(),
                        words.as_bytes(),
                    ]);
                    let n = seen.entry(hash).or_insert(0);
                    *n += 1;
                    format!("{hash:032x}:{n}")
                })
                .collect()
        })
        .collect()
}

fn span_text<'a>(file: &'a SourceFile, span: &Span) -> &'a str {
    let start = span.start.min(file.text.len());
    let end = span.end.clamp(start, file.text.len());
    file.text.get(start..end).unwrap_or("")
}

/// Every rule with its index in `rules::all()`, which SARIF's `ruleIndex` points into.
pub fn rule_metas() -> Vec<&'static RuleMeta> {
    rules::all().iter().map(|r| r.meta()).collect()
}

pub fn rule_index(code: &str) -> Option<usize> {
    rules::all().iter().position(|r| r.meta().code == code)
}

/// Iterate (file, diagnostic) pairs in render order.
pub fn each(files: &[FileReport]) -> impl Iterator<Item = (&FileReport, &Diagnostic)> {
    files
        .iter()
        .flat_map(|f| f.diagnostics.iter().map(move |d| (f, d)))
}

/// Escape text for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            // Not allowed in XML 1.0 at all: replace rather than emit a broken file.
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_paths() {
        let cwd = Path::new("/repo");
        assert_eq!(
            RepoPath::new(Path::new("./flows/a.yml"), cwd),
            RepoPath::Relative("flows/a.yml".into())
        );
        assert_eq!(
            RepoPath::new(Path::new("/repo/x/../flows/a.yml"), cwd),
            RepoPath::Relative("flows/a.yml".into())
        );
        assert_eq!(
            RepoPath::new(Path::new("../other/a.yml"), cwd),
            RepoPath::Absolute("/other/a.yml".into())
        );
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri_path("a b/ü#.yml"), "a%20b/%C3%BC%23.yml");
        assert_eq!(file_uri("/x y/"), "file:///x%20y/");
        assert_eq!(file_uri("C:/w/"), "file:///C:/w/");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("plain"), "plain");
        assert_eq!(
            printable("mes\nsage\t\u{1b}[31m"),
            "mes\\nsage\\t\\u{1b}[31m"
        );
    }

    #[test]
    fn xml_escaping() {
        assert_eq!(
            xml_escape("a<b & \"c\" 'd'\n\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&#10;\u{fffd}"
        );
    }

    #[test]
    fn fnv_separates_parts() {
        assert_ne!(fnv1a_128(&[b"ab", b"c"]), fnv1a_128(&[b"a", b"bc"]));
    }
}
