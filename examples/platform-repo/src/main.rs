//! `cargo run [-- OUT_DIR]`: synthesizes the organization into `cdk.out/` (or OUT_DIR), then
//! deploy it by following `cdk.out/deploy-plan.md`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "cdk.out".to_owned());
    let result = acme_platform::platform().and_then(|p| p.app.synth_to(&out));
    match result {
        Ok(assembly) => {
            for warning in assembly.warnings() {
                eprintln!("warning: {warning}");
            }
            println!("wrote {out}/ ({} templates)", assembly.artifacts().len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
