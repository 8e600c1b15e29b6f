//! The editor integrations in the README, tested against real `concise` output: the VS Code
//! problem matcher's regex (and, when Vim or Neovim is installed, the Neovim `errorformat`).

use std::path::Path;

use assert_cmd::Command;

/// The fixture run as an editor task runs it: concise, quiet, from the project folder.
fn concise_output() -> String {
    let out = Command::cargo_bin("kestra-lint")
        .unwrap()
        .args(["check", "--output-format", "concise", "--quiet"])
        .arg("tests/fixtures/render")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8(out.stdout).unwrap()
}

/// The body of the README's fenced block whose first line is `first_line`.
fn readme_block(first_line: &str) -> String {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme
        .find(&format!("\n{first_line}\n"))
        .unwrap_or_else(|| panic!("README has no block starting with {first_line}"));
    let body = &readme[start + first_line.len() + 2..];
    body[..body.find("\n```").unwrap()].to_string()
}

#[test]
fn vscode_problem_matcher_matches_concise_output() {
    let tasks: serde_json::Value =
        serde_json::from_str(&readme_block("// .vscode/tasks.json")).expect("tasks.json parses");
    let task = &tasks["tasks"][0];
    let command = task["command"].as_str().unwrap();
    assert!(command.contains("--output-format concise"), "{command}");
    let pattern = &task["problemMatcher"]["pattern"];
    let regex = regex::Regex::new(pattern["regexp"].as_str().unwrap()).unwrap();
    let group = |caps: &regex::Captures<'_>, field: &str| {
        let index = pattern[field].as_u64().unwrap() as usize;
        caps.get(index).unwrap().as_str().to_string()
    };

    let output = concise_output();
    assert!(output.lines().count() >= 5, "{output}");
    for line in output.lines() {
        let caps = regex
            .captures(line)
            .unwrap_or_else(|| panic!("no match: {line}"));
        assert!(Path::new(&group(&caps, "file")).is_file(), "{line}");
        assert!(group(&caps, "line").parse::<usize>().unwrap() >= 1);
        assert!(group(&caps, "column").parse::<usize>().unwrap() >= 1);
        assert!(["error", "warning", "info"].contains(&group(&caps, "severity").as_str()));
        let code = group(&caps, "code");
        assert!(kestra_lint::rules::find(&code).is_some(), "{code}");
        assert!(!group(&caps, "message").is_empty());
    }
    // One line checked field by field, including a message that itself holds `: `.
    let caps = regex
        .captures(
            output
                .lines()
                .find(|l| l.contains("[Y003]"))
                .expect("a Y003 line"),
        )
        .unwrap();
    assert_eq!(
        group(&caps, "file"),
        "tests/fixtures/render/yaml_problems.yml"
    );
    assert_eq!(
        (group(&caps, "line"), group(&caps, "column")),
        ("4".into(), "9".into())
    );
    assert_eq!(group(&caps, "severity"), "warning");
    assert_eq!(
        group(&caps, "message"),
        "YAML anchor `&base`: Kestra does not expand anchors"
    );
}

#[test]
fn neovim_errorformat_reads_concise_output() {
    let block = readme_block("-- ~/.config/nvim/after/ftplugin/yaml.lua");
    let efm = block
        .lines()
        .find_map(|l| l.strip_prefix("vim.opt_local.errorformat = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("an errorformat line");
    let Some(vim) = ["nvim", "vim"].into_iter().find(|v| {
        std::process::Command::new(v)
            .arg("--version")
            .output()
            .is_ok()
    }) else {
        eprintln!("skipped: neither nvim nor vim is installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.txt");
    let result = dir.path().join("qf.txt");
    std::fs::write(&report, concise_output()).unwrap();
    let script = format!(
        "let &errorformat = '{efm}'\n\
         execute 'cgetfile ' . fnameescape('{}')\n\
         call writefile(map(getqflist(), \
         'printf(\"%s|%d|%d|%s|%s\", bufname(v:val.bufnr), v:val.lnum, v:val.col, v:val.type, v:val.text)'), '{}')\n\
         qall!\n",
        report.display(),
        result.display()
    );
    let script_path = dir.path().join("check.vim");
    std::fs::write(&script_path, script).unwrap();
    let status = std::process::Command::new(vim)
        .args(["-es", "-N", "-u", "NONE", "-i", "NONE", "-S"])
        .arg(&script_path)
        .status()
        .unwrap();
    assert!(status.success());
    let entries = std::fs::read_to_string(&result).unwrap();
    let expected = concise_output().lines().count();
    assert_eq!(entries.lines().count(), expected, "{entries}");
    assert!(entries.contains(
        "tests/fixtures/render/yaml_problems.yml|4|9|w|[Y003]: YAML anchor `&base`: Kestra does not expand anchors"
    ));
    assert!(
        entries
            .lines()
            .all(|l| l.contains("|e|[") || l.contains("|w|[")),
        "{entries}"
    );
}
