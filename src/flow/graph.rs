//! Cycles in small dependency graphs (input `dependsOn`, Dag `dependsOn`).

/// One cycle: its nodes in dependency order, and the edge that closes it (`from` depends on
/// `to`, where `to` is the first node).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    pub nodes: Vec<usize>,
    /// Index, in `edges[from]`, of the edge that closes the cycle.
    pub closing: (usize, usize),
}

/// Elementary cycles found by a depth-first walk, one per back edge, each set of nodes once.
/// `edges[n]` lists the nodes `n` depends on. Iterative, so deep chains cannot overflow.
pub fn cycles(edges: &[Vec<usize>]) -> Vec<Cycle> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut mark = vec![Mark::New; edges.len()];
    let mut found: Vec<Cycle> = Vec::new();
    let mut seen_sets: Vec<Vec<usize>> = Vec::new();
    for start in 0..edges.len() {
        if mark[start] != Mark::New {
            continue;
        }
        // (node, next edge to follow)
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        mark[start] = Mark::Open;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let Some(&target) = edges[node].get(*next) else {
                mark[node] = Mark::Done;
                stack.pop();
                continue;
            };
            let edge = *next;
            *next += 1;
            match mark.get(target) {
                Some(Mark::New) => {
                    mark[target] = Mark::Open;
                    stack.push((target, 0));
                }
                Some(Mark::Open) => {
                    let from = stack.iter().position(|(n, _)| *n == target).unwrap_or(0);
                    let nodes: Vec<usize> = stack[from..].iter().map(|(n, _)| *n).collect();
                    let mut set = nodes.clone();
                    set.sort_unstable();
                    if !seen_sets.contains(&set) {
                        seen_sets.push(set);
                        found.push(Cycle {
                            nodes,
                            closing: (node, edge),
                        });
                    }
                }
                _ => {}
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_cycle_once() {
        // 0 -> 1 -> 0, 2 -> 2, 3 -> 1 (no cycle)
        let edges = vec![vec![1], vec![0], vec![2], vec![1]];
        let found = cycles(&edges);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].nodes, vec![0, 1]);
        assert_eq!(found[0].closing, (1, 0));
        assert_eq!(found[1].nodes, vec![2]);
        assert!(cycles(&[vec![1], vec![2], vec![]]).is_empty());
    }
}
