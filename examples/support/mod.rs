//! What the small examples share: take the output directory from the command line,
//! synthesize, list what was written, and report errors readably.

use orgstack::App;

/// Synthesizes `app()` into the directory given as the first argument (or `default_out`),
/// prints each template written, and exits with status 1 and the error's message on failure.
pub fn synthesize(default_out: &str, app: fn() -> orgstack::Result<App>) {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| default_out.to_owned());
    match app().and_then(|app| app.synth_to(&out)) {
        Ok(assembly) => {
            for a in assembly.artifacts() {
                println!("{out}/{} ({} resources)", a.file_name, a.resource_count);
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
