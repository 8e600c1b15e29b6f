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
    for cand in candidates {
        if cand == name {
            continue;
        }
        let c: Vec<char> = cand.chars().flat_map(char::to_lowercase).collect();
        let prefix = is_extension(&lower, &c) || is_extension(&c, &lower);
        if c.len().abs_diff(lower.len()) > max && !prefix {
            continue;
        }
        let mut d = osa(&lower, &c);
        if d == 0 {
            return Some(cand);
        }
        if prefix {
            // `WARNING` for `WARN`, `Loop` for `LoopUntil`: as good as a one-letter slip.
            d = d.min(1);
        } else if d > max {
            continue;
        }
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, cand));
        }
    }
    best.map(|(_, c)| c)
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

#[cfg(test)]
mod tests {
    use super::{closest, distance};

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
