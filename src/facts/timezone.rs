//! `timezone` of a Schedule trigger: must be accepted by Java's `ZoneId.of`.
//!
//! Kestra validates the property with `@TimezoneId`
//! (`core/src/main/java/io/kestra/core/validations/validator/TimezoneIdValidator.java`), which
//! calls `java.time.ZoneId.of(value)` and reports `timezone '(<value>)' is not a valid time-zone ID`.
//!
//! What `ZoneId.of` accepts (JDK 21, the runtime of Kestra 1.x):
//! * `Z`, and any id of length ≤ 1 or starting with `+`/`-` is parsed as a `ZoneOffset`:
//!   `±h`, `±hh`, `±hhmm`, `±hh:mm`, `±hhmmss`, `±hh:mm:ss`, hours ≤ 18, minutes and
//!   seconds ≤ 59, and at most ±18:00 in total;
//! * the prefixes `UTC`, `GMT` and `UT`, alone or followed by `+`/`-` and an offset as above
//!   (`UTC+01:00`, `GMT-3`, `UT+1`); any other text after the prefix (`GMT0`, `UTC0`, `UCT`) is
//!   looked up as a region id instead;
//! * region ids of the JDK's tzdb, case-sensitive. The JDK builds that list from the IANA data
//!   but drops `EST`, `HST`, `MST`, `ROC`, `GMT+0` and `GMT-0` (the first three are only reachable
//!   through `ZoneId.SHORT_IDS`, which `ZoneId.of(String)` does not use) and, up to JDK 21, adds
//!   the `SystemV/*` ids of its `jdk11_backward` file
//!   (`make/jdk/src/classes/build/tools/tzdb/TzdbZoneRulesProvider.java`, `make/data/tzdata/`).
//!   Short ids such as `PST`, `CEST` or `IST` are therefore rejected.

use super::timezones::ZONES;

/// Region ids the JDK leaves out of its tzdb although the IANA data has them.
const JDK_EXCLUDED: &[&str] = &["EST", "GMT+0", "GMT-0", "HST", "MST", "ROC"];

/// Region ids the JDK (≤ 21) has in addition to the IANA data (`jdk11_backward`).
const JDK_EXTRA: &[&str] = &[
    "SystemV/AST4",
    "SystemV/AST4ADT",
    "SystemV/CST6",
    "SystemV/CST6CDT",
    "SystemV/EST5",
    "SystemV/EST5EDT",
    "SystemV/HST10",
    "SystemV/MST7",
    "SystemV/MST7MDT",
    "SystemV/PST8",
    "SystemV/PST8PDT",
    "SystemV/YST9",
    "SystemV/YST9YDT",
];

/// Checks that `s` is a time-zone id Java's `ZoneId.of` accepts.
///
/// The error message names the value and, when one is close enough, suggests a valid id:
/// ``"`Europe/Pari` is not a time-zone ID; did you mean `Europe/Paris`?"``.
pub fn check_timezone(s: &str) -> Result<(), String> {
    if is_valid_zone_id(s) {
        return Ok(());
    }
    let mut message = format!("`{s}` is not a time-zone ID");
    if let Some(reason) = offset_problem(s) {
        message.push_str(": ");
        message.push_str(&reason);
    } else if let Some(hint) = short_id_hint(s) {
        message.push_str("; ");
        message.push_str(&hint);
    } else if let Some(best) = suggest(s) {
        message.push_str(&format!("; did you mean `{best}`?"));
    } else {
        message.push_str(
            "; expected a region such as `Europe/Paris` or `America/New_York`, `UTC`, or an offset such as `+02:00`",
        );
    }
    Err(message)
}

/// True when Java's `ZoneId.of(s)` would return a zone.
pub fn is_valid_zone_id(s: &str) -> bool {
    if s.chars().count() <= 1 || s.starts_with('+') || s.starts_with('-') {
        return parse_offset(s).is_ok();
    }
    for prefix in ["UTC", "GMT", "UT"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            if rest.is_empty() {
                return true;
            }
            if rest.starts_with('+') || rest.starts_with('-') {
                return parse_offset(rest).is_ok();
            }
            // Java falls through to a region lookup (e.g. `GMT0`, `UTC` + text).
            return is_region(s);
        }
    }
    is_region(s)
}

fn is_region(s: &str) -> bool {
    if JDK_EXCLUDED.contains(&s) {
        return false;
    }
    ZONES.binary_search(&s).is_ok() || JDK_EXTRA.contains(&s)
}

/// All region ids `ZoneId.of` accepts, in no particular order.
fn regions() -> impl Iterator<Item = &'static str> {
    ZONES
        .iter()
        .copied()
        .filter(|z| !JDK_EXCLUDED.contains(z))
        .chain(JDK_EXTRA.iter().copied())
}

