//! `kestra-lint schema pull`: download the flow schema a Kestra server serves
//! (`GET /api/v1[/<tenant>]/plugins/schemas/flow`), check that it is one, and pin it.
//! Credentials come from the environment and are never printed.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::pinned::{self, Meta};
use super::{Origin, Schema};

/// Everything `pull` needs; credentials are read by the caller from the environment.
#[derive(Debug, Clone, Default)]
pub struct PullRequest {
    pub server: String,
    pub tenant: Option<String>,
    pub output: PathBuf,
    pub token: Option<String>,
    pub basic: Option<(String, String)>,
}

#[derive(Debug)]
pub struct Pulled {
    pub path: PathBuf,
    pub meta: Meta,
    pub definitions: usize,
}

/// Served schemas are large (every installed plugin); allow up to 512 MiB.
const MAX_BODY: u64 = 512 * 1024 * 1024;

pub fn pull(req: &PullRequest) -> Result<Pulled, String> {
    let base = server_base(&req.server)?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(120)))
        .http_status_as_error(false)
        .build()
        .into();
    let candidates: Vec<String> = match &req.tenant {
        Some(t) => vec![format!("{base}/api/v1/{t}/plugins/schemas/flow")],
        // Older servers serve it without a tenant; newer ones under the default `main`.
        None => vec![
            format!("{base}/api/v1/plugins/schemas/flow"),
            format!("{base}/api/v1/main/plugins/schemas/flow"),
        ],
    };
    let mut last_error = String::new();
    let mut body = None;
    for url in &candidates {
        match get(&agent, url, req) {
            Ok(text) => {
                body = Some(text);
                break;
            }
            Err((status, message)) => {
                last_error = message;
                // Only a missing route is worth the next candidate.
                if status != Some(404) {
                    break;
                }
            }
        }
    }
    let text = body.ok_or(last_error)?;
    let schema = Schema::from_text(text, Origin::File(req.output.clone())).map_err(|e| {
        format!("the server at {base} did not answer with a Kestra flow schema: {e}")
    })?;
    let definitions = schema.definition_count();
    let kestra_version = server_version(&agent, &base, req);
    let meta = Meta {
        server: base.clone(),
        tenant: req.tenant.clone(),
        kestra_version,
        pulled_at: pinned::now_utc(),
        sha256: pinned::sha256_hex(schema.text().as_bytes()),
    };
    write(&req.output, schema.text().as_bytes(), &meta)?;
    Ok(Pulled {
        path: req.output.clone(),
        meta,
        definitions,
    })
}

/// `https://user:pw@host:8080/ui/` → `https://host:8080` (userinfo is never kept or shown).
fn server_base(server: &str) -> Result<String, String> {
    let (scheme, rest) = server.split_once("://").ok_or_else(|| {
        format!(
            "`--server` must start with http:// or https://, got `{}`",
            redact(server)
        )
    })?;
    if scheme != "http" && scheme != "https" {
        return Err(format!("`--server` must use http or https, not `{scheme}`"));
    }
    let host = rest.split('/').next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    if host.is_empty() {
        return Err("`--server` has no host".to_string());
    }
    Ok(format!("{scheme}://{host}"))
}

fn redact(s: &str) -> String {
    match s.split_once('@') {
        Some((_, rest)) => format!("…@{rest}"),
        None => s.to_string(),
    }
}

fn get(agent: &ureq::Agent, url: &str, req: &PullRequest) -> Result<String, (Option<u16>, String)> {
    let mut request = agent.get(url).header("Accept", "application/json");
    if let Some(token) = &req.token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    } else if let Some((user, password)) = &req.basic {
        let encoded = base64(format!("{user}:{password}").as_bytes());
        request = request.header("Authorization", &format!("Basic {encoded}"));
    }
    let mut response = request.call().map_err(|e| {
        (
            None,
            format!("cannot reach {url}: {}", describe_transport(&e)),
        )
    })?;
    let status = response.status().as_u16();
    match status {
        200 => {}
        401 | 403 => {
            return Err((
                Some(status),
                format!(
                    "{url} answered {status}: not authorised; set KESTRA_API_TOKEN, or KESTRA_USERNAME and KESTRA_PASSWORD"
                ),
            ))
        }
        404 => {
            return Err((
                Some(404),
                format!("{url} answered 404: no flow schema there; check `--server` and `--tenant`"),
            ))
        }
        other => return Err((Some(other), format!("{url} answered HTTP {other}"))),
    }
    response
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_string()
        .map_err(|e| (Some(200), format!("cannot read the answer of {url}: {e}")))
}

fn describe_transport(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Io(io) => io.to_string(),
        ureq::Error::Timeout(_) => "timed out".to_string(),
        other => other.to_string(),
    }
}

/// The server's Kestra version from `/api/v1/configs`, when it says.
fn server_version(agent: &ureq::Agent, base: &str, req: &PullRequest) -> Option<String> {
    let text = get(agent, &format!("{base}/api/v1/configs"), req).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    value.get("version")?.as_str().map(str::to_string)
}

fn write(path: &Path, bytes: &[u8], meta: &Meta) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", crate::source::display_path(dir)))?;
    }
    let meta_text = serde_json::to_string_pretty(meta).unwrap_or_default() + "\n";
    crate::output::write_atomically(path, bytes)
        .map_err(|e| format!("cannot write {}: {e}", crate::source::display_path(path)))?;
    crate::output::write_atomically(&pinned::meta_path(path), meta_text.as_bytes())
        .map_err(|e| format!("cannot write the schema's metadata: {e}"))
}

/// Standard base64 with padding (for a Basic auth header).
fn base64(input: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_drops_userinfo_and_path() {
        assert_eq!(
            server_base("https://u:p@kestra.example.com:8443/ui/").unwrap(),
            "https://kestra.example.com:8443"
        );
        assert!(server_base("kestra.example.com").is_err());
        assert!(server_base("ftp://x").is_err());
        assert!(!server_base("ftp://u:secret@x")
            .unwrap_err()
            .contains("secret"));
    }

    #[test]
    fn base64_encodes() {
        assert_eq!(base64(b"user:pass"), "dXNlcjpwYXNz");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
    }
}
