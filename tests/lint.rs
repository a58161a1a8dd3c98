//! The lint rules at synthesis: each fires where it should and stays silent where it
//! should not; suppressions need a reason and are written to Metadata; the docs' table
//! is the rules' own.

use orgstack::cfn::{DeletionPolicy, Pseudo, Resource, Value};
use orgstack::iam::{Condition, ManagedPolicyRef, PolicyDocument, Principal, Role, Statement};
use orgstack::layouts::FiveAccountLayout;
use orgstack::org::{Account, Organization, OrganizationalUnit, Policy};
use orgstack::review::lint::{self, LintId, LintSeverity, SuppressError};
use orgstack::stackset::StackSet;
use orgstack::{App, CfnResource, DeployStep, Diagnostic, Quotas, Rule, Severity, StackHandle};

/// An organization with one OU holding one account, and a member stack for roles.
fn base() -> (App, StackHandle, orgstack::org::OrganizationHandle) {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app
        .add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    let ou = app.add(&org, OrganizationalUnit::new("Workloads")).unwrap();
    app.add(&ou, Account::new("Prod", "aws+prod@acme.example"))
        .unwrap();
    let member = app.stack("Member").unwrap();
    (app, member, org)
}

/// The lint findings of synthesis: the warnings of the assembly, or every lint error of
/// the failure.
fn findings(app: &App) -> Vec<Diagnostic> {
    match app.synth() {
        Ok(a) => a.warnings().to_vec(),
        Err(e) => e.diagnostics().to_vec(),
    }
    .into_iter()
    .filter(|d| LintId::of(d).is_some())
    .collect()
}

fn ids(app: &App) -> Vec<LintId> {
    findings(app).iter().filter_map(LintId::of).collect()
}

fn trusted() -> Principal {
    Principal::account("123456789012")
}

#[test]
fn a_plain_organization_has_no_finding() {
    let (app, _, _) = base();
    assert_eq!(ids(&app), []);
}

#[test]
fn bool_if_exists_mfa_in_an_allow_fails_synthesis_and_bool_does_not() {
    let with = |cond: Condition| {
        let (mut app, member, _) = base();
        app.add(
            &member,
            Role::assumable_with_mfa("Admin", "123456789012").inline_policy(
                "Read",
                PolicyDocument::new().statement(
                    Statement::allow()
                        .action("s3:GetObject")
                        .resource("*")
                        .condition(cond),
                ),
            ),
        )
        .unwrap();
        app
    };
    let app = with(Condition::bool_if_exists(
        "aws:MultiFactorAuthPresent",
        true,
    ));
    assert_eq!(ids(&app), [LintId::MfaIfExistsInAllow]);
    let err = app.synth().unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!(d.path, "Member/Admin");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.rule, Rule::Lint(LintId::MfaIfExistsInAllow));
    assert_eq!(d.rule.as_str(), "mfa-if-exists-in-allow");
    assert_eq!(
        d.message,
        "an Allow tests aws:MultiFactorAuthPresent with BoolIfExists"
    );
    assert!(
        d.to_string()
            .starts_with("Member/Admin: [mfa-if-exists-in-allow] an Allow tests"),
        "{d}"
    );
    assert_eq!(
        ids(&with(Condition::bool("aws:MultiFactorAuthPresent", true))),
        []
    );
}

#[test]
fn a_wildcard_principal_warns_and_an_account_principal_does_not() {
    let with = |p: Principal| {
        let (mut app, member, _) = base();
        app.add(
            &member,
            Role::new(
                "Open",
                PolicyDocument::new()
                    .statement(Statement::allow().principal(p).action("sts:AssumeRole")),
            )
            .without_mfa("a machine role"),
        )
        .unwrap();
        app
    };
    let app = with(Principal::any());
    let found = findings(&app);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(LintId::of(&found[0]), Some(LintId::WildcardPrincipal));
    assert_eq!(found[0].severity, Severity::Warning);
    assert_eq!(ids(&with(trusted())), []);
}

