//! "Did you mean" suggestions, one policy for every rule: property names, plugin types, enum
//! values, Pebble functions and filters, task ids, cron names.

/// The candidate closest to `name`, if it is close enough to be a likely typo.
///
/// A candidate equal to `name` ignoring case wins (`fromjson` → `fromJson`); otherwise the
/// smallest optimal-string-alignment distance (ignoring case) within 1 edit for names of 3–4
/// characters, 2 for 5–8 and 3 beyond (1–2 characters: only the case may differ); a name that
/// extends a candidate or is extended by it counts as one edit (`WARNING` → `WARN`,
/// `…flow.Loop` → `…flow.LoopUntil`).
/// Ties keep the earliest candidate; `name` itself is never suggested.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower: Vec<char> = name.chars().flat_map(char::to_lowercase).collect();
    let max = match lower.len() {
        0..=2 => 0,
        3..=4 => 1,
        5..=8 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, &'a str)> = None;
    let mut c: Vec<char> = Vec::new();
    for cand in candidates {
        if cand == name {
            continue;
        }
        c.clear();
        c.extend(cand.chars().flat_map(char::to_lowercase));
        let prefix = is_extension(&lower, &c) || is_extension(&c, &lower);
        let d = if prefix {
            // `WARNING` for `WARN`, `Loop` for `LoopUntil`: as good as a one-letter slip.
            1
        } else if c == lower {
            0
        } else {
            // Only distances within `max` matter: a banded count, which gives up early.
            match osa_within(&lower, &c, max) {
                Some(d) => d,
                None => continue,
            }
        };
        if d == 0 {
            return Some(cand);
        }
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, cand));
        }
    }
    best.map(|(_, c)| c)
}

/// [`osa`] when it is at most `max`, else `None`. Cells more than `max` off the diagonal
/// cannot lead to a distance within `max`, so only a band of `2 * max + 1` is computed, and
/// the count stops as soon as a whole row exceeds `max`.
pub fn osa_within(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    const FAR: usize = usize::MAX / 4;
    let width = b.len() + 1;
    let mut prev2 = vec![FAR; width];
    let mut prev: Vec<usize> = (0..width).map(|j| if j <= max { j } else { FAR }).collect();
    let mut cur = vec![FAR; width];
    for (i, &ca) in a.iter().enumerate() {
        let row = i + 1;
        let (lo, hi) = (row.saturating_sub(max), (row + max).min(b.len()));
        cur.fill(FAR);
        if lo == 0 {
            cur[0] = row;
        }
        let mut row_min = cur[0];
        for j in lo.max(1)..=hi {
            let cb = b[j - 1];
            let cost = usize::from(ca != cb);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 0 && j > 1 && a[i - 1] == cb && b[j - 2] == ca {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[b.len()]).filter(|d| *d <= max)
}

/// `long` continues `short`, whose last dotted segment has 4 characters or more (so
/// `io.kestra.plugin.core.flow.If` is not taken for a prefix of `…flow.Iffy`).
fn is_extension(long: &[char], short: &[char]) -> bool {
    let last = short.iter().rev().take_while(|c| **c != '.').count();
    short.len() < long.len() && last >= 4 && long.starts_with(short)
}

/// Edit distance between two strings, in characters (see [`osa`]).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    osa(&a, &b)
}

/// Optimal string alignment distance (Damerau-Levenshtein where each substring is edited
/// once): insertions, deletions, substitutions and transpositions of adjacent characters.
pub fn osa(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let at = |row: &[usize], k: usize| row.get(k).copied().unwrap_or(usize::MAX / 4);
    let mut prev2 = vec![0usize; width];
    let mut prev: Vec<usize> = (0..width).collect();
    let mut cur = vec![0usize; width];
    for (i, &ca) in a.iter().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let mut v = (at(&prev, j + 1) + 1)
                .min(at(&cur, j) + 1)
                .min(at(&prev, j) + cost);
            if i > 0 && j > 0 && a.get(i - 1) == Some(&cb) && b.get(j - 1) == Some(&ca) {
                v = v.min(at(&prev2, j - 1) + 1);
            }
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = v;
            }
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    at(&prev, b.len())
}

