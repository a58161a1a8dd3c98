//! The five-account layout's security promises, asked of the access simulator: who
//! reaches which role, with which credentials, from where, and who writes the archive.

use orgstack::access::{Auth, Request, Simulator, Verdict};
use orgstack::iam::{PolicyDocument, Statement};
use orgstack::layouts::{
    FiveAccountLayout, FiveAccountLayoutBuilder, ADMINISTRATOR, DEVELOPER,
    ORGANIZATION_ACCESS_ROLE, READ_ONLY,
};
use orgstack::App;

const HOME: &str = "us-east-1";
const ELSEWHERE: &str = "ap-southeast-2";

fn layout() -> (App, FiveAccountLayout) {
    layout_with(|b| b)
}

/// The reference layout, as `settings` changes it.
fn layout_with(
    settings: impl FnOnce(FiveAccountLayoutBuilder) -> FiveAccountLayoutBuilder,
) -> (App, FiveAccountLayout) {
    let mut app = App::new();
    let management = app.stack("Management").unwrap();
    let layout = app
        .add(
            &management,
            settings(
                FiveAccountLayout::builder("acme")
                    .email_domain("aws.acme.example")
                    .allowed_regions(["us-east-1", "eu-west-1"])
                    .alert_email("cloud-alerts@acme.example"),
            ),
        )
        .unwrap();
    (app, layout)
}

fn admin_policy() -> PolicyDocument {
    PolicyDocument::new().statement(Statement::allow().action("*").resource("*"))
}