#[test]
fn administrator_access_without_mfa_fails_and_with_mfa_does_not() {
    let (mut app, member, _) = base();
    app.add(
        &member,
        Role::new(
            "Deployer",
            PolicyDocument::new().statement(
                Statement::allow()
                    .principal(trusted())
                    .action("sts:AssumeRole"),
            ),
        )
        .without_mfa("the pipeline")
        .managed_policy(ManagedPolicyRef::aws_managed("AdministratorAccess")),
    )
    .unwrap();
    assert_eq!(ids(&app), [LintId::AdminWithoutMfa]);
    assert!(app.synth().is_err());

    let (mut app, member, _) = base();
    app.add(
        &member,
        Role::assumable_with_mfa("Admin", "123456789012")
            .managed_policy(ManagedPolicyRef::aws_managed("AdministratorAccess")),
    )
    .unwrap();
    assert_eq!(ids(&app), []);
}

#[test]
fn allow_all_warns_in_an_iam_policy_but_not_in_an_scp() {
    let all = || PolicyDocument::new().statement(Statement::allow().action("*").resource("*"));
    let (mut app, member, _) = base();
    app.add(
        &member,
        Role::assumable_with_mfa("Admin", "123456789012").inline_policy("All", all()),
    )
    .unwrap();
    assert_eq!(ids(&app), [LintId::AllowAll]);

    let (mut app, _, org) = base();
    let scp = app
        .add(&org, Policy::service_control("Everything", all()))
        .unwrap();
    scp.attach(&mut app, &org);
    assert_eq!(ids(&app), []);
}

#[test]
fn an_account_without_retain_warns() {
    let (mut app, _, org) = base();
    let acct = app
        .add(&org, Account::new("Sandbox", "aws+sandbox@acme.example"))
        .unwrap();
    app.resource_mut(&acct.node().unwrap())
        .unwrap()
        .deletion_policy = Some(DeletionPolicy::Delete);
    let found = findings(&app);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(LintId::of(&found[0]), Some(LintId::AccountWithoutRetain));
    assert!(found[0].path.ends_with("/Sandbox"), "{}", found[0].path);
    assert!(found[0].value.contains("DeletionPolicy Delete"));
}

#[test]
fn an_unattached_policy_warns_and_an_attached_one_does_not() {
    let doc = || {
        PolicyDocument::new().statement(
            Statement::deny()
                .action("organizations:LeaveOrganization")
                .resource("*"),
        )
    };
    let (mut app, _, org) = base();
    app.add(&org, Policy::service_control("Unused", doc()))
        .unwrap();
    assert_eq!(ids(&app), [LintId::UnusedPolicy]);

    let (mut app, _, org) = base();
    let p = app
        .add(&org, Policy::service_control("Used", doc()))
        .unwrap();
    p.attach(&mut app, &org);
    assert_eq!(ids(&app), []);
}

#[test]
fn an_empty_ou_warns_and_one_a_policy_targets_does_not() {
    let (mut app, _, org) = base();
    app.add(&org, OrganizationalUnit::new("Empty")).unwrap();
    let found = findings(&app);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(LintId::of(&found[0]), Some(LintId::UnusedOu));
    assert!(found[0].path.ends_with("/Empty"), "{}", found[0].path);

    let (mut app, _, org) = base();
    let ou = app.add(&org, OrganizationalUnit::new("Guarded")).unwrap();
    let p = app
        .add(
            &org,
            Policy::service_control(
                "DenyLeave",
                PolicyDocument::new().statement(
                    Statement::deny()
                        .action("organizations:LeaveOrganization")
                        .resource("*"),
                ),
            ),
        )
        .unwrap();
    p.attach(&mut app, &ou);
    assert_eq!(ids(&app), []);
}

#[test]
fn a_policy_at_ninety_percent_of_its_quota_warns() {
    let sized = |actions: usize| {
        let (mut app, _, org) = base();
        let names: Vec<String> = (0..actions)
            // A service outside the catalogue: its actions are not checked.
            .map(|i| format!("exampleservice:GetObjectVersionTagging{i:04}"))
            .collect();
        let p = app
            .add(
                &org,
                Policy::service_control(
                    "Large",
                    PolicyDocument::new().statement(Statement::deny().actions(names).resource("*")),
                ),
            )
            .unwrap();
        p.attach(&mut app, &org);
        app
    };
    // About 43 characters an action: 220 are some 9,600 of 10,240.
    let found = findings(&sized(220));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(LintId::of(&found[0]), Some(LintId::QuotaNearLimit));
    assert!(
        found[0].value.ends_with("of 10240 characters"),
        "{}",
        found[0].value
    );
    assert_eq!(ids(&sized(150)), []);
}

