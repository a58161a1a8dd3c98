//! Acceptance of the Organizations and IAM constructs: one test per bad input (asserting
//! the rule and the construct path), the quotas at their boundaries, and the properties of
//! the rendered account chain.

use orgstack::app::logical_id_for;
use orgstack::cfn::render::minified;
use orgstack::iam::{
    keys, Condition, Group, ManagedPolicy, ManagedPolicyRef, PolicyDocument, Principal, Role,
    Statement,
};
use orgstack::org::{
    Account, Organization, OrganizationHandle, OrganizationalUnit, Policy, PolicyType,
};
use orgstack::Subtree;
use orgstack::{obj, App, Diagnostic, Error, Quotas, Rule, StackHandle};
use serde_json::{json, Value as Json};

// ----- helpers -----

fn management(quotas: Quotas) -> (App, StackHandle, OrganizationHandle) {
    let mut app = App::with_quotas(quotas);
    let stack = app.stack("Management").unwrap();
    let org = app.add(&stack, Organization::create()).unwrap();
    (app, stack, org)
}

/// The diagnostics of a synthesis that must fail validation.
fn validation_errors(app: &App) -> Vec<Diagnostic> {
    match app.synth() {
        Err(e @ Error::Validation(_)) => e.diagnostics().to_vec(),
        Err(other) => panic!("expected a validation error, got {other}"),
        Ok(_) => panic!("expected a validation error, synthesis succeeded"),
    }
}

/// The one diagnostic of a synthesis, as `(rule, path)`, with its value.
fn single(app: &App) -> (Rule, String, String) {
    let diags = validation_errors(app);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    (d.rule, d.path.clone(), d.value.clone())
}

fn template(app: &App, stack: &str) -> Json {
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(assembly.template_json(stack).unwrap()).unwrap()
}

/// A document built by `make` from a padding string, padded so that `measure` gives
/// exactly `len`. Every value is a literal, so what is measured is what renders.
fn padded(
    len: usize,
    make: impl Fn(&str) -> PolicyDocument,
    measure: impl Fn(&PolicyDocument) -> usize,
) -> PolicyDocument {
    let base = measure(&make(""));
    assert!(base <= len, "the empty document is already {base} long");
    let doc = make(&"x".repeat(len - base));
    assert_eq!(measure(&doc), len);
    doc
}

fn scp_of_len(len: usize) -> PolicyDocument {
    let doc = padded(
        len,
        |pad| {
            PolicyDocument::new().statement(
                Statement::deny()
                    .action("s3:DeleteBucket")
                    .resource(format!("arn:aws:s3:::{pad}")),
            )
        },
        PolicyDocument::minified_len,
    );
    assert_eq!(minified(&doc.to_value()).unwrap().len(), len);
    doc
}

// ----- accounts -----

#[test]
fn invalid_email() {
    let (mut app, _, org) = management(Quotas::default());
    app.add(&org, Account::new("Prod", "not-an-email")).unwrap();
    assert_eq!(
        single(&app),
        (
            Rule::AccountEmail,
            "Management/Accounts/Prod".into(),
            "not-an-email".into()
        )
    );
}

#[test]
fn email_with_text_after_the_address() {
    let (mut app, _, org) = management(Quotas::default());
    app.add(
        &org,
        Account::new("Prod", "aws@acme.example junk").id("Production"),
    )
    .unwrap();
    let (rule, path, _) = single(&app);
    assert_eq!(
        (rule, path.as_str()),
        (Rule::AccountEmail, "Management/Accounts/Production")
    );
}

#[test]
fn duplicate_email_names_the_second_account() {
    let (mut app, _, org) = management(Quotas::default());
    let ou = app.add(&org, OrganizationalUnit::new("Workloads")).unwrap();
    app.add(&org, Account::new("Prod", "aws+prod@acme.example"))
        .unwrap();
    app.add(&org, Account::new("Audit", "aws+audit@acme.example"))
        .unwrap();
    // Case does not make an address another one.
    app.add(&ou, Account::new("Dev", "AWS+Prod@acme.example"))
        .unwrap();
    let diags = validation_errors(&app);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].rule, Rule::DuplicateEmail);
    assert_eq!(diags[0].path, "Management/Accounts/Dev");
    assert_eq!(diags[0].value, "AWS+Prod@acme.example");
    assert!(
        diags[0].message.contains("`Management/Accounts/Prod`"),
        "{}",
        diags[0].message
    );
}

