//! Rules: one per file, each a small visitor over the flow view (or, for the Y family, over the
//! YAML document's findings). Each file carries its docs next to its code.

mod b001_plaintext_secret;
mod b002_namespace_not_allowed;
mod b003_missing_required_label;
mod b004_path_layout_mismatch;
mod b005_unbounded_retry;
mod b006_no_error_handler;
mod d001_deprecated_alias;
mod d002_deprecated_property;
mod d003_deprecated_type;
mod d004_deprecated_pebble_function;
mod d005_deprecated_plugin_alias;
mod k001_missing_flow_property;
mod k101_invalid_flow_id;
mod k102_duplicate_task_id;
mod k103_duplicate_trigger_id;
mod k104_duplicate_input_id;
mod k105_duplicate_output_id;
mod k106_invalid_namespace;
mod k107_invalid_task_id;
mod k108_invalid_trigger_id;
mod k109_invalid_input_id;
mod k110_invalid_output_id;
mod k111_invalid_label_key;
mod k112_system_label;
mod k113_label_without_value;
mod k114_worker_selector_without_tags;
mod k201_recursive_subflow;
mod k202_unknown_input_dependency;
mod k203_input_dependency_cycle;
mod k205_trigger_missing_inputs;
mod k206_enterprise_worker_group;
mod k301_dag_unknown_dependency;
mod k302_dag_cycle;
mod k303_switch_without_tasks;
mod k304_switch_empty_branch;
mod k305_working_dir_flowable_child;
mod k306_worker_group_in_working_dir;
mod k307_if_without_condition;
mod k308_blank_required_value;
mod k401_invalid_cron;
mod k402_invalid_timezone;
mod k403_invalid_webhook_key;
mod k404_webhook_multiple_condition;
mod k405_invalid_time_window;
mod k406_invalid_precondition_filter;
mod k407_duplicate_precondition_id;
mod k408_unconditional_flow_trigger;
mod k409_blank_webhook_key;
mod k410_invalid_flow_trigger_dependencies;
mod k501_invalid_input_regex;
mod k502_invalid_file_input_default;
mod k503_invalid_item_type;
mod k504_values_and_options;
mod k505_invalid_input_default;
mod k506_invalid_trigger_input_value;
mod k507_display_name_too_long;
mod k508_input_default_not_required;
mod k601_invalid_output_value;
mod k602_invalid_retry_interval;
pub mod k701_duplicate_flow;
pub mod k702_unknown_subflow;
pub mod k703_subflow_cycle;
mod k801_removed_type;
mod k802_removed_property;
mod k803_changed_default;
pub mod l001_unused_suppression;
pub mod l002_unknown_suppression_code;
pub mod l003_too_many_findings;
mod p001_unquoted_expression;
mod p002_pebble_syntax_error;
mod p003_unknown_function;
mod p004_unknown_filter;
mod p005_unknown_test;
mod p006_unsupported_tag;
pub mod p101_unknown_task_output;
mod p102_output_not_available;
mod p103_unknown_input;
mod p104_unknown_variable;
mod p105_trigger_variable_without_trigger;
mod p106_taskrun_value_outside_loop;
mod p107_parent_outside_nested;
mod p108_dash_in_reference;
mod p109_unknown_context_variable;
mod p110_expression_in_static_property;
mod p111_loop_item_misuse;
mod p112_removed_pebble_usage;
mod s001_unknown_property;
mod s002_missing_required_property;
mod s003_invalid_type;
mod s004_invalid_enum_value;
mod s005_unknown_type;
pub mod s006_type_not_in_schema;
mod s007_invalid_value;
mod y001_yaml_syntax_error;
mod y002_duplicate_key;
mod y003_yaml_anchor;
mod y004_merge_key;
mod y005_multiple_documents;
pub mod y006_not_text;
pub mod y007_file_too_large;

pub mod docs;
pub mod ids;
pub mod removed_2_0;

use crate::config::{Edition, Policy, Target};
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::flow::templates::ParsedString;
use crate::flow::Flow;
use crate::schema::{Finding, SchemaStore};
use crate::source::SourceFile;
use crate::yaml::Document;

/// What a rule is, for reports and `kestra-lint rule`.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code: a family letter and a number (`K102`). Never reused.
    pub code: &'static str,
    /// Stable kebab-case name (`duplicate-task-id`).
    pub name: &'static str,
    pub severity: Severity,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// Markdown: what it checks, why, an example that fires and the fixed version.
    pub docs: &'static str,
    pub fixable: bool,
    /// On without any configuration. Opt-in rules are turned on with `select`/`extend-select`
    /// (or, for policy rules, by configuring their policy).
    pub enabled_by_default: bool,
    /// How the rule differs between Kestra release lines; the engine applies it.
    pub versions: Versions,
}

