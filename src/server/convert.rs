//! Findings as LSP diagnostics: the rule code, a link to the rule's documentation, the
//! related spans.

use std::collections::HashSet;
use std::path::PathBuf;

use lsp_types as lsp;

use super::text::{path_to_uri, LineIndex};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules;

/// Where each rule's documentation is linked: a URL template (`{code}` replaced, from the
/// client's `ruleDocsUrl` option), else the rule's docs (what `kestra-lint rule CODE` prints)
/// written once as Markdown in the user's cache folder, so the link works offline.
pub struct RuleDocs {
    template: Option<String>,
    dir: Option<PathBuf>,
    written: HashSet<&'static str>,
}

impl RuleDocs {
    pub fn new(template: Option<String>) -> Self {
        let dir = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .map(|c| {
                c.join("kestra-lint")
                    .join(format!("rules-{}", env!("CARGO_PKG_VERSION")))
            });
        Self {
            template,
            dir,
            written: HashSet::new(),
        }
    }

    pub fn link(&mut self, code: &'static str) -> Option<lsp::Uri> {
        if let Some(t) = &self.template {
            return t.replace("{code}", code).parse().ok();
        }
        let meta = rules::meta_of(code)?;
        let file = self.dir.as_ref()?.join(format!("{code}.md"));
        if self.written.insert(code) && !file.is_file() {
            let dir = file.parent()?;
            std::fs::create_dir_all(dir).ok()?;
            crate::output::write_atomically(&file, rules::docs::text(meta).as_bytes()).ok()?;
        }
        path_to_uri(&file).parse().ok()
    }
}

pub fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
    }
}

pub fn diagnostic(
    d: &Diagnostic,
    index: &LineIndex<'_>,
    uri: &str,
    docs: &mut RuleDocs,
) -> lsp::Diagnostic {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<lsp::DiagnosticRelatedInformation> = uri
        .parse::<lsp::Uri>()
        .ok()
        .map(|uri| {
            d.secondary
                .iter()
                .map(|l| lsp::DiagnosticRelatedInformation {
                    location: lsp::Location::new(uri.clone(), index.range(&l.span)),
                    message: l.message.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    lsp::Diagnostic {
        range: index.range(&d.primary.span),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description: docs.link(d.code).map(|href| lsp::CodeDescription { href }),
        source: Some("kestra-lint".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: (d.code.starts_with('D') || d.code == "L001").then(|| {
            vec![if d.code == "L001" {
                lsp::DiagnosticTag::UNNECESSARY
            } else {
                lsp::DiagnosticTag::DEPRECATED
            }]
        }),
        data: None,
    }
}
