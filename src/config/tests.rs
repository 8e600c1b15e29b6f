use std::path::{Path, PathBuf};

use super::*;

fn root() -> PathBuf {
    PathBuf::from(if cfg!(windows) { "C:\\repo" } else { "/repo" })
}

fn parse(text: &str) -> Result<Settings, ConfigError> {
    Settings::from_toml(Path::new("kestra-lint.toml"), text, &root())
}

fn error(text: &str) -> String {
    parse(text).unwrap_err().to_string()
}

const FULL: &str = r#"
output-format = "concise"
fail-on = "warning"
target-version = "1.3"
schema = "schemas/kestra.json"
exclude = ["generated"]
extend-exclude = ["flows/legacy"]

[lint]
select = ["k", "Y", "B"]
extend-select = ["L"]
ignore = ["K1"]
per-file-ignores = { "flows/tmp/**" = ["B001"], "scratch.yml" = ["K"] }

[lint.severity]
Y003 = "off"
K = "warning"

[lint.policy]
namespaces = ["company.*"]
required-labels = ["team"]
flows-root = "flows"
"#;

#[test]
fn every_key_is_read() {
    let s = parse(FULL).unwrap();
    assert_eq!(s.output_format, Some(OutputFormat::Concise));
    assert_eq!(s.fail_on, Some(FailOn::Warning));
    assert_eq!(s.target_version, Some(KestraVersion::new(1, 3)));
    assert_eq!(s.schema, Some(root().join("schemas/kestra.json")));
    assert_eq!(s.exclude, Some(vec!["generated".to_string()]));
    assert_eq!(s.extend_exclude, ["flows/legacy"]);
    let layer = &s.rules.layers[0];
    assert_eq!(
        layer.select.as_deref(),
        Some(&["K".to_string(), "Y".into(), "B".into()][..])
    );
    assert_eq!(layer.extend_select, ["L"]);
    assert_eq!(layer.ignore, ["K1"]);
    assert_eq!(s.per_file_ignores.len(), 2);
    assert_eq!(s.rules.severity.len(), 2);
    assert_eq!(s.policy.namespaces, ["company.*"]);
    assert_eq!(s.policy.required_labels, ["team"]);
    assert_eq!(s.policy.flows_root, Some(root().join("flows")));
    let enabled = s.rules.enabled_codes();
    assert!(enabled.contains(&"K001") && enabled.contains(&"B005") && enabled.contains(&"L001"));
    assert!(!enabled.contains(&"K102") && !enabled.contains(&"Y003"));
}

#[test]
fn per_file_ignores_and_severities_apply_by_path() {
    let s = parse(FULL).unwrap();
    let b001 = crate::rules::meta_of("B001").unwrap();
    let k001 = crate::rules::meta_of("K001").unwrap();
    assert!(s.rule_filter(Path::new("flows/a.yml")).is_enabled(b001));
    assert!(!s
        .rule_filter(Path::new("flows/tmp/x/a.yml"))
        .is_enabled(b001));
    assert!(!s
        .rule_filter(Path::new("deep/scratch.yml"))
        .is_enabled(k001));
    let filter = s.rule_filter(Path::new("flows/a.yml"));
    assert_eq!(filter.severity(k001), Severity::Warning);
}

#[test]
fn policies_turn_their_rules_on_unless_ignored() {
    let s = parse("[lint.policy]\nnamespaces = [\"a.*\"]\n").unwrap();
    assert!(s.rules.enabled_codes().contains(&"B002"));
    assert!(!s.rules.enabled_codes().contains(&"B003"));
    let s = parse("[lint]\nignore = [\"B\"]\n[lint.policy]\nnamespaces = [\"a.*\"]\n").unwrap();
    assert!(!s.rules.enabled_codes().contains(&"B002"));
}

#[test]
fn cli_flags_override_the_file() {
    let mut s = parse(FULL).unwrap();
    let args = ConfigArgs {
        select: Some(vec!["K102".into()]),
        fail_on: Some(FailOn::Error),
        target_version: Some("2.0".into()),
        ..ConfigArgs::default()
    };
    s.apply_cli(&args).unwrap();
    assert_eq!(s.rules.enabled_codes(), ["K102"]);
    assert_eq!(s.fail_on, Some(FailOn::Error));
    assert_eq!(s.target_version, Some(KestraVersion::new(2, 0)));
    let bad = ConfigArgs {
        ignore: vec!["Q1".into()],
        ..ConfigArgs::default()
    };
    assert!(s.apply_cli(&bad).unwrap_err().contains("`Q1`"));
}

