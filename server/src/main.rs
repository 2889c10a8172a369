fn main() -> std::process::ExitCode {
    accord_server::cli::main()
}
