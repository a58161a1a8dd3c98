//! Profiles for people: the `~/.aws/config` profiles of every role the five-account layout
//! lets people assume with MFA, with the console's switch-role links.
//!
//! ```text
//! aws organizations list-accounts --output json > accounts.json   # once the accounts exist
//! cargo run --example profiles -- OUT_DIR --accounts accounts.json
//! ```
//!
//! It synthesizes the layout into OUT_DIR and writes `OUT_DIR/aws-config`. Without
//! `--accounts`, every profile is a comment (account ids are known once the accounts
//! exist); `--sample-ids` numbers the accounts 100000000001, 100000000002… to show (and
//! check) the file's shape.

use std::collections::BTreeMap;

use orgstack::layouts::FiveAccountLayout;
use orgstack::review::profiles::{self, ConfigOptions};
use orgstack::App;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut out = None;
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut sample = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--accounts" => {
                let path = args.next().ok_or("--accounts needs a file")?;
                let listed: serde_json::Value =
                    serde_json::from_str(&std::fs::read_to_string(&path)?)?;
                for acct in listed["Accounts"]
                    .as_array()
                    .ok_or("no `Accounts` in the file")?
                {
                    if let (Some(name), Some(id)) = (acct["Name"].as_str(), acct["Id"].as_str()) {
                        ids.insert(name.to_owned(), id.to_owned());
                    }
                }
            }
            "--sample-ids" => sample = true,
            other if out.is_none() => out = Some(other.to_owned()),
            other => return Err(format!("unexpected argument `{other}`").into()),
        }
    }
    let out = std::path::PathBuf::from(out.unwrap_or_else(|| "cdk.out".into()));
    let mut app = App::new();
    let management = app.stack("Management")?;
    app.add(
        &management,
        FiveAccountLayout::builder("acme")
            .email_domain("aws.acme.example")
            .allowed_regions(["us-east-1", "eu-west-1"]),
    )?;
    app.synth_to(&out)?;
    if sample {
        for (i, a) in app.accounts().enumerate() {
            ids.entry(a.name().to_owned())
                .or_insert_with(|| format!("{}", 100_000_000_001u64 + i as u64));
        }
    }
    let accesses = profiles::accesses(&app);
    let from = accesses
        .first()
        .map(|a| a.from_account.clone())
        .unwrap_or_default();
    let from_id = ids
        .get(&from)
        .cloned()
        .unwrap_or_else(|| "IDENTITY_ACCOUNT_ID".into());
    let config = profiles::aws_config(&accesses, &ids, &ConfigOptions::new(&from_id, "us-east-1"));
    std::fs::write(out.join("aws-config"), &config)?;
    println!(
        "wrote {} ({} profiles)",
        out.join("aws-config").display(),
        config.matches("[profile ").count()
    );
    Ok(())
}
