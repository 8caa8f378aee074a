//! The `tact` binary: a thin shell over the library.

use clap::Parser;

fn main() {
    let cli = tact::cli::args::Cli::parse();
    let status = tact::cli::run(cli);
    std::process::exit(status as i32);
}