/// A Deny of the root user of every account, with or without the exemption of the
/// privileged root sessions.
fn deny_root_scp(exempt: bool) -> Policy {
    let mut st = Statement::deny()
        .sid("DenyRoot")
        .action("*")
        .resource("*")
        .condition(Condition::string_like(
            "aws:PrincipalArn",
            ["arn:*:iam::*:root"],
        ));
    if exempt {
        st = st.condition(Condition::null("aws:AssumedRoot", true));
    }
    Policy::service_control("DenyRoot", PolicyDocument::new().statement(st))
}

#[test]
fn a_target_near_its_policies_per_target_quota_warns() {
    let with = |scps: usize| {
        let (mut app, _, org) = base();
        for i in 0..scps {
            let p = app
                .add(
                    &org,
                    Policy::service_control(
                        format!("Deny{i}"),
                        PolicyDocument::new().statement(
                            Statement::deny()
                                .action("organizations:LeaveOrganization")
                                .resource("*"),
                        ),
                    ),
                )
                .unwrap();
            p.attach(&mut app, &org);
        }
        app
    };
    // With FullAWSAccess, 8 SCPs of your own are 9 of the 10 allowed on the root.
    let found = findings(&with(8));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(LintId::of(&found[0]), Some(LintId::QuotaNearLimit));
    assert_eq!(found[0].value, "9 of 10 policies");
    assert!(
        found[0].message.contains("(FullAWSAccess included)"),
        "{}",
        found[0].message
    );
    assert_eq!(found[0].path, "Management/Organization");
    assert_eq!(ids(&with(7)), []);
}

#[test]
fn a_template_near_its_resource_quota_warns() {
    let with = |topics: usize| {
        let mut quotas = Quotas::default();
        quotas.resources_per_template = 10;
        let mut app = App::with_quotas(quotas);
        let stack = app.stack("Main").unwrap();
        for i in 0..topics {
            app.add(
                &stack,
                CfnResource::new(format!("Topic{i}"), Resource::new("AWS::SNS::Topic")),
            )
            .unwrap();
        }
        app
    };
    let found = findings(&with(9));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(LintId::of(&found[0]), Some(LintId::QuotaNearLimit));
    assert_eq!(found[0].path, "Main");
    assert_eq!(found[0].value, "9 of 10 resources");
    assert!(found[0].message.contains("`Main`"), "{}", found[0].message);
    assert_eq!(ids(&with(8)), []);
}

#[test]
fn a_deny_root_scp_without_the_root_session_exemption_warns_when_root_sessions_are_on() {
    let with = |exempt: bool, root_sessions: bool| {
        let (mut app, _, org) = base();
        let p = app.add(&org, deny_root_scp(exempt)).unwrap();
        p.attach(&mut app, &org);
        if root_sessions {
            app.add_deploy_step(DeployStep::new(
                "Enable root sessions",
                "privileged root sessions from the management account",
                ["aws iam enable-organizations-root-sessions".to_owned()],
                true,
            ));
        }
        app
    };
    assert_eq!(ids(&with(false, true)), [LintId::DenyRootWithoutExemption]);
    assert_eq!(ids(&with(true, true)), []);
    // Without root sessions there is no sts:AssumeRoot session to block.
    assert_eq!(ids(&with(false, false)), []);
    // The layout's own guardrail carries the exemption.
    let json = orgstack::cfn::render::minified(
        &orgstack::layouts::guardrails::deny_root_user().to_value(),
    )
    .unwrap();
    assert!(json.contains("aws:AssumedRoot"));
}

