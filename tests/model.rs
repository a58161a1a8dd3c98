//! The typed model: constructs keep what they mean until synthesis, handles know their
//! app, validation runs on what will be rendered, and every problem is reported at once.

use orgstack::cfn::{Resource, Value};
use orgstack::iam::{PolicyDocument, Role, Statement};
use orgstack::org::{
    Account, Organization, OrganizationalUnit, Parent, Policy, PolicyTargetRef, PolicyType,
};
use orgstack::stackset::StackSet;
use orgstack::{App, CfnResource, Diagnostic, Error, Rule};

fn problems(app: &App) -> Vec<Diagnostic> {
    match app.synth() {
        Err(e @ Error::Validation(_)) => e.diagnostics().to_vec(),
        Err(other) => panic!("expected a validation error, got {other}"),
        Ok(_) => panic!("expected a validation error, synthesis succeeded"),
    }
}

fn rules(app: &App) -> Vec<Rule> {
    problems(app).iter().map(|d| d.rule).collect()
}

fn deny_leave() -> PolicyDocument {
    PolicyDocument::new().statement(
        Statement::deny()
            .action("organizations:LeaveOrganization")
            .resource("*"),
    )
}

/// An app with an organization, an OU, an account, a policy, a role and a StackSet, for
/// handing its handles to another app.
struct Other {
    app: App,
    org: orgstack::org::OrganizationHandle,
    ou: orgstack::org::OuHandle,
    account: orgstack::org::AccountHandle,
    policy: orgstack::org::PolicyHandle,
    role: orgstack::iam::RoleHandle,
    stack_set: orgstack::stackset::StackSetHandle,
    resource: orgstack::ResourceHandle,
}

fn other_app() -> Other {
    let mut app = App::new();
    let s = app.stack("Other").unwrap();
    let org = app.add(&s, Organization::create()).unwrap();
    let ou = app.add(&org, OrganizationalUnit::new("Elsewhere")).unwrap();
    let account = app
        .add(&ou, Account::new("Elsewhere", "aws+elsewhere@acme.example"))
        .unwrap();
    let policy = app
        .add(&org, Policy::service_control("Theirs", deny_leave()))
        .unwrap();
    let role = app
        .add(&s, Role::assumable_with_mfa("Theirs", "123456789012"))
        .unwrap();
    let stack_set = app
        .add(&s, StackSet::new("TheirSet", "theirs").target(&ou))
        .unwrap();
    app.add(
        &stack_set.template(),
        Role::assumable_with_mfa("Theirs", "123456789012"),
    )
    .unwrap();
    let resource = app
        .add(
            &s,
            CfnResource::new("Topic", Resource::new("AWS::SNS::Topic")),
        )
        .unwrap();
    Other {
        app,
        org,
        ou,
        account,
        policy,
        role,
        stack_set,
        resource,
    }
}

#[test]
fn handles_of_another_app_are_diagnostics_never_panics_or_wrong_refs() {
    let other = other_app();
    // Pad this app so that the other app's indices exist here too: a bare index would
    // silently point at one of these.
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app.add(&mgmt, Organization::create()).unwrap();
    let mine = app.add(&org, OrganizationalUnit::new("Mine")).unwrap();
    for i in 0..20 {
        app.add(
            &mine,
            Account::new(format!("Pad{i}"), format!("aws+pad{i}@acme.example")),
        )
        .unwrap();
    }

    // An OU of the other app as a parent.
    app.add(&other.ou, Account::new("Stray", "aws+stray@acme.example"))
        .unwrap();
    // The other app's organization as a parent of an OU.
    app.add(&other.org, OrganizationalUnit::new("Stray"))
        .unwrap();
    // An account of the other app, trusted by a role.
    app.add(
        &mgmt,
        Role::assumable_with_mfa("TrustsStranger", &other.account),
    )
    .unwrap();
    // A policy of the other app, attached here; and one of ours attached to their OU.
    other.policy.attach(&mut app, &mine);
    let ours = app
        .add(&org, Policy::service_control("Ours", deny_leave()))
        .unwrap();
    ours.attach(&mut app, &other.ou);
    // A role, a StackSet and a resource of the other app, referenced from here.
    app.add(
        &mgmt,
        CfnResource::new(
            "UsesRole",
            Resource::new("AWS::SNS::Topic").property("DisplayName", other.role.arn()),
        ),
    )
    .unwrap();
    app.add(
        &mgmt,
        CfnResource::new(
            "UsesStackSet",
            Resource::new("AWS::SNS::Topic").property("DisplayName", other.stack_set.id()),
        ),
    )
    .unwrap();
    app.add_dependency(&ours, &other.resource);
    // A StackSet of ours targeting their OU.
    let strays = app
        .add(&mgmt, StackSet::new("Strays", "strays").target(&other.ou))
        .unwrap();
    app.add(
        &strays.template(),
        Role::assumable_with_mfa("Ops", "123456789012"),
    )
    .unwrap();

    let found = problems(&app);
    let foreign: Vec<&Diagnostic> = found
        .iter()
        .filter(|d| d.rule == Rule::ForeignHandle)
        .collect();
    assert_eq!(foreign.len(), 9, "{found:#?}");
    assert_eq!(found.len(), 9, "only the foreign handles: {found:#?}");
    for d in &foreign {
        assert!(d.value.contains("another App"), "{d}");
    }
    // Where the construct using the handle is known, the diagnostic names it.
    let paths: Vec<&str> = foreign.iter().map(|d| d.path.as_str()).collect();
    for expected in [
        "Stray",
        "Management/Organization/Mine",
        "Management/TrustsStranger",
        "Management/UsesRole",
        "Management/UsesStackSet",
        "Management/Policies/Ours",
        "Management/Strays",
    ] {
        assert!(paths.contains(&expected), "{expected} in {paths:?}");
    }
    // The other app is untouched and still synthesizes.
    if let Err(e) = other.app.synth() {
        panic!("{e}");
    }
}

