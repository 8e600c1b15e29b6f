use std::collections::{HashMap, VecDeque};

use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::CrossFile;

pub struct Rule;

pub static META: RuleMeta = RuleMeta {
    code: "K703",
    name: "subflow-cycle",
    severity: Severity::Warning,
    summary: "Flows call each other in a cycle through Subflow/ForEachItem tasks",
    docs: r#"## What it does
Across the files linted together and the repository index (see the README), follows the literal `namespace` + `flowId` of every
`Subflow` and `ForEachItem` task and reports each call that closes a cycle of two or more flows
(`a` calls `b`, `b` calls `a`), naming the cycle (a long one by its first and last flows).
A flow calling itself is K201.

## Why
Kestra refuses a flow that calls itself (`Recursive call to flow [...]`) but cannot see a cycle
spread over several flows: each execution starts the next one, without end unless a condition
stops it. It is a warning because such a call may sit behind an `If` or a `Switch` on purpose.

## Example
```yaml
# company.team.a                    # company.team.b
tasks:                              tasks:
  - id: call_b                        - id: call_a
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team             namespace: company.team
    flowId: b     # K703                flowId: a     # K703
```
Use instead: break the cycle (let one flow trigger the other with a Flow trigger, or guard the
call and say so with `# kestra-lint: ignore[K703]`).
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Runs across files: see [`check_files`].
    fn check(&self, _ctx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}

/// Reports each call `u → v` such that `v` leads back to `u`.
pub fn check_files(files: &[CrossFile<'_>], out: &mut Vec<(usize, Diagnostic)>) {
    // The first file defining a flow is the one followed (K701 reports the others).
    let mut index: HashMap<(&str, &str), usize> = HashMap::with_capacity(files.len());
    for (i, f) in files.iter().enumerate() {
        index
            .entry((f.summary.namespace.as_str(), f.summary.id.as_str()))
            .or_insert(i);
    }
    let edges: Vec<Vec<usize>> = files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut targets: Vec<usize> = f
                .summary
                .subflow_calls
                .iter()
                .filter_map(|c| index.get(&(c.namespace.as_str(), c.flow_id.as_str())))
                .copied()
                .filter(|&t| t != i)
                .collect();
            targets.sort_unstable();
            targets.dedup();
            targets
        })
        .collect();
    let mut previous = Vec::new();
    for (u, f) in files.iter().enumerate() {
        let Some(report) = f.report else {
            continue;
        };
        if index.get(&(f.summary.namespace.as_str(), f.summary.id.as_str())) != Some(&u) {
            continue;
        }
        for call in &f.summary.subflow_calls {
            let Some(&v) = index.get(&(call.namespace.as_str(), call.flow_id.as_str())) else {
                continue;
            };
            if v == u {
                continue;
            }
            let Some(path) = shortest_path(&edges, v, u, &mut previous) else {
                continue;
            };
            let name = |n: usize| format!("`{}`", files[n].summary.full_name());
            let cycle: Vec<usize> = std::iter::once(u).chain(path).collect();
            out.push((
                report,
                META.diag(
                    format!("subflow call cycle: {}", describe_cycle(&cycle, name)),
                    call.span.clone(),
                )
                .with_label("this call leads back to this flow")
                .with_help(
                    "each execution starts the next one; break the cycle or guard the call on purpose",
                ),
            ));
        }
    }
}

/// Flows a cycle message names in full; a longer cycle shows its start and its end, so a ring
/// of thousands of flows does not print every one of them for every call.
const MAX_NAMES: usize = 8;