#[test]
fn the_layout_turns_root_sessions_on_with_centralized_root_access() {
    let with = |centralized: bool| {
        let mut app = App::new();
        let mgmt = app.stack("Management").unwrap();
        let layout = app
            .add(
                &mgmt,
                FiveAccountLayout::builder("acme")
                    .email_domain("aws.acme.example")
                    .centralized_root_access(centralized),
            )
            .unwrap();
        let p = app
            .add(&layout.organization(), deny_root_scp(false))
            .unwrap();
        p.attach(&mut app, &layout.workloads_ou());
        ids(&app)
            .into_iter()
            .filter(|l| *l == LintId::DenyRootWithoutExemption)
            .count()
    };
    assert_eq!(with(true), 1);
    assert_eq!(with(false), 0);
}

#[test]
fn an_scp_attached_to_the_management_account_warns() {
    let (mut app, _, org) = base();
    let p = app
        .add(
            &org,
            Policy::service_control(
                "DenyLeave",
                PolicyDocument::new().statement(
                    Statement::deny()
                        .action("organizations:LeaveOrganization")
                        .resource("*"),
                ),
            ),
        )
        .unwrap();
    p.attach(&mut app, &org);
    assert_eq!(ids(&app), []);
    // Attached to the account the management stack deploys to, through the escape hatch.
    app.resource_mut(&p).unwrap().properties.insert(
        "TargetIds".into(),
        Value::List(vec![Value::from(Pseudo::AccountId)]),
    );
    assert_eq!(ids(&app), [LintId::ScpOnManagementAccount]);
}

#[test]
fn a_stack_set_whose_targets_hold_no_account_warns() {
    let (mut app, _, org) = base();
    let mgmt = app.stacks().next().unwrap();
    let empty = app.add(&org, OrganizationalUnit::new("Empty")).unwrap();
    let full = app.add(&org, OrganizationalUnit::new("Full")).unwrap();
    let inside = app
        .add(&full, Account::new("Inside", "aws+inside@acme.example"))
        .unwrap();
    let outside = app
        .add(&org, Account::new("Outside", "aws+outside@acme.example"))
        .unwrap();
    let sets = [
        StackSet::new("ToEmpty", "to-empty").target(&empty),
        StackSet::new("Filtered", "filtered")
            .target(&full)
            .only_account(&outside),
        StackSet::new("ToFull", "to-full").target(&full),
        StackSet::new("Kept", "kept")
            .target(&full)
            .only_account(&inside),
    ];
    for set in sets {
        let set = app.add(&mgmt, set).unwrap();
        app.add(
            &set.template(),
            Role::assumable_with_mfa("Reader", "123456789012"),
        )
        .unwrap();
    }
    let found = findings(&app);
    let values: Vec<&str> = found.iter().map(|d| d.value.as_str()).collect();
    assert_eq!(values, ["to-empty", "filtered"], "{found:?}");
    assert!(found
        .iter()
        .all(|d| LintId::of(d) == Some(LintId::StackSetWithoutAccounts)));
}

#[test]
fn an_action_its_service_does_not_have_warns() {
    let with = |actions: &[&str]| {
        let (mut app, _, org) = base();
        let p = app
            .add(
                &org,
                Policy::service_control(
                    "Deny",
                    PolicyDocument::new().statement(
                        Statement::deny()
                            .actions(actions.iter().copied())
                            .resource("*"),
                    ),
                ),
            )
            .unwrap();
        p.attach(&mut app, &org);
        app
    };
    let found = findings(&with(&["s3:GetObjekt", "s3:Gte*", "sts:AssumeRole"]));
    let values: Vec<&str> = found.iter().map(|d| d.value.as_str()).collect();
    assert_eq!(values, ["s3:GetObjekt", "s3:Gte*"], "{found:?}");
    assert!(found
        .iter()
        .all(|d| LintId::of(d) == Some(LintId::UnknownAction)));
    // Known actions, patterns that match one, any case, and services outside the
    // catalogue stay silent.
    assert_eq!(
        ids(&with(&[
            "s3:GetObject",
            "s3:Get*",
            "IAM:createrole",
            "ec2:Describe?nstances",
            "exampleservice:Anything",
        ])),
        []
    );
}

