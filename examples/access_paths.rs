//! Benchmark: "every path from any identity-account principal into any role of any
//! account", asked of the access simulator over a large organization.
//!
//! ```text
//! cargo run --release --example access_paths -- [--accounts N]
//! ```
//!
//! N defaults to 1,000: the five-account layout plus N accounts in about N/50 OUs, half
//! under NonProd and half under Prod, so every access level's role is deployed in every
//! one of them by the member-roles StackSet. It prints how long reading the model and
//! answering the question take (a user of each group of the identity account and a session
//! of each of its roles, asking for every role), and what the answer holds.

use std::collections::BTreeMap;
use std::time::Instant;

use orgstack::access::{Auth, Simulator};
use orgstack::layouts::FiveAccountLayout;
use orgstack::org::{Account, OrganizationalUnit};
use orgstack::App;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut n: usize = 1_000;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--accounts" => {
                n = args
                    .next()
                    .ok_or("--accounts needs a number")?
                    .parse()
                    .map_err(|e| format!("--accounts: {e}"))?;
            }
            other => return Err(format!("unexpected argument `{other}`").into()),
        }
    }

    let t = Instant::now();
    let mut app = App::new();
    let management = app.stack("Management")?;
    let layout = app.add(
        &management,
        FiveAccountLayout::builder("scale")
            .email_domain("scale.example")
            .alert_email("alerts@scale.example"),
    )?;
    let ou_count = (n / 50).max(1);
    let mut ous = Vec::with_capacity(ou_count);
    for i in 0..ou_count {
        let parent = if i % 2 == 0 {
            layout.non_prod_ou()
        } else {
            layout.prod_ou()
        };
        ous.push(app.add(&parent, OrganizationalUnit::new(format!("Unit{i:04}")))?);
    }
    for k in 0..n {
        app.add(
            &ous[k % ou_count],
            Account::new(format!("acct-{k:05}"), format!("acct-{k:05}@scale.example")),
        )?;
    }
    let build = t.elapsed();

    let t = Instant::now();
    let sim = Simulator::new(&app);
    let read = t.elapsed();
    let roles = sim.roles().count();

    let t = Instant::now();
    let paths = sim.paths_into_roles(layout.identity_account(), Auth::mfa(60), "us-east-1")?;
    let answer = t.elapsed();
    let t = Instant::now();
    let none = sim.paths_into_roles(layout.identity_account(), Auth::LongTermKey, "us-east-1")?;
    let leaked = t.elapsed();

    let mut by_group: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &paths {
        *by_group.entry(p.from.as_str()).or_default() += 1;
    }
    // Who asks: a user of each group of the identity account, and a session of each of
    // its roles.
    let identity = "scale-identity";
    let callers = sim.groups().filter(|(_, _, a)| *a == identity).count()
        + sim
            .roles()
            .filter(|r| sim.role_name(*r).is_some_and(|(_, a)| a == identity))
            .count();
    println!("accounts:            {} ({n} added)", n + 5);
    println!("roles:               {roles}");
    println!("questions asked:     {} per credential", roles * callers);
    println!("build the app:       {:>8.1} ms", build.as_secs_f64() * 1e3);
    println!("read the model:      {:>8.1} ms", read.as_secs_f64() * 1e3);
    println!(
        "every path (MFA):    {:>8.1} ms  -> {} paths",
        answer.as_secs_f64() * 1e3,
        paths.len()
    );
    println!(
        "every path (key):    {:>8.1} ms  -> {} paths",
        leaked.as_secs_f64() * 1e3,
        none.len()
    );
    for (g, count) in by_group {
        println!("  {g}: {count}");
    }
    if !none.is_empty() {
        return Err("a long-term access key reaches a role".into());
    }
    Ok(())
}
