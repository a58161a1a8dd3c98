#![cfg(feature = "testing")]
//! Every file of the reference layout and of the construct-by-construct organization, pinned
//! byte for byte in the top-level `snapshots/` folder.
//!
//! Regenerate after an intended change with `INSTA_UPDATE=always cargo test --test snapshots`
//! (or `cargo insta review`) and review the diff before committing it.

use orgstack::app::Assembly;
use orgstack::iam::{
    keys, Condition, Group, ManagedPolicy, ManagedPolicyRef, PolicyDocument, Role, Statement,
};
use orgstack::layouts::FiveAccountLayout;
use orgstack::org::{Account, Organization, OrganizationalUnit, Policy};
use orgstack::stackset::StackSet;
use orgstack::{testing, App};

/// Snapshots every file of `assembly` as `snapshots/<prefix><name>.snap`.
fn assert_files(prefix: &str, assembly: &Assembly) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (name, body) in testing::snapshot_files(assembly) {
            insta::assert_snapshot!(format!("{prefix}{name}"), body);
            // insta compares with trailing whitespace trimmed and CRLF read as LF: pin
            // those bytes here.
            assert!(body.ends_with("}\n"), "{name} ends with one newline");
            assert!(!body.contains('\r'), "{name} has LF line ends");
        }
    });
}

/// `examples/five_account_layout.rs`.
#[test]
fn five_account_layout() {
    let mut app = App::new();
    FiveAccountLayout::builder("acme")
        .email_domain("aws.acme.example")
        .allowed_regions(["us-east-1", "eu-west-1"])
        .alert_email("cloud-alerts@acme.example")
        .build(&mut app)
        .unwrap();
    let assembly = app.synth().unwrap();
    assert_eq!(testing::snapshot_files(&assembly).len(), 5);
    assert_files("", &assembly);
}

/// `examples/custom_org.rs`.
#[test]
fn custom_org() {
    let assembly = custom_org_app().synth().unwrap();
    assert_eq!(testing::snapshot_files(&assembly).len(), 4);
    assert_files("custom_org-", &assembly);
}

/// The organization of `examples/custom_org.rs`, built the same way.
fn custom_org_app() -> App {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = Organization::create().build(&mut app, &mgmt).unwrap();

    // Three levels: Workloads / Products / {Payments, Search}.
    let security = org
        .add_ou(&mut app, OrganizationalUnit::new("Security"))
        .unwrap();
    let workloads = org
        .add_ou(&mut app, OrganizationalUnit::new("Workloads"))
        .unwrap();
    let products = workloads
        .add_ou(&mut app, OrganizationalUnit::new("Products"))
        .unwrap();
    let payments = products
        .add_ou(&mut app, OrganizationalUnit::new("Payments"))
        .unwrap();
    let search = products
        .add_ou(&mut app, OrganizationalUnit::new("Search"))
        .unwrap();

    let identity = security
        .add_account(
            &mut app,
            Account::new("Identity", "aws+identity@acme.example"),
        )
        .unwrap();
    security
        .add_account(&mut app, Account::new("Audit", "aws+audit@acme.example"))
        .unwrap();
    workloads
        .add_account(&mut app, Account::new("Shared", "aws+shared@acme.example"))
        .unwrap();
    for env in ["Dev", "Staging", "Prod"] {
        let lower = env.to_ascii_lowercase();
        payments
            .add_account(
                &mut app,
                Account::new(
                    format!("Payments{env}"),
                    format!("aws+payments-{lower}@acme.example"),
                )
                .tag("team", "payments"),
            )
            .unwrap();
    }
    for env in ["Dev", "Staging", "Prod"] {
        let lower = env.to_ascii_lowercase();
        search
            .add_account(
                &mut app,
                Account::new(
                    format!("Search{env}"),
                    format!("aws+search-{lower}@acme.example"),
                ),
            )
            .unwrap();
    }
    org.add_account(
        &mut app,
        Account::new("Sandbox", "aws+sandbox@acme.example"),
    )
    .unwrap();

    // SCPs at the root, on an OU, and on a nested OU.
    let deny_leave = org
        .add_policy(
            &mut app,
            Policy::service_control(
                "DenyLeaveOrganization",
                PolicyDocument::new().statement(
                    Statement::deny()
                        .action("organizations:LeaveOrganization")
                        .resource("*"),
                ),
            )
            .description("Accounts stay in the organization"),
        )
        .unwrap();
    deny_leave.attach(&mut app, &org).unwrap();
    let regions = org
        .add_policy(
            &mut app,
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
        )
        .unwrap();
    regions.attach(&mut app, &workloads).unwrap();
    let no_public_s3 = org
        .add_policy(
            &mut app,
            Policy::service_control(
                "ProtectS3PublicAccessBlock",
                PolicyDocument::new().statement(
                    Statement::deny()
                        .action("s3:PutAccountPublicAccessBlock")
                        .resource("*"),
                ),
            ),
        )
        .unwrap();
    no_public_s3.attach(&mut app, &payments).unwrap();

    // Groups in the identity account, through a StackSet narrowed to that account.
    let identity_set = StackSet::new("IdentityGroups", "identity-groups")
        .target(&security)
        .only_account(&identity)
        .build(&mut app, &mgmt)
        .unwrap();
    let id_stack = identity_set.template();
    let assume = ManagedPolicy::new(
        "AssumeWorkloadRoles",
        PolicyDocument::new().statement(
            Statement::allow()
                .action("sts:AssumeRole")
                .resource("arn:aws:iam::*:role/workload-admin"),
        ),
    )
    .build(&mut app, &id_stack)
    .unwrap();
    Group::new("Administrators")
        .name("administrators")
        .managed_policy(assume)
        .managed_policy(ManagedPolicyRef::aws_managed("IAMUserChangePassword"))
        .build(&mut app, &id_stack)
        .unwrap();
    Group::new("Developers")
        .name("developers")
        .managed_policy(ManagedPolicyRef::aws_managed("IAMUserChangePassword"))
        .build(&mut app, &id_stack)
        .unwrap();

    // A role in every workload account, trusting the identity account only with MFA.
    let roles = StackSet::new("WorkloadRoles", "workload-roles")
        .target(&workloads)
        .build(&mut app, &mgmt)
        .unwrap();
    Role::assumable_with_mfa("Admin", identity.id())
        .name("workload-admin")
        .mfa_max_age(3600)
        .managed_policy(ManagedPolicyRef::aws_managed("AdministratorAccess"))
        .build(&mut app, &roles.template())
        .unwrap();
    app
}
