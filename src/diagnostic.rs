//! The one diagnostic type every check produces and every output format consumes.

use std::fmt;
use std::ops::Range;

/// A byte range in the file being linted.
pub type Span = Range<usize>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A span with a short text shown next to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Label {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Self {
            span,
            message: message.into(),
        }
    }
}

/// Whether a fix can be applied without a person looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Safe,
    Unsafe,
}

/// Replace the bytes of `span` with `content`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub message: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
    /// The data the fix may change, as JSON pointers into the parsed file (`/tasks/0/retry`,
    /// `""` for the whole document): before it is written, the edited text is parsed again and
    /// must hold the same data outside these subtrees, or the fix is dropped. A pointer names
    /// a subtree of the text before the fix and of the text after it (a renamed key lists the
    /// old and the new path, a removed list item its list). `None`: the smallest node holding
    /// every edit (see [`crate::fix`]); `Some(vec![])`: no data may change (comments only).
    pub targets: Option<Vec<String>>,
}

impl Fix {
    pub fn new(message: impl Into<String>, applicability: Applicability, edits: Vec<Edit>) -> Self {
        Self {
            message: message.into(),
            applicability,
            edits,
            targets: None,
        }
    }

    /// A fix that keeps behaviour: applied by `--fix` and `migrate`.
    pub fn safe(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(message, Applicability::Safe, edits)
    }

    /// A fix that changes behaviour or needs review: applied only with `--unsafe-fixes`.
    pub fn unsafe_fix(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(message, Applicability::Unsafe, edits)
    }

    /// Declare the data paths the fix may change (see [`Fix::targets`]).
    pub fn with_targets<S: Into<String>>(mut self, targets: impl IntoIterator<Item = S>) -> Self {
        self.targets = Some(targets.into_iter().map(Into::into).collect());
        self
    }
}

/// One finding: what is wrong, where, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable rule code, e.g. `K102`.
    pub code: &'static str,
    /// Stable kebab-case rule name, e.g. `duplicate-task-id`.
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The exact node that is wrong, with a short label.
    pub primary: Label,
    /// Other nodes that explain the finding (e.g. the first definition).
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        name: &'static str,
        severity: Severity,
        message: impl Into<String>,
        span: Span,
    ) -> Self {
        Self {
            code,
            name,
            severity,
            message: message.into(),
            primary: Label::new(span, ""),
            secondary: Vec::new(),
            help: None,
            fix: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.primary.message = label.into();
        self
    }

    pub fn with_secondary(mut self, span: Span, label: impl Into<String>) -> Self {
        self.secondary.push(Label::new(span, label));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}