#[test]
fn a_suppression_needs_a_reason_silences_its_rule_and_shows_in_metadata() {
    let (mut app, _, org) = base();
    let p = app
        .add(
            &org,
            Policy::service_control(
                "Later",
                PolicyDocument::new().statement(
                    Statement::deny()
                        .action("organizations:LeaveOrganization")
                        .resource("*"),
                ),
            ),
        )
        .unwrap();
    assert_eq!(
        lint::suppress(&mut app, &p, LintId::UnusedPolicy, "  "),
        Err(SuppressError::NoReason(LintId::UnusedPolicy))
    );
    assert_eq!(ids(&app), [LintId::UnusedPolicy]);
    lint::suppress(
        &mut app,
        &p,
        LintId::UnusedPolicy,
        "attached by hand during the migration",
    )
    .unwrap();
    // Another rule's suppression does not silence this one's findings… but stacks up.
    lint::suppress(&mut app, &p, LintId::QuotaNearLimit, "grows later").unwrap();
    let assembly = app.synth().unwrap();
    assert_eq!(
        assembly
            .warnings()
            .iter()
            .filter_map(LintId::of)
            .collect::<Vec<_>>(),
        []
    );
    let template = assembly.template_json("Management").unwrap();
    assert!(template.contains("\"reason\": \"attached by hand during the migration\""));
    assert!(template.contains("\"id\": \"unused-policy\""));
    assert!(template.contains("\"id\": \"quota-near-limit\""));
}

#[test]
fn warnings_are_recorded_in_the_manifest_and_errors_are_all_listed() {
    let (mut app, member, org) = base();
    app.add(&org, OrganizationalUnit::new("Empty")).unwrap();
    let assembly = app.synth().unwrap();
    let manifest: serde_json::Value = serde_json::from_str(assembly.manifest()).unwrap();
    let warnings = manifest["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0]["rule"], "unused-ou");
    assert!(warnings[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("the OU holds no account"));

    for name in ["One", "Two"] {
        app.add(
            &member,
            Role::assumable_with_mfa(name, "123456789012").inline_policy(
                "Read",
                PolicyDocument::new().statement(
                    Statement::allow()
                        .action("s3:GetObject")
                        .resource("*")
                        .condition(Condition::bool_if_exists(
                            "aws:MultiFactorAuthPresent",
                            true,
                        )),
                ),
            ),
        )
        .unwrap();
    }
    let err = app.synth().unwrap_err();
    let errors: Vec<&str> = err
        .diagnostics()
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.path.as_str())
        .collect();
    assert_eq!(errors, ["Member/One", "Member/Two"]);
}

#[test]
fn a_finding_names_its_own_rule_and_only_lint_findings_have_a_lint_id() {
    for l in LintId::ALL {
        assert_eq!(Rule::Lint(*l).as_str(), l.as_str());
        assert_eq!(Rule::Lint(*l).to_string(), l.to_string());
    }
    // The crate root names the same type as `review::lint`.
    let root: orgstack::LintId = LintId::UnusedOu;
    assert_eq!(root, lint::LintId::UnusedOu);
    let (mut app, _, org) = base();
    app.add(&org, OrganizationalUnit::new("Empty")).unwrap();
    app.add(&org, Account::new("Bad", "not-an-email")).unwrap();
    let err = app.synth().unwrap_err();
    let rules: Vec<(Rule, Option<LintId>)> = err
        .diagnostics()
        .iter()
        .map(|d| (d.rule, LintId::of(d)))
        .collect();
    assert!(rules.contains(&(Rule::AccountEmail, None)), "{rules:?}");
}

#[test]
fn every_rule_has_an_id_a_severity_and_a_rationale_and_the_docs_table_is_generated() {
    for l in LintId::ALL {
        assert_eq!(LintId::from_id(l.as_str()), Some(*l));
        assert!(l.rationale().len() > 40, "{l}");
        assert!(matches!(
            l.severity(),
            LintSeverity::Error | LintSeverity::Warning
        ));
    }
    let readme = include_str!("../README.md");
    assert!(
        readme.contains(&lint::rules_table()),
        "README.md's table of lint rules differs from review::lint::rules_table():\n{}",
        lint::rules_table()
    );
}
