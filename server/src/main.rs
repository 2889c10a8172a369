/// mimalloc returns freed memory to the system within milliseconds, so
/// bursts (password hashing, a thousand connections) do not stay resident
/// the way they do in glibc's per-thread arenas.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    accord_server::cli::main()
}
