//! Whatever the library accepts, CloudFormation accepts: one test per class of value that
//! CloudFormation, its resource schemas or AWS would refuse, asserting that synthesis
//! reports it with the rule broken, the construct path and the value as written.

use orgstack::cfn::{render, Expr, Output, Resource};
use orgstack::iam::{Group, ManagedPolicy, ManagedPolicyRef, PolicyDocument, Role, Statement};
use orgstack::layouts::{FiveAccountLayout, FiveAccountLayoutBuilder, Grant, ObjectLock};
use orgstack::org::{Account, Organization, OrganizationHandle};
use orgstack::stackset::StackSet;
use orgstack::{App, CfnResource, Diagnostic, Error, Rule, StackHandle};

// ----- helpers -----

fn management() -> (App, StackHandle, OrganizationHandle) {
    let mut app = App::new();
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

/// The diagnostics as `(rule, path, value)`.
fn found(app: &App) -> Vec<(Rule, String, String)> {
    validation_errors(app)
        .into_iter()
        .map(|d| {
            assert!(!d.message.ends_with('.'), "{d}");
            assert!(!d.hint.is_empty(), "{d}");
            (d.rule, d.path, d.value)
        })
        .collect()
}

fn one(rule: Rule, path: &str, value: &str) -> Vec<(Rule, String, String)> {
    vec![(rule, path.to_owned(), value.to_owned())]
}

fn topic(app: &mut App, stack: &StackHandle, id: &str) -> orgstack::ResourceHandle {
    app.add(
        stack,
        CfnResource::new(id, Resource::new("AWS::SNS::Topic")),
    )
    .unwrap()
}

fn read_logs() -> PolicyDocument {
    PolicyDocument::new().statement(Statement::allow().action("logs:Get*").resource("*"))
}

// ----- 1. outputs and exports -----

#[test]
fn output_names_outside_letters_and_digits_empty_or_too_long() {
    let mut app = App::new();
    let stack = app.stack("Main").unwrap();
    let t = topic(&mut app, &stack, "Topic");
    let long = "O".repeat(256);
    for name in ["Topic-Arn", "", long.as_str(), "TopicArn"] {
        app.add_output(&stack, name, Output::new(t.ref_expr()));
    }
    assert_eq!(
        found(&app),
        [
            (Rule::OutputName, "Main".into(), "Topic-Arn".into()),
            (Rule::OutputName, "Main".into(), String::new()),
            (
                Rule::OutputName,
                "Main".into(),
                format!("{}… (256 characters)", "O".repeat(120))
            ),
        ]
    );
}

#[test]
fn one_export_name_in_two_stacks_or_twice_in_one() {
    let mut app = App::new();
    let a = app.stack("A").unwrap();
    let b = app.stack("B").unwrap();
    let ta = topic(&mut app, &a, "Topic");
    let tb = topic(&mut app, &b, "Topic");
    app.add_output(
        &a,
        "TopicArn",
        Output::new(ta.ref_expr()).export("alerts-topic"),
    );
    app.add_output(
        &b,
        "TopicArn",
        Output::new(tb.ref_expr()).export("alerts-topic"),
    );
    app.add_output(
        &b,
        "SameTopicArn",
        Output::new(tb.ref_expr()).export("alerts-topic"),
    );
    assert_eq!(
        found(&app),
        [
            (Rule::DuplicateExport, "B".into(), "alerts-topic".into()),
            (Rule::DuplicateExport, "B".into(), "alerts-topic".into()),
        ]
    );
}

#[test]
fn user_output_named_like_a_generated_export() {
    let mut app = App::new();
    let a = app.stack("A").unwrap();
    let b = app.stack("B").unwrap();
    let t = topic(&mut app, &a, "Topic");
    // B imports the topic: synthesis adds an `Export…` output to A.
    app.add(
        &b,
        CfnResource::new(
            "Sub",
            Resource::new("AWS::SNS::Subscription").property("TopicArn", t.ref_expr()),
        ),
    )
    .unwrap();
    let generated = app.synth().unwrap();
    let json = generated.template_json("A").unwrap();
    let name = json
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("\"Export")
                .map(|r| r.split('"').next().unwrap())
        })
        .map(|rest| format!("Export{rest}"))
        .expect("an export output");
    app.add_output(&a, name.as_str(), Output::new(t.ref_expr()));
    // And an export of the form synthesis uses.
    app.add_output(
        &a,
        "Mine",
        Output::new(t.ref_expr()).export(format!("A:{}", &name["Export".len()..])),
    );
    let got = found(&app);
    assert_eq!(
        got,
        [
            (Rule::OutputName, "A".into(), name.clone()),
            (
                Rule::DuplicateExport,
                "A".into(),
                format!("A:{}", &name["Export".len()..])
            ),
        ]
    );
}

