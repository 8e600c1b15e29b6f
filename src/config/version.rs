//! The Kestra version flows are written for (`target-version`).

use std::fmt;
use std::str::FromStr;

/// A Kestra release line: `1.0`, `1.3`, `2.0`. Rules whose behaviour differs between 1.x and
/// 2.0 consult it through [`crate::rules::Context::target_version`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KestraVersion {
    pub major: u16,
    pub minor: u16,
}

impl KestraVersion {
    pub const fn new(major: u16, minor: u16) -> Self {
        Self { major, minor }
    }
}

impl fmt::Display for KestraVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl FromStr for KestraVersion {
    type Err = String;

    /// `2`, `2.0`, `1.3`, `1.x`, `1.3.5` and a leading `v` are accepted; a patch number is
    /// ignored (rules only care about release lines).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!("invalid Kestra version `{s}`; expected MAJOR.MINOR such as \"1.3\" or \"2.0\"")
        };
        let t = s.trim();
        let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
        let mut parts = t.split('.');
        let major: u16 = parts
            .next()
            .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse().ok())
            .ok_or_else(bad)?;
        let minor = match parts.next() {
            None | Some("x" | "X") => 0,
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse().map_err(|_| bad())?
            }
            Some(_) => return Err(bad()),
        };
        match parts.next() {
            None => {}
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {}
            Some(_) => return Err(bad()),
        }
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(Self { major, minor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_release_lines() {
        assert_eq!("1.0".parse(), Ok(KestraVersion::new(1, 0)));
        assert_eq!("1.3".parse(), Ok(KestraVersion::new(1, 3)));
        assert_eq!("2.0".parse(), Ok(KestraVersion::new(2, 0)));
        assert_eq!("2".parse(), Ok(KestraVersion::new(2, 0)));
        assert_eq!("1.x".parse(), Ok(KestraVersion::new(1, 0)));
        assert_eq!("v1.3.2".parse(), Ok(KestraVersion::new(1, 3)));
        assert!(KestraVersion::new(1, 3) < KestraVersion::new(2, 0));
        assert_eq!(KestraVersion::new(1, 3).to_string(), "1.3");
    }

    #[test]
    fn rejects_other_text() {
        for bad in ["", "latest", "1.", "1.a", "1.2.3.4", "-1"] {
            assert!(bad.parse::<KestraVersion>().is_err(), "{bad}");
        }
    }
}