/// A rule's behaviour across Kestra release lines. Rules never adjust their own severity for
/// the target: the engine runs a rule only on the targets it applies to and sets the severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Versions {
    /// The same on every target.
    All,
    /// Kestra 1.x saves it and the execution fails (reported at the rule's own severity, a
    /// warning); Kestra 2.0 refuses to save it (an error).
    RefusedFrom2_0,
    /// Only on the 1.x target (what 2.0 replaced or no longer has).
    Only1x,
    /// Only on the 2.0 target (what 2.0 added or refuses).
    Only2_0,
}

impl Versions {
    pub fn applies_to(self, target: Target) -> bool {
        match self {
            Versions::All | Versions::RefusedFrom2_0 => true,
            Versions::Only1x => target == Target::V1,
            Versions::Only2_0 => target == Target::V2,
        }
    }

    /// The severity of a finding produced at `produced` on `target`.
    pub fn severity(self, produced: Severity, target: Target) -> Severity {
        match self {
            Versions::RefusedFrom2_0 if target.is_2_0() => Severity::Error,
            _ => produced,
        }
    }

    /// Findings that only Kestra 2.0 refuses (the summary's hint about linting for 1.3).
    pub fn refused_only_by_2_0(self) -> bool {
        matches!(self, Versions::RefusedFrom2_0 | Versions::Only2_0)
    }

    /// For `kestra-lint rule --all` and JSON: `all`, `2.0:error`, `1.x`, `2.0`.
    pub fn short(self) -> &'static str {
        match self {
            Versions::All => "all",
            Versions::RefusedFrom2_0 => "2.0:error",
            Versions::Only1x => "1.x",
            Versions::Only2_0 => "2.0",
        }
    }

    /// For rule docs and `kestra-lint rule`.
    pub fn describe(self) -> &'static str {
        match self {
            Versions::All => "every Kestra version",
            Versions::RefusedFrom2_0 => {
                "a warning on Kestra 1.x, an error on 2.0 (refused from 2.0)"
            }
            Versions::Only1x => "Kestra 1.x only",
            Versions::Only2_0 => "Kestra 2.0 only",
        }
    }
}

impl RuleMeta {
    /// A diagnostic of this rule at `span`.
    pub fn diag(&'static self, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic::new(self.code, self.name, self.severity, message, span)
    }
}

/// Everything a rule may look at for one file.
pub struct Context<'a> {
    pub source: &'a SourceFile,
    pub doc: &'a Document,
    /// `None` when the file did not parse into a flow.
    pub flow: Option<&'a Flow<'a>>,
    /// The schema layers in use, if schema validation is on.
    pub schema: Option<&'a SchemaStore>,
    /// What schema validation found; the S and D rules turn these into diagnostics.
    pub schema_findings: &'a [Finding],
    /// Every string value holding Pebble, parsed, for the P rules.
    pub templates: &'a [ParsedString<'a>],
    /// The Kestra release line the run lints for.
    pub target: Target,
    /// The Kestra edition (`edition`), when configured: Enterprise features are errors on
    /// OSS, fine on EE, warnings when unset.
    pub edition: Option<Edition>,
    /// `[lint.policy]`, for the policy rules.
    pub policy: &'a Policy,
}

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>);
}

