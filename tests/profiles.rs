//! Profiles for people: which roles are listed, and the file's shape.

use std::collections::BTreeMap;

use orgstack::iam::{PolicyDocument, Principal, Role, Statement};
use orgstack::org::{Account, Organization, OrganizationalUnit};
use orgstack::review::profiles::{self, ConfigOptions};
use orgstack::stackset::StackSet;
use orgstack::App;

fn app() -> App {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app
        .add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    let security = app.add(&org, OrganizationalUnit::new("Security")).unwrap();
    let work = app.add(&org, OrganizationalUnit::new("Workloads")).unwrap();
    let identity = app
        .add(
            &security,
            Account::new("Identity", "aws+identity@acme.example"),
        )
        .unwrap();
    app.add(&work, Account::new("Dev", "aws+dev@acme.example"))
        .unwrap();
    app.add(&work, Account::new("Prod", "aws+prod@acme.example"))
        .unwrap();
    let roles = app
        .add(&mgmt, StackSet::new("Roles", "roles").target(&work))
        .unwrap();
    let t = roles.template();
    app.add(
        &t,
        Role::assumable_with_mfa("Admin", &identity).name("admin+ops"),
    )
    .unwrap();
    // No RoleName: CloudFormation names it, no profile can.
    app.add(&t, Role::assumable_with_mfa("Unnamed", &identity))
        .unwrap();
    // Without MFA: for machines, not listed.
    app.add(
        &t,
        Role::new(
            "Robot",
            PolicyDocument::new().statement(
                Statement::allow()
                    .principal(Principal::account(identity.id()))
                    .action("sts:AssumeRole"),
            ),
        )
        .name("robot")
        .without_mfa("a pipeline"),
    )
    .unwrap();
    app
}

#[test]
fn only_named_roles_trusted_with_mfa_are_listed_once_per_account_they_are_in() {
    let app = app();
    let listed: Vec<(String, String, String)> = profiles::accesses(&app)
        .into_iter()
        .map(|a| (a.role, a.account, a.from_account))
        .collect();
    assert_eq!(
        listed,
        [
            ("admin+ops".into(), "Dev".into(), "Identity".into()),
            ("admin+ops".into(), "Prod".into(), "Identity".into()),
        ]
    );
}

#[test]
fn the_file_has_a_profile_per_known_account_and_a_comment_for_the_others() {
    let app = app();
    let accesses = profiles::accesses(&app);
    let ids = BTreeMap::from([("Dev".to_owned(), "111111111111".to_owned())]);
    let config = profiles::aws_config(
        &accesses,
        &ids,
        &ConfigOptions::new("999999999999", "eu-west-1"),
    );
    assert!(config.contains(
        "[profile dev-admin-ops]\nrole_arn = arn:aws:iam::111111111111:role/admin+ops\nsource_profile = identity\nmfa_serial = arn:aws:iam::999999999999:mfa/USER\nregion = eu-west-1\n"
    ), "{config}");
    assert!(
        config.contains("[profile identity]\nregion = eu-west-1\n"),
        "{config}"
    );
    assert!(config.contains("# prod-admin-ops: role admin+ops in Prod (no account id given)"));
    assert_eq!(config.matches("role_arn").count(), 1);
    assert!(config.contains(
        "https://signin.aws.amazon.com/switchrole?roleName=admin%2Bops&account=111111111111&displayName=dev-admin-ops"
    ), "{config}");
}
