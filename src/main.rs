use clap::Parser;

// Many small allocations (YAML trees, JSON instances, schema values): mimalloc is measurably
// faster than the system allocator here (see the README's design notes).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    kestra_lint::cli::run(kestra_lint::cli::Cli::parse())
}