// ----- 2. descriptions -----

#[test]
fn template_description_over_1024_bytes() {
    let mut app = App::new();
    let stack = app.stack("Main").unwrap();
    topic(&mut app, &stack, "Topic");
    // 512 characters of two bytes each: 1,024 bytes, accepted; one more is not.
    app.set_stack_description(&stack, "é".repeat(512));
    app.synth().unwrap();
    app.set_stack_description(&stack, "é".repeat(513));
    let got = found(&app);
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].0, got[0].1.as_str()), (Rule::Description, "Main"));
    assert!(got[0].2.starts_with("éé") && got[0].2.ends_with("(513 characters)"));
}

#[test]
fn member_template_description_over_1024_bytes() {
    let (mut app, stack, org) = management();
    let set = app
        .add(
            &stack,
            StackSet::new("Roles", "roles")
                .target(&org)
                .template_description("d".repeat(1025)),
        )
        .unwrap();
    app.add(&set.template(), Group::new("G")).unwrap();
    let got = found(&app);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        (got[0].0, got[0].1.as_str()),
        (Rule::Description, "Management/Roles/Template")
    );
}

#[test]
fn role_description_over_1000_characters_or_outside_latin_1() {
    let mut app = App::new();
    let stack = app.stack("Member").unwrap();
    app.add(
        &stack,
        Role::assumable_with_mfa("Long", "123456789012").description("d".repeat(1001)),
    )
    .unwrap();
    app.add(
        &stack,
        Role::assumable_with_mfa("Dash", "123456789012").description("Read only — for auditors"),
    )
    .unwrap();
    app.add(
        &stack,
        Role::assumable_with_mfa("Fine", "123456789012")
            .description(format!("Café crème,\tlines\n{}", "d".repeat(970))),
    )
    .unwrap();
    assert_eq!(
        found(&app),
        [
            (
                Rule::Description,
                "Member/Long".into(),
                format!("{}… (1001 characters)", "d".repeat(120))
            ),
            (
                Rule::Description,
                "Member/Dash".into(),
                "Read only — for auditors".into()
            ),
        ]
    );
}

#[test]
fn managed_policy_description_over_1000_characters() {
    let mut app = App::new();
    let stack = app.stack("Member").unwrap();
    app.add(
        &stack,
        ManagedPolicy::new("Read", read_logs()).description("d".repeat(1000)),
    )
    .unwrap();
    app.synth().unwrap();
    app.add(
        &stack,
        ManagedPolicy::new("Read2", read_logs()).description("d".repeat(1001)),
    )
    .unwrap();
    assert_eq!(
        found(&app),
        one(
            Rule::Description,
            "Member/Read2",
            &format!("{}… (1001 characters)", "d".repeat(120))
        )
    );
}

