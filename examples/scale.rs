//! Benchmark: a large organization, synthesized and written, with the cost of each phase.
//!
//! ```text
//! cargo run --release --example scale -- OUT_DIR [--accounts N]
//! ```
//!
//! N defaults to 10,000. The organization is the five-account layout (guardrails, trail,
//! alerting, StackSets) plus N accounts with budgets in about N/50 OUs nested up to three
//! levels under Workloads. Stacks split automatically past the quotas.
//!
//! It prints one line per phase, the totals, and the floor: the time to render the
//! resolved templates to bytes and write them. Synthesis within 2x of that floor means
//! building, resolving and validating cost less than producing the output itself.

use std::time::{Duration, Instant};

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
    let start = Instant::now();
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
    let out = out.unwrap_or_else(|| "cdk.out/scale".into());

    // Build.
    let t = Instant::now();
    let app = organization(n, 0)?;
    let build = t.elapsed();

    // Synthesize (lower, place, name, resolve, validate, render) and write.
    let mut assembly = app.synth()?;
    let t = Instant::now();
    assembly.write_to(&out)?;
    let write = t.elapsed();
    let total = start.elapsed();
    let p = assembly.timings();

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("accounts {n}, OUs {}", app.ous().count());
    println!("build     {:8.1} ms", ms(build));
    println!(
        "lower     {:8.1} ms  (typed constructs to resources, budgets derived)",
        ms(p.lower)
    );
    println!("place     {:8.1} ms  (stack splitting)", ms(p.place));
    println!("name      {:8.1} ms  (logical IDs)", ms(p.name));
    println!(
        "resolve   {:8.1} ms  (the route of every reference)",
        ms(p.resolve)
    );
    println!("validate  {:8.1} ms", ms(p.validate));
    println!("render    {:8.1} ms", ms(p.render));
    println!("write     {:8.1} ms", ms(write));
    let resources: usize = assembly.artifacts().iter().map(|a| a.resource_count).sum();
    let stacks = assembly.deploy_order().len();
    let largest = assembly
        .artifacts()
        .iter()
        .map(|a| (a.resource_count, a.body.len()))
        .fold((0, 0), |m, x| (m.0.max(x.0), m.1.max(x.1)));
    println!(
        "total     {:8.1} ms  whole process; {stacks} stacks + {} member templates, {resources} resources, {} bytes written; largest template {} resources, {} bytes",
        ms(total),
        assembly.artifacts().len() - stacks,
        assembly.total_bytes(),
        largest.0,
        largest.1
    );
    match peak_memory_kib() {
        Some(kib) => println!("peak memory {:.1} MiB", kib as f64 / 1024.0),
        None => println!("peak memory: not reported on this platform"),
    }
    let floor = p.render + write;
    let synth = p.lower + p.place + p.name + p.resolve + p.validate + p.render + write;
    println!(
        "floor     {:8.1} ms  (render + write); synthesis {:.1} ms = {:.2}x the floor; whole process {:.2}x",
        ms(floor),
        ms(synth),
        synth.as_secs_f64() / floor.as_secs_f64(),
        total.as_secs_f64() / floor.as_secs_f64()
    );
    Ok(())
}

/// Peak resident memory, from the kernel's own accounting.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
