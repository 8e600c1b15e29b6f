//! The schema pulled from a Kestra server and pinned in the repository:
//! `<repo root>/.kestra/flow-schema.json` plus `flow-schema.meta.json` (server, Kestra version,
//! date, sha256). Later runs anywhere in the repository use it without a flag.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub const DIR: &str = ".kestra";
pub const SCHEMA_FILE: &str = "flow-schema.json";
pub const META_FILE: &str = "flow-schema.meta.json";

/// What we know about a pulled schema.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    pub server: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tenant: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub kestra_version: Option<String>,
    pub pulled_at: String,
    pub sha256: String,
}

/// The repository root: the nearest folder with `.git`, else `start` itself.
pub fn repo_root(start: &Path) -> PathBuf {
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .unwrap_or(start)
        .to_path_buf()
}

/// The pinned schema for runs started in `cwd`, if one was pulled.
pub fn find(cwd: &Path) -> Option<PathBuf> {
    let path = repo_root(cwd).join(DIR).join(SCHEMA_FILE);
    path.is_file().then_some(path)
}

/// The metadata file next to a schema file.
pub fn meta_path(schema: &Path) -> PathBuf {
    let name = schema
        .file_stem()
        .map(|s| format!("{}.meta.json", s.to_string_lossy()))
        .unwrap_or_else(|| META_FILE.to_string());
    schema.with_file_name(name)
}

pub fn read_meta(schema: &Path) -> Option<Meta> {
    let text = std::fs::read_to_string(meta_path(schema)).ok()?;
    serde_json::from_str(&text).ok()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Now as an RFC 3339 UTC timestamp (seconds), without a date crate.
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_454), (2026, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn meta_path_sits_next_to_the_schema() {
        assert_eq!(
            meta_path(Path::new("a/.kestra/flow-schema.json")),
            Path::new("a/.kestra/flow-schema.meta.json")
        );
    }

    #[test]
    fn hashes() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