/// Every rule, in code order.
pub fn all() -> &'static [&'static dyn Rule] {
    &[
        &b001_plaintext_secret::Rule,
        &b002_namespace_not_allowed::Rule,
        &b003_missing_required_label::Rule,
        &b004_path_layout_mismatch::Rule,
        &b005_unbounded_retry::Rule,
        &b006_no_error_handler::Rule,
        &d001_deprecated_alias::Rule,
        &d002_deprecated_property::Rule,
        &d003_deprecated_type::Rule,
        &d004_deprecated_pebble_function::Rule,
        &d005_deprecated_plugin_alias::Rule,
        &k001_missing_flow_property::Rule,
        &k101_invalid_flow_id::Rule,
        &k102_duplicate_task_id::Rule,
        &k103_duplicate_trigger_id::Rule,
        &k104_duplicate_input_id::Rule,
        &k105_duplicate_output_id::Rule,
        &k106_invalid_namespace::Rule,
        &k107_invalid_task_id::Rule,
        &k108_invalid_trigger_id::Rule,
        &k109_invalid_input_id::Rule,
        &k110_invalid_output_id::Rule,
        &k111_invalid_label_key::Rule,
        &k112_system_label::Rule,
        &k113_label_without_value::Rule,
        &k114_worker_selector_without_tags::Rule,
        &k201_recursive_subflow::Rule,
        &k202_unknown_input_dependency::Rule,
        &k203_input_dependency_cycle::Rule,
        &k205_trigger_missing_inputs::Rule,
        &k206_enterprise_worker_group::Rule,
        &k301_dag_unknown_dependency::Rule,
        &k302_dag_cycle::Rule,
        &k303_switch_without_tasks::Rule,
        &k304_switch_empty_branch::Rule,
        &k305_working_dir_flowable_child::Rule,
        &k306_worker_group_in_working_dir::Rule,
        &k307_if_without_condition::Rule,
        &k308_blank_required_value::Rule,
        &k401_invalid_cron::Rule,
        &k402_invalid_timezone::Rule,
        &k403_invalid_webhook_key::Rule,
        &k404_webhook_multiple_condition::Rule,
        &k405_invalid_time_window::Rule,
        &k406_invalid_precondition_filter::Rule,
        &k407_duplicate_precondition_id::Rule,
        &k408_unconditional_flow_trigger::Rule,
        &k409_blank_webhook_key::Rule,
        &k410_invalid_flow_trigger_dependencies::Rule,
        &k501_invalid_input_regex::Rule,
        &k502_invalid_file_input_default::Rule,
        &k503_invalid_item_type::Rule,
        &k504_values_and_options::Rule,
        &k505_invalid_input_default::Rule,
        &k506_invalid_trigger_input_value::Rule,
        &k507_display_name_too_long::Rule,
        &k508_input_default_not_required::Rule,
        &k601_invalid_output_value::Rule,
        &k602_invalid_retry_interval::Rule,
        &k701_duplicate_flow::Rule,
        &k702_unknown_subflow::Rule,
        &k703_subflow_cycle::Rule,
        &k801_removed_type::Rule,
        &k802_removed_property::Rule,
        &k803_changed_default::Rule,
        &l001_unused_suppression::Rule,
        &l002_unknown_suppression_code::Rule,
        &l003_too_many_findings::Rule,
        &p001_unquoted_expression::Rule,
        &p002_pebble_syntax_error::Rule,
        &p003_unknown_function::Rule,
        &p004_unknown_filter::Rule,
        &p005_unknown_test::Rule,
        &p006_unsupported_tag::Rule,
        &p101_unknown_task_output::Rule,
        &p102_output_not_available::Rule,
        &p103_unknown_input::Rule,
        &p104_unknown_variable::Rule,
        &p105_trigger_variable_without_trigger::Rule,
        &p106_taskrun_value_outside_loop::Rule,
        &p107_parent_outside_nested::Rule,
        &p108_dash_in_reference::Rule,
        &p109_unknown_context_variable::Rule,
        &p110_expression_in_static_property::Rule,
        &p111_loop_item_misuse::Rule,
        &p112_removed_pebble_usage::Rule,
        &s001_unknown_property::Rule,
        &s002_missing_required_property::Rule,
        &s003_invalid_type::Rule,
        &s004_invalid_enum_value::Rule,
        &s005_unknown_type::Rule,
        &s006_type_not_in_schema::Rule,
        &s007_invalid_value::Rule,
        &y001_yaml_syntax_error::Rule,
        &y002_duplicate_key::Rule,
        &y003_yaml_anchor::Rule,
        &y004_merge_key::Rule,
        &y005_multiple_documents::Rule,
        &y006_not_text::Rule,
        &y007_file_too_large::Rule,
    ]
}

/// Retired codes and the rule that took over their check. A retired code still works wherever
/// a code is accepted (selection, severities, suppressions, `kestra-lint rule`) and means its
/// successor. Codes are never reused.
pub const RETIRED: &[(&str, &str)] = &[
    // Kestra's dashed-reference save check: now Pebble-aware, with a fix.
    ("K204", "P108"),
];

/// The code that replaced a retired one.
pub fn successor(code: &str) -> Option<&'static str> {
    RETIRED
        .iter()
        .find(|(old, _)| old.eq_ignore_ascii_case(code))
        .map(|(_, new)| *new)
}

/// Find a rule's metadata by code (`K102`), retired code (`K204`) or name (`duplicate-task-id`).
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    let wanted = successor(code_or_name).unwrap_or(code_or_name);
    all()
        .iter()
        .map(|r| r.meta())
        .find(|m| m.code.eq_ignore_ascii_case(wanted) || m.name == wanted)
}

/// The metadata of the rule with exactly this code.
pub fn meta_of(code: &str) -> Option<&'static RuleMeta> {
    all().iter().map(|r| r.meta()).find(|m| m.code == code)
}

#[cfg(test)]
pub(crate) mod test_support;
