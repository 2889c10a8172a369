/// mimalloc gives freed memory back to the system after its purge delay, so
/// bursts (password hashing, a thousand connections) do not stay resident
/// the way they do in glibc's per-thread arenas. The delay is mimalloc 3's
/// 1 s unless `MIMALLOC_PURGE_DELAY` says otherwise; the systemd unit sets
/// 10 ms (README "Performance"). (mimalloc 2, the crate's `v2` feature,
/// measured worse: it kept the Argon2id blocks, 121-128 MB after logins.)
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    accord_server::cli::main()
}
