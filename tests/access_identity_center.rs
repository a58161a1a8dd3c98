//! The access simulator with IAM Identity Center: which permission sets a group can use
//! where, and what a permission-set session may do, on the reference layout switched to
//! Identity Center.

use orgstack::access::{AccessError, Auth, Simulator, Verdict};
use orgstack::iam::{keys, Condition, PolicyDocument, Statement};
use orgstack::layouts::{
    FiveAccountLayout, FiveAccountLayoutBuilder, GroupSpec, IdentityModel, DEVELOPER, READ_ONLY,
};
use orgstack::org::{Account, Organization};
use orgstack::services::{IdentityCenter, PermissionSet, PermissionsBoundary};
use orgstack::App;

fn layout(groups: Option<Vec<GroupSpec>>) -> (App, FiveAccountLayout) {
    layout_with(|b| match groups {
        Some(g) => b.groups(g),
        None => b,
    })
}

/// The layout with Identity Center, as `settings` changes it.
fn layout_with(
    settings: impl FnOnce(FiveAccountLayoutBuilder) -> FiveAccountLayoutBuilder,
) -> (App, FiveAccountLayout) {
    let mut app = App::new();
    let management = app.stack("Management").unwrap();
    let b = FiveAccountLayout::builder("acme")
        .email_domain("aws.acme.example")
        .allowed_regions(["us-east-1", "eu-west-1"])
        .identity_model(IdentityModel::IdentityCenter);
    let layout = app.add(&management, settings(b)).unwrap();
    (app, layout)
}

#[test]
fn the_developers_use_their_permission_set_in_dev_but_not_in_prod() {
    let (app, layout) = layout(None);
    let sim = Simulator::new(&app);
    let dev = &layout.environment_accounts()["dev"];
    let prod = &layout.environment_accounts()["prod"];
    // The layout's defaults: developer in non-production, read-only in production.
    assert_eq!(sim.permission_sets("developers", dev).unwrap(), [DEVELOPER]);
    assert_eq!(
        sim.permission_sets("developers", prod).unwrap(),
        [READ_ONLY]
    );
    let mine: Vec<(String, String)> = sim
        .sso_assignments()
        .into_iter()
        .filter(|a| a.group == "developers" && a.permission_set == DEVELOPER)
        .map(|a| (a.account, a.account_id))
        .collect();
    let staging = &layout.environment_accounts()["staging"];
    assert_eq!(
        mine.iter().map(|(_, id)| id.as_str()).collect::<Vec<_>>(),
        [
            sim.account_id(dev).unwrap(),
            sim.account_id(staging).unwrap()
        ]
    );
    assert_eq!(mine[0].0, "acme-dev");
    let d = sim
        .sign_in("alice", &["developers"], DEVELOPER, dev, Auth::mfa(60))
        .unwrap();
    assert!(d.is_allowed(), "{d}");
    let session = d.session().unwrap();
    let dev_id = sim.account_id(dev).unwrap();
    let who = session.who().to_string();
    assert!(
        who.starts_with(&format!(
            "arn:aws:sts::{dev_id}:assumed-role/AWSReservedSSO_{DEVELOPER}_"
        )) && who.ends_with("/alice"),
        "{who}"
    );
    // PowerUserAccess: workloads yes, IAM no.
    let d = sim.request(session, "s3:ListAllMyBuckets", "*", "us-east-1");
    assert_eq!(d.verdict(), Verdict::Allow, "{d}");
    let d = sim.request(session, "iam:CreateUser", "*", "us-east-1");
    assert_eq!(d.verdict(), Verdict::ImplicitDeny, "{d}");

    let d = sim
        .sign_in("alice", &["developers"], DEVELOPER, prod, Auth::mfa(60))
        .unwrap();
    assert_eq!(d.verdict(), Verdict::ImplicitDeny, "{d}");
    assert_eq!(d.decided_by(), "Identity Center assignments");
    assert!(d.session().is_none());
    // Read-only in prod: ReadOnlyAccess is not in the simulator's table, so unknown.
    let d = sim
        .sign_in("alice", &["developers"], READ_ONLY, prod, Auth::mfa(60))
        .unwrap();
    let d = sim.request(d.session().unwrap(), "s3:GetObject", "*", "us-east-1");
    assert_eq!(d.verdict(), Verdict::Unknown, "{d}");
}

#[test]
fn a_permission_set_session_is_still_bounded_by_the_scps() {
    let (app, layout) = layout(None);
    let sim = Simulator::new(&app);
    let dev = &layout.environment_accounts()["dev"];
    let d = sim
        .sign_in("alice", &["developers"], DEVELOPER, dev, Auth::mfa(60))
        .unwrap();
    let session = d.session().unwrap();
    let inside = sim.request(session, "sts:GetSessionToken", "*", "eu-west-1");
    assert_eq!(inside.verdict(), Verdict::Allow, "{inside}");
    let outside = sim.request(session, "sts:GetSessionToken", "*", "ap-south-1");
    assert_eq!(outside.verdict(), Verdict::ExplicitDeny, "{outside}");
    assert!(outside.decided_by().starts_with("SCPs"), "{outside}");
    assert!(
        outside
            .deciding_statements()
            .iter()
            .any(|s| s.contains("DenyStsOutsideAllowedRegions")),
        "{outside}"
    );
}

