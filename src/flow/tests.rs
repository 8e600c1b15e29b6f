use super::*;
use crate::yaml::parse;

const NESTED: &str = r#"
id: f
namespace: company.team
labels:
  team: data
tasks:
  - id: a
    type: io.kestra.plugin.core.log.Log
    message: hi
  - id: par
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: b
        type: io.kestra.plugin.core.log.Log
        message: b
      - id: sw
        type: io.kestra.plugin.core.flow.Switch
        value: x
        cases:
          X:
            - id: c
              type: io.kestra.plugin.core.log.Log
              message: c
        defaults:
          - id: d
            type: io.kestra.plugin.core.log.Log
            message: d
  - id: dag
    type: io.kestra.plugin.core.flow.Dag
    tasks:
      - task:
          id: e
          type: io.kestra.plugin.core.log.Log
          message: e
        dependsOn: []
errors:
  - id: err
    type: io.kestra.plugin.core.log.Log
    message: failed
listeners:
  - tasks:
      - id: lis
        type: io.kestra.plugin.core.log.Log
        message: l
triggers:
  - id: daily
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "@daily"
"#;

#[test]
fn walks_every_task_in_document_order() {
    let doc = parse(NESTED);
    let root = doc.root.unwrap();
    let flow = Flow::new(&root);
    let ids: Vec<_> = flow.tasks.iter().map(|t| t.id().unwrap()).collect();
    assert_eq!(
        ids,
        ["a", "par", "b", "sw", "c", "d", "dag", "e", "err", "lis"]
    );
    let c = flow.tasks.iter().find(|t| t.id() == Some("c")).unwrap();
    assert_eq!(c.pointer, "/tasks/1/tasks/1/cases/X/0");
    assert_eq!(flow.tasks[c.parent.unwrap()].id(), Some("sw"));
    let e = flow.tasks.iter().find(|t| t.id() == Some("e")).unwrap();
    assert_eq!(e.pointer, "/tasks/2/tasks/0/task");
    assert_eq!(flow.tasks[8].section, Section::Errors);
    assert_eq!(flow.tasks[9].section, Section::Listeners);
    assert_eq!(flow.triggers.len(), 1);
    assert_eq!(flow.labels[0].key, "team");
}

#[test]
fn labels_as_a_list() {
    let doc = parse("id: f\nnamespace: n\nlabels:\n  - key: team\n    value: data\ntasks: []\n");
    let root = doc.root.unwrap();
    let flow = Flow::new(&root);
    assert_eq!(flow.labels.len(), 1);
    assert_eq!(flow.labels[0].key, "team");
}

#[test]
fn flow_detection() {
    let yes = |s: &str| is_flow(&parse(s).root.unwrap());
    assert!(yes("id: a\nnamespace: b\ntasks: []\n"));
    assert!(yes("id: a\nnamespace: b\n"));
    assert!(!yes("id: a\nnamespace: b\nspec: {}\n"));
    assert!(!yes("name: ci\non: push\n"));
    assert!(!yes("- a\n"));
}