/// [`closest`] over one fixed list of candidates, indexed once: lowercased once, looked up by
/// exact name and by prefix, so a file with 8,000 task ids and 8,000 references to missing
/// ones does not lowercase 64 million strings. Answers exactly as [`closest`] does, except
/// that after [`Index::BUDGET`] distance cells the costly typo search stops (exact-case and
/// prefix suggestions go on): a hint is not worth minutes.
pub struct Index<'a> {
    names: Vec<&'a str>,
    lower: Vec<Vec<char>>,
    /// Positions of each lowercased candidate, in order.
    by_lower: std::collections::HashMap<String, Vec<usize>>,
    /// Positions sorted by lowercased text, for "extends `name`" range queries.
    sorted: Vec<usize>,
    /// The distinct lowercased lengths, for "`name` extends it" lookups.
    lengths: std::collections::BTreeSet<usize>,
    cells: usize,
    rows: [Vec<usize>; 3],
}

impl<'a> Index<'a> {
    pub const BUDGET: usize = 20_000_000;

    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let names: Vec<&'a str> = candidates.into_iter().collect();
        let lower: Vec<Vec<char>> = names
            .iter()
            .map(|n| n.chars().flat_map(char::to_lowercase).collect())
            .collect();
        let mut by_lower: std::collections::HashMap<String, Vec<usize>> =
            std::collections::HashMap::new();
        for (i, l) in lower.iter().enumerate() {
            by_lower.entry(l.iter().collect()).or_default().push(i);
        }
        let mut sorted: Vec<usize> = (0..names.len()).collect();
        sorted.sort_by(|&a, &b| lower[a].cmp(&lower[b]));
        let lengths = lower.iter().map(Vec::len).collect();
        Self {
            names,
            lower,
            by_lower,
            sorted,
            lengths,
            cells: 0,
            rows: Default::default(),
        }
    }

    /// The candidate [`closest`] would pick for `name`.
    pub fn closest(&mut self, name: &str) -> Option<&'a str> {
        let lower: Vec<char> = name.chars().flat_map(char::to_lowercase).collect();
        let key: String = lower.iter().collect();
        // Distance 0 (the case differs) wins at once.
        if let Some(same) = self.by_lower.get(&key) {
            if let Some(&i) = same.iter().find(|&&i| self.names[i] != name) {
                return Some(self.names[i]);
            }
        }
        let max = match lower.len() {
            0..=2 => 0,
            3..=4 => 1,
            5..=8 => 2,
            _ => 3,
        };
        // Prefix relations count as one edit: the earliest such candidate.
        let mut best: Option<(usize, usize)> = self.first_extension(&lower, name).map(|i| (1, i));
        for i in 0..self.names.len() {
            if best.is_some_and(|(d, at)| d <= 1 && at < i) {
                break;
            }
            let c = &self.lower[i];
            if c.len().abs_diff(lower.len()) > max || self.names[i] == name {
                continue;
            }
            let d = if is_extension(&lower, c) || is_extension(c, &lower) {
                1
            } else {
                let bound = match best {
                    Some((d, at)) if at < i => d - 1,
                    Some((d, _)) => d,
                    None => max,
                }
                .min(max);
                if self.cells >= Self::BUDGET {
                    break;
                }
                match self.osa_within(&lower, i, bound) {
                    Some(d) => d,
                    None => continue,
                }
            };
            if best.is_none_or(|(bd, at)| (d, i) < (bd, at)) {
                best = Some((d, i));
            }
        }
        best.map(|(_, i)| self.names[i])
    }

    /// The earliest candidate that extends `lower` or that `lower` extends.
    fn first_extension(&self, lower: &[char], name: &str) -> Option<usize> {
        let mut first: Option<usize> = None;
        let mut consider = |i: usize| {
            if self.names[i] != name && first.is_none_or(|f| i < f) {
                first = Some(i);
            }
        };
        let start = self
            .sorted
            .partition_point(|&i| self.lower[i].as_slice() < lower);
        for &i in &self.sorted[start..] {
            if !self.lower[i].starts_with(lower) {
                break;
            }
            if is_extension(&self.lower[i], lower) {
                consider(i);
            }
        }
        for &len in self.lengths.range(..lower.len()) {
            let prefix: String = lower[..len].iter().collect();
            if let Some(found) = self.by_lower.get(&prefix) {
                for &i in found {
                    if is_extension(lower, &self.lower[i]) {
                        consider(i);
                    }
                }
            }
        }
        first
    }

    /// [`osa`] to candidate `i` when it is at most `bound`, stopping as soon as two rows in a
    /// row exceed it (a transposition skips one row, never two).
    fn osa_within(&mut self, a: &[char], i: usize, bound: usize) -> Option<usize> {
        let b = &self.lower[i];
        let width = b.len() + 1;
        let [prev2, prev, cur] = &mut self.rows;
        for row in [&mut *prev2, &mut *prev, &mut *cur] {
            row.clear();
            row.resize(width, 0);
        }
        for (k, slot) in prev.iter_mut().enumerate() {
            *slot = k;
        }
        let mut prev_min = 0;
        for (r, &ca) in a.iter().enumerate() {
            cur[0] = r + 1;
            let mut row_min = cur[0];
            for (j, &cb) in b.iter().enumerate() {
                let cost = usize::from(ca != cb);
                let mut v = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + cost);
                if r > 0 && j > 0 && a[r - 1] == cb && b[j - 1] == ca {
                    v = v.min(prev2[j - 1] + 1);
                }
                cur[j + 1] = v;
                row_min = row_min.min(v);
            }
            self.cells += width;
            if row_min > bound && prev_min > bound {
                return None;
            }
            prev_min = row_min;
            std::mem::swap(prev2, prev);
            std::mem::swap(prev, cur);
        }
        let d = prev[b.len()];
        (d <= bound).then_some(d)
    }
}

