//! Core plugin types the Kestra rules need to recognise, with their 1.x aliases resolved.

use crate::schema::Schema;

pub const SUBFLOW: &str = "io.kestra.plugin.core.flow.Subflow";
pub const FOR_EACH_ITEM: &str = "io.kestra.plugin.core.flow.ForEachItem";
pub const SWITCH: &str = "io.kestra.plugin.core.flow.Switch";
pub const DAG: &str = "io.kestra.plugin.core.flow.Dag";
pub const IF: &str = "io.kestra.plugin.core.flow.If";
pub const WORKING_DIRECTORY: &str = "io.kestra.plugin.core.flow.WorkingDirectory";
pub const SCHEDULE: &str = "io.kestra.plugin.core.trigger.Schedule";
pub const WEBHOOK: &str = "io.kestra.plugin.core.trigger.Webhook";
pub const FLOW_TRIGGER: &str = "io.kestra.plugin.core.trigger.Flow";
pub const MULTIPLE_CONDITION: &str = "io.kestra.plugin.core.condition.MultipleCondition";

/// Core tasks that are not runnable (flowable, executable, or executed by the executor) in
/// Kestra 1.x: a WorkingDirectory refuses them as children.
pub const NOT_RUNNABLE: &[&str] = &[
    "io.kestra.plugin.core.flow.AllowFailure",
    "io.kestra.plugin.core.flow.Dag",
    "io.kestra.plugin.core.flow.EachParallel",
    "io.kestra.plugin.core.flow.EachSequential",
    "io.kestra.plugin.core.flow.ForEach",
    "io.kestra.plugin.core.flow.ForEachItem",
    "io.kestra.plugin.core.flow.If",
    "io.kestra.plugin.core.flow.LoopUntil",
    "io.kestra.plugin.core.flow.Parallel",
    "io.kestra.plugin.core.flow.Pause",
    "io.kestra.plugin.core.flow.Sequential",
    "io.kestra.plugin.core.flow.Subflow",
    "io.kestra.plugin.core.flow.Switch",
    "io.kestra.plugin.core.flow.Template",
    "io.kestra.plugin.core.flow.WorkingDirectory",
    "io.kestra.plugin.core.execution.Exit",
    "io.kestra.plugin.core.execution.Labels",
    "io.kestra.plugin.core.execution.SetVariables",
    "io.kestra.plugin.core.execution.UnsetVariables",
];

/// The canonical type name: an old alias (`io.kestra.core.tasks.flows.Switch`) becomes the name
/// it stands for; any other name is returned as is. The alias table is the same whatever
/// schema is in use.
pub fn canonical(name: &str) -> &str {
    Schema::embedded().canonical_alias(name).unwrap_or(name)
}

/// Is `name` (or the alias it is) the type `canonical_name`?
pub fn is(name: &str, canonical_name: &str) -> bool {
    name == canonical_name || canonical(name) == canonical_name
}

/// Subflow or ForEachItem: a task that starts an execution of another flow.
pub fn is_subflow_call(name: &str) -> bool {
    let c = canonical(name);
    c == SUBFLOW || c == FOR_EACH_ITEM
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve() {
        assert!(is("io.kestra.core.tasks.flows.Switch", SWITCH));
        assert!(is(SWITCH, SWITCH));
        assert!(is_subflow_call("io.kestra.core.tasks.flows.Flow"));
        assert!(!is("io.kestra.plugin.core.log.Log", SWITCH));
        assert!(is(
            "io.kestra.core.models.triggers.types.Schedule",
            SCHEDULE
        ));
    }
}
