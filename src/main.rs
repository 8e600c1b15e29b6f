use clap::Parser;

fn main() -> std::process::ExitCode {
    kestra_lint::cli::run(kestra_lint::cli::Cli::parse())
}
