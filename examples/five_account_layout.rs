//! The reference layout: management, identity, audit/log archive, shared services and the
//! dev, staging and prod environments, with guardrails, an organization trail, alerting on
//! management-account activity and a budget per account.
//!
//! ```text
//! cargo run --example five_account_layout [-- OUT_DIR]
//! ```

use orgstack::layouts::FiveAccountLayout;
use orgstack::App;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args().nth(1).unwrap_or_else(|| "cdk.out".into());
    let assembly = match app()?.synth_to(&out) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };

    println!("wrote {out}/ ({} bytes)", assembly.total_bytes());
    println!();
    println!("{:<58} {:>9}  deploys to", "template", "resources");
    for a in assembly.artifacts() {
        let target = match a.kind {
            orgstack::app::ArtifactKind::Stack => "management account (aws cloudformation deploy)",
            _ => "member accounts, through its StackSet",
        };
        println!("{:<58} {:>9}  {target}", a.file_name, a.resource_count);
    }
    println!();
    println!("next: follow {out}/deploy-plan.md (a bootstrap stack if the app creates the organization, the prerequisites, then the stacks, in order)");
    Ok(())
}

/// The reference layout; the snapshot tests build it from here too.
pub fn app() -> orgstack::Result<App> {
    let mut app = App::new();
    let management = app.stack("Management")?;
    app.add(
        &management,
        FiveAccountLayout::builder("acme")
            .email_domain("aws.acme.example")
            .allowed_regions(["us-east-1", "eu-west-1"])
            .alert_email("cloud-alerts@acme.example"),
    )?;
    Ok(app)
}