#[cfg(test)]
mod tests {
    use super::{closest, distance, osa, osa_within, Index};

    /// The banded count agrees with the full one wherever the full one is within the bound.
    #[test]
    fn banded_distance_agrees_with_the_full_one() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "kestra",
            "kestar",
            "ketsra",
            "sektra",
            "kestral",
            "io.kestra.plugin.core.flow.If",
            "io.kestra.plugin.core.flow.ForEach",
            "io.kestra.plugin.core.flow.Foreach",
            "io.kestra.plugin.core.flow.EachSequential",
            "WARNING",
            "WARN",
            "retry",
            "retyr",
            "maxAttempt",
            "maxAttempts",
            "éclair",
            "eclair",
        ];
        for a in words {
            for b in words {
                let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                let full = osa(&a, &b);
                for max in 0..5 {
                    let expected = (full <= max).then_some(full);
                    assert_eq!(osa_within(&a, &b, max), expected, "{a:?} {b:?} {max}");
                }
            }
        }
    }

    /// The index answers as the plain search does, on names built to hit every case.
    #[test]
    fn index_agrees_with_closest() {
        let candidates = [
            "fetch_data",
            "fetch",
            "Fetch_Datas",
            "load",
            "loads",
            "transform_all",
            "tranform",
            "x",
            "xy",
            "report_weekly",
            "report",
            "each_split",
            "each",
            "ab",
            "ba",
            "abcd",
        ];
        let mut index = Index::new(candidates);
        let words: Vec<String> = candidates
            .iter()
            .flat_map(|c| {
                let mut v = vec![
                    c.to_string(),
                    c.to_uppercase(),
                    format!("{c}s"),
                    format!("{c}_x"),
                ];
                if c.len() > 1 {
                    v.push(c[1..].to_string());
                    v.push(c[..c.len() - 1].to_string());
                    let mut swapped: Vec<char> = c.chars().collect();
                    swapped.swap(0, 1);
                    v.push(swapped.into_iter().collect());
                }
                v
            })
            .chain(["zzz", "", "fetch_dta", "reprot", "repor"].map(String::from))
            .collect();
        for w in &words {
            assert_eq!(index.closest(w), closest(w, candidates), "{w:?}");
        }
    }

    #[test]
    fn thousands_of_candidates_and_queries() {
        let ids: Vec<String> = (0..3000).map(|i| format!("task_{i:04}")).collect();
        let mut index = Index::new(ids.iter().map(String::as_str));
        assert_eq!(index.closest("tsak_0042"), Some("task_0042"));
        for i in 0..3000 {
            // Every query is answered; the budget bounds the work, not the correctness of
            // what is said.
            let _ = index.closest(&format!("zzzz_{i:04}"));
        }
        assert!(index.cells <= Index::BUDGET + 100);
    }

    #[test]
    fn suggests_typos_only() {
        let props = ["message", "level", "description", "timeout"];
        assert_eq!(closest("mesage", props), Some("message"));
        assert_eq!(closest("desciption", props), Some("description"));
        assert_eq!(closest("banana", props), None);
        assert_eq!(
            closest(
                "io.kestra.plugin.core.log.Logg",
                ["io.kestra.plugin.core.log.Log"]
            ),
            Some("io.kestra.plugin.core.log.Log")
        );
        assert_eq!(closest("WARNING", ["ERROR", "WARN", "INFO"]), Some("WARN"));
        assert_eq!(closest("level", ["level"]), None);
        let flow = [
            "io.kestra.plugin.core.flow.Sleep",
            "io.kestra.plugin.core.flow.LoopUntil",
        ];
        assert_eq!(
            closest("io.kestra.plugin.core.flow.Loop", flow),
            Some(flow[1])
        );
    }

    #[test]
    fn distances() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("ab", "ba"), 1);
        assert_eq!(distance("", "abc"), 3);
    }
}