/// Parses a `java.time.ZoneOffset` id; returns the total seconds or a reason.
fn parse_offset(s: &str) -> Result<i32, String> {
    if s == "Z" {
        return Ok(0);
    }
    const FORMAT: &str =
        "an offset must look like `+h`, `+hh`, `+hhmm`, `+hh:mm`, `+hhmmss` or `+hh:mm:ss`";
    let b = s.as_bytes();
    let two = |at: usize, after_colon: bool| -> Result<i32, String> {
        if after_colon && b.get(at.wrapping_sub(1)) != Some(&b':') {
            return Err(FORMAT.to_string());
        }
        match (b.get(at), b.get(at + 1)) {
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                Ok(i32::from(x - b'0') * 10 + i32::from(y - b'0'))
            }
            _ => Err(FORMAT.to_string()),
        }
    };
    let (h, m, sec) = match b.len() {
        2 => {
            if !b[1].is_ascii_digit() {
                return Err(FORMAT.to_string());
            }
            (i32::from(b[1] - b'0'), 0, 0)
        }
        3 => (two(1, false)?, 0, 0),
        5 => (two(1, false)?, two(3, false)?, 0),
        6 => (two(1, false)?, two(4, true)?, 0),
        7 => (two(1, false)?, two(3, false)?, two(5, false)?),
        9 => (two(1, false)?, two(4, true)?, two(7, true)?),
        _ => return Err(FORMAT.to_string()),
    };
    let sign = match b.first() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return Err("an offset must start with `+` or `-`".to_string()),
    };
    if h > 18 {
        return Err(format!("offset hours {h} are out of range 0-18"));
    }
    if m > 59 {
        return Err(format!("offset minutes {m} are out of range 0-59"));
    }
    if sec > 59 {
        return Err(format!("offset seconds {sec} are out of range 0-59"));
    }
    let total = h * 3600 + m * 60 + sec;
    if total > 18 * 3600 {
        return Err("offsets must be within -18:00 and +18:00".to_string());
    }
    Ok(sign * total)
}

/// The reason an offset-shaped id is rejected, if `s` is offset-shaped.
fn offset_problem(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("the value is empty".to_string());
    }
    let rest = if s.starts_with('+') || s.starts_with('-') {
        s
    } else {
        ["UTC", "GMT", "UT"].iter().find_map(|p| {
            s.strip_prefix(p)
                .filter(|r| r.starts_with('+') || r.starts_with('-'))
        })?
    };
    parse_offset(rest).err()
}

/// Hint for well-known abbreviations that `ZoneId.of` rejects.
fn short_id_hint(s: &str) -> Option<String> {
    // ZoneId.SHORT_IDS plus a few common abbreviations.
    const SHORT: &[(&str, &str)] = &[
        ("ACT", "Australia/Darwin"),
        ("AET", "Australia/Sydney"),
        ("AGT", "America/Argentina/Buenos_Aires"),
        ("ART", "Africa/Cairo"),
        ("AST", "America/Anchorage"),
        ("BET", "America/Sao_Paulo"),
        ("BST", "Europe/London"),
        ("CAT", "Africa/Harare"),
        ("CEST", "Europe/Paris"),
        ("CNT", "America/St_Johns"),
        ("CST", "America/Chicago"),
        ("CTT", "Asia/Shanghai"),
        ("EAT", "Africa/Addis_Ababa"),
        ("ECT", "Europe/Paris"),
        ("EDT", "America/New_York"),
        ("EEST", "Europe/Athens"),
        ("EST", "America/New_York"),
        ("HST", "Pacific/Honolulu"),
        ("IET", "America/Indiana/Indianapolis"),
        ("IST", "Asia/Kolkata"),
        ("JST", "Asia/Tokyo"),
        ("MIT", "Pacific/Apia"),
        ("MST", "America/Denver"),
        ("NET", "Asia/Yerevan"),
        ("NST", "Pacific/Auckland"),
        ("PDT", "America/Los_Angeles"),
        ("PLT", "Asia/Karachi"),
        ("PNT", "America/Phoenix"),
        ("PRT", "America/Puerto_Rico"),
        ("PST", "America/Los_Angeles"),
        ("ROC", "Asia/Taipei"),
        ("SST", "Pacific/Guadalcanal"),
        ("VST", "Asia/Ho_Chi_Minh"),
    ];
    let upper = s.to_ascii_uppercase();
    SHORT.iter().find(|(k, _)| *k == upper).map(|(k, region)| {
        format!(
            "`ZoneId.of` does not accept the abbreviation `{k}`; use a region id such as `{region}`"
        )
    })
}

