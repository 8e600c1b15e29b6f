//! The 1.x State tasks (`state.Get`/`Set`/`Delete`) → the KV tasks, as kestra-migrate rewrites
//! them. On 1.3 the state store already lived in the namespace's KV store, under
//! `<slug(flow id)>_states_tasks-states_<name>` (no flow prefix with `namespace: true`), as the
//! state map's JSON; the KV task is pointed at that key, so what 1.3 stored is read on 2.0:
//! - `name` becomes `key` with that key (written after `type` when there is no `name`:
//!   `default`); `namespace` and `taskrunValue` go; a Set's `data` becomes `value`;
//! - a Get's `outputs.<id>.data` becomes its parsed `value` (a value 1.3 stored reads back as
//!   base64 text, one kv.Set wrote as JSON; base64 never holds `{`), and `.count` its `length`.
//!
//! Get and Delete keep their behaviour (safe) unless they run in a loop, where `taskrunValue`
//! kept one state per iteration (unsafe). A Set is unsafe: state.Set merged `data` into the
//! stored map, kv.Set replaces the value. No fix for a Set without `data` (kv.Set needs a value),
//! a Set whose `key`/`count` outputs are read (kv.Set has no outputs), a `namespace` that is not
//! a literal, a Get whose outputs are read otherwise than as `.data`/`.count` (passed whole to
//! a function, say), or a reference to them that cannot be edited exactly.

use super::after;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::flow::templates::ParsedString;
use crate::flow::{types, Flow};
use crate::pebble;
use crate::yaml::edit::{scalar, Editor};
use crate::yaml::ScalarStyle;

const GET: &str = "io.kestra.plugin.core.state.Get";
const SET: &str = "io.kestra.plugin.core.state.Set";
const DELETE: &str = "io.kestra.plugin.core.state.Delete";

/// Is `name` (or the alias it is) one of the State tasks?
pub fn is_state_task(name: &str) -> bool {
    matches!(types::canonical(name), GET | SET | DELETE)
}

