//! What the layout tests share.

use orgstack::layouts::{FiveAccountLayout, FiveAccountLayoutBuilder};
use orgstack::App;

/// Adds the layout under a `Management` stack, as the reference example does.
pub fn add_layout(
    app: &mut App,
    layout: FiveAccountLayoutBuilder,
) -> orgstack::Result<FiveAccountLayout> {
    let management = app.stack("Management")?;
    app.add(&management, layout)
}

/// Adds `count` OUs named `Unit00`… under Workloads, then accounts `acct-00000`… numbered
/// `accounts`, spread over the OUs in turn; returns the OUs.
#[allow(dead_code)]
pub fn add_units_and_accounts(
    app: &mut App,
    layout: &FiveAccountLayout,
    count: usize,
    accounts: std::ops::Range<usize>,
) -> Vec<orgstack::org::OuHandle> {
    use orgstack::org::{Account, OrganizationalUnit};
    let ous: Vec<_> = (0..count)
        .map(|i| {
            app.add(
                &layout.workloads_ou(),
                OrganizationalUnit::new(format!("Unit{i:02}")),
            )
            .unwrap()
        })
        .collect();
    for k in accounts {
        app.add(
            &ous[k % ous.len()],
            Account::new(
                format!("acct-{k:05}"),
                format!("acct-{k:05}@aws.acme.example"),
            ),
        )
        .unwrap();
    }
    ous
}
