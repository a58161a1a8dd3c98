//! An organization built construct by construct: three levels of OUs, ten accounts, three
//! SCPs attached at different levels, IAM groups in the identity account and a role in every
//! workload account that the identity account may assume only with MFA.
//!
//! ```text
//! cargo run --example custom_org [-- OUT_DIR]
//! ```

use orgstack::iam::{
    keys, Condition, Group, ManagedPolicy, ManagedPolicyRef, PolicyDocument, Role, Statement,
};
use orgstack::org::{Account, Organization, OrganizationalUnit, Policy};
use orgstack::stackset::StackSet;
use orgstack::App;

#[path = "support/mod.rs"]
mod support;

fn main() {
    support::synthesize("cdk.out/custom_org", app);
}

/// The organization; the snapshot tests build it from here too.
pub fn app() -> orgstack::Result<App> {
    let mut app = App::new();
    let mgmt = app.stack("Management")?;
    let org = app.add(&mgmt, Organization::create())?;

    // Three levels: Workloads / Products / {Payments, Search}.
    let security = app.add(&org, OrganizationalUnit::new("Security"))?;
    let workloads = app.add(&org, OrganizationalUnit::new("Workloads"))?;
    let products = app.add(&workloads, OrganizationalUnit::new("Products"))?;
    let payments = app.add(&products, OrganizationalUnit::new("Payments"))?;
    let search = app.add(&products, OrganizationalUnit::new("Search"))?;

    let identity = app.add(
        &security,
        Account::new("Identity", "aws+identity@acme.example"),
    )?;
    app.add(&security, Account::new("Audit", "aws+audit@acme.example"))?;
    app.add(
        &workloads,
        Account::new("Shared", "aws+shared@acme.example"),
    )?;
    for env in ["Dev", "Staging", "Prod"] {
        let lower = env.to_ascii_lowercase();
        app.add(
            &payments,
            Account::new(
                format!("Payments{env}"),
                format!("aws+payments-{lower}@acme.example"),
            )
            .tag("team", "payments"),
        )?;
    }
    for env in ["Dev", "Staging", "Prod"] {
        let lower = env.to_ascii_lowercase();
        app.add(
            &search,
            Account::new(
                format!("Search{env}"),
                format!("aws+search-{lower}@acme.example"),
            ),
        )?;
    }
    app.add(&org, Account::new("Sandbox", "aws+sandbox@acme.example"))?;

    // SCPs at the root, on an OU, and on a nested OU.
    let deny_leave = app.add(
        &org,
        Policy::service_control(
            "DenyLeaveOrganization",
            PolicyDocument::new().statement(
                Statement::deny()
                    .action("organizations:LeaveOrganization")
                    .resource("*"),
            ),
        )
        .description("Accounts stay in the organization"),
    )?;
    deny_leave.attach(&mut app, &org);
    let regions = app.add(
        &org,
        Policy::service_control(
            "RestrictRegions",
            PolicyDocument::new().statement(
                Statement::deny()
                    .not_actions(["iam:*", "organizations:*", "sts:*", "support:*"])
                    .resource("*")
                    .condition(Condition::string_not_equals(
                        keys::REQUESTED_REGION,
                        ["us-east-1", "eu-west-1"],
                    )),
            ),
        ),
    )?;
    regions.attach(&mut app, &workloads);
    let no_public_s3 = app.add(
        &org,
        Policy::service_control(
            "ProtectS3PublicAccessBlock",
            PolicyDocument::new().statement(
                Statement::deny()
                    .action("s3:PutAccountPublicAccessBlock")
                    .resource("*"),
            ),
        ),
    )?;
    no_public_s3.attach(&mut app, &payments);

    // Groups in the identity account, through a StackSet narrowed to that account.
    let identity_set = app.add(
        &mgmt,
        StackSet::new("IdentityGroups", "identity-groups")
            .target(&security)
            .only_account(&identity),
    )?;
    let id_stack = identity_set.template();
    let assume = app.add(
        &id_stack,
        ManagedPolicy::new(
            "AssumeWorkloadRoles",
            PolicyDocument::new().statement(
                Statement::allow()
                    .action("sts:AssumeRole")
                    .resource("arn:aws:iam::*:role/workload-admin"),
            ),
        ),
    )?;
    app.add(
        &id_stack,
        Group::new("Administrators")
            .name("administrators")
            .managed_policy(assume)
            .managed_policy(ManagedPolicyRef::aws_managed("IAMUserChangePassword")),
    )?;
    app.add(
        &id_stack,
        Group::new("Developers")
            .name("developers")
            .managed_policy(ManagedPolicyRef::aws_managed("IAMUserChangePassword")),
    )?;

    // A role in every workload account, trusting the identity account only with MFA.
    let roles = app.add(
        &mgmt,
        StackSet::new("WorkloadRoles", "workload-roles").target(&workloads),
    )?;
    app.add(
        &roles.template(),
        Role::assumable_with_mfa("Admin", &identity)
            .name("workload-admin")
            .mfa_max_age(3600)
            .managed_policy(ManagedPolicyRef::aws_managed("AdministratorAccess")),
    )?;
    Ok(app)
}