/// The flow id as Kestra's `Slugify` writes it in state keys: only `[A-Za-z0-9_-]` kept, `_`
/// as `-`, no doubled or edge `-`, lower case.
pub fn slug(id: &str) -> String {
    let kept: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        .map(|c| if c == '_' { '-' } else { c })
        .collect();
    let mut out = String::with_capacity(kept.len());
    for c in kept.chars() {
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    out.trim_matches('-').to_ascii_lowercase()
}

/// The KV key a 1.3 State task stored its state under.
pub fn state_key(flow_id: &str, name: &str, namespace_scoped: bool) -> String {
    let prefix = if namespace_scoped {
        String::new()
    } else {
        format!("{}_", slug(flow_id))
    };
    format!("{prefix}states_tasks-states_{name}")
}

/// The fix turning State task `index` of `flow` into its KV task, with its targets.
pub fn to_kv(
    editor: &Editor<'_>,
    flow: &Flow<'_>,
    templates: &[ParsedString<'_>],
    index: usize,
) -> Option<Fix> {
    let task = flow.tasks.get(index)?;
    let node = task.node;
    let kind = types::canonical(task.type_name()?);
    let (new_type, short) = match kind {
        GET => ("io.kestra.plugin.core.kv.Get", "Get"),
        SET => ("io.kestra.plugin.core.kv.Set", "Set"),
        DELETE => ("io.kestra.plugin.core.kv.Delete", "Delete"),
        _ => return None,
    };
    let id = task.id()?;
    let namespace_scoped = match node.get("namespace") {
        None => false,
        Some(v) => match v.as_scalar()?.text.trim() {
            "true" => true,
            "false" => false,
            _ => return None,
        },
    };
    let name = match node.get("name") {
        None => "default".to_string(),
        Some(v) => v.as_scalar()?.text.clone(),
    };
    let key = state_key(flow.root.get_str("id")?, &name, namespace_scoped);
    let mut edits: Vec<Edit> = vec![editor.replace_scalar(task.type_node()?, new_type)?];
    match node.get("name") {
        Some(value) => {
            edits.push(editor.rename_key(node, "name", "key")?);
            edits.push(editor.replace_scalar(value, &key)?);
        }
        None => edits.push(editor.insert_entry(node, after(node, "type"), "key", &scalar(&key))?),
    }
    for dropped in ["namespace", "taskrunValue"] {
        if node.get(dropped).is_some() {
            edits.extend(editor.remove_entry(node, dropped)?);
        }
    }
    let mut targets = vec![super::pointer_of(flow, node)];
    // Each value's reads of this task's outputs, read once: (value, [(span, field)]).
    let reads: Vec<(&ParsedString<'_>, Vec<OutputRead>)> = templates
        .iter()
        .map(|s| (s, output_reads(s, id)))
        .filter(|(_, r)| !r.is_empty())
        .collect();
    let fields = || {
        reads
            .iter()
            .flat_map(|(_, r)| r.iter().map(|(_, f)| f.as_deref()))
    };
    if kind == SET {
        node.get("data")?;
        edits.push(editor.rename_key(node, "data", "value")?);
        if fields().any(|f| matches!(f, Some("key" | "count"))) {
            return None;
        }
    }
    if kind == GET {
        // Anything else read from the Get's outputs (the whole outputs passed to a function,
        // say) has no KV counterpart the rewrite could write.
        if fields().any(|f| !matches!(f, Some("data" | "count"))) {
            return None;
        }
        for (s, refs) in &reads {
            let style = s.node.as_scalar()?.style;
            let value = parsed_value(id, style);
            for (span, field) in refs {
                let content = match field.as_deref() {
                    Some("count") => format!("({value} | length)"),
                    _ => value.clone(),
                };
                edits.push(editor.replace_in_scalar(s.node, span.clone(), &content)?);
            }
            targets.push(s.pointer.clone());
        }
    }
    let in_loop = flow.ancestors(index).any(|i| {
        flow.tasks[i]
            .type_name()
            .is_some_and(|t| crate::flow::loops::is_loop(types::canonical(t)))
    });
    let applicability = if kind == SET || in_loop {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let fix = super::fix(
        format!("replace `state.{short}` with `{new_type}` on the key 1.3 stored the state under (`{key}`)"),
        applicability,
        edits,
    )?;
    Some(fix.with_targets(targets))
}

/// A read of a task's outputs: the span of `outputs.<id>.<field>` (of `outputs.<id>` when no
/// field follows), and the field.
type OutputRead = (std::ops::Range<usize>, Option<String>);

/// Every read of task `id`'s outputs in a value.
fn output_reads(s: &ParsedString<'_>, id: &str) -> Vec<OutputRead> {
    pebble::references(&s.template)
        .into_iter()
        .filter(|r| r.root == "outputs")
        .filter(|r| r.segments.first().and_then(|seg| seg.name.as_deref()) == Some(id))
        .map(|r| {
            let last = r.segments.get(1).unwrap_or(&r.segments[0]);
            let field = r.segments.get(1).and_then(|seg| seg.name.clone());
            (r.root_span.start..last.span.end, field)
        })
        .collect()
}

/// The parsed state of a kv.Get, written so it fits in a scalar of `style`: Pebble strings in
/// the quotes that need no escaping there, and in a plain scalar no `: ` (which would end it).
fn parsed_value(id: &str, style: ScalarStyle) -> String {
    let q = if style == ScalarStyle::SingleQuoted {
        '"'
    } else {
        '\''
    };
    let v = if id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!("outputs.{id}.value")
    } else {
        format!("outputs[{q}{id}{q}].value")
    };
    let (then, otherwise) = if style == ScalarStyle::Plain {
        (" ?(", "):(")
    } else {
        (" ? (", ") : (")
    };
    format!(
        "fromJson(({v} ?? {q}{{}}{q}) contains {q}{{{q}{then}{v} ?? {q}{{}}{q}{otherwise}{v} | base64decode))"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::fixed;

    const HEAD: &str = "id: f\nnamespace: n\ntasks:\n";
    const LOG: &str = "  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: m\n";

    #[test]
    fn get_and_delete_are_safe_outside_loops_and_unsafe_inside() {
        let get = format!("{HEAD}  - id: g\n    type: io.kestra.plugin.core.state.Get\n{LOG}  - id: l2\n    type: io.kestra.plugin.core.log.Log\n    message: Saw {{{{ outputs.g.data.x }}}}\n");
        let (after, safe) = fixed("K801", &get).unwrap();
        assert!(safe);
        assert!(
            after.contains(
                "type: io.kestra.plugin.core.kv.Get\n    key: f_states_tasks-states_default\n"
            ),
            "{after}"
        );
        // A plain scalar gets a ternary without `: `, so it stays one plain scalar.
        assert!(after.contains("message: Saw {{ fromJson((outputs.g.value ?? '{}') contains '{' ?(outputs.g.value ?? '{}'):(outputs.g.value | base64decode)).x }}"), "{after}");
        let looped = format!("{HEAD}  - id: each\n    type: io.kestra.plugin.core.flow.ForEach\n    values: [a]\n    tasks:\n      - id: d\n        type: io.kestra.plugin.core.state.Delete\n        name: '{{{{ taskrun.value }}}}'\n");
        let diags = crate::rules::test_support::lint(&looped).1;
        let fix = diags
            .iter()
            .filter(|d| d.code == "K801")
            .find_map(|d| d.fix.clone().filter(|f| f.message.contains("state.Delete")))
            .unwrap();
        assert_eq!(fix.applicability, Applicability::Unsafe);
    }

    #[test]
    fn sets_are_unsafe_and_some_have_no_fix() {
        let set = format!(
            "{HEAD}  - id: s\n    type: io.kestra.plugin.core.state.Set\n    data:\n      a: 1\n"
        );
        let (after, safe) = fixed("K801", &set).unwrap();
        assert!(!safe);
        assert!(after.contains("    value:\n      a: 1\n"), "{after}");
        // kv.Set needs a value; and it has no outputs to read.
        let no_data =
            format!("{HEAD}  - id: s\n    type: io.kestra.plugin.core.state.Set\n    name: x\n");
        assert_eq!(fixed("K801", &no_data), None);
        let read = format!("{set}  - id: l\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{{{ outputs.s.count }}}}\"\n");
        assert_eq!(fixed("K801", &read), None);
        // A Get's outputs read whole (here by a function): nothing to rewrite them to.
        let whole = format!("{HEAD}  - id: g\n    type: io.kestra.plugin.core.state.Get\n  - id: l\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{{{ currentEachOutput(outputs.g).data }}}}\"\n");
        assert_eq!(fixed("K801", &whole), None);
        // A namespace flag that is an expression: which key is meant is not known.
        let dynamic = format!("{HEAD}  - id: g\n    type: io.kestra.plugin.core.state.Get\n    namespace: \"{{{{ inputs.shared }}}}\"\n");
        assert_eq!(fixed("K801", &dynamic), None);
    }

    #[test]
    fn single_quoted_values_get_double_quoted_pebble_strings() {
        let get = format!("{HEAD}  - id: g\n    type: io.kestra.plugin.core.state.Get\n  - id: l\n    type: io.kestra.plugin.core.log.Log\n    message: 'It''s {{{{ outputs.g.data }}}}'\n");
        let (after, _) = fixed("K801", &get).unwrap();
        assert!(
            after
                .contains("message: 'It''s {{ fromJson((outputs.g.value ?? \"{}\") contains \"{\""),
            "{after}"
        );
        // `''` inside the reference: its text is not the file's, so it is not edited.
        let escaped = get.replace("outputs.g.data", "outputs[''g''].data");
        assert_eq!(fixed("K801", &escaped), None);
    }

    #[test]
    fn keys_are_the_ones_1_3_used() {
        assert_eq!(slug("My_Flow.v2"), "my-flowv2");
        assert_eq!(slug("_a__b-"), "a-b");
        assert_eq!(
            state_key("daily_sync", "default", false),
            "daily-sync_states_tasks-states_default"
        );
        assert_eq!(
            state_key("daily_sync", "cursor", true),
            "states_tasks-states_cursor"
        );
    }

    #[test]
    fn parsed_values_fit_their_scalar() {
        let plain = parsed_value("get", ScalarStyle::Plain);
        assert!(!plain.contains(": "), "{plain}");
        assert_eq!(
            parsed_value("get", ScalarStyle::DoubleQuoted),
            "fromJson((outputs.get.value ?? '{}') contains '{' ? (outputs.get.value ?? '{}') : (outputs.get.value | base64decode))"
        );
        let single = parsed_value("my-get", ScalarStyle::SingleQuoted);
        assert!(!single.contains('\''), "{single}");
        assert!(single.contains("outputs[\"my-get\"].value"), "{single}");
    }
}