#[test]
fn account_name_of_51_characters() {
    let (mut app, _, org) = management(Quotas::default());
    app.add(
        &org,
        Account::new("x".repeat(51), "aws+long@acme.example").id("Long"),
    )
    .unwrap();
    assert_eq!(
        single(&app),
        (
            Rule::AccountName,
            "Management/Accounts/Long".into(),
            "x".repeat(51)
        )
    );

    let (mut app, _, org) = management(Quotas::default());
    app.add(
        &org,
        Account::new("x".repeat(50), "aws+long@acme.example").id("Long"),
    )
    .unwrap();
    assert!(app.synth().is_ok(), "50 characters are allowed");
}

// ----- organizational units -----

#[test]
fn ou_depth_six() {
    let (mut app, _, org) = management(Quotas::default());
    let mut ou = app.add(&org, OrganizationalUnit::new("L1")).unwrap();
    for level in 2..=5 {
        ou = app
            .add(&ou, OrganizationalUnit::new(format!("L{level}")))
            .unwrap();
    }
    assert_eq!(ou.depth(), 5);
    assert!(app.synth().is_ok(), "five nested OUs are fine");

    let sixth = app.add(&ou, OrganizationalUnit::new("L6")).unwrap();
    assert_eq!(sixth.depth(), 6);
    assert_eq!(
        single(&app),
        (
            Rule::OuDepth,
            "Management/Organization/L1/L2/L3/L4/L5/L6".into(),
            "6".into()
        )
    );
}

// ----- policies per target -----

/// `n` SCPs attached to one OU, and `tag_policies` tag policies attached to it as well.
fn scps_on_one_ou(n: usize, full_aws_access: bool, tag_policies: usize) -> App {
    let mut app = App::new();
    let stack = app.stack("Management").unwrap();
    let org = app
        .add(
            &stack,
            Organization::create().full_aws_access_attached(full_aws_access),
        )
        .unwrap();
    let ou = app.add(&org, OrganizationalUnit::new("Workloads")).unwrap();
    for i in 1..=n {
        let scp = app
            .add(
                &org,
                Policy::service_control(
                    format!("Scp{i:02}"),
                    PolicyDocument::new().statement(
                        Statement::deny()
                            .action(format!("service{i}:*"))
                            .resource("*"),
                    ),
                ),
            )
            .unwrap();
        scp.attach(&mut app, &ou);
    }
    for i in 1..=tag_policies {
        let tags = app
            .add(
                &org,
                Policy::management(
                    format!("Tags{i}"),
                    PolicyType::TagPolicy,
                    obj! { "tags" => obj! {} },
                ),
            )
            .unwrap();
        tags.attach(&mut app, &ou);
    }
    app
}

#[test]
fn eleven_scps_on_one_target() {
    let diags = validation_errors(&scps_on_one_ou(11, true, 0));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].rule, Rule::PoliciesPerTarget);
    assert_eq!(diags[0].path, "Management/Organization/Workloads");
    assert_eq!(diags[0].value, "12");
    assert!(
        diags[0].message.starts_with(
            "12 policies of type SERVICE_CONTROL_POLICY are attached to `Management/Organization/Workloads` (FullAWSAccess included); at most 10 are allowed"
        ),
        "{}",
        diags[0].message
    );

    // Without FullAWSAccess, eleven are still one too many.
    let diags = validation_errors(&scps_on_one_ou(11, false, 0));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(
        (
            diags[0].rule,
            diags[0].path.as_str(),
            diags[0].value.as_str()
        ),
        (
            Rule::PoliciesPerTarget,
            "Management/Organization/Workloads",
            "11"
        )
    );
}

#[test]
fn scps_per_target_count_full_aws_access_while_attached() {
    assert!(
        scps_on_one_ou(9, true, 0).synth().is_ok(),
        "9 + FullAWSAccess"
    );
    let (rule, path, value) = single(&scps_on_one_ou(10, true, 0));
    assert_eq!(
        (rule, path.as_str(), value.as_str()),
        (
            Rule::PoliciesPerTarget,
            "Management/Organization/Workloads",
            "11"
        )
    );
    assert!(
        scps_on_one_ou(10, false, 0).synth().is_ok(),
        "10 once FullAWSAccess is detached"
    );
}

