//! `required-version`: PEP 440-style specifiers, as ruff reads them (`>=0.1`, `==0.1.0`,
//! `>=0.1,<0.3`, `~=0.1`, a bare `0.1.0` meaning `==`). Versions are dotted numbers; a missing
//! part is 0, and `==0.1` matches any 0.1.x, as `==0.1.*` would.

use std::cmp::Ordering;

fn parse_version(text: &str) -> Option<Vec<u64>> {
    let text = text.trim().trim_start_matches('v');
    if text.is_empty() {
        return None;
    }
    text.split('.').map(|p| p.parse().ok()).collect()
}

fn compare(a: &[u64], b: &[u64]) -> Ordering {
    let n = a.len().max(b.len());
    (0..n)
        .map(|i| {
            a.get(i)
                .copied()
                .unwrap_or(0)
                .cmp(&b.get(i).copied().unwrap_or(0))
        })
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

/// Does `running` satisfy every comma-separated specifier of `spec`? `Err` says why not, or
/// why the specifier is malformed.
pub fn check(spec: &str, running: &str) -> Result<(), String> {
    let have = parse_version(running).ok_or_else(|| format!("bad running version {running}"))?;
    for part in spec.split(',') {
        let part = part.trim();
        let (op, rest) = ["~=", "==", "!=", ">=", "<=", ">", "<", "="]
            .iter()
            .find_map(|op| part.strip_prefix(op).map(|r| (*op, r)))
            .unwrap_or(("==", part));
        let wildcard = rest.trim().strip_suffix(".*");
        let want = parse_version(wildcard.unwrap_or(rest)).ok_or_else(|| {
            format!("invalid `required-version` `{spec}`: expected specifiers like `>=0.1` or `==0.1.0`")
        })?;
        // `==0.1` and `==0.1.*` match every 0.1.x.
        let prefix_eq = have.len() >= want.len() && have[..want.len()] == want[..];
        let ord = compare(&have, &want);
        let ok = match op {
            "==" | "=" => prefix_eq || ord.is_eq(),
            "!=" => !(prefix_eq || ord.is_eq()),
            ">=" => ord.is_ge(),
            "<=" => ord.is_le(),
            ">" => ord.is_gt(),
            "<" => ord.is_lt(),
            // ~=X.Y: >= X.Y and the same X.
            _ => {
                let head = &want[..want.len().saturating_sub(1).max(1)];
                ord.is_ge() && have.len() >= head.len() && have[..head.len()] == head[..]
            }
        };
        if !ok {
            return Err(format!(
                "this is kestra-lint {running}, but the config requires `{spec}` (`required-version`); install a matching version"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn specifiers() {
        for (spec, ok) in [
            (">=0.1", true),
            (">=0.2", false),
            ("==0.1.0", true),
            ("0.1.0", true),
            ("==0.1", true),
            ("==0.1.*", true),
            ("==0.2", false),
            (">=0.1,<0.2", true),
            (">=0.1, <0.1.0", false),
            ("~=0.1", true),
            ("!=0.1.0", false),
            ("<1", true),
        ] {
            assert_eq!(check(spec, "0.1.0").is_ok(), ok, "{spec}");
        }
        assert!(check(">=abc", "0.1.0").unwrap_err().contains("invalid"));
        assert!(check(">=0.2", "0.1.0")
            .unwrap_err()
            .contains("kestra-lint 0.1.0"));
    }
}