#[test]
fn errors_name_the_file_and_line() {
    assert_eq!(
        error("[lint]\nselect = [\"K\"]\nselct = [\"Y\"]\n"),
        "kestra-lint.toml:3:1: unknown field `selct`, expected one of `select`, `extend-select`, `ignore`, `per-file-ignores`, `severity`, `policy`, `recursive-rendering`"
    );
    assert_eq!(
        error("[lint]\nselect = [\"K\",\n  \"K999\"]\n"),
        "kestra-lint.toml:3:3: unknown rule code `K999` in `select`; run `kestra-lint rule --all` for the list"
    );
    assert!(
        error("exclude = [\"a[\"]\n").starts_with("kestra-lint.toml:1:12: bad glob in `exclude`")
    );
    assert!(error("\n\n[lint\n").starts_with("kestra-lint.toml:3:"));
    assert!(error("[lint.severity]\nK102 = \"loud\"\n")
        .starts_with("kestra-lint.toml:2:8: invalid severity `loud`"));
    assert!(error("[lint.severity]\nZ1 = \"off\"\n")
        .starts_with("kestra-lint.toml:2:6: unknown rule code `Z1`"));
    assert!(error("target-version = \"latest\"\n")
        .starts_with("kestra-lint.toml:1:18: invalid Kestra version"));
    assert!(error("output-format = \"xml\"\n").contains("expected one of: full, concise"));
    assert!(error("fail-on = \"never\"\n").starts_with("kestra-lint.toml:1:11:"));
    assert_eq!(
        error("edition = \"enterprise\"\n"),
        "kestra-lint.toml:1:11: invalid edition `enterprise`; expected \"oss\" or \"ee\""
    );
    assert!(
        error("[lint]\nper-file-ignores = { \"a/**\" = [\"K9\"] }\n")
            .starts_with("kestra-lint.toml:2:")
    );
    assert!(error("[lint]\nselect = \"K\"\n").starts_with("kestra-lint.toml:2:10:"));
    assert!(
        error("[lint.policy]\nrequired-label = []\n").contains("unknown field `required-label`")
    );
}

#[test]
fn future_families_are_accepted_before_their_rules_exist() {
    assert!(parse("[lint]\nselect = [\"S\", \"P\", \"D\", \"ALL\"]\n").is_ok());
    assert!(
        parse("[lint]\nselect = [\"S001\"]\n").is_err() || crate::rules::meta_of("S001").is_some()
    );
}

#[test]
fn discovery_walks_up_to_the_repository_root() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let deep = repo.join("flows/team");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    // Above the repository root: never used.
    std::fs::write(dir.path().join("kestra-lint.toml"), "").unwrap();
    assert_eq!(find_config(&deep), None);
    std::fs::write(repo.join(".kestra-lint.toml"), "").unwrap();
    assert_eq!(find_config(&deep), Some(repo.join(".kestra-lint.toml")));
    std::fs::write(repo.join("flows/kestra-lint.toml"), "").unwrap();
    assert_eq!(
        find_config(&deep),
        Some(repo.join("flows/kestra-lint.toml"))
    );
    assert_eq!(
        shown_path(&deep, &repo.join("flows/kestra-lint.toml")),
        Path::new("../kestra-lint.toml")
    );
}

#[test]
fn excludes_from_the_file_are_rebased_to_the_current_directory() {
    let mut s = parse("exclude = [\"flows/legacy\", \"tmp\"]\n").unwrap();
    assert_eq!(s.excludes(None, &[]), ["flows/legacy", "tmp"]);
    s.cwd = root().join("flows");
    assert_eq!(s.excludes(None, &[]), ["../flows/legacy", "legacy", "tmp"]);
    let cli = ["x".to_string()];
    assert_eq!(s.excludes(Some(&cli), &["y".into()]), ["x", "y"]);
    let d = Settings::default();
    assert!(d.excludes(None, &[]).contains(&".git".to_string()));
}

#[test]
fn show_settings_names_the_file() {
    let s = parse(FULL).unwrap();
    let text = s.show(&s.excludes(None, &[]));
    assert!(
        text.starts_with("# Settings from kestra-lint.toml\n"),
        "{text}"
    );
    assert!(text.contains("fail-on = \"warning\""));
    assert!(text.contains("select = [\"K\", \"Y\", \"B\"]  # file"));
    assert!(text.contains("severity.Y003 = \"off\""));
}

#[test]
fn show_settings_prints_paths_relative_to_the_current_directory() {
    let mut s =
        parse("schema = \"schemas/k.json\"\n[lint.policy]\nflows-root = \"flows\"\n").unwrap();
    s.cwd = root().join("flows").join("team");
    let text = s.show(&[]);
    assert!(text.contains("schema = \"../../schemas/k.json\""), "{text}");
    assert!(text.contains("policy.flows-root = \"..\""), "{text}");
}

#[test]
fn findings_limits_from_the_file_then_the_flags() {
    let default = parse("").unwrap();
    assert_eq!(default.limits, crate::limits::Limits::default());
    let mut s = parse("max-findings-per-rule = 5\nmax-findings-per-file = 0\n").unwrap();
    assert_eq!((s.limits.per_rule, s.limits.per_file), (5, 0));
    let args = ConfigArgs {
        max_findings_per_rule: Some(7),
        ..ConfigArgs::default()
    };
    s.apply_cli(&args).unwrap();
    assert_eq!((s.limits.per_rule, s.limits.per_file), (7, 0));
    assert!(error("max-findings-per-rule = -1\n").contains("kestra-lint.toml:1"));
}