#[test]
fn a_value_changed_through_the_escape_hatch_after_build_is_checked() {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app.add(&mgmt, Organization::create()).unwrap();
    let prod = app
        .add(&org, Account::new("Prod", "aws+prod@acme.example"))
        .unwrap();
    let dev = app
        .add(&org, Account::new("Dev", "aws+dev@acme.example"))
        .unwrap();
    app.add(&org, Account::new("Stage", "aws+stage@acme.example"))
        .unwrap();
    assert!(app.synth().is_ok());

    let res = app.resource_mut(&prod.node().unwrap()).unwrap();
    res.properties
        .insert("Email".into(), Value::from("not-an-email"));
    // The second change makes two accounts share an address: the organization-wide
    // check sees the rendered value too.
    app.resource_mut(&dev.node().unwrap())
        .unwrap()
        .properties
        .insert("Email".into(), Value::from("AWS+Stage@acme.example"));
    let found = problems(&app);
    let got: Vec<(Rule, &str)> = found.iter().map(|d| (d.rule, d.path.as_str())).collect();
    assert_eq!(
        got,
        [
            (Rule::AccountEmail, "Management/Accounts/Prod"),
            (Rule::DuplicateEmail, "Management/Accounts/Stage"),
        ],
        "{found:#?}"
    );
    assert_eq!(found[0].value, "not-an-email");
    // The override is what renders.
    app.resource_mut(&prod.node().unwrap())
        .unwrap()
        .properties
        .insert("Email".into(), Value::from("aws+prod2@acme.example"));
    app.resource_mut(&dev.node().unwrap())
        .unwrap()
        .properties
        .insert("Email".into(), Value::from("aws+dev2@acme.example"));
    let assembly = app.synth().unwrap();
    let tpl = assembly.template_json("Management").unwrap();
    assert!(tpl.contains("aws+prod2@acme.example"), "{tpl}");
    assert!(!tpl.contains("aws+prod@acme.example"));
}

#[test]
fn a_duplicate_id_joins_the_list_of_problems() {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app.add(&mgmt, Organization::create()).unwrap();
    app.add(&org, Account::new("Prod", "aws+prod@acme.example"))
        .unwrap();
    // 1: the same id again.
    app.add(&org, Account::new("Prod", "aws+prod-2@acme.example"))
        .unwrap();
    // 2: a bad e-mail.
    app.add(&org, Account::new("Dev", "not-an-email")).unwrap();
    // 3: a name over 50 characters.
    app.add(&org, Account::new("x".repeat(51), "aws+x@acme.example"))
        .unwrap();
    // 4: a StackSet in a region that does not exist.
    let ou = app.add(&org, OrganizationalUnit::new("Workloads")).unwrap();
    let roles = app
        .add(
            &mgmt,
            StackSet::new("Roles", "roles")
                .target(&ou)
                .regions(["mars-north-1 "]),
        )
        .unwrap();
    app.add(
        &roles.template(),
        Role::assumable_with_mfa("Ops", "123456789012"),
    )
    .unwrap();
    assert_eq!(
        rules(&app),
        [
            Rule::DuplicateId,
            Rule::AccountEmail,
            Rule::AccountName,
            Rule::Region
        ]
    );
}

#[test]
fn the_typed_model_answers_what_the_organization_means() {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app
        .add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    let workloads = app.add(&org, OrganizationalUnit::new("Workloads")).unwrap();
    let prod = app
        .add(&workloads, Account::new("Prod", "aws+prod@acme.example"))
        .unwrap();
    let legacy = Account::existing("210987654321");
    let scp = app
        .add(&org, Policy::service_control("DenyLeave", deny_leave()))
        .unwrap();
    scp.attach(&mut app, &workloads);
    scp.attach(&mut app, &legacy);
    scp.attach(&mut app, &workloads);
    let set = app
        .add(
            &mgmt,
            StackSet::new("Roles", "roles")
                .target(&workloads)
                .regions(["us-east-1", "eu-west-1"]),
        )
        .unwrap();
    let role = app
        .add(&set.template(), Role::assumable_with_mfa("Admin", &prod))
        .unwrap();

    let accounts: Vec<(&str, &str)> = app.accounts().map(|a| (a.name(), a.email())).collect();
    assert_eq!(accounts, [("Prod", "aws+prod@acme.example")]);
    assert_eq!(
        app.accounts().next().unwrap().parent(),
        Parent::Ou(workloads)
    );
    assert_eq!(app.ous().next().unwrap().parent(), Parent::Root(org));

    let policy = app.policies().next().unwrap();
    assert_eq!(policy.policy_type(), &PolicyType::ServiceControlPolicy);
    assert_eq!(
        policy.targets(),
        [
            PolicyTargetRef::Ou(workloads),
            PolicyTargetRef::Account(legacy.clone().into())
        ]
    );
    assert_eq!(policy.document().unwrap().get_statements().len(), 1);

    let s = app.stack_sets().next().unwrap();
    assert_eq!(s.regions(), ["us-east-1", "eu-west-1"]);
    assert_eq!(s.template(), set.template());

    let r = app.roles().next().unwrap();
    assert_eq!(r.handle(), role);
    assert_eq!(r.trusted_account().and_then(|a| a.node()), prod.node());
    assert!(orgstack::iam::requires_mfa(&r.trust().get_statements()[0]));
    app.synth().unwrap();
}
