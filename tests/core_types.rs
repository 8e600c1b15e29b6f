//! Every type of each embedded core schema has at least one valid example: the flows in
//! tests/fixtures/core-types (Kestra 1.3) and tests/fixtures/core-types-2.0 (Kestra 2.0) lint
//! without an error (nor a B001) on their target, and together they use every task, trigger,
//! condition, input, retry and task-runner type (and the nested typed objects: SLAs, metrics,
//! HTTP auth, purge behaviours) that the schema's unions contain.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use kestra_lint::config::{Settings, Target};
use kestra_lint::diagnostic::Severity;
use kestra_lint::engine::{lint_source, LintOptions};
use kestra_lint::schema::Schema;
use kestra_lint::source::SourceFile;
use kestra_lint::yaml::{self, Node, NodeKind};
use serde_json::Value;

/// One embedded schema and its fixtures.
struct Case {
    target: Target,
    fixtures: &'static str,
    /// Polymorphic bases reached from plugins rather than from the Flow itself.
    bases: &'static [&'static str],
}

const V1_3: Case = Case {
    target: Target::V1,
    fixtures: "tests/fixtures/core-types",
    bases: BASES_1_3,
};

const V2_0: Case = Case {
    target: Target::V2,
    fixtures: "tests/fixtures/core-types-2.0",
    bases: BASES_2_0,
};

/// Union properties of the Flow definition.
const FLOW_UNIONS: &[&str] = &[
    "/properties/tasks/items",
    "/properties/triggers/items",
    "/properties/inputs/items",
    "/properties/retry",
];

const BASES_1_3: &[&str] = &[
    "io.kestra.core.models.conditions.Condition",
    "io.kestra.core.models.conditions.ScheduleCondition",
    "io.kestra.core.models.tasks.retrys.AbstractRetry",
    "io.kestra.core.models.tasks.runners.TaskRunner",
    "io.kestra.core.models.flows.sla.SLA",
    "io.kestra.core.models.tasks.metrics.AbstractMetric",
    "io.kestra.core.http.client.configurations.AbstractAuthConfiguration",
    "io.kestra.plugin.core.kv.KvPurgeBehavior",
    "io.kestra.plugin.core.namespace.FilesPurgeBehavior",
];

/// Kestra 2.0 has no conditions.
const BASES_2_0: &[&str] = &[
    "io.kestra.core.models.tasks.retrys.AbstractRetry",
    "io.kestra.core.models.tasks.runners.TaskRunner",
    "io.kestra.core.models.flows.sla.SLA",
    "io.kestra.core.models.tasks.metrics.AbstractMetric",
    "io.kestra.core.http.client.configurations.AbstractAuthConfiguration",
    "io.kestra.plugin.core.kv.KvPurgeBehavior",
    "io.kestra.plugin.core.namespace.FilesPurgeBehavior",
];

fn fixture_paths(case: &Case) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(case.fixtures)
        .expect("the fixture folder exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixture in {}", case.fixtures);
    paths
}

fn read(path: &Path) -> SourceFile {
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    SourceFile::new(path, text)
}

/// The `type` const of every member of a union, by definition index.
fn consts(schema: &Schema, members: &[usize], into: &mut BTreeSet<String>) {
    for &m in members {
        let name = schema
            .type_const(m)
            .unwrap_or_else(|| panic!("union member `{}` has no type const", schema.key(m)));
        into.insert(name.to_string());
    }
}

/// Every type const the embedded schema's unions contain.
fn schema_types(case: &Case) -> BTreeSet<String> {
    let schema = Schema::embedded_for(case.target);
    let flow = schema
        .definition(schema.root())
        .expect("the Flow definition");
    let mut types = BTreeSet::new();
    for pointer in FLOW_UNIONS {
        let members = flow
            .pointer(pointer)
            .and_then(|s| schema.union_members(s))
            .unwrap_or_else(|| panic!("Flow `{pointer}` is not a union"));
        consts(schema, &members, &mut types);
    }
    // A base is read from its definition's `anyOf`/`oneOf` directly: `union_members` wants a
    // value that refers to the base, and a one-member base written inline is not a union to it.
    for base in case.bases {
        let index = schema
            .index_of(base)
            .unwrap_or_else(|| panic!("no definition `{base}`"));
        let definition = schema.definition(index).expect("a parsed definition");
        let members: Vec<usize> = definition
            .get("anyOf")
            .or_else(|| definition.get("oneOf"))
            .and_then(Value::as_array)
            .unwrap_or_else(|| panic!("`{base}` is not a union"))
            .iter()
            .map(|branch| {
                let reference = branch.get("$ref").and_then(Value::as_str);
                reference
                    .and_then(|r| schema.resolve_ref(r))
                    .unwrap_or_else(|| panic!("`{base}` has a branch that is not a $ref"))
            })
            .collect();
        consts(schema, &members, &mut types);
    }
    types
}