#[test]
fn a_group_the_matrix_does_not_assign_gets_nothing() {
    let mut groups = GroupSpec::defaults();
    groups.push(GroupSpec::new("contractors", []));
    let (app, layout) = layout(Some(groups));
    let sim = Simulator::new(&app);
    assert!(sim
        .sso_assignments()
        .iter()
        .all(|a| a.group != "contractors"));
    let mut accounts: Vec<_> = layout.environment_accounts().values().cloned().collect();
    accounts.push(layout.audit_account().clone());
    accounts.push(layout.identity_account().clone());
    for account in &accounts {
        assert!(sim
            .permission_sets("contractors", account)
            .unwrap()
            .is_empty());
        for set in [DEVELOPER, READ_ONLY, "administrator", "auditor"] {
            let d = sim
                .sign_in("carol", &["contractors"], set, account, Auth::mfa(0))
                .unwrap();
            assert!(d.is_denied(), "{d}");
        }
    }
    // A group no Identity Center declares, or a permission set, is an error.
    let dev = &layout.environment_accounts()["dev"];
    assert_eq!(
        sim.permission_sets("nobody", dev),
        Err(AccessError::UnknownIdentityCenterGroup("nobody".into()))
    );
    assert!(matches!(
        sim.sign_in("carol", &["developers"], "Nothing", dev, Auth::mfa(0)),
        Err(AccessError::UnknownPermissionSet(_))
    ));
}

/// An Identity Center of its own: a permission set that denies without MFA, one with a
/// permissions boundary.
fn own_center() -> (App, orgstack::org::AccountHandle) {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app
        .add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    let prod = app
        .add(&org, Account::new("Prod", "aws+prod@acme.example"))
        .unwrap();
    let sso = app.stack("IdentityCenter").unwrap();
    app.add(
        &sso,
        IdentityCenter::new()
            .group("ops", "Ops")
            .permission_set(
                PermissionSet::new("Operator")
                    .aws_managed_policy("AdministratorAccess")
                    .inline_policy(PolicyDocument::new().statement(
                        Statement::deny().action("*").resource("*").condition(
                            Condition::bool_if_exists(keys::MULTI_FACTOR_AUTH_PRESENT, false),
                        ),
                    )),
            )
            .permission_set(
                PermissionSet::new("Bounded")
                    .aws_managed_policy("AdministratorAccess")
                    .permissions_boundary(PermissionsBoundary::AwsManaged(
                        "PowerUserAccess".into(),
                    )),
            )
            .assign("ops", "Operator", &prod)
            .assign("ops", "Bounded", &prod),
    )
    .unwrap();
    (app, prod)
}

#[test]
fn mfa_is_what_the_caller_states_and_a_boundary_is_unknown() {
    let (app, prod) = own_center();
    let sim = Simulator::new(&app);
    let request = |auth: Auth, set: &str| {
        let d = sim.sign_in("dan", &["ops"], set, &prod, auth).unwrap();
        assert!(d.is_allowed(), "{d}");
        sim.request(d.session().unwrap(), "ec2:RunInstances", "*", "us-east-1")
            .verdict()
    };
    assert_eq!(request(Auth::mfa(30), "Operator"), Verdict::Allow);
    assert_eq!(request(Auth::WithoutMfa, "Operator"), Verdict::ExplicitDeny);
    // A portal session is temporary credentials: no key means no MFA.
    assert_eq!(
        request(Auth::LongTermKey, "Operator"),
        Verdict::ExplicitDeny
    );
    // The simulator does not evaluate permissions boundaries.
    assert_eq!(request(Auth::mfa(30), "Bounded"), Verdict::Unknown);
}

#[test]
fn the_auditor_permission_set_reads_the_encrypted_archive_through_s3() {
    use orgstack::access::Request;
    use orgstack::layouts::{KmsKey, AUDITOR};
    let (app, layout) = layout_with(|b| b.kms_key(KmsKey::CustomerManaged));
    let sim = Simulator::new(&app);
    let key = sim
        .resource_arn(&layout.kms_key().unwrap())
        .unwrap()
        .to_owned();
    let audit = layout.audit_account();
    let d = sim
        .sign_in("ann", &["administrators"], AUDITOR, audit, Auth::mfa(60))
        .unwrap();
    let auditor = d.session().unwrap_or_else(|| panic!("{d}"));
    let decrypt = |via: &str| {
        sim.request_with(
            auditor,
            Request::new("kms:Decrypt", &key).with("kms:ViaService", via),
            "us-east-1",
        )
    };
    let d = decrypt("s3.us-east-1.amazonaws.com");
    assert_eq!(d.verdict(), Verdict::Allow, "{d}");
    let d = decrypt("lambda.us-east-1.amazonaws.com");
    assert!(d.is_denied(), "{d}");
    // The developers' permission set, in dev, is not named by the key policy.
    let dev = &layout.environment_accounts()["dev"];
    let d = sim
        .sign_in("bob", &["developers"], DEVELOPER, dev, Auth::mfa(60))
        .unwrap();
    let d = sim.request_with(
        d.session().unwrap(),
        Request::new("kms:Decrypt", &key).with("kms:ViaService", "s3.us-east-1.amazonaws.com"),
        "us-east-1",
    );
    assert!(d.is_denied(), "{d}");
}