#[test]
fn no_identity_principal_reaches_a_role_without_fresh_mfa() {
    let (app, layout) = layout();
    let sim = Simulator::new(&app);
    let identity = layout.identity_account();
    for auth in [
        Auth::LongTermKey,
        Auth::WithoutMfa,
        Auth::mfa(3601),
        Auth::mfa(86_400),
    ] {
        let paths = sim.paths_into_roles(identity, auth, HOME).unwrap();
        assert!(
            paths.is_empty(),
            "{auth:?}: {}",
            paths
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    // With fresh MFA the grants open, and only them.
    let paths = sim.paths_into_roles(identity, Auth::mfa(60), HOME).unwrap();
    assert!(
        paths.iter().all(|p| p.verdict == Verdict::Allow),
        "{paths:?}"
    );
    let mut developers: Vec<String> = paths
        .iter()
        .filter(|p| p.from == "group acme-developers")
        .map(|p| format!("{} in {}", p.role, p.account))
        .collect();
    developers.sort();
    assert_eq!(
        developers,
        [
            "developer in acme-dev",
            "developer in acme-staging",
            "read-only in acme-prod",
            "read-only in acme-shared-services",
        ]
    );
    // The identity account's own organization access role, once opened with MFA (from the
    // management account), reaches every role that trusts the identity account: the path
    // the management account's administrators hold, and the alert watches.
    assert!(paths
        .iter()
        .any(|p| p.from == "role OrganizationAccountAccessRole"
            && p.role == ADMINISTRATOR
            && p.account == "acme-prod"));
    // Nobody of the identity account reaches the organization access role.
    assert!(
        paths.iter().all(|p| p.role != ORGANIZATION_ACCESS_ROLE),
        "{paths:?}"
    );
}

#[test]
fn a_leaked_access_key_can_do_nothing() {
    let (app, layout) = layout();
    let sim = Simulator::new(&app);
    let identity = layout.identity_account();
    let id = sim.account_id(identity).unwrap().to_owned();
    let me = format!("arn:aws:iam::{id}:user/alice");
    let mfa = format!("arn:aws:iam::{id}:mfa/alice");
    let dev = &layout.environment_accounts()["dev"];
    let role = sim.role(dev, DEVELOPER).unwrap();
    for group in layout.groups().values() {
        let alice = sim
            .user(identity, "alice", &[group], Auth::LongTermKey)
            .unwrap();
        for (action, resource) in [
            ("iam:CreateVirtualMFADevice", mfa.as_str()),
            ("iam:EnableMFADevice", me.as_str()),
            ("iam:CreateAccessKey", me.as_str()),
            ("iam:ChangePassword", me.as_str()),
            ("iam:GetUser", me.as_str()),
            ("iam:ListVirtualMFADevices", "*"),
            ("s3:ListAllMyBuckets", "*"),
            ("sts:GetSessionToken", "*"),
        ] {
            let d = sim.request(&alice, action, resource, HOME);
            assert!(d.is_denied(), "{d}");
        }
        for role in sim.roles() {
            let d = sim.assume(&alice, role, HOME);
            assert!(d.is_denied(), "{d}");
        }
        assert_eq!(
            sim.assume(&alice, role, HOME).verdict(),
            Verdict::ExplicitDeny
        );
    }
}

#[test]
fn the_decision_trail_of_a_leaked_key_says_what_denied_it() {
    let (app, layout) = layout();
    let sim = Simulator::new(&app);
    let developers = &layout.groups()["developers"];
    let alice = sim
        .user(
            layout.identity_account(),
            "alice",
            &[developers],
            Auth::LongTermKey,
        )
        .unwrap();
    let role = sim
        .role(&layout.environment_accounts()["dev"], DEVELOPER)
        .unwrap();
    let d = sim.assume(&alice, role, HOME);
    assert_eq!(d.verdict(), Verdict::ExplicitDeny);
    assert_eq!(d.decided_by(), "identity policies");
    assert_eq!(
        d.deciding_statements(),
        [
            "managed policy acme-self-service: Deny DenyAllWithLongTermKeys",
            "managed policy acme-self-service: Deny DenyAllButFirstSignInWithoutMfa",
        ]
    );
    let ids = (
        sim.account_id(layout.identity_account())
            .unwrap()
            .to_owned(),
        sim.account_id(&layout.environment_accounts()["dev"])
            .unwrap()
            .to_owned(),
    );
    assert_eq!(
        d.to_string(),
        format!(
            "may user alice of acme-identity (groups acme-developers; long-term access key) assume role developer in acme-dev (arn:aws:iam::{dev}:role/developer) from us-east-1?
=> explicit deny (decided by identity policies)
  SCPs at the root: allow
    SCP FullAWSAccess Allow statement #0
  SCPs at OU Security: allow
    SCP FullAWSAccess Allow statement #0
  SCPs at account acme-identity: allow
    SCP FullAWSAccess Allow statement #0
  resource policy (trust policy of role developer): implicit deny
  identity policies: explicit deny
    managed policy acme-self-service Deny statement DenyAllWithLongTermKeys
    managed policy acme-self-service Deny statement DenyAllButFirstSignInWithoutMfa",
            dev = ids.1
        )
    );
}

#[test]
fn developers_reach_the_developer_role_in_dev_and_staging_but_not_administrator_in_prod() {
    let (app, layout) = layout();
    let sim = Simulator::new(&app);
    let developers = &layout.groups()["developers"];
    let alice = sim
        .user(
            layout.identity_account(),
            "alice",
            &[developers],
            Auth::mfa(300),
        )
        .unwrap();
    let envs = layout.environment_accounts();
    for env in ["dev", "staging"] {
        let d = sim.assume(&alice, sim.role(&envs[env], DEVELOPER).unwrap(), HOME);
        assert!(d.is_allowed(), "{d}");
        // The session keeps MFA and its age.
        let session = d.session().expect("a session");
        assert_eq!(
            session.context().values("aws:MultiFactorAuthAge"),
            Some(&["300".to_owned()][..])
        );
    }
    for role in [ADMINISTRATOR, DEVELOPER] {
        let d = sim.assume(&alice, sim.role(&envs["prod"], role).unwrap(), HOME);
        assert!(d.is_denied(), "{d}");
    }
    let d = sim.assume(&alice, sim.role(&envs["prod"], READ_ONLY).unwrap(), HOME);
    assert!(d.is_allowed(), "{d}");
    // Not from a region where STS is closed.
    let d = sim.assume(
        &alice,
        sim.role(&envs["dev"], DEVELOPER).unwrap(),
        ELSEWHERE,
    );
    assert_eq!(d.verdict(), Verdict::ExplicitDeny, "{d}");
    assert_eq!(d.decided_by(), "SCPs at the root");
}

#[test]
fn nobody_calls_sts_in_a_member_account_outside_the_allowed_regions() {
    let (app, _layout) = layout();
    let sim = Simulator::new(&app);
    for action in [
        "sts:AssumeRole",
        "sts:GetSessionToken",
        "sts:GetFederationToken",
    ] {
        let req = Request::new(action, "*");
        let who = sim.who_can(&req, ELSEWHERE, Auth::mfa(60));
        let names: Vec<_> = who.iter().map(|(n, _)| n.as_str()).collect();
        // Only the management account's own principals, which SCPs never restrict.
        assert!(
            names.iter().all(|n| n.contains(" management")),
            "{action}: {names:?}"
        );
        let at_home = sim.who_can(&req, HOME, Auth::mfa(60));
        assert!(at_home.len() > names.len(), "{action}");
    }
    // What no policy can stop: sts:GetCallerIdentity answers everyone, everywhere.
    let who = sim.who_can(
        &Request::new("sts:GetCallerIdentity", "*"),
        ELSEWHERE,
        Auth::LongTermKey,
    );
    assert!(who.iter().all(|(_, d)| d.is_allowed()));
    assert!(who.iter().any(|(n, _)| n.contains("acme-dev")), "{who:?}");
}

#[test]
fn the_archive_rejects_overwrites_and_deletes_from_everyone() {
    let (app, layout) = layout();
    let sim = Simulator::new(&app);
    let audit = sim.account_id(layout.audit_account()).unwrap().to_owned();
    let bucket = format!("arn:aws:s3:::acme-audit-logs-{audit}");
    let object = format!(
        "{bucket}/AWSLogs/{}/{}/CloudTrail/us-east-1/2026/01/01/log.json.gz",
        sim.organization_id().unwrap(),
        sim.management_account_id()
    );
    // Every principal that can write to the archive: the organization trail and the
    // organization's Config, nobody else.
    let put = Request::new("s3:PutObject", object.clone())
        .with("s3:x-amz-acl", "bucket-owner-full-control");
    let writers: Vec<String> = sim
        .who_can(&put, HOME, Auth::mfa(1))
        .into_iter()
        .map(|(who, _)| who)
        .collect();
    assert_eq!(
        writers,
        [
            format!(
                "service cloudtrail.amazonaws.com for arn:aws:cloudtrail:us-east-1:{}:trail/acme-organization-trail",
                sim.management_account_id()
            ),
            format!(
                "service config.amazonaws.com of organization {}",
                sim.organization_id().unwrap()
            ),
        ]
    );
    for (action, resource) in [
        ("s3:DeleteObject", object.as_str()),
        ("s3:DeleteObjectVersion", object.as_str()),
        ("s3:PutObjectRetention", object.as_str()),
        ("s3:BypassGovernanceRetention", object.as_str()),
        ("s3:PutLifecycleConfiguration", bucket.as_str()),
        ("s3:PutBucketPolicy", bucket.as_str()),
        ("s3:DeleteBucket", bucket.as_str()),
    ] {
        let req = Request::new(action, resource).with("s3:x-amz-acl", "bucket-owner-full-control");
        for auth in [Auth::mfa(1), Auth::WithoutMfa] {
            let who = sim.who_can(&req, HOME, auth);
            assert!(
                who.is_empty(),
                "{action}: {}",
                who.iter()
                    .map(|(_, d)| d.to_string())
                    .collect::<Vec<_>>()
                    .join("\n\n")
            );
        }
    }
    // The audit account's own administrator is among those asked, and denied by the
    // bucket policy whatever its own policies allow.
    let admin = sim
        .role(layout.audit_account(), ORGANIZATION_ACCESS_ROLE)
        .unwrap();
    let boss = sim.management_user("boss", &[("admin", &admin_policy())], Auth::mfa(30));
    let session = sim.assume(&boss, admin, HOME);
    let session = session
        .session()
        .expect("the management account assumes it")
        .clone();
    let d = sim.request(&session, "s3:DeleteObject", &object, HOME);
    // The guardrail SCP denies it first, and the bucket policy denies it too.
    assert_eq!(d.verdict(), Verdict::ExplicitDeny, "{d}");
    assert_eq!(d.decided_by(), "SCPs at the root");
    let bucket_policy = format!("resource policy (bucket policy of acme-audit-logs-{audit})");
    assert!(
        d.steps()
            .iter()
            .any(|s| s.layer == bucket_policy && s.verdict == Verdict::ExplicitDeny),
        "{d}"
    );
    // The organization trail writes.
    let trail = format!(
        "arn:aws:cloudtrail:us-east-1:{}:trail/acme-organization-trail",
        sim.management_account_id()
    );
    let cloudtrail = sim.service(
        "cloudtrail.amazonaws.com",
        Some(&trail),
        Some(sim.management_account_id()),
    );
    let put = Request::new("s3:PutObject", object.clone())
        .with("s3:x-amz-acl", "bucket-owner-full-control");
    let d = sim.request_with(&cloudtrail, put.clone(), HOME);
    assert!(d.is_allowed(), "{d}");
    let other = sim.service(
        "cloudtrail.amazonaws.com",
        Some("arn:aws:cloudtrail:us-east-1:999999999999:trail/x"),
        None,
    );
    assert_eq!(
        sim.request_with(&other, put, HOME).verdict(),
        Verdict::ExplicitDeny
    );
}

#[test]
fn the_management_account_is_outside_every_scp() {
    let (app, layout) = layout();
    let sim = Simulator::new(&app);
    let boss = sim.management_user("boss", &[("admin", &admin_policy())], Auth::LongTermKey);
    let d = sim.request(&boss, "sts:GetSessionToken", "*", ELSEWHERE);
    assert!(d.is_allowed(), "{d}");
    assert!(d.steps().iter().all(|s| !s.layer.starts_with("SCP")), "{d}");
    // The same policy in a member account meets the guardrails.
    let dev = &layout.environment_accounts()["dev"];
    let dev_user = sim
        .user(dev, "bob", &[], Auth::mfa(10))
        .unwrap()
        .with_policy("admin", &admin_policy());
    let d = sim.request(&dev_user, "sts:GetSessionToken", "*", ELSEWHERE);
    assert_eq!(d.verdict(), Verdict::ExplicitDeny, "{d}");
    assert!(
        d.deciding_statements()
            .iter()
            .any(|s| s.contains("acme-deny-sts-outside-allowed-regions")),
        "{d}"
    );
    // An explicit Deny of one layer overrides the Allow of another.
    let d = sim.request(&dev_user, "organizations:LeaveOrganization", "*", HOME);
    assert_eq!(d.verdict(), Verdict::ExplicitDeny, "{d}");
    assert!(d
        .steps()
        .iter()
        .any(|s| s.layer == "identity policies" && s.verdict == Verdict::Allow));
}

#[test]
fn the_organization_access_role_needs_mfa() {
    let (app, layout) = layout();
    let sim = Simulator::new(&app);
    let dev = &layout.environment_accounts()["dev"];
    let role = sim.role(dev, ORGANIZATION_ACCESS_ROLE).unwrap();
    let without = sim.management_user("ops", &[("admin", &admin_policy())], Auth::WithoutMfa);
    let session = sim.assume(&without, role, HOME);
    // Assuming is allowed (the SCP leaves sts:AssumeRole of the management account's
    // principals alone); everything the session then does is denied.
    let session = session
        .session()
        .expect("the management account assumes it")
        .clone();
    let d = sim.request(&session, "ec2:RunInstances", "*", HOME);
    assert_eq!(d.verdict(), Verdict::ExplicitDeny, "{d}");
    assert!(
        d.deciding_statements()
            .iter()
            .any(|s| s.contains("protect-organization-access-role")),
        "{d}"
    );
    let with = sim.management_user("ops", &[("admin", &admin_policy())], Auth::mfa(60));
    let d = sim.assume(&with, role, HOME);
    let session = d.session().expect("with MFA the role is assumed");
    let d = sim.request(session, "ec2:RunInstances", "*", HOME);
    assert!(d.is_allowed(), "{d}");
    // A long-term key of the management account: no MFA key at all.
    let key = sim.management_user("ops", &[("admin", &admin_policy())], Auth::LongTermKey);
    let d = sim.assume(&key, role, HOME);
    let session = d.session().expect("the management account assumes it");
    assert_eq!(
        sim.request(session, "s3:ListAllMyBuckets", "*", HOME)
            .verdict(),
        Verdict::ExplicitDeny
    );
}

#[test]
fn the_identity_account_in_a_trust_policy_is_the_callers_account() {
    let (app, layout) = layout();
    let sim = Simulator::new(&app);
    let dev = &layout.environment_accounts()["dev"];
    let role = sim.role(dev, DEVELOPER).unwrap();
    // A principal of shared services with every permission and fresh MFA is not trusted.
    let shared = sim
        .user(layout.shared_services_account(), "eve", &[], Auth::mfa(5))
        .unwrap()
        .with_policy("admin", &admin_policy());
    let d = sim.assume(&shared, role, HOME);
    assert_eq!(d.verdict(), Verdict::ImplicitDeny, "{d}");
    assert_eq!(
        d.decided_by(),
        "resource policy (trust policy of role developer)"
    );
    // A developer session in dev cannot chain into staging: the trust names the identity
    // account, not dev.
    let developers = &layout.groups()["developers"];
    let alice = sim
        .user(
            layout.identity_account(),
            "alice",
            &[developers],
            Auth::mfa(5),
        )
        .unwrap();
    let d = sim.assume_as(&alice, role, HOME, Some("alice"));
    let session = d.session().expect("allowed").clone();
    assert_eq!(
        session.context().values("aws:SourceIdentity"),
        Some(&["alice".to_owned()][..])
    );
    let staging = sim
        .role(&layout.environment_accounts()["staging"], DEVELOPER)
        .unwrap();
    assert!(sim.assume(&session, staging, HOME).is_denied());
}

#[test]
fn what_the_simulator_cannot_interpret_is_unknown() {
    use orgstack::cfn::Expr;
    use orgstack::iam::{ManagedPolicyRef, Role};
    let mut app = App::new();
    let stack = app.stack("Member").unwrap();
    // A role trusting an account imported from elsewhere, with a policy known by ARN only.
    app.add(
        &stack,
        Role::assumable_with_mfa("Imported", orgstack::org::AccountRef::from("123456789012"))
            .name("imported")
            .managed_policy(ManagedPolicyRef::Arn(
                Expr::import_value("Shared:PolicyArn").into(),
            )),
    )
    .unwrap();
    app.add(
        &stack,
        Role::new(
            "Foreign",
            PolicyDocument::new().statement(
                Statement::allow()
                    .principal(orgstack::iam::Principal::aws(Expr::import_value(
                        "Other:Account",
                    )))
                    .action("sts:AssumeRole")
                    .condition(orgstack::iam::Condition::bool(
                        orgstack::iam::keys::MULTI_FACTOR_AUTH_PRESENT,
                        true,
                    )),
            ),
        )
        .name("foreign"),
    )
    .unwrap();
    let sim = Simulator::new(&app);
    let roles: Vec<_> = sim.roles().collect();
    assert_eq!(roles.len(), 2);
    let outsider = sim.management_user("x", &[("admin", &admin_policy())], Auth::mfa(1));
    // The management stack's roles live in the management account; the caller there
    // with every permission may or may not be trusted by the imported principal.
    let d = sim.assume(&outsider, roles[1], HOME);
    assert_eq!(d.verdict(), Verdict::Unknown, "{d}");
    assert_eq!(
        d.decided_by(),
        "resource policy (trust policy of role foreign)"
    );
    assert!(
        d.to_string().contains(
            "trust policy of role foreign Allow statement #0 (depends on an unknown value)"
        ),
        "{d}"
    );
    // The role trusted from 123456789012 with an unknown managed policy: its session's
    // rights are unknown, but an explicit Deny is still a Deny.
    let d = sim.assume(&outsider, roles[0], HOME);
    assert!(d.is_denied(), "{d}");
}

#[test]
fn handles_of_another_simulator_are_refused_not_followed() {
    use orgstack::access::AccessError;
    let (app, layout) = layout();
    let sim = Simulator::new(&app);
    let small = App::new();
    let other = Simulator::new(&small);
    let foreign = sim.roles().last().unwrap();
    assert!(other.role_arn(foreign).is_none());
    let caller = other.management_user("x", &[("admin", &admin_policy())], Auth::mfa(1));
    let d = other.assume(&caller, foreign, HOME);
    assert_eq!(d.verdict(), Verdict::Unknown, "{d}");
    assert!(other.assume_inputs(&caller, foreign, HOME).is_none());
    let (group, _, _) = sim.groups().last().unwrap();
    assert!(matches!(
        other.user_in_group(group, "x", Auth::mfa(1)),
        Err(AccessError::UnknownGroup(_))
    ));
    assert!(matches!(
        other.account_id(layout.identity_account()),
        Err(AccessError::UnknownAccount(_))
    ));
    assert!(matches!(
        sim.role(layout.identity_account(), "no-such-role"),
        Err(AccessError::UnknownRole(_))
    ));
}

#[test]
fn rcps_deny_for_the_resources_of_member_accounts_only() {
    use orgstack::iam::{keys, Condition, Principal};
    use orgstack::org::{Account, Organization, OrganizationalUnit, Policy as OrgPolicy};
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app.add(&mgmt, Organization::create()).unwrap();
    let workloads = app.add(&org, OrganizationalUnit::new("Workloads")).unwrap();
    let prod = app
        .add(&workloads, Account::new("Prod", "aws+prod@acme.example"))
        .unwrap();
    let tls = app
        .add(
            &org,
            OrgPolicy::resource_control(
                "RequireTls",
                PolicyDocument::new().statement(
                    Statement::deny()
                        .sid("DenyWithoutTls")
                        .principal(Principal::any())
                        .action("s3:*")
                        .resource("*")
                        .condition(Condition::bool(keys::SECURE_TRANSPORT, false)),
                ),
            ),
        )
        .unwrap();
    tls.attach(&mut app, &workloads);
    let sim = Simulator::new(&app);
    let boss = sim.management_user("boss", &[("admin", &admin_policy())], Auth::mfa(5));
    let role = sim.role(&prod, ORGANIZATION_ACCESS_ROLE).unwrap();
    let d = sim.assume(&boss, role, HOME);
    let session = d.session().expect("the management account assumes it");
    let plain = Request::new("s3:GetObject", "arn:aws:s3:::prod-data/k")
        .with("aws:SecureTransport", "false");
    let d = sim.request_with(session, plain.clone(), HOME);
    assert_eq!(d.verdict(), Verdict::ExplicitDeny, "{d}");
    assert_eq!(d.decided_by(), "RCPs");
    assert_eq!(
        d.deciding_statements(),
        ["RCP RequireTls: Deny DenyWithoutTls"]
    );
    let tls = plain.clone().with("aws:SecureTransport", "true");
    assert!(sim.request_with(session, tls, HOME).is_allowed());
    // Another service's resources, and the management account's own, are not covered.
    let ec2 = Request::new("ec2:DescribeInstances", "*").with("aws:SecureTransport", "false");
    assert!(sim.request_with(session, ec2, HOME).is_allowed());
    let d = sim.request_with(&boss, plain, HOME);
    assert!(d.is_allowed(), "{d}");
    assert!(d.steps().iter().all(|s| s.layer != "RCPs"));
}

/// An organization without FullAWSAccess: SCPs that allow, intersected level by level.
fn allow_list_app() -> (App, orgstack::org::AccountHandle) {
    use orgstack::org::{Account, Organization, OrganizationalUnit, Policy as OrgPolicy};
    let allow = |actions: &[&str]| {
        PolicyDocument::new().statement(
            Statement::allow()
                .actions(actions.iter().copied())
                .resource("*"),
        )
    };
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app
        .add(
            &mgmt,
            Organization::create().full_aws_access_attached(false),
        )
        .unwrap();
    let workloads = app.add(&org, OrganizationalUnit::new("Workloads")).unwrap();
    let dev = app
        .add(&workloads, Account::new("Dev", "aws+dev@acme.example"))
        .unwrap();
    let root = app
        .add(
            &org,
            OrgPolicy::service_control("AllowS3AndSts", allow(&["s3:*", "sts:*"])),
        )
        .unwrap();
    root.attach(&mut app, &org);
    let ou = app
        .add(
            &org,
            OrgPolicy::service_control("AllowS3", allow(&["s3:*"])),
        )
        .unwrap();
    ou.attach(&mut app, &workloads);
    let account = app
        .add(&org, OrgPolicy::service_control("AllowAll", allow(&["*"])))
        .unwrap();
    account.attach(&mut app, &dev);
    (app, dev)
}

#[test]
fn scps_that_allow_are_intersected_level_by_level() {
    let (app, dev) = allow_list_app();
    let sim = Simulator::new(&app);
    let boss = sim.management_user("boss", &[("admin", &admin_policy())], Auth::mfa(5));
    let role = sim.role(&dev, ORGANIZATION_ACCESS_ROLE).unwrap();
    // The management account is outside every SCP, so it assumes the role.
    let d = sim.assume(&boss, role, HOME);
    let session = d.session().expect("assumed").clone();
    let d = sim.request(&session, "s3:GetObject", "arn:aws:s3:::dev-data/k", HOME);
    assert!(d.is_allowed(), "{d}");
    let d = sim.request(&session, "sts:GetSessionToken", "*", HOME);
    assert_eq!(d.verdict(), Verdict::ImplicitDeny, "{d}");
    assert_eq!(d.decided_by(), "SCPs at OU Workloads");
    let d = sim.request(&session, "ec2:DescribeInstances", "*", HOME);
    assert_eq!(d.verdict(), Verdict::ImplicitDeny, "{d}");
    assert_eq!(d.decided_by(), "SCPs at the root");
}

#[test]
fn auditors_read_the_encrypted_archive_only_through_s3() {
    use orgstack::layouts::{KmsKey, AUDITOR};
    let (app, layout) = layout_with(|b| b.kms_key(KmsKey::CustomerManaged));
    let sim = Simulator::new(&app);
    let key = sim
        .resource_arn(&layout.kms_key().unwrap())
        .expect("the key's policy is read")
        .to_owned();
    let decrypt = |session: &orgstack::access::Caller, via: Option<&str>| {
        let mut r = Request::new("kms:Decrypt", &key);
        if let Some(v) = via {
            r = r.with("kms:ViaService", v);
        }
        sim.request_with(session, r, HOME)
    };
    let s3 = Some("s3.us-east-1.amazonaws.com");
    // An administrator of the identity account, as auditor in the audit account.
    let admins = &layout.groups()["administrators"];
    let ann = sim
        .user(layout.identity_account(), "ann", &[admins], Auth::mfa(60))
        .unwrap();
    let d = sim.assume(
        &ann,
        sim.role(layout.audit_account(), AUDITOR).unwrap(),
        HOME,
    );
    let auditor = d.session().unwrap_or_else(|| panic!("{d}")).clone();
    let d = decrypt(&auditor, s3);
    assert_eq!(d.verdict(), Verdict::Allow, "{d}");
    // Not directly, nor through another service.
    for via in [None, Some("lambda.us-east-1.amazonaws.com")] {
        let d = decrypt(&auditor, via);
        assert!(d.is_denied(), "{via:?}: {d}");
    }
    // A developer in dev may do almost anything there, but the key policy names neither
    // the dev account nor the developer.
    let devs = &layout.groups()["developers"];
    let bob = sim
        .user(layout.identity_account(), "bob", &[devs], Auth::mfa(60))
        .unwrap();
    let dev = &layout.environment_accounts()["dev"];
    let d = sim.assume(&bob, sim.role(dev, DEVELOPER).unwrap(), HOME);
    let developer = d.session().unwrap_or_else(|| panic!("{d}")).clone();
    let d = decrypt(&developer, s3);
    assert_eq!(d.verdict(), Verdict::ImplicitDeny, "{d}");
    assert!(
        d.decided_by()
            .starts_with("resource policy (key policy of "),
        "{d}"
    );
}