#[test]
fn policies_of_other_types_do_not_count_against_the_scp_quota() {
    assert!(scps_on_one_ou(9, true, 5).synth().is_ok());
}

// ----- SCP size and grammar -----

#[test]
fn scp_over_10240_characters() {
    let (mut app, _, org) = management(Quotas::default());
    app.add(&org, Policy::service_control("Fits", scp_of_len(10_240)))
        .unwrap();
    assert!(app.synth().is_ok(), "10,240 characters fit");

    let (mut app, _, org) = management(Quotas::default());
    app.add(&org, Policy::service_control("Big", scp_of_len(10_241)))
        .unwrap();
    assert_eq!(
        single(&app),
        (
            Rule::PolicySize,
            "Management/Policies/Big".into(),
            "10241".into()
        )
    );
}

#[test]
fn a_raised_scp_size_accepts_a_larger_scp() {
    let mut quotas = Quotas::default();
    quotas.policies.service_control.size = 20_000;
    let (mut app, _, org) = management(quotas);
    app.add(&org, Policy::service_control("Big", scp_of_len(10_241)))
        .unwrap();
    assert!(app.synth().is_ok());
}

#[test]
fn action_without_a_service_prefix() {
    let (mut app, _, org) = management(Quotas::default());
    app.add(
        &org,
        Policy::service_control(
            "DenyLeave",
            PolicyDocument::new()
                .statement(Statement::deny().action("LeaveOrganization").resource("*")),
        ),
    )
    .unwrap();
    assert_eq!(
        single(&app),
        (
            Rule::Action,
            "Management/Policies/DenyLeave".into(),
            "LeaveOrganization".into()
        )
    );
}

#[test]
fn action_without_a_service_prefix_in_a_managed_policy() {
    let mut app = App::new();
    let stack = app.stack("Identity").unwrap();
    let scope = app.add(&stack, Subtree::new("Policies")).unwrap();
    app.add(
        &scope,
        ManagedPolicy::new(
            "Read",
            PolicyDocument::new().statement(Statement::allow().action(":GetObject").resource("*")),
        ),
    )
    .unwrap();
    assert_eq!(
        single(&app),
        (
            Rule::Action,
            "Identity/Policies/Read".into(),
            ":GetObject".into()
        )
    );
}

#[test]
fn principal_inside_an_scp() {
    let (mut app, _, org) = management(Quotas::default());
    app.add(
        &org,
        Policy::service_control(
            "DenyRoot",
            PolicyDocument::new().statement(
                Statement::deny()
                    .sid("NoRoot")
                    .principal(Principal::aws("arn:aws:iam::111111111111:root"))
                    .action("*")
                    .resource("*"),
            ),
        ),
    )
    .unwrap();
    assert_eq!(
        single(&app),
        (
            Rule::ScpGrammar,
            "Management/Policies/DenyRoot".into(),
            "Statement[0] (Sid NoRoot)".into()
        )
    );
}

#[test]
fn allow_on_a_specific_resource_in_an_scp() {
    let (mut app, _, org) = management(Quotas::default());
    app.add(
        &org,
        Policy::service_control(
            "AllowLogs",
            PolicyDocument::new().statement(
                Statement::allow()
                    .action("s3:GetObject")
                    .resource("arn:aws:s3:::logs/*"),
            ),
        ),
    )
    .unwrap();
    assert_eq!(
        single(&app),
        (
            Rule::ScpGrammar,
            "Management/Policies/AllowLogs".into(),
            "Statement[0]".into()
        )
    );
}

// ----- existing organization -----

#[test]
fn existing_root_id_that_does_not_match_the_pattern() {
    for bad in [
        "root-1234",
        "r-AB12",
        "r-abc",
        &format!("r-{}", "a".repeat(33)),
    ] {
        let mut app = App::new();
        let stack = app.stack("Management").unwrap();
        app.add(&stack, Organization::existing(bad, "o-abcdef1234"))
            .unwrap();
        assert_eq!(
            single(&app),
            (Rule::RootId, "Management/Organization".into(), bad.into()),
            "{bad}"
        );
    }
    for good in ["r-ab12", &format!("r-{}", "a1".repeat(16))] {
        let mut app = App::new();
        let stack = app.stack("Management").unwrap();
        app.add(&stack, Organization::existing(good, "o-abcdef1234"))
            .unwrap();
        assert!(app.synth().is_ok(), "{good}");
    }
}

