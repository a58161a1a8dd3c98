//! The organization of the `scale` benchmark, shared by the benchmarks that measure it.

use orgstack::layouts::FiveAccountLayout;
use orgstack::org::{Account, OrganizationalUnit, OuHandle};
use orgstack::App;

/// The five-account layout plus `n + extra` accounts with budgets, in about n/50 OUs nested
/// up to three levels under Workloads (ten at the first level, fifty at the second, the
/// rest at the third); the `extra` accounts come after the others.
pub fn organization(n: usize, extra: usize) -> orgstack::Result<App> {
    let mut app = App::new();
    let management = app.stack("Management")?;
    let layout = app.add(
        &management,
        FiveAccountLayout::builder("scale")
            .email_domain("scale.example")
            .alert_email("alerts@scale.example"),
    )?;
    let ou_count = (n / 50).max(1);
    let mut ous: Vec<OuHandle> = Vec::with_capacity(ou_count);
    for i in 0..ou_count {
        let parent = match i {
            0..=9 => layout.workloads_ou(),
            10..=59 => ous[(i - 10) % 10],
            _ => ous[10 + (i - 60) % 50],
        };
        ous.push(app.add(&parent, OrganizationalUnit::new(format!("Unit{i:04}")))?);
    }
    for k in 0..n + extra {
        app.add(
            &ous[k % ou_count],
            Account::new(format!("acct-{k:05}"), format!("acct-{k:05}@scale.example")),
        )?;
    }
    Ok(app)
}