/// Every scalar `type:` value in a YAML tree.
fn type_values(node: &Node, into: &mut BTreeSet<String>) {
    match &node.kind {
        NodeKind::Map(entries) => {
            for entry in entries {
                if entry.key_str() == Some("type") {
                    if let Some(value) = entry.value.as_str() {
                        into.insert(value.to_string());
                    }
                }
                type_values(&entry.value, into);
            }
        }
        NodeKind::Seq(items) => items.iter().for_each(|item| type_values(item, into)),
        NodeKind::Scalar(_) | NodeKind::Alias(_) => {}
    }
}

#[test]
fn schema_unions_are_found() {
    let types = schema_types(&V1_3);
    let counts = Schema::embedded_for(Target::V1).type_counts();
    assert!(counts.tasks >= 60 && counts.triggers >= 5, "{counts:?}");
    assert!(counts.conditions >= 18 && counts.inputs >= 19, "{counts:?}");
    for name in [
        "io.kestra.plugin.core.log.Log",
        "io.kestra.plugin.core.trigger.Schedule",
        "io.kestra.plugin.core.condition.Weekend",
        "io.kestra.plugin.core.runner.Process",
        "STRING",
        "exponential",
    ] {
        assert!(types.contains(name), "`{name}` was not collected");
    }
}

#[test]
fn schema_unions_are_found_2_0() {
    let types = schema_types(&V2_0);
    let counts = Schema::embedded_for(Target::V2).type_counts();
    assert!(counts.tasks >= 50 && counts.triggers >= 5, "{counts:?}");
    assert!(counts.conditions == 0 && counts.inputs >= 20, "{counts:?}");
    for name in [
        "io.kestra.plugin.core.flow.Loop",
        "io.kestra.plugin.core.trigger.Flow",
        "BOOL",
        "constant",
    ] {
        assert!(types.contains(name), "`{name}` was not collected");
    }
    for gone in [
        "io.kestra.plugin.core.flow.ForEach",
        "io.kestra.plugin.core.debug.Echo",
        "io.kestra.plugin.core.trigger.Toggle",
        "BOOLEAN",
        "ENUM",
    ] {
        assert!(!types.contains(gone), "`{gone}` is still in the 2.0 schema");
    }
}

fn options_for(target: Target) -> LintOptions {
    let settings = Settings {
        target_version: Some(target.label().parse().expect("a version")),
        ..Settings::default()
    };
    LintOptions::for_settings(Arc::new(settings))
}

#[test]
fn every_fixture_is_a_flow_without_errors() {
    fixtures_have_no_error(&V1_3);
}

#[test]
fn every_fixture_is_a_flow_without_errors_2_0() {
    fixtures_have_no_error(&V2_0);
}

fn fixtures_have_no_error(case: &Case) {
    let options = options_for(case.target);
    let mut failures = Vec::new();
    for path in fixture_paths(case) {
        let source = read(&path);
        let result = lint_source(&source, &options);
        assert!(result.is_flow, "{} is not linted as a flow", path.display());
        for d in result
            .diagnostics
            .iter()
            // Credentials go through `secret()`: no plaintext-secret warning either.
            .filter(|d| d.severity == Severity::Error || d.code == "B001")
        {
            let at = source.line_col(d.primary.span.start);
            failures.push(format!(
                "{}:{}:{}: {} {}",
                path.display(),
                at.line,
                at.column,
                d.code,
                d.message
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "fixtures with errors:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_schema_type_has_an_example() {
    schema_types_have_examples(&V1_3);
}

#[test]
fn every_schema_type_has_an_example_2_0() {
    schema_types_have_examples(&V2_0);
}

fn schema_types_have_examples(case: &Case) {
    let mut used = BTreeSet::new();
    for path in fixture_paths(case) {
        let source = read(&path);
        let doc = yaml::parse(&source.text);
        let root = doc
            .root
            .unwrap_or_else(|| panic!("{} does not parse", path.display()));
        type_values(&root, &mut used);
    }
    let missing: Vec<String> = schema_types(case).difference(&used).cloned().collect();
    assert!(
        missing.is_empty(),
        "{} schema type(s) without an example in {}:\n  {}",
        missing.len(),
        case.fixtures,
        missing.join("\n  ")
    );
}