#[test]
fn stack_set_description_empty_or_over_1024_characters() {
    let (mut app, stack, org) = management();
    for (id, d) in [("Empty", String::new()), ("Long", "d".repeat(1025))] {
        let set = app
            .add(&stack, StackSet::new(id, id).target(&org).description(d))
            .unwrap();
        app.add(&set.template(), Group::new("G")).unwrap();
    }
    assert_eq!(
        found(&app),
        [
            (Rule::Description, "Management/Empty".into(), String::new()),
            (
                Rule::Description,
                "Management/Long".into(),
                format!("{}… (1025 characters)", "d".repeat(120))
            ),
        ]
    );
}

// ----- 3. tags -----

#[test]
fn tags_with_an_empty_key_or_a_control_character() {
    let (mut app, _, org) = management();
    app.add(
        &org,
        Account::new("Prod", "aws+prod@acme.example")
            .tag("", "x")
            .tag("team", "plat\tform"),
    )
    .unwrap();
    app.add(
        &org,
        orgstack::org::OrganizationalUnit::new("Workloads").tag("owner", "a\nb"),
    )
    .unwrap();
    let mut app2 = App::new();
    let member = app2.stack("Member").unwrap();
    app2.add(
        &member,
        Role::assumable_with_mfa("Admin", "123456789012").tag("cost\u{7}centre", "1"),
    )
    .unwrap();
    assert_eq!(
        found(&app),
        [
            (
                Rule::Tag,
                "Management/Accounts/Prod".into(),
                "\"\": \"x\"".into()
            ),
            (
                Rule::Tag,
                "Management/Accounts/Prod".into(),
                "\"team\": \"plat\\tform\"".into()
            ),
            (
                Rule::Tag,
                "Management/Organization/Workloads".into(),
                "\"owner\": \"a\\nb\"".into()
            ),
        ]
    );
    assert_eq!(
        found(&app2),
        one(Rule::Tag, "Member/Admin", "\"cost\\u{7}centre\": \"1\"")
    );
}

#[test]
fn more_than_50_tags_or_one_key_twice() {
    let mut app = App::new();
    let stack = app.stack("Member").unwrap();
    let mut many = Role::assumable_with_mfa("Many", "123456789012");
    for i in 0..51 {
        many = many.tag(format!("k{i}"), "v");
    }
    app.add(&stack, many).unwrap();
    // IAM compares tag keys without case.
    app.add(
        &stack,
        Role::assumable_with_mfa("Twice", "123456789012")
            .tag("Team", "a")
            .tag("team", "b"),
    )
    .unwrap();
    // The escape hatch is checked like the rest: a StackSet's tags, for one.
    let (mut app2, mgmt, org) = management();
    let set = app2
        .add(&mgmt, StackSet::new("Roles", "roles").target(&org))
        .unwrap();
    app2.add(&set.template(), Group::new("G")).unwrap();
    app2.resource_mut(&set).unwrap().properties.insert(
        "Tags".into(),
        orgstack::cfn::tags(&[("team".into(), "a".into()), ("team".into(), "b".into())]),
    );
    assert_eq!(
        found(&app),
        [
            (Rule::Tag, "Member/Many".into(), "51 tags".into()),
            (Rule::Tag, "Member/Twice".into(), "\"team\": \"b\"".into()),
        ]
    );
    assert_eq!(
        found(&app2),
        one(Rule::Tag, "Management/Roles", "\"team\": \"b\"")
    );
}

// ----- 4. names unique in an account -----

#[test]
fn two_roles_groups_or_managed_policies_of_one_name() {
    let mut app = App::new();
    let stack = app.stack("Member").unwrap();
    app.add(
        &stack,
        Role::assumable_with_mfa("Admin", "123456789012").name("admin"),
    )
    .unwrap();
    // IAM names ignore case.
    app.add(
        &stack,
        Role::assumable_with_mfa("Admin2", "123456789012").name("Admin"),
    )
    .unwrap();
    app.add(&stack, Group::new("Ops").name("ops")).unwrap();
    app.add(&stack, Group::new("Ops2").name("ops")).unwrap();
    app.add(&stack, ManagedPolicy::new("Read", read_logs()).name("read"))
        .unwrap();
    app.add(
        &stack,
        ManagedPolicy::new("Read2", read_logs()).name("read"),
    )
    .unwrap();
    assert_eq!(
        found(&app),
        [
            (Rule::DuplicateName, "Member/Admin2".into(), "Admin".into()),
            (Rule::DuplicateName, "Member/Ops2".into(), "ops".into()),
            (Rule::DuplicateName, "Member/Read2".into(), "read".into()),
        ]
    );
}

