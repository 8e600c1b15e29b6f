//! "Did you mean" suggestions.

/// The candidate closest to `name`, if it is close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let score = strsim::jaro_winkler(&lower, &c.to_lowercase());
        let distance = strsim::damerau_levenshtein(&lower, &c.to_lowercase());
        let close = distance <= 2 || (score >= 0.9 && distance <= name.len() / 3 + 1);
        if close && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

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
    }
}