#[test]
fn existing_organization_renders_its_ids_as_parameters() {
    let mut app = App::new();
    let stack = app.stack("Management").unwrap();
    let org = app
        .add(&stack, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    assert!(!org.is_created());
    app.add(&org, Account::new("Prod", "aws+prod@acme.example"))
        .unwrap();
    let scp = app
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
    scp.attach(&mut app, &org);

    let assembly = app.synth().unwrap();
    let json = assembly.template_json("Management").unwrap();
    assert!(
        json.contains(
            r#"
  "Parameters": {
    "RootId": {
      "Type": "String",
      "Description": "Root id of the existing organization",
      "Default": "r-ab12",
      "AllowedPattern": "^r-[0-9a-z]{4,32}$",
      "ConstraintDescription": "a root id, e.g. r-ab12"
    },
    "OrganizationId": {
      "Type": "String",
      "Description": "Id of the existing organization",
      "Default": "o-abcdef1234",
      "AllowedPattern": "^o-[a-z0-9]{10,32}$",
      "ConstraintDescription": "an organization id, e.g. o-abcdef1234"
    }
  },
"#
        ),
        "{json}"
    );
    let doc: Json = serde_json::from_str(json).unwrap();
    let resources = doc["Resources"].as_object().unwrap();
    assert!(
        !resources
            .values()
            .any(|r| r["Type"] == "AWS::Organizations::Organization"),
        "an existing organization is never created"
    );
    let account = &resources[&logical_id_for(&["Accounts", "Prod"])];
    assert_eq!(
        account["Properties"]["ParentIds"],
        json!([{ "Ref": "RootId" }])
    );
    let policy = &resources[&logical_id_for(&["Policies", "DenyLeave"])];
    assert_eq!(
        policy["Properties"]["TargetIds"],
        json!([{ "Ref": "RootId" }])
    );
}

// ----- everything at once -----

#[test]
fn several_bad_inputs_are_reported_together() {
    let (mut app, stack, org) = management(Quotas::default());
    let mut ou = app.add(&org, OrganizationalUnit::new("L1")).unwrap();
    for level in 2..=6 {
        ou = app
            .add(&ou, OrganizationalUnit::new(format!("L{level}")))
            .unwrap();
    }
    app.add(&org, Account::new("Prod", "prod-at-acme.example"))
        .unwrap();
    app.add(
        &org,
        Account::new("y".repeat(51), "aws+long@acme.example").id("Long"),
    )
    .unwrap();
    app.add(&org, Account::new("Copy", "aws+long@acme.example"))
        .unwrap();
    app.add(
        &org,
        Policy::service_control(
            "Bad",
            PolicyDocument::new().statement(
                Statement::deny()
                    .principal(Principal::any())
                    .action("LeaveOrganization")
                    .resource("*"),
            ),
        ),
    )
    .unwrap();
    app.add(
        &stack,
        Role::new(
            "Deployer",
            PolicyDocument::new().statement(
                Statement::allow()
                    .principal(Principal::account("111111111111"))
                    .action("sts:AssumeRole"),
            ),
        ),
    )
    .unwrap();

    let err = app.synth().unwrap_err();
    let mut got: Vec<(Rule, String)> = err
        .diagnostics()
        .iter()
        .map(|d| (d.rule, d.path.clone()))
        .collect();
    got.sort();
    let mut expected = vec![
        (Rule::AccountName, "Management/Accounts/Long"),
        (Rule::AccountEmail, "Management/Accounts/Prod"),
        (Rule::DuplicateEmail, "Management/Accounts/Copy"),
        (Rule::OuDepth, "Management/Organization/L1/L2/L3/L4/L5/L6"),
        (Rule::ScpGrammar, "Management/Policies/Bad"),
        (Rule::Action, "Management/Policies/Bad"),
        (Rule::TrustWithoutMfa, "Management/Deployer"),
    ]
    .into_iter()
    .map(|(r, p)| (r, p.to_owned()))
    .collect::<Vec<_>>();
    expected.sort();
    assert_eq!(got, expected, "{err}");
    assert!(
        err.to_string()
            .starts_with("validation failed with 7 problems"),
        "{err}"
    );
}

// ----- the account chain -----

/// Accounts declared in the order given, spread over the root and two OUs.
fn accounts(names: &[&str]) -> App {
    let (mut app, _, org) = management(Quotas::default());
    let security = app.add(&org, OrganizationalUnit::new("Security")).unwrap();
    let workloads = app.add(&org, OrganizationalUnit::new("Workloads")).unwrap();
    for (i, name) in names.iter().enumerate() {
        let account = Account::new(*name, format!("aws+{}@acme.example", name.to_lowercase()));
        match i % 3 {
            0 => app.add(&security, account),
            1 => app.add(&org, account),
            _ => app.add(&workloads, account),
        }
        .unwrap();
    }
    app
}

/// Logical ids of the accounts by name, checking that every account but the first waits
/// for exactly the one declared before it, and that every account is retained.
fn checked_chain(app: &App, declared: &[&str]) -> Vec<(String, String)> {
    let doc = template(app, "Management");
    let resources = doc["Resources"].as_object().unwrap();
    let accounts: Vec<(&String, &Json)> = resources
        .iter()
        .filter(|(_, r)| r["Type"] == "AWS::Organizations::Account")
        .collect();
    assert_eq!(accounts.len(), declared.len());
    let id_of = |name: &str| -> String {
        accounts
            .iter()
            .find(|(_, r)| r["Properties"]["AccountName"] == name)
            .map(|(id, _)| (*id).clone())
            .unwrap_or_else(|| panic!("no account {name}"))
    };
    let mut out = Vec::new();
    for (i, name) in declared.iter().enumerate() {
        let id = id_of(name);
        let r = &resources[&id];
        assert_eq!(r["DeletionPolicy"], "Retain", "{name}");
        assert_eq!(r["UpdateReplacePolicy"], "Retain", "{name}");
        let depends: Vec<&str> = match r.get("DependsOn") {
            None => vec![],
            Some(Json::String(s)) => vec![s.as_str()],
            Some(Json::Array(list)) => list.iter().map(|v| v.as_str().unwrap()).collect(),
            Some(other) => panic!("DependsOn of {name} is {other}"),
        };
        if i == 0 {
            assert_eq!(
                depends,
                Vec::<&str>::new(),
                "the first account waits for none"
            );
        } else {
            let previous = id_of(declared[i - 1]);
            assert_eq!(depends, [previous.as_str()], "{name}");
        }
        out.push(((*name).to_owned(), id));
    }
    out
}

#[test]
fn adding_an_account_between_two_others_renames_nothing_and_keeps_the_chain() {
    let before = checked_chain(
        &accounts(&["Alpha", "Charlie", "Delta"]),
        &["Alpha", "Charlie", "Delta"],
    );
    let after = checked_chain(
        &accounts(&["Alpha", "Bravo", "Charlie", "Delta"]),
        &["Alpha", "Bravo", "Charlie", "Delta"],
    );
    for (name, id) in &before {
        assert_eq!(id, &logical_id_for(&["Accounts", name.as_str()]));
        assert!(
            after.contains(&(name.clone(), id.clone())),
            "{name} renamed"
        );
    }
    assert_eq!(after.len(), 4);
}

#[test]
fn moving_an_account_to_another_ou_keeps_its_logical_id() {
    let build = |in_prod: bool| {
        let (mut app, _, org) = management(Quotas::default());
        let workloads = app.add(&org, OrganizationalUnit::new("Workloads")).unwrap();
        let prod = app
            .add(&workloads, OrganizationalUnit::new("Prod"))
            .unwrap();
        let dev = app.add(&workloads, OrganizationalUnit::new("Dev")).unwrap();
        let target = if in_prod { prod } else { dev };
        app.add(&target, Account::new("Web", "aws+web@acme.example"))
            .unwrap();
        template(&app, "Management")
    };
    let (in_dev, in_prod) = (build(false), build(true));
    let id = logical_id_for(&["Accounts", "Web"]);
    let parent = |doc: &Json| doc["Resources"][&id]["Properties"]["ParentIds"].clone();
    assert_eq!(
        parent(&in_dev),
        json!([{ "Ref": logical_id_for(&["Organization", "Workloads", "Dev"]) }])
    );
    assert_eq!(
        parent(&in_prod),
        json!([{ "Ref": logical_id_for(&["Organization", "Workloads", "Prod"]) }])
    );
    // Same logical id, and nothing but the parent differs.
    let mut moved = in_dev["Resources"][&id].clone();
    moved["Properties"]["ParentIds"] = parent(&in_prod);
    assert_eq!(moved, in_prod["Resources"][&id]);
}

// ----- roles and trust -----

fn deployer_trust(condition: Option<Condition>) -> PolicyDocument {
    let mut st = Statement::allow()
        .sid("Ci")
        .principal(Principal::account("111111111111"))
        .action("sts:AssumeRole");
    if let Some(c) = condition {
        st = st.condition(c);
    }
    PolicyDocument::new().statement(st)
}

#[test]
fn role_trust_without_mfa() {
    let (mut app, stack, _) = management(Quotas::default());
    app.add(&stack, Role::new("Deployer", deployer_trust(None)))
        .unwrap();
    assert_eq!(
        single(&app),
        (
            Rule::TrustWithoutMfa,
            "Management/Deployer".into(),
            "Ci".into()
        )
    );
}

#[test]
fn role_trust_without_mfa_is_accepted_with_a_reason() {
    let (mut app, stack, _) = management(Quotas::default());
    app.add(
        &stack,
        Role::new("Deployer", deployer_trust(None)).without_mfa("assumed by the CI pipeline"),
    )
    .unwrap();
    let doc = template(&app, "Management");
    let role = &doc["Resources"][logical_id_for(&["Deployer"])];
    assert_eq!(
        role["Metadata"],
        json!({ "orgstack:trust-without-mfa": "assumed by the CI pipeline" })
    );
}

#[test]
fn role_trust_with_bool_if_exists_is_rejected() {
    let (mut app, stack, _) = management(Quotas::default());
    app.add(
        &stack,
        Role::new(
            "Deployer",
            deployer_trust(Some(Condition::bool_if_exists(
                keys::MULTI_FACTOR_AUTH_PRESENT,
                true,
            ))),
        ),
    )
    .unwrap();
    assert_eq!(
        single(&app),
        (
            Rule::TrustWithoutMfa,
            "Management/Deployer".into(),
            "Ci".into()
        )
    );
}

#[test]
fn role_trust_with_mfa_false_is_rejected() {
    let (mut app, stack, _) = management(Quotas::default());
    app.add(
        &stack,
        Role::new(
            "Deployer",
            deployer_trust(Some(Condition::bool(
                keys::MULTI_FACTOR_AUTH_PRESENT,
                false,
            ))),
        ),
    )
    .unwrap();
    let (rule, path, _) = single(&app);
    assert_eq!(
        (rule, path.as_str()),
        (Rule::TrustWithoutMfa, "Management/Deployer")
    );
}

#[test]
fn role_trust_with_mfa_and_service_trust_are_accepted() {
    let (mut app, stack, _) = management(Quotas::default());
    app.add(
        &stack,
        Role::new(
            "Deployer",
            deployer_trust(Some(Condition::bool(keys::MULTI_FACTOR_AUTH_PRESENT, true))),
        ),
    )
    .unwrap();
    // A service is no person: no MFA to require.
    app.add(
        &stack,
        Role::new(
            "Trail",
            PolicyDocument::new().statement(
                Statement::allow()
                    .principal(Principal::service("cloudtrail.amazonaws.com"))
                    .action("sts:AssumeRole"),
            ),
        ),
    )
    .unwrap();
    let doc = template(&app, "Management");
    let role = &doc["Resources"][logical_id_for(&["Deployer"])];
    assert_eq!(
        role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Condition"],
        json!({ "Bool": { "aws:MultiFactorAuthPresent": "true" } })
    );
    assert!(role.get("Metadata").is_none());
}

fn wide_trust(len: usize) -> PolicyDocument {
    let doc = padded(
        len,
        |pad| {
            PolicyDocument::new().statement(
                Statement::allow()
                    .principal(Principal::aws(format!(
                        "arn:aws:iam::111111111111:role/{pad}"
                    )))
                    .action("sts:AssumeRole")
                    .condition(Condition::bool(keys::MULTI_FACTOR_AUTH_PRESENT, true)),
            )
        },
        PolicyDocument::minified_len,
    );
    assert_eq!(minified(&doc.to_value()).unwrap().len(), len);
    doc
}

fn role_with_trust(quotas: Quotas, len: usize) -> App {
    let (mut app, stack, _) = management(quotas);
    app.add(&stack, Role::new("Wide", wide_trust(len))).unwrap();
    app
}

#[test]
fn trust_policy_over_2048_characters() {
    assert!(role_with_trust(Quotas::default(), 2048).synth().is_ok());
    assert_eq!(
        single(&role_with_trust(Quotas::default(), 2049)),
        (
            Rule::TrustPolicySize,
            "Management/Wide".into(),
            "2049".into()
        )
    );
}

#[test]
fn trust_policy_size_is_configurable_to_4096() {
    let mut quotas = Quotas::default();
    quotas.trust_policy_size = 4096;
    assert!(role_with_trust(quotas.clone(), 2049).synth().is_ok());
    assert!(role_with_trust(quotas.clone(), 4096).synth().is_ok());
    assert_eq!(
        single(&role_with_trust(quotas, 4097)),
        (
            Rule::TrustPolicySize,
            "Management/Wide".into(),
            "4097".into()
        )
    );
}

// ----- managed policies -----

fn managed_doc(len: usize, spaces: usize) -> PolicyDocument {
    padded(
        len,
        |pad| {
            PolicyDocument::new().statement(
                Statement::allow()
                    .action("s3:GetObject")
                    .resource(format!("arn:aws:s3:::bucket/{}{pad}", " ".repeat(spaces))),
            )
        },
        PolicyDocument::minified_len_without_whitespace,
    )
}

fn managed_policy_app(doc: PolicyDocument) -> App {
    let mut app = App::new();
    let stack = app.stack("Identity").unwrap();
    app.add(&stack, ManagedPolicy::new("Big", doc)).unwrap();
    app
}

#[test]
fn managed_policy_over_6144_non_whitespace_characters() {
    assert!(managed_policy_app(managed_doc(6144, 0)).synth().is_ok());
    assert_eq!(
        single(&managed_policy_app(managed_doc(6145, 0))),
        (
            Rule::ManagedPolicySize,
            "Identity/Big".into(),
            "6145".into()
        )
    );
}

#[test]
fn whitespace_does_not_count_toward_the_managed_policy_size() {
    let doc = managed_doc(6144, 200);
    assert_eq!(doc.minified_len(), 6344);
    assert!(managed_policy_app(doc).synth().is_ok());
}

fn aws_managed(n: usize) -> Vec<ManagedPolicyRef> {
    (0..n)
        .map(|i| ManagedPolicyRef::aws_managed(&format!("Policy{i}")))
        .collect()
}

#[test]
fn eleven_managed_policies_on_a_role() {
    let build = |quotas: Quotas, n: usize| {
        let (mut app, stack, _) = management(quotas);
        app.add(
            &stack,
            Role::assumable_with_mfa("Operator", "111111111111").managed_policies(aws_managed(n)),
        )
        .unwrap();
        app
    };
    let ten = build(Quotas::default(), 10);
    let doc = template(&ten, "Management");
    assert_eq!(
        doc["Resources"][logical_id_for(&["Operator"])]["Properties"]["ManagedPolicyArns"]
            .as_array()
            .unwrap()
            .len(),
        10
    );
    assert_eq!(
        single(&build(Quotas::default(), 11)),
        (
            Rule::ManagedPoliciesPerIdentity,
            "Management/Operator".into(),
            "11".into()
        )
    );
    let mut raised = Quotas::default();
    raised.managed_policies_per_identity = 20;
    assert!(build(raised, 11).synth().is_ok());
}

#[test]
fn eleven_managed_policies_on_a_group() {
    let mut app = App::new();
    let stack = app.stack("Identity").unwrap();
    app.add(&stack, Group::new("Ops").managed_policies(aws_managed(11)))
        .unwrap();
    assert_eq!(
        single(&app),
        (
            Rule::ManagedPoliciesPerIdentity,
            "Identity/Ops".into(),
            "11".into()
        )
    );
}

#[test]
fn a_managed_policy_attached_twice_counts_once() {
    let (mut app, stack, _) = management(Quotas::default());
    let mut refs = aws_managed(10);
    refs.push(ManagedPolicyRef::aws_managed("Policy0"));
    app.add(
        &stack,
        Role::assumable_with_mfa("Operator", "111111111111").managed_policies(refs),
    )
    .unwrap();
    // The template attaches ten distinct policies, which IAM accepts.
    let doc = template(&app, "Management");
    assert_eq!(
        doc["Resources"][logical_id_for(&["Operator"])]["Properties"]["ManagedPolicyArns"]
            .as_array()
            .unwrap()
            .len(),
        10
    );
}
