//! Rebuilds when a message file changes or a language folder is added:
//! `include_dir!` embeds `locales/` but cargo tracks only what it is told.
fn main() {
    println!("cargo:rerun-if-changed=locales");
    println!("cargo:rerun-if-changed=templates");
}
