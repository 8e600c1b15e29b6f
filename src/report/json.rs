//! `json` (an array) and `json-lines` (one object per line). The fields are documented in the
//! README and stable: add, never rename or remove.

use serde_json::{json, Value};

use super::common::{self, Range};
use crate::diagnostic::Diagnostic;
use crate::engine::FileReport;
use crate::source::SourceFile;

fn position(r: &Range) -> (Value, Value) {
    (
        json!({ "line": r.start.line, "column": r.start.column }),
        json!({ "line": r.end.line, "column": r.end.column }),
    )
}

pub fn diagnostic_value(file: &SourceFile, diag: &Diagnostic) -> Value {
    let r = common::range(file, &diag.primary.span);
    let (location, end_location) = position(&r);
    let fix = diag.fix.as_ref().map(|fix| {
        let edits: Vec<Value> = fix
            .edits
            .iter()
            .map(|edit| {
                let r = common::range(file, &edit.span);
                let (location, end_location) = position(&r);
                json!({
                    "content": edit.content,
                    "location": location,
                    "end_location": end_location,
                    "offset": r.offset,
                    "end_offset": r.end_offset,
                })
            })
            .collect();
        json!({
            "applicability": fix.applicability,
            "message": fix.message,
            "edits": edits,
        })
    });
    let related: Vec<Value> = diag
        .secondary
        .iter()
        .map(|label| {
            let r = common::range(file, &label.span);
            let (location, end_location) = position(&r);
            json!({
                "message": label.message,
                "location": location,
                "end_location": end_location,
                "offset": r.offset,
                "end_offset": r.end_offset,
            })
        })
        .collect();
    json!({
        "code": diag.code,
        "name": diag.name,
        "severity": diag.severity,
        "message": diag.message,
        "filename": file.display_path(),
        "location": location,
        "end_location": end_location,
        "offset": r.offset,
        "end_offset": r.end_offset,
        "help": diag.help,
        "fix": fix,
        "related": related,
        "url": Value::Null,
    })
}

pub fn render(out: &mut String, files: &[FileReport], lines: bool) {
    let values = common::each(files).map(|(f, d)| diagnostic_value(&f.source, d));
    if lines {
        for value in values {
            out.push_str(&value.to_string());
            out.push('\n');
        }
    } else {
        let all: Vec<Value> = values.collect();
        // Serialising a `Value` cannot fail.
        out.push_str(&serde_json::to_string_pretty(&all).unwrap_or_default());
        out.push('\n');
    }
}
