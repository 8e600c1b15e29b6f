use super::{Context, RuleMeta};
use crate::config::Edition;
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::templates::{dashed_references, first_name, ParsedString};
use crate::flow::Flow;
use crate::pebble::{self, names};
use crate::yaml::Node;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "P109",
    name: "unknown-context-variable",
    severity: Severity::Error,
    summary: "A variable or attribute that Kestra's expression context does not have",
    docs: r#"## What it does
Reports a root variable Kestra does not set (`{{ exectuion.id }}`, `{{ twilio_account_sid }}`,
`{{ loop.index }}` outside a `{% for %}`), and an attribute that a fixed variable does not have
(`execution.idd`, `flow.name`, `task.name`), with the closest name. Fixed variables: `flow`
(`id`, `namespace`, `revision`, `tenantId`), `execution` (`id`, `state`, `startDate`,
`originalId`, `outputs`), `task` (`id`, `type`), `taskrun` (`id`, `startDate`, `attemptsCount`,
`parentId`, `value`, `iteration`, `items`) and `kestra` (`environment`, `url`).

Names bound by the template are left alone (`{% set %}`, `{% for %}` variables and `loop`,
macro parameters), and so are references whose missing value is handled (`?? …`,
`| default(…)`, `is defined`) and values Kestra does not render. A plugin may add variables of
its own to the properties it renders (a script task's `workingDir` and `outputDir`, a JDBC
task's `row`), so in a plugin task only a near miss of a Kestra variable is reported; in the
flow's own properties and in core tasks and triggers (`io.kestra.plugin.core.*`) every unknown
root is, except the variables core tasks add themselves (`response` in an HTTP trigger's
`responseCondition`, `count` in Count's `expression`, `value` in FilterItems'
`filterCondition`, the record's fields in DeduplicateItems' `expr`, `workingDir` in the tasks of
a WorkingDirectory). In a conditional branch (`cond ? 'ok' : ko`) only a near miss is reported:
the branch may never be evaluated. `namespace` (Enterprise namespace variables) is an error with `edition = "oss"`.

## Why
Kestra renders expressions with strict variables: an undefined variable or attribute fails the
task at run time ("Unable to find `exectuion` used in the expression"). Nothing checks it when
the flow is saved.

## Example
```yaml
    message: "Run {{ exectuion.id }} of {{ flow.name }}"   # P109 twice
```
Use instead: `"Run {{ execution.id }} of {{ flow.id }}"`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

/// Variables that plugins add to the properties they render; never suggested against.
const PLUGIN_VARIABLES: &[&str] = &[
    "workingDir",
    "outputDir",
    "outputFiles",
    "inputFile",
    "inputFiles",
    "row",
    "rows",
    "value",
    "response",
];

/// Core types that add variables to one of their properties (`*`: the fields of each record).
const CORE_ADDS: &[(&str, &str, &str)] = &[
    (
        "io.kestra.plugin.core.http.Trigger",
        "responseCondition",
        "response",
    ),
    (
        "io.kestra.plugin.core.execution.Count",
        "expression",
        "count",
    ),
    (
        "io.kestra.plugin.core.storage.FilterItems",
        "filterCondition",
        "value",
    ),
    (
        "io.kestra.plugin.core.storage.DeduplicateItems",
        "expr",
        "*",
    ),
];

/// WorkingDirectory gives its children the script variables (`workingDir`).
const WORKING_DIRECTORY: &str = "io.kestra.plugin.core.flow.WorkingDirectory";

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        let roots: Vec<&str> = names::ROOT_VARIABLES.iter().map(|r| r.name).collect();
        for s in ctx.templates {
            if !s.is_rendered(ctx.schema_findings) {
                continue;
            }
            let owner = owner_type(flow, s);
            // The old core script tasks (`io.kestra.core.tasks.scripts.Bash`) added script
            // variables like the script plugins do.
            let core = owner.is_none_or(|t| {
                !t.contains('.')
                    || t.starts_with("io.kestra.plugin.core.")
                    || (t.starts_with("io.kestra.core.")
                        && !t.starts_with("io.kestra.core.tasks.scripts."))
            });
            // `outputs.my-task.x` reads as `outputs.my - task.x`: P108's, not unknown `task`.
            let dashed = dashed_references(&s.template, s.text());
            let branches = conditional_branches(&s.template);
            let macros = pebble::macro_names(&s.template);
            for r in pebble::references(&s.template) {
                if s.is_guarded(&r.span)
                    || macros.contains(&r.root.as_str())
                    || dashed.iter().any(|d| d.covers(&r.root_span))
                {
                    continue;
                }
                match names::root_variable(&r.root) {
                    Some(known) => {
                        if known.origin == names::Origin::Enterprise
                            && ctx.edition == Some(Edition::Oss)
                        {
                            out.push(
                                META.diag(
                                    format!("`{}` variables are an Enterprise Edition feature", r.root),
                                    s.file_span(r.root_span.clone()),
                                )
                                .with_label("not set on the open-source server")
                                .with_help("the open-source server has no namespace variables; use flow `variables` or the KV store (`kv('KEY')`)"),
                            );
                            continue;
                        }
                        let (Some(attributes), Some((name, segment))) =
                            (known.attributes, first_name(&r))
                        else {
                            continue;
                        };
                        if attributes.contains(&name) {
                            continue;
                        }
                        // A flow, task or execution is named by its `id`.
                        let suggestion = if name == "name" && attributes.contains(&"id") {
                            Some("id")
                        } else {
                            names::suggest(name, attributes.iter().copied())
                        };
                        let help = match suggestion {
                            Some(a) => format!("did you mean `{}.{a}`?", r.root),
                            None => format!(
                                "`{}` has {}",
                                r.root,
                                attributes
                                    .iter()
                                    .map(|a| format!("`{a}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        };
                        out.push(
                            META.diag(
                                format!("`{}` has no attribute `{name}`", r.root),
                                s.segment_span(segment),
                            )
                            .with_label("unknown attribute")
                            .with_help(help),
                        );
                    }
                    None => {
                        let name = r.root.as_str();
                        if PLUGIN_VARIABLES.contains(&name) && (!core || in_working_dir(flow, s)) {
                            continue;
                        }
                        if CORE_ADDS.iter().any(|(ty, prop, var)| {
                            (*var == name || *var == "*")
                                && owner.is_some_and(|t| crate::flow::types::is(t, ty))
                                && s.pointer.ends_with(&format!("/{prop}"))
                        }) {
                            continue;
                        }
                        let suggestion = names::suggest(name, roots.iter().copied());
                        // In a plugin task, only a one-letter slip of a Kestra variable.
                        let near = suggestion.is_some_and(|c| {
                            crate::suggest::distance(&name.to_lowercase(), &c.to_lowercase()) <= 1
                        });
                        if !core && !near {
                            continue;
                        }
                        // `cond ? 'ok' : ko` fails only when that branch is taken (Kestra's
                        // tests fail on purpose this way): only a near miss is certain there.
                        let conditional = branches
                            .iter()
                            .any(|b| b.start <= r.span.start && r.span.end <= b.end);
                        if conditional && suggestion.is_none() {
                            continue;
                        }
                        let help = match (name, suggestion) {
                            ("loop", _) => "`loop` is only set inside a `{% for %}` block".to_string(),
                            (_, Some(c)) => format!("did you mean `{c}`?"),
                            (_, None) => format!(
                                "Kestra sets no variable `{name}`; use `inputs.{name}`, `vars.{name}`, `secret('{}')` or `kv('{name}')` as intended",
                                name.to_uppercase()
                            ),
                        };
                        out.push(
                            META.diag(
                                format!("unknown variable `{name}`"),
                                s.file_span(r.root_span.clone()),
                            )
                            .with_label("not in the expression context")
                            .with_help(help),
                        );
                    }
                }
            }
        }
    }
}

/// Is the value in a task inside a WorkingDirectory?
fn in_working_dir(flow: &Flow<'_>, s: &ParsedString<'_>) -> bool {
    let mut current = s.task.and_then(|t| flow.tasks.get(t)?.parent);
    for _ in 0..=flow.tasks.len() {
        let Some(t) = current.and_then(|p| flow.tasks.get(p)) else {
            return false;
        };
        if t.type_name()
            .is_some_and(|ty| crate::flow::types::is(ty, WORKING_DIRECTORY))
        {
            return true;
        }
        current = t.parent;
    }
    false
}

/// The branches of `a ? b : c` and `a ?: b`, evaluated only on one outcome of `a`.
fn conditional_branches(template: &pebble::Template) -> Vec<crate::diagnostic::Span> {
    let mut out = Vec::new();
    pebble::walk(template, &mut |e: &pebble::Expr| {
        if let pebble::ExprKind::Ternary {
            then, otherwise, ..
        } = &e.kind
        {
            if let Some(then) = then {
                out.push(then.span.clone());
            }
            out.push(otherwise.span.clone());
        }
    });
    out
}

/// The `type` of the innermost typed mapping holding the value (task, trigger, condition,
/// plugin default); `None` for the flow's own properties.
fn owner_type<'a>(flow: &Flow<'a>, s: &ParsedString<'a>) -> Option<&'a str> {
    let mut node: &'a Node = flow.root;
    let mut found = None;
    for raw in s.pointer.split('/').skip(1) {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        node = match node.as_seq() {
            Some(items) => items.get(seg.parse::<usize>().ok()?)?,
            None => node.get(&seg)?,
        };
        if let Some(t) = node.as_map().and(node.get_str("type")) {
            found = Some(t);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{
        assert_fires, assert_fires_with, assert_silent, assert_silent_with, messages,
    };

    const HEAD: &str =
        "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n";

    #[test]
    fn fires_on_unknown_roots_and_attributes() {
        let yaml = format!(
            "{HEAD}    message: \"{{{{ exectuion.id }}}} {{{{ twilio_account_sid }}}} {{{{ execution.idd }}}} {{{{ flow.name }}}} {{{{ loop.index }}}} {{{{ task.kind }}}}\"\n"
        );
        assert_fires(
            "P109",
            &yaml,
            &[(6, 18), (6, 37), (6, 72), (6, 87), (6, 98), (6, 120)],
        );
        let m = messages("P109", &yaml);
        assert_eq!(m[0], "unknown variable `exectuion`");
        assert_eq!(m[2], "`execution` has no attribute `idd`");
        let (_, diags) = crate::rules::test_support::lint(&yaml);
        let helps: Vec<String> = diags
            .iter()
            .filter(|d| d.code == "P109")
            .map(|d| d.help.clone().unwrap_or_default())
            .collect();
        assert_eq!(helps[0], "did you mean `execution`?");
        assert_eq!(helps[2], "did you mean `execution.id`?");
        assert_eq!(helps[3], "did you mean `flow.id`?");
        assert!(helps[4].contains("{% for %}"), "{}", helps[4]);
        assert_eq!(helps[5], "`task` has `id`, `type`");
    }

    #[test]
    fn in_a_plugin_task_only_near_misses() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: q\n    type: io.kestra.plugin.jdbc.postgresql.Query\n    sql: \"{{ row.id }} {{ workingDir }} {{ custom }} {{ inptus.x }}\"\n";
        assert_fires("P109", yaml, &[(6, 57)]);
    }

    #[test]
    fn in_a_conditional_branch_only_near_misses() {
        let yaml = format!("{HEAD}    message: \"{{{{ flow.id == 'f' ? 'ok' : ko }}}} {{{{ flow.id == 'f' ? exectuion.id : 'x' }}}}\"\n");
        assert_fires("P109", &yaml, &[(6, 68)]);
    }

    #[test]
    fn silent_after_a_dash() {
        let yaml = format!(
            "{HEAD}    message: \"{{{{ outputs.process-stuck-task.outputFiles['x'] }}}}\"\n"
        );
        assert_silent("P109", &yaml);
    }

    #[test]
    fn silent_on_locals_guards_and_known_names() {
        let yaml = format!(
            "{HEAD}    message: \"{{% set x = 1 %}}{{{{ x }}}} {{% for i in [1] %}}{{{{ loop.index }}}} {{{{ i }}}}{{% endfor %}} {{% macro m(a) %}}{{{{ a }}}}{{% endmacro %}} {{{{ flow.id }}}} {{{{ execution.startDate }}}} {{{{ taskrun.attemptsCount }}}} {{{{ task.type }}}} {{{{ other ?? 'x' }}}} {{{{ flow.name | default('n') }}}} {{{{ kestra.url }}}} {{{{ labels.team }}}}\"\n    description: \"{{{{ nope }}}}\"\ntriggers:\n  - id: h\n    type: io.kestra.plugin.core.http.Trigger\n    uri: https://example.com\n    responseCondition: \"{{{{ response.statusCode < 400 }}}}\"\n"
        );
        assert_silent("P109", &yaml);
    }

    #[test]
    fn namespace_variables_follow_the_edition() {
        let yaml = format!("{HEAD}    message: \"{{{{ namespace.region }}}}\"\n");
        assert_silent("P109", &yaml);
        assert_silent_with("edition = \"ee\"\n", "P109", &yaml);
        assert_fires_with("edition = \"oss\"\n", "P109", &yaml, &[(6, 18)]);
    }
}
