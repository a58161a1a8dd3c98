//! Synthesizes a foundation described by a JSON spec (an `OrgSpec`), the twin of the Rust
//! API: `examples/five_account_layout.json` writes the same files as
//! `cargo run --example five_account_layout`.
//!
//! ```text
//! cargo run --example synth_spec -- SPEC.json OUT_DIR
//! ```
//!
//! A spec with a problem exits with status 1 and writes nothing; every problem goes to
//! stderr as `SPEC.json:LINE:COLUMN: JSON-PATH: what is wrong`.

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(spec), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: synth_spec SPEC.json OUT_DIR");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&spec) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{spec}: cannot read the spec: {e}");
            std::process::exit(1);
        }
    };
    match orgstack::spec::synth_to(&text, &out) {
        Ok(assembly) => {
            println!(
                "wrote {out}/ ({} templates, {} bytes) from {spec}",
                assembly.artifacts().len(),
                assembly.total_bytes()
            );
            println!("next: follow {out}/deploy-plan.md");
        }
        Err(e) => {
            eprint!("{}", e.report(&spec, &text));
            std::process::exit(1);
        }
    }
}
