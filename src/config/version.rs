//! The Kestra version flows are written for (`target-version`), and the release line a run
//! lints for: the schema, alias handling, Pebble names and rule severities all follow it.

use std::fmt;
use std::path::PathBuf;
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

/// The Kestra release line a run lints for. Kestra 2.0 is the current line; 1.3 is the LTS line
/// (every 1.x version lints as 1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    V1,
    V2,
}

impl Target {
    /// The current release line.
    pub const DEFAULT: Target = Target::V2;

    /// The release line of a version, or why it is not one this linter knows.
    pub fn from_version(v: KestraVersion) -> Result<Target, String> {
        match (v.major, v.minor) {
            (1, _) => Ok(Target::V1),
            (2, 0) => Ok(Target::V2),
            _ => Err(format!(
                "unknown Kestra version `{v}`; supported: \"2.0\" (the current line, default) and \"1.3\" (also \"1.x\")"
            )),
        }
    }

    pub fn is_2_0(self) -> bool {
        self == Target::V2
    }

    /// How the target is written in messages and settings.
    pub fn label(self) -> &'static str {
        match self {
            Target::V1 => "1.3",
            Target::V2 => "2.0",
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Parse a `target-version` value: a version of a release line this linter knows.
pub fn parse_target_version(s: &str) -> Result<KestraVersion, String> {
    let v: KestraVersion = s.parse()?;
    Target::from_version(v)?;
    Ok(v)
}

/// Where the target of a run came from, for `--show-settings`, `schema info` and the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetOrigin {
    Flag,
    Config(PathBuf),
    /// The `kestraVersion` of the schema pinned by `schema pull`.
    PinnedSchema(PathBuf),
    Default,
}

/// The target of a run and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedTarget {
    pub target: Target,
    pub origin: TargetOrigin,
}

impl Default for ResolvedTarget {
    fn default() -> Self {
        Self {
            target: Target::DEFAULT,
            origin: TargetOrigin::Default,
        }
    }
}

impl ResolvedTarget {
    /// `--target-version`, else the config's `target-version`, else the Kestra version of the
    /// pinned schema (`pinned`: its path and version text), else the default.
    pub fn resolve(
        version: Option<KestraVersion>,
        from_flag: bool,
        config_file: Option<&std::path::Path>,
        pinned: Option<(PathBuf, String)>,
    ) -> ResolvedTarget {
        if let Some(target) = version.and_then(|v| Target::from_version(v).ok()) {
            let origin = match (from_flag, config_file) {
                (false, Some(file)) => TargetOrigin::Config(file.to_path_buf()),
                _ => TargetOrigin::Flag,
            };
            return ResolvedTarget { target, origin };
        }
        if let Some((path, text)) = pinned {
            // A pinned schema from any 0.x or 1.x server lints as 1.3.
            if let Ok(v) = text.parse::<KestraVersion>() {
                let target = match v.major {
                    0 | 1 => Some(Target::V1),
                    2 if v.minor == 0 => Some(Target::V2),
                    _ => None,
                };
                if let Some(target) = target {
                    return ResolvedTarget {
                        target,
                        origin: TargetOrigin::PinnedSchema(path),
                    };
                }
            }
        }
        ResolvedTarget::default()
    }

    /// "2.0 (the default: …)", "1.3 (from --target-version)", …
    pub fn describe(&self) -> String {
        format!("{} ({})", self.target, self.origin_text())
    }

    /// Where the target came from, in words.
    pub fn origin_text(&self) -> String {
        match &self.origin {
            TargetOrigin::Flag => "from --target-version".to_string(),
            TargetOrigin::Config(p) => format!("from {}", crate::source::display_path(p)),
            TargetOrigin::PinnedSchema(p) => format!(
                "the Kestra version of the pinned schema {}",
                crate::source::display_path(p)
            ),
            TargetOrigin::Default => "the default: the current release line".to_string(),
        }
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
    fn targets_are_1_x_and_2_0() {
        assert_eq!(
            Target::from_version(KestraVersion::new(1, 0)),
            Ok(Target::V1)
        );
        assert_eq!(
            Target::from_version(KestraVersion::new(1, 3)),
            Ok(Target::V1)
        );
        assert_eq!(
            Target::from_version(KestraVersion::new(2, 0)),
            Ok(Target::V2)
        );
        for bad in ["9.9", "2.1", "0.22", "3"] {
            assert!(parse_target_version(bad).is_err(), "{bad}");
        }
        assert_eq!(Target::DEFAULT, Target::V2);
    }

    #[test]
    fn resolution_order() {
        use std::path::Path;
        let v13 = Some(KestraVersion::new(1, 3));
        let pinned = || {
            Some((
                PathBuf::from(".kestra/flow-schema.json"),
                "1.3.5".to_string(),
            ))
        };
        let flag = ResolvedTarget::resolve(v13, true, Some(Path::new("k.toml")), None);
        assert_eq!(flag.origin, TargetOrigin::Flag);
        let config = ResolvedTarget::resolve(v13, false, Some(Path::new("k.toml")), pinned());
        assert_eq!(config.origin, TargetOrigin::Config(PathBuf::from("k.toml")));
        let from_pin = ResolvedTarget::resolve(None, false, None, pinned());
        assert_eq!(from_pin.target, Target::V1);
        assert!(matches!(from_pin.origin, TargetOrigin::PinnedSchema(_)));
        let v2 = Some((PathBuf::from("s.json"), "2.0.4".to_string()));
        assert_eq!(
            ResolvedTarget::resolve(None, false, None, v2).target,
            Target::V2
        );
        let unknown = Some((PathBuf::from("s.json"), "develop".to_string()));
        assert_eq!(
            ResolvedTarget::resolve(None, false, None, unknown),
            ResolvedTarget::default()
        );
    }

    #[test]
    fn rejects_other_text() {
        for bad in ["", "latest", "1.", "1.a", "1.2.3.4", "-1"] {
            assert!(bad.parse::<KestraVersion>().is_err(), "{bad}");
        }
    }
}