#[test]
fn names_are_unique_across_the_management_stacks_not_member_templates() {
    let (mut app, stack, org) = management();
    let other = app.stack("Other").unwrap();
    app.add(&stack, Group::new("Ops").name("ops")).unwrap();
    app.add(&other, Group::new("Ops").name("ops")).unwrap();
    // A member template deploys to other accounts: the same name is no conflict.
    let set = app
        .add(&stack, StackSet::new("Groups", "groups").target(&org))
        .unwrap();
    app.add(&set.template(), Group::new("Ops").name("ops"))
        .unwrap();
    assert_eq!(found(&app), one(Rule::DuplicateName, "Other/Ops", "ops"));
}

#[test]
fn named_iam_resource_in_a_stack_set_of_two_regions() {
    let (mut app, stack, org) = management();
    let set = app
        .add(
            &stack,
            StackSet::new("Roles", "roles")
                .target(&org)
                .regions(["us-east-1", "eu-west-1"]),
        )
        .unwrap();
    app.add(&set.template(), Group::new("Ops").name("ops"))
        .unwrap();
    app.add(&set.template(), Group::new("Unnamed")).unwrap();
    assert_eq!(
        found(&app),
        one(Rule::DuplicateName, "Management/Roles/Template/Ops", "ops")
    );
}

#[test]
fn two_budgets_of_one_name() {
    let (mut app, _, org) = management();
    let budget = |name: &str| {
        Resource::new("AWS::Budgets::Budget").property(
            "Budget",
            orgstack::obj! { "BudgetName" => name, "BudgetType" => "COST", "TimeUnit" => "MONTHLY" },
        )
    };
    let a = app
        .add(&org, Account::new("Prod", "aws+prod@acme.example"))
        .unwrap();
    let scope = a.node().unwrap();
    app.add(&scope, CfnResource::new("B1", budget("monthly")))
        .unwrap();
    app.add(&scope, CfnResource::new("B2", budget("monthly")))
        .unwrap();
    assert_eq!(
        found(&app),
        one(
            Rule::DuplicateName,
            "Management/Accounts/Prod/B2",
            "monthly"
        )
    );
}

#[test]
fn two_inline_policies_of_one_name() {
    let mut app = App::new();
    let stack = app.stack("Member").unwrap();
    app.add(
        &stack,
        Group::new("Ops")
            .inline_policy("read", read_logs())
            .inline_policy("read", read_logs()),
    )
    .unwrap();
    assert_eq!(found(&app), one(Rule::DuplicateName, "Member/Ops", "read"));
}

// ----- 5. managed policy ARNs -----

#[test]
fn a_managed_policy_arn_that_is_not_one() {
    let mut app = App::new();
    let stack = app.stack("Member").unwrap();
    let own = app
        .add(&stack, ManagedPolicy::new("Read", read_logs()))
        .unwrap();
    app.add(
        &stack,
        Role::assumable_with_mfa("Admin", "123456789012")
            .managed_policy(ManagedPolicyRef::Arn("ReadOnlyAccess".into()))
            // Intrinsics are CloudFormation's to resolve, and ARNs of the app's own policies
            // are ARNs.
            .managed_policy(ManagedPolicyRef::Arn(
                Expr::sub("arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess").into(),
            ))
            .managed_policy(own)
            .managed_policy(ManagedPolicyRef::Arn(
                "arn:aws:iam::123456789012:policy/team/Read".into(),
            )),
    )
    .unwrap();
    app.add(
        &stack,
        Group::new("Ops").managed_policy(ManagedPolicyRef::Arn(
            "arn:aws:iam::aws:role/ReadOnlyAccess".into(),
        )),
    )
    .unwrap();
    assert_eq!(
        found(&app),
        [
            (
                Rule::ManagedPolicyArn,
                "Member/Admin".into(),
                "ReadOnlyAccess".into()
            ),
            (
                Rule::ManagedPolicyArn,
                "Member/Ops".into(),
                "arn:aws:iam::aws:role/ReadOnlyAccess".into()
            ),
        ]
    );
}

