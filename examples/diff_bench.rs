//! Benchmark of the diff: the 10,000-account organization of the `scale` example against
//! itself plus one account added.
//!
//! ```text
//! cargo run --release --example diff_bench -- [OUT_DIR] [--accounts N]
//! ```
//!
//! It synthesizes both organizations and writes them under OUT_DIR (default
//! `cdk.out/diff-bench`), then times reading both directories and the diff, and prints
//! the changes found: exactly one added account (with its budget).

use std::time::Instant;

use orgstack::review::{self, Acknowledgements, AssemblyFiles, ChangeKind};
#[path = "support/scale_org.rs"]
mod scale_org;
use scale_org::organization;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut out = None;
    let mut n: usize = 10_000;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--accounts" => {
                n = args
                    .next()
                    .ok_or("--accounts needs a number")?
                    .parse()
                    .map_err(|e| format!("--accounts: {e}"))?;
            }
            other if out.is_none() => out = Some(other.to_owned()),
            other => return Err(format!("unexpected argument `{other}`").into()),
        }
    }
    let out = std::path::PathBuf::from(out.unwrap_or_else(|| "cdk.out/diff-bench".into()));
    let (old_dir, new_dir) = (out.join("old"), out.join("new"));
    organization(n, 0)?.synth()?.write_to(&old_dir)?;
    organization(n, 1)?.synth()?.write_to(&new_dir)?;

    let t = Instant::now();
    let old = AssemblyFiles::read(&old_dir)?;
    let new = AssemblyFiles::read(&new_dir)?;
    let read = t.elapsed();
    let t = Instant::now();
    let diff = review::diff(&old, &new);
    let compare = t.elapsed();

    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    println!(
        "accounts {n} (+1); {} templates, {} resources against {}",
        new.template_names().count(),
        new.resource_count(),
        old.resource_count()
    );
    println!("read      {:8.1} ms  (both directories, parsed)", ms(read));
    println!("diff      {:8.1} ms", ms(compare));
    println!("total     {:8.1} ms", ms(read + compare));
    let accounts = diff
        .of_kind(ChangeKind::Added)
        .filter(|c| c.resource_type == "AWS::Organizations::Account")
        .count();
    println!(
        "added accounts: {accounts}; changes: {}",
        diff.changes().len()
    );
    print!("{}", diff.to_markdown(&Acknowledgements::new()));
    if accounts != 1 {
        return Err(format!("expected exactly one added account, found {accounts}").into());
    }
    Ok(())
}
