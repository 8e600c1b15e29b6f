//! A line-based unified diff (`--diff`), as `diff -u` and ruff print it: Myers' shortest edit
//! script over the lines between the common head and tail, three lines of context.

const CONTEXT: usize = 3;
/// Past this many differing lines the middle is shown as removed then added whole, which is
/// still a correct diff, so a huge rewrite cannot take quadratic time or memory.
const MAX_EDITS: usize = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Equal,
    Delete,
    Insert,
}

/// The unified diff from `old` to `new`, both shown under `path`; empty when they are equal.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = edit_script(&a, &b);
    let mut out = format!("--- {path}\n+++ {path}\n");
    // Each op with the line indices it stands at in `a` and `b`.
    let mut at = Vec::with_capacity(ops.len());
    let (mut i, mut j) = (0, 0);
    for &op in &ops {
        at.push((op, i, j));
        match op {
            Op::Equal => (i, j) = (i + 1, j + 1),
            Op::Delete => i += 1,
            Op::Insert => j += 1,
        }
    }
    let changes: Vec<usize> = (0..at.len()).filter(|&k| at[k].0 != Op::Equal).collect();
    let mut k = 0;
    while k < changes.len() {
        let first = changes[k];
        let mut last = first;
        while k + 1 < changes.len() && changes[k + 1] - last <= 2 * CONTEXT + 1 {
            k += 1;
            last = changes[k];
        }
        k += 1;
        let start = first.saturating_sub(CONTEXT);
        let end = (last + CONTEXT + 1).min(at.len());
        let hunk = &at[start..end];
        let old_len = hunk.iter().filter(|h| h.0 != Op::Insert).count();
        let new_len = hunk.iter().filter(|h| h.0 != Op::Delete).count();
        let (_, old_at, new_at) = hunk[0];
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(old_at, old_len),
            range(new_at, new_len)
        ));
        for &(op, i, j) in hunk {
            let (sign, line) = match op {
                Op::Equal => (' ', a[i]),
                Op::Delete => ('-', a[i]),
                Op::Insert => ('+', b[j]),
            };
            out.push(sign);
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    out
}

/// `start,len` as a hunk header gives it: 1-based, and the line before when empty.
fn range(start: usize, len: usize) -> String {
    match len {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{len}", start + 1),
    }
}

fn edit_script(a: &[&str], b: &[&str]) -> Vec<Op> {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let rest = (a.len() - head).min(b.len() - head);
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take(rest)
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut ops = vec![Op::Equal; head];
    match myers(ma, mb) {
        Some(middle) => ops.extend(middle),
        None => {
            ops.extend(std::iter::repeat_n(Op::Delete, ma.len()));
            ops.extend(std::iter::repeat_n(Op::Insert, mb.len()));
        }
    }
    ops.extend(std::iter::repeat_n(Op::Equal, tail));
    ops
}

/// Myers' greedy algorithm, keeping each round's frontier to walk the path back; `None` past
/// [`MAX_EDITS`] edits.
fn myers(a: &[&str], b: &[&str]) -> Option<Vec<Op>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (n + m) as usize;
    let offset = max as isize + 1;
    let mut v = vec![0isize; 2 * max + 3];
    // Round d reads the frontier on diagonals -d-1..=d+1 only: keeping just those makes the
    // trace O(D²), not O(D·(N+M)).
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let idx = |k: isize| (k + offset) as usize;
    let mut found = None;
    'rounds: for d in 0..=(max.min(MAX_EDITS) as isize) {
        trace.push(v[idx(-d - 1)..=idx(d + 1)].to_vec());
        let mut k = -d;
        while k <= d {
            let mut x = if k == -d || (k != d && v[idx(k - 1)] < v[idx(k + 1)]) {
                v[idx(k + 1)]
            } else {
                v[idx(k - 1)] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[idx(k)] = x;
            if x >= n && y >= m {
                found = Some(d);
                break 'rounds;
            }
            k += 2;
        }
    }
    let depth = found?;
    let mut ops = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (0..=depth).rev() {
        let row = &trace[d as usize];
        let at = |k: isize| row[(k + d + 1) as usize];
        let k = x - y;
        let prev_k = if k == -d || (k != d && at(k - 1) < at(k + 1)) {
            k + 1
        } else {
            k - 1
        };
        let prev_x = at(prev_k);
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            ops.push(Op::Equal);
            x -= 1;
            y -= 1;
        }
        if d > 0 {
            ops.push(if x == prev_x { Op::Insert } else { Op::Delete });
            x = prev_x;
            y = prev_y;
        }
    }
    ops.reverse();
    Some(ops)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(unified("f.yml", "a\nb\n", "a\nb\n"), "");
    }

    #[test]
    fn one_changed_line_with_context() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let new = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
        assert_eq!(
            unified("f.yml", old, new),
            "--- f.yml\n+++ f.yml\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn distant_changes_make_two_hunks_and_inserts_count() {
        let line = |i: usize| match i {
            2 => "two\n".to_string(),
            18 => "18\nx\n".to_string(),
            _ => format!("{i}\n"),
        };
        let old: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let new: String = (1..=20).map(line).collect();
        let diff = unified("f.yml", &old, &new);
        assert!(
            diff.contains("@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n"),
            "{diff}"
        );
        assert!(
            diff.contains("@@ -16,5 +16,6 @@\n 16\n 17\n 18\n+x\n 19\n 20\n"),
            "{diff}"
        );
    }

    #[test]
    fn missing_final_newline_is_marked() {
        let diff = unified("f.yml", "a\nb", "a\nc");
        assert_eq!(
            diff,
            "--- f.yml\n+++ f.yml\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"
        );
    }

    #[test]
    fn added_to_an_empty_file() {
        assert_eq!(
            unified("f.yml", "", "a\n"),
            "--- f.yml\n+++ f.yml\n@@ -0,0 +1 @@\n+a\n"
        );
    }
}
