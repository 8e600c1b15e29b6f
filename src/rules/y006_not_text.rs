use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "Y006",
    name: "not-utf8-text",
    severity: Severity::Error,
    summary: "The file is binary or not valid UTF-8",
    docs: r#"## What it does
Reports a YAML file that contains NUL bytes (binary data) or bytes that are not valid UTF-8,
at the first offending byte. The file is not linted further.

## Why
Kestra reads flows as UTF-8 text; a file saved in another encoding (Latin-1, UTF-16) or a
binary file with a `.yml` name cannot be a valid flow.

## Example
A flow saved as Latin-1 with `message: café` → Y006 at the `é` byte. Re-save it as UTF-8.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

/// Reported by the engine before parsing; the rule itself has nothing to visit.
pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}

/// Why the bytes cannot be linted as text: `(byte offset, message)`.
pub fn problem(bytes: &[u8]) -> Option<(usize, String)> {
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        let what = if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
            "the file is UTF-16 encoded; save it as UTF-8"
        } else {
            "the file contains NUL bytes and looks binary"
        };
        return Some((nul, what.to_string()));
    }
    match std::str::from_utf8(bytes) {
        Ok(_) => None,
        Err(e) => Some((
            e.valid_up_to(),
            format!(
                "invalid UTF-8 at byte {}; save the file as UTF-8",
                e.valid_up_to()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn detects_binary_and_bad_utf8() {
        assert_eq!(problem(b"id: a\0b").unwrap().0, 5);
        assert_eq!(problem(b"id: caf\xe9\n").unwrap().0, 7);
        assert!(problem("id: café\n".as_bytes()).is_none());
    }

    fn codes(bytes: &[u8]) -> Vec<&'static str> {
        let options = crate::engine::LintOptions::default();
        let report = crate::engine::lint_bytes("f.yml".as_ref(), bytes.to_vec(), &options);
        report.diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn fires_on_latin1_text() {
        assert_eq!(codes(b"id: caf\xe9\nnamespace: n\n"), ["Y006"]);
    }

    #[test]
    fn silent_on_utf8_text() {
        assert!(!codes("id: café\nnamespace: n\ntasks: []\n".as_bytes()).contains(&"Y006"));
    }
}