#[test]
fn a_permissions_boundary_that_is_not_a_managed_policy_arn() {
    let mut app = App::new();
    let stack = app.stack("Member").unwrap();
    let boundary = app
        .add(&stack, ManagedPolicy::new("Boundary", read_logs()))
        .unwrap();
    app.add(
        &stack,
        Role::assumable_with_mfa("Bounded", "123456789012").permissions_boundary(boundary.arn()),
    )
    .unwrap();
    app.add(
        &stack,
        Role::assumable_with_mfa("Admin", "123456789012").permissions_boundary("PowerUserAccess"),
    )
    .unwrap();
    assert_eq!(
        found(&app),
        one(Rule::ManagedPolicyArn, "Member/Admin", "PowerUserAccess")
    );
}

// ----- 6. user text inside Fn::Sub -----

#[test]
fn an_aws_managed_policy_name_is_escaped_and_refused_when_it_cannot_be_one() {
    let mut app = App::new();
    let stack = app.stack("Member").unwrap();
    let role = app
        .add(
            &stack,
            Role::assumable_with_mfa("Admin", "123456789012")
                .managed_policy(ManagedPolicyRef::aws_managed("${Foo}"))
                .managed_policy(ManagedPolicyRef::aws_managed("service-role/AWSConfigRole")),
        )
        .unwrap();
    // Never a `Fn::Sub` variable: the name stays literal text.
    let arns = app.resource(&role).unwrap().properties["ManagedPolicyArns"].clone();
    assert_eq!(
        render::minified(&arns).unwrap(),
        r#"[{"Fn::Sub":"arn:${AWS::Partition}:iam::aws:policy/${!Foo}"},{"Fn::Sub":"arn:${AWS::Partition}:iam::aws:policy/service-role/AWSConfigRole"}]"#
    );
    assert_eq!(
        found(&app),
        one(Rule::ManagedPolicyArn, "Member/Admin", "${Foo}")
    );
}

