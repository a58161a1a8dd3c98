//! The reference layout with the security services the article recommends switched on:
//! AWS Config in every account and region with an organization aggregator and rules,
//! GuardDuty, Security Hub, IAM Access Analyzer and a Firewall Manager audit of the
//! workloads' security groups — all administered by the audit account.
//!
//! ```text
//! cargo run --example five_account_services [-- OUT_DIR]
//! ```

use orgstack::layouts::FiveAccountLayout;
use orgstack::services::SecurityServices;
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
    for a in assembly.artifacts() {
        println!("{:<72} {:>4} resources", a.file_name, a.resource_count);
    }
    println!();
    println!("next: follow {out}/deploy-plan.md; the services' administrators are registered between the Management and Services stacks");
    Ok(())
}

/// The layout and its services; the tests build it from here too.
pub fn app() -> orgstack::Result<App> {
    let mut app = App::new();
    let management = app.stack("Management")?;
    let regions = ["us-east-1", "eu-west-1"];
    let layout = app.add(
        &management,
        FiveAccountLayout::builder("acme")
            .email_domain("aws.acme.example")
            .allowed_regions(regions)
            .alert_email("cloud-alerts@acme.example"),
    )?;
    // A stack of its own: it deploys once the audit account exists, after the plan has
    // made that account the services' administrator.
    let services = app.stack("Services")?;
    app.add(
        &services,
        SecurityServices::new("acme", layout.organization(), layout.audit_account())
            .regions(regions)
            .firewall_scope(&layout.workloads_ou()),
    )?;
    Ok(app)
}