/// `a → b → c → a`, or `a → b → c → … 2995 more … → y → z → a` for a long cycle.
fn describe_cycle(cycle: &[usize], name: impl Fn(usize) -> String) -> String {
    if cycle.len() <= MAX_NAMES {
        return cycle
            .iter()
            .map(|&n| name(n))
            .collect::<Vec<_>>()
            .join(" → ");
    }
    let (head, tail) = (MAX_NAMES / 2, MAX_NAMES / 2 - 1);
    let mut parts: Vec<String> = cycle[..head].iter().map(|&n| name(n)).collect();
    parts.push(format!("… {} more …", cycle.len() - head - tail));
    parts.extend(cycle[cycle.len() - tail..].iter().map(|&n| name(n)));
    parts.join(" → ")
}

/// Breadth-first: the nodes from `from` to `to`, both included. `previous` is scratch space
/// of one slot per node, reused across calls (a ring of 3,000 flows makes 3,000 searches).
fn shortest_path(
    edges: &[Vec<usize>],
    from: usize,
    to: usize,
    previous: &mut Vec<usize>,
) -> Option<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    previous.clear();
    previous.resize(edges.len(), UNSEEN);
    let mut queue = VecDeque::from([from]);
    previous[from] = from;
    while let Some(n) = queue.pop_front() {
        if n == to {
            let mut path = vec![to];
            let mut at = to;
            while at != from {
                at = previous[at];
                path.push(at);
            }
            path.reverse();
            return Some(path);
        }
        for &next in &edges[n] {
            if previous[next] == UNSEEN {
                previous[next] = n;
                queue.push_back(next);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{lint_files, lint_files_in_repo};

    fn flow(id: &str, calls: &str) -> String {
        format!("id: {id}\nnamespace: company.team\ntasks:\n  - id: call\n    type: io.kestra.plugin.core.flow.Subflow\n    namespace: company.team\n    flowId: {calls}\n")
    }

    #[test]
    fn fires_on_each_call_of_a_cycle() {
        let (a, b, c) = (flow("a", "b"), flow("b", "c"), flow("c", "a"));
        let found = lint_files(&[("a.yml", &a), ("b.yml", &b), ("c.yml", &c)], "K703");
        assert_eq!(found.len(), 3);
        assert_eq!((found[0].1, found[0].2), (7, 13));
        assert_eq!(
            found[0].3,
            "subflow call cycle: `company.team.a` → `company.team.b` → `company.team.c` → `company.team.a`"
        );
    }

    #[test]
    fn a_long_ring_names_its_start_and_end_only() {
        let n = 50;
        let flows: Vec<(String, String)> = (0..n)
            .map(|i| {
                (
                    format!("f{i}.yml"),
                    flow(&format!("f{i}"), &format!("f{}", (i + 1) % n)),
                )
            })
            .collect();
        let files: Vec<(&str, &str)> = flows
            .iter()
            .map(|(p, y)| (p.as_str(), y.as_str()))
            .collect();
        let found = lint_files(&files, "K703");
        assert_eq!(found.len(), n);
        assert_eq!(
            found[0].3,
            "subflow call cycle: `company.team.f0` → `company.team.f1` → `company.team.f2` → \
             `company.team.f3` → … 44 more … → `company.team.f48` → `company.team.f49` → \
             `company.team.f0`"
        );
    }

    #[test]
    fn closes_cycles_through_the_repository_but_reports_only_linted_files() {
        let (a, b, c) = (flow("a", "b"), flow("b", "c"), flow("c", "a"));
        let repo = [("b.yml", b.as_str()), ("c.yml", c.as_str())];
        let found = lint_files_in_repo(&[("a.yml", &a)], &repo, "K703");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "a.yml");
        let chain = flow("c", "d");
        let repo = [("b.yml", b.as_str()), ("c.yml", chain.as_str())];
        assert!(lint_files_in_repo(&[("a.yml", &a)], &repo, "K703").is_empty());
    }

    #[test]
    fn silent_on_a_chain_or_self_call() {
        let (a, b, c) = (flow("a", "b"), flow("b", "c"), flow("c", "c"));
        assert!(lint_files(&[("a.yml", &a), ("b.yml", &b), ("c.yml", &c)], "K703").is_empty());
    }
}
