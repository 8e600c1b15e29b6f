//! GitHub Actions workflow commands: one annotation per finding,
//! `::error file=…,line=…,endLine=…,col=…,endColumn=…,title=CODE::message`, the help on a
//! second line of the message.

use std::fmt::Write as _;

use super::common::{self, RepoPath};
use super::RenderContext;
use crate::diagnostic::Severity;
use crate::engine::FileReport;

/// Escaping for the message part of a workflow command.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for a property value (`file=…`): also `:` and `,`, which delimit properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(out: &mut String, files: &[FileReport], ctx: &RenderContext) {
    for (file, diag) in common::each(files) {
        // Relative to the working directory (the checkout), as GitHub expects.
        let path = RepoPath::new(&file.source.path, &ctx.cwd);
        let r = common::range(&file.source, &diag.primary.span);
        let command = match diag.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        // The help goes on its own line (`%0A`); control characters from YAML text do not.
        let mut message = common::printable(&diag.message).into_owned();
        if let Some(help) = &diag.help {
            message.push_str("\nhelp: ");
            message.push_str(&common::printable(help));
        }
        let _ = writeln!(
            out,
            "::{command} file={},line={},endLine={},col={},endColumn={},title={}::{}",
            escape_property(path.as_str()),
            r.start.line,
            r.end.line,
            r.start.column,
            r.end.column,
            escape_property(diag.code),
            escape_data(&message),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
