//! Colour and width decisions for human output, made once per run.

use std::io::IsTerminal;

use crate::diagnostic::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

impl Style {
    pub fn plain() -> Self {
        Self {
            color: false,
            width: 100,
        }
    }

    /// `--color` wins; in `auto`, NO_COLOR disables, FORCE_COLOR / CLICOLOR_FORCE enable,
    /// otherwise colour only when stdout is a terminal.
    pub fn detect(choice: ColorChoice) -> Self {
        let env_set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty() && v != "0");
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                    false
                } else if env_set("FORCE_COLOR") || env_set("CLICOLOR_FORCE") {
                    true
                } else {
                    std::io::stdout().is_terminal()
                }
            }
        };
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse::<usize>().ok())
            .filter(|w| *w >= 40)
            .unwrap_or(100);
        Self { color, width }
    }

    pub fn severity(&self, severity: Severity, text: &str) -> String {
        if !self.color {
            return text.to_string();
        }
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    pub fn bold(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}
