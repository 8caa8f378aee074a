//! The `tact` binary: a thin shell over the library.

/// Checking allocates many small, short-lived values per conversation on every thread; jemalloc's
/// thread caches serve them faster than the system allocator (see BENCHMARKS.md). It is built
/// from C, so it is a feature (on by default) that a machine without a C compiler turns off.
#[cfg(feature = "jemalloc")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let cli = tact::cli::parse_args();
    let status = tact::cli::run(cli);
    std::process::exit(status as i32);
}