#[test]
fn an_account_id_given_as_text_is_never_a_sub_variable() {
    let mut app = App::new();
    let stack = app.stack("Member").unwrap();
    let role = app
        .add(
            &stack,
            Role::assumable_with_mfa("Admin", "${AWS::AccountId}"),
        )
        .unwrap();
    let trust = &app.resource(&role).unwrap().properties["AssumeRolePolicyDocument"];
    assert!(render::minified(trust)
        .unwrap()
        .contains(r#""arn:${AWS::Partition}:iam::${!AWS::AccountId}:root""#));
    let got = found(&app);
    assert!(!got.is_empty(), "{got:?}");
    assert!(
        got.iter().all(|d| *d
            == (
                Rule::AccountId,
                "Member/Admin".into(),
                "${AWS::AccountId}".into()
            )),
        "{got:?}"
    );
}

// ----- 7. layout settings -----

fn layout() -> FiveAccountLayoutBuilder {
    FiveAccountLayout::builder("acme").email_domain("aws.acme.example")
}

/// The diagnostics of the layout `builder` under a `Management` stack.
fn layout_found(builder: FiveAccountLayoutBuilder) -> Vec<(Rule, String, String)> {
    let mut app = App::new();
    let management = app.stack("Management").unwrap();
    app.add(&management, builder).unwrap();
    found(&app)
}

#[test]
fn the_reference_layout_has_no_problem() {
    let mut app = App::new();
    let management = app.stack("Management").unwrap();
    app.add(
        &management,
        layout()
            .object_lock(ObjectLock::Compliance(36_500))
            .budget_thresholds([1, 50, 1_000_000])
            .mfa_max_age(1),
    )
    .unwrap();
    let assembly = app.synth().unwrap();
    assert!(assembly.warnings().is_empty(), "{:?}", assembly.warnings());
}

#[test]
fn budget_thresholds_of_0_over_the_maximum_twice_or_more_than_ten() {
    assert_eq!(
        layout_found(layout().budget_thresholds([0, 80, 80, 1_000_001, 100])),
        [
            (
                Rule::BudgetThreshold,
                "Management/Organization".into(),
                "0".into()
            ),
            (
                Rule::BudgetThreshold,
                "Management/Organization".into(),
                "80".into()
            ),
            (
                Rule::BudgetThreshold,
                "Management/Organization".into(),
                "1000001".into()
            ),
        ]
    );
    assert_eq!(
        layout_found(layout().budget_thresholds(1..=11)),
        one(
            Rule::BudgetThreshold,
            "Management/Organization",
            "11 thresholds"
        )
    );
    // Without budgets the thresholds are unused.
    let mut app = App::new();
    let management = app.stack("Management").unwrap();
    app.add(
        &management,
        layout().monthly_budget(None).budget_thresholds([0]),
    )
    .unwrap();
    app.synth().unwrap();
}

#[test]
fn object_lock_of_0_days_or_over_100_years() {
    assert_eq!(
        layout_found(layout().object_lock(ObjectLock::Compliance(0))),
        one(Rule::ObjectLockRetention, "Management/Organization", "0")
    );
    assert_eq!(
        layout_found(layout().object_lock(ObjectLock::Governance(36_501))),
        one(
            Rule::ObjectLockRetention,
            "Management/Organization",
            "36501"
        )
    );
}

#[test]
fn mfa_max_age_of_0_or_below() {
    // Reported once for the layout, not by each of its roles.
    assert_eq!(
        layout_found(layout().mfa_max_age(0)),
        one(Rule::MfaMaxAge, "Management/Organization", "0")
    );
    assert_eq!(
        layout_found(layout().mfa_max_age(-60)),
        one(Rule::MfaMaxAge, "Management/Organization", "-60")
    );
    // The role on its own.
    let mut app = App::new();
    let stack = app.stack("Member").unwrap();
    app.add(
        &stack,
        Role::assumable_with_mfa("Admin", "123456789012").mfa_max_age(0),
    )
    .unwrap();
    assert_eq!(found(&app), one(Rule::MfaMaxAge, "Member/Admin", "0"));
}

#[test]
fn an_account_email_for_an_account_the_layout_does_not_create() {
    assert_eq!(
        layout_found(
            layout()
                .account_email("shared_services", "aws+shared@acme.example")
                .account_email("prod", "aws+prod@acme.example")
        ),
        one(
            Rule::UnknownKey,
            "Management/Organization",
            "shared_services"
        )
    );
}

#[test]
fn an_alert_email_that_is_not_an_address() {
    assert_eq!(
        layout_found(layout().alert_email("cloud-alerts")),
        one(Rule::AlertEmail, "Management/Organization", "cloud-alerts")
    );
}

#[test]
fn a_grant_of_a_role_no_access_level_defines() {
    let mut app = App::new();
    let management = app.stack("Management").unwrap();
    let l = app.add(&management, layout()).unwrap();
    let prod = l.prod_ou();
    l.grant(&mut app, "developers", Grant::new("${Admin}", [prod]));
    assert_eq!(
        found(&app),
        one(
            Rule::PropertyValue,
            "Management/IdentityAccount/Template/Developers",
            "${Admin}"
        )
    );
}

#[test]
fn a_misspelt_allowed_region() {
    assert_eq!(
        layout_found(layout().allowed_regions(["us-east-1", "eu-wset1"])),
        one(Rule::Region, "Management/Organization", "eu-wset1")
    );
}

// ----- 8. other values the schemas constrain -----

#[test]
fn a_managed_policy_path_outside_its_narrower_pattern() {
    let mut app = App::new();
    let stack = app.stack("Member").unwrap();
    // A role's path may hold any printable ASCII; a managed policy's may not.
    app.add(
        &stack,
        Role::assumable_with_mfa("Admin", "123456789012").path("/team*/"),
    )
    .unwrap();
    app.add(
        &stack,
        ManagedPolicy::new("Read", read_logs()).path("/team*/"),
    )
    .unwrap();
    assert_eq!(found(&app), one(Rule::IamPath, "Member/Read", "/team*/"));
}

#[test]
fn a_stack_set_region_given_twice() {
    let (mut app, stack, org) = management();
    let set = app
        .add(
            &stack,
            StackSet::new("Roles", "roles")
                .target(&org)
                .regions(["eu-west-1", "eu-west-1"]),
        )
        .unwrap();
    app.add(&set.template(), Group::new("G")).unwrap();
    // Written once, with a warning that names it.
    let assembly = app.synth().unwrap();
    let w: Vec<(Rule, &str, &str)> = assembly
        .warnings()
        .iter()
        .map(|d| (d.rule, d.path.as_str(), d.value.as_str()))
        .collect();
    assert_eq!(w, [(Rule::Region, "Management/Roles", "eu-west-1")]);
    let body = assembly.template_json("Management").unwrap();
    assert_eq!(body.matches("\"eu-west-1\"").count(), 1, "{body}");
}

#[test]
fn an_account_name_the_layout_cannot_name_a_budget_after() {
    let mut app = App::new();
    let management = app.stack("Management").unwrap();
    let l = app.add(&management, layout()).unwrap();
    // `:` is a printable character, fine in an account name, refused in a budget's.
    app.add(
        &l.workloads_ou(),
        Account::new("sandbox:eu", "aws+sandbox@acme.example").id("Sandbox"),
    )
    .unwrap();
    assert_eq!(
        found(&app),
        one(
            Rule::PropertyValue,
            "Management/Accounts/Sandbox/Budget",
            "sandbox:eu-monthly"
        )
    );
}

#[test]
fn a_budget_threshold_of_0_written_by_hand() {
    let mut app = App::new();
    let stack = app.stack("Billing").unwrap();
    app.add(
        &stack,
        CfnResource::new(
            "Budget",
            Resource::new("AWS::Budgets::Budget")
                .property(
                    "Budget",
                    orgstack::obj! { "BudgetType" => "COST", "TimeUnit" => "MONTHLY" },
                )
                .property(
                    "NotificationsWithSubscribers",
                    vec![orgstack::obj! {
                        "Notification" => orgstack::obj! {
                            "ComparisonOperator" => "GREATER_THAN",
                            "NotificationType" => "ACTUAL",
                            "Threshold" => 0u32,
                        },
                        "Subscribers" => vec![orgstack::obj! {
                            "Address" => "a@acme.example", "SubscriptionType" => "EMAIL",
                        }],
                    }],
                ),
        ),
    )
    .unwrap();
    assert_eq!(
        found(&app),
        one(Rule::BudgetThreshold, "Billing/Budget", "0")
    );
}

// ----- the shape of a template -----

#[test]
fn a_condition_the_template_does_not_define() {
    let (mut app, stack, _) = management();
    let mut topic = Resource::new("AWS::SNS::Topic");
    topic.condition = Some("IsProd".into());
    app.add(&stack, CfnResource::new("Topic", topic)).unwrap();
    assert_eq!(
        found(&app),
        one(Rule::PropertyValue, "Management/Topic", "IsProd")
    );
}

#[test]
fn a_ref_or_depends_on_to_nothing() {
    let (mut app, stack, _) = management();
    let mut topic =
        Resource::new("AWS::SNS::Topic").property("DisplayName", Expr::ref_logical("NoSuchThing"));
    topic.depends_on.push("NorThis".into());
    app.add(&stack, CfnResource::new("Topic", topic)).unwrap();
    assert_eq!(
        found(&app),
        [
            (
                Rule::CrossBoundaryReference,
                "Management/Topic".into(),
                "NorThis".into()
            ),
            (
                Rule::CrossBoundaryReference,
                "Management/Topic".into(),
                "NoSuchThing".into()
            ),
        ]
    );
}

#[test]
fn an_attribute_the_type_does_not_have() {
    let (mut app, stack, org) = management();
    let prod = app
        .add(&org, Account::new("Prod", "aws+prod@acme.example"))
        .unwrap();
    let id = Expr::node_get_att(prod.node().unwrap(), "AccountNumber", 12);
    app.add(
        &stack,
        CfnResource::new(
            "Topic",
            Resource::new("AWS::SNS::Topic").property("DisplayName", id),
        ),
    )
    .unwrap();
    assert_eq!(
        found(&app),
        one(Rule::PropertyValue, "Management/Topic", "AccountNumber")
    );
}

#[test]
fn resources_that_wait_for_each_other_in_a_circle() {
    let (mut app, stack, _) = management();
    let a = app
        .add(
            &stack,
            CfnResource::new("A", Resource::new("AWS::SNS::Topic")),
        )
        .unwrap();
    let b = app
        .add(
            &stack,
            CfnResource::new(
                "B",
                Resource::new("AWS::SNS::Topic").property("DisplayName", a.get_att("TopicName")),
            ),
        )
        .unwrap();
    app.add_dependency(&a, &b);
    let f = found(&app);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, Rule::CrossBoundaryReference);
    assert!(f[0].2.contains(" -> "), "{f:?}");
    assert!(
        f[0].1 == "Management/A" || f[0].1 == "Management/B",
        "{f:?}"
    );
}

#[test]
fn a_member_template_parameter_nothing_sets() {
    let (mut app, stack, org) = management();
    let set = app
        .add(&stack, StackSet::new("Roles", "roles").target(&org))
        .unwrap();
    app.add(
        &set.template(),
        orgstack::CfnParameter::new("Env", orgstack::cfn::Parameter::string()),
    )
    .unwrap();
    app.add(&set.template(), Group::new("G")).unwrap();
    assert_eq!(
        found(&app),
        one(
            Rule::CrossBoundaryReference,
            "Management/Roles/Template/Env",
            "Env"
        )
    );
}

#[test]
fn two_templates_written_to_one_file() {
    let (mut app, stack, org) = management();
    for name in ["A_B", "AB"] {
        let set = app
            .add(
                &stack,
                StackSet::new(name, format!("set-{}", name.len())).target(&org),
            )
            .unwrap();
        app.add(&set.template(), Group::new("G")).unwrap();
    }
    assert_eq!(
        found(&app),
        one(
            Rule::DuplicateId,
            "Management/AB/Template",
            "Management.AB.Template.stackset.template.json"
        )
    );
}

#[test]
fn a_stack_set_with_nothing_to_deploy() {
    let (mut app, stack, org) = management();
    app.add(&stack, StackSet::new("Empty", "empty").target(&org))
        .unwrap();
    assert_eq!(
        found(&app),
        one(Rule::StackSetTargets, "Management/Empty/Template", "")
    );
}

#[test]
fn two_organizations_in_one_app() {
    let (mut app, _, _) = management();
    let other = app.stack("Other").unwrap();
    app.add(&other, Organization::create()).unwrap();
    assert_eq!(
        found(&app),
        one(
            Rule::DuplicateId,
            "Other/Organization",
            "Other/Organization"
        )
    );
}