/// The closest valid id: an exact case-insensitive match, else the nearest by edit distance.
fn suggest(s: &str) -> Option<&'static str> {
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    let lower = s.to_lowercase();
    if let Some(exact) = regions().find(|z| z.to_lowercase() == lower) {
        return Some(exact);
    }
    // `paris` → `Europe/Paris`: compare with the last path segment too.
    let limit = (s.chars().count() / 4).clamp(1, 3);
    let n = lower.chars().count();
    let close = |other: &str| -> Option<usize> {
        let m = other.chars().count();
        (n.abs_diff(m) <= limit)
            .then(|| edit_distance(&lower, other))
            .filter(|d| *d <= limit)
    };
    let mut best: Option<(usize, &'static str)> = None;
    for zone in regions() {
        let zl = zone.to_lowercase();
        let whole = close(&zl);
        let tail = if lower.contains('/') {
            None
        } else {
            close(zl.rsplit('/').next().unwrap_or(&zl))
        };
        let Some(d) = whole.into_iter().chain(tail).min() else {
            continue;
        };
        if best.is_none_or(|(bd, bz)| d < bd || (d == bd && zone < bz)) {
            best = Some((d, zone));
        }
    }
    best.map(|(_, zone)| zone)
}

/// Edit distance over chars: the project's shared one.
pub(super) use crate::suggest::distance as edit_distance;

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) {
        assert!(
            check_timezone(s).is_ok(),
            "{s} should be valid: {:?}",
            check_timezone(s)
        );
    }
    fn bad(s: &str) -> String {
        check_timezone(s).expect_err(s)
    }

    #[test]
    fn regions_and_links() {
        for z in [
            "Europe/Paris",
            "America/New_York",
            "Asia/Tokyo",
            "Europe/Berlin",
            "America/Argentina/Buenos_Aires",
            "US/Eastern",
            "Etc/GMT+5",
            "Etc/UTC",
            "UTC",
            "GMT",
            "UCT",
            "Universal",
            "Zulu",
            "GMT0",
            "EST5EDT",
            "PST8PDT",
            "Asia/Kolkata",
            "Asia/Calcutta",
            "SystemV/EST5",
        ] {
            ok(z);
        }
    }

    #[test]
    fn corpus_timezones() {
        for z in ["Asia/Tokyo", "Europe/Berlin", "US/Eastern"] {
            ok(z);
        }
    }

    #[test]
    fn offsets_and_prefixes() {
        for z in [
            "Z",
            "+02:00",
            "-5",
            "+0530",
            "-05",
            "+05:30:15",
            "+053015",
            "+18:00",
            "-18",
            "UTC+01:00",
            "GMT-3",
            "UT+1",
            "UTC-0",
            "GMT+0",
            "GMT-0",
            "UT",
            "UTC+00:00",
            "GMT+14",
        ] {
            ok(z);
        }
        assert!(bad("+19").contains("out of range"));
        assert!(bad("+18:01").contains("-18:00 and +18:00"));
        assert!(bad("+5:30").contains("`+hh:mm`"));
        assert!(bad("+02:60").contains("minutes"));
        assert!(bad("UTC+").contains("offset"));
        bad("+");
        bad("-");
        bad("z");
        bad("UTC0");
        bad("GMT+1:00");
        bad("+0a");
    }

    #[test]
    fn short_ids_rejected() {
        // Present in the IANA data but excluded by the JDK.
        for z in ["EST", "MST", "HST", "ROC"] {
            bad(z);
        }
        let m = bad("PST");
        assert!(m.contains("America/Los_Angeles"), "{m}");
        bad("CET2");
        bad("IST");
        ok("CET");
        ok("MET");
        ok("WET");
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            bad("Europe/Pari"),
            "`Europe/Pari` is not a time-zone ID; did you mean `Europe/Paris`?"
        );
        assert_eq!(
            bad("europe/paris"),
            "`europe/paris` is not a time-zone ID; did you mean `Europe/Paris`?"
        );
        assert!(bad("America/New York").contains("`America/New_York`"));
        assert!(bad("utc").contains("`UTC`"));
        assert!(bad("Paris").contains("`Europe/Paris`"));
        let far = bad("Foo/Bar");
        assert!(far.contains("expected a region"), "{far}");
        bad("");
        bad(" Europe/Paris");
        bad("Europe/Paris ");
    }

    #[test]
    fn zones_sorted_and_unique() {
        assert!(ZONES.windows(2).all(|w| w[0] < w[1]));
        assert!(ZONES.len() > 500);
    }

    #[test]
    fn no_panic_on_odd_input() {
        for s in [
            "é",
            "+é",
            "UTC+é",
            "+0é:00",
            "GMT+\u{0}",
            "🙂🙂🙂",
            "+1234567890",
        ] {
            let _ = check_timezone(s);
        }
        let long = "x".repeat(10_000);
        let _ = check_timezone(&long);
    }

    #[test]
    fn edit_distance_basics() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
