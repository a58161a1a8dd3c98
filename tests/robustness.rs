//! One test per class of issue #17: no panic on any input the public API takes, valid input
//! accepted as AWS accepts it, and diagnostics that say where, what, which rule and how to
//! fix it.

#[path = "support/diagnostics.rs"]
mod support;

use orgstack::app::CfnResource;
use orgstack::cfn::{Expr, Map, NodeId, Output, Reference, Resource, Target, Value};
use orgstack::iam::{Condition, PolicyDocument, Role, Statement};
use orgstack::layouts::access::Environment;
use orgstack::layouts::FiveAccountLayout;
use orgstack::org::{Account, Organization, OrganizationalUnit, Policy};
use orgstack::stackset::{OperationPreferences, StackSet};
use orgstack::{App, Diagnostic, PolicyQuota, Quotas, Rule, Scope};

use support::assert_diagnostic_is_clean;

/// The diagnostics of a failed synthesis (none if it succeeded), each checked for the
/// qualities every diagnostic must have.
fn diagnostics(app: &App) -> Vec<Diagnostic> {
    match app.synth() {
        Ok(a) => a.warnings().to_vec(),
        Err(e) => e.diagnostics().to_vec(),
    }
    .into_iter()
    .inspect(assert_diagnostic_is_clean)
    .collect()
}

fn with_rule(app: &App, rule: Rule) -> Vec<Diagnostic> {
    diagnostics(app)
        .into_iter()
        .filter(|d| d.rule == rule)
        .collect()
}

// ---------------------------------------------------------------------------------------
// Panics
// ---------------------------------------------------------------------------------------

/// Every API that takes a handle, given one of another app: reported, never followed.
#[test]
fn handles_of_another_app_are_reported_in_every_api() {
    let mut other = App::new();
    let o_stack = other.stack("Other").unwrap();
    let o_org = other.add(&o_stack, Organization::create()).unwrap();
    let o_ou = other
        .add(&o_org, OrganizationalUnit::new("Foreign"))
        .unwrap();
    let o_account = other
        .add(&o_ou, Account::new("Foreign", "foreign@acme.example"))
        .unwrap();
    let o_topic = other
        .add(
            &o_stack,
            CfnResource::new("Topic", Resource::new("AWS::SNS::Topic")),
        )
        .unwrap();
    let o_policy = other
        .add(
            &o_org,
            Policy::service_control(
                "Foreign",
                PolicyDocument::new().statement(Statement::deny().action("s3:*").resource("*")),
            ),
        )
        .unwrap();
    // Pad this app so that the other app's indices are valid here too: a check on the
    // index alone would follow them.
    let mut app = App::new();
    let stack = app.stack("Management").unwrap();
    let org = app.add(&stack, Organization::create()).unwrap();
    let ou = app.add(&org, OrganizationalUnit::new("Workloads")).unwrap();
    let account = app
        .add(&ou, Account::new("Prod", "prod@acme.example"))
        .unwrap();
    let topic = app
        .add(
            &stack,
            CfnResource::new("Topic", Resource::new("AWS::SNS::Topic")),
        )
        .unwrap();
    let policy = app
        .add(
            &org,
            Policy::service_control(
                "Mine",
                PolicyDocument::new().statement(Statement::deny().action("s3:*").resource("*")),
            ),
        )
        .unwrap();

    app.add(
        &o_stack,
        CfnResource::new("X", Resource::new("AWS::SNS::Topic")),
    )
    .unwrap();
    app.add(&o_ou, Account::new("Y", "y@acme.example")).unwrap();
    app.set_stack_description(&o_stack, "d");
    app.set_stack_splitting(&o_stack, false);
    app.add_output(&o_stack, "Out", Output::new("x"));
    app.pin_logical_id(&o_topic, "Pinned");
    app.add_dependency(&topic, &o_topic);
    app.add_dependency(&o_topic, &topic);
    app.set_serial_group(&o_topic, "g");
    app.set_bounded_group(&o_topic, "g", 2);
    assert!(app.resource_mut(&o_topic).is_none());
    assert!(app.resource(&o_topic).is_none());
    assert!(app.id_of(&o_topic).is_none());
    assert!(app.parent_of(&o_topic).is_none());
    assert!(app.stack_of(&o_topic).is_none());
    assert!(app.child(&o_stack, "Topic").is_none());
    assert!(app.path(&o_topic).contains("another App"));
    o_policy.attach(&mut app, &ou);
    policy.attach(&mut app, &o_ou);
    policy.attach(&mut app, &o_account);
    // References of another app's constructs in a property, an output and a trust policy.
    app.add(
        &stack,
        CfnResource::new(
            "Uses",
            Resource::new("AWS::SNS::Topic")
                .property(
                    "TopicName",
                    reference_to(o_topic.node(), Some("TopicName"), 256),
                )
                .property(
                    "DisplayName",
                    Expr::Ref(Reference {
                        target: Target::Node(o_account.node().unwrap()),
                        attribute: None,
                        max_len: 12,
                    }),
                ),
        ),
    )
    .unwrap();
    app.add_output(
        &stack,
        "Foreign",
        Output::new(reference_to(o_topic.node(), Some("TopicArn"), 256)),
    );
    let roles = app
        .add(&stack, StackSet::new("Roles", "roles").target(&o_ou))
        .unwrap();
    app.add(
        &roles.template(),
        Role::assumable_with_mfa("Admin", &o_account),
    )
    .unwrap();
    app.add(
        &o_org,
        Policy::service_control(
            "OnForeignOrg",
            PolicyDocument::new().statement(Statement::deny().action("s3:*").resource("*")),
        ),
    )
    .unwrap();
    app.add(&o_org, OrganizationalUnit::new("UnderForeignOrg"))
        .unwrap();
    app.add(
        &o_stack,
        FiveAccountLayout::builder("acme").email_domain("aws.acme.example"),
    )
    .unwrap();
    let _ = account;

    let foreign = with_rule(&app, Rule::ForeignHandle);
    assert!(foreign.len() >= 15, "{foreign:#?}");
    for d in &foreign {
        assert!(!d.path.contains("another App"), "{d}");
    }
}

/// `usize::MAX` as "no limit" for every quota, and 0 for every quota: reported or
/// accepted, never an overflow.
#[test]
fn absurd_quotas_do_not_overflow() {
    for value in [usize::MAX, usize::MAX / 2 + 1, 0] {
        let mut quotas = Quotas::default();
        quotas.resources_per_template = value;
        quotas.template_bytes = value;
        quotas.template_body_bytes = value;
        quotas.parameters_per_template = value;
        quotas.outputs_per_template = value;
        quotas.ou_depth = value;
        quotas.trust_policy_size = value;
        quotas.managed_policy_size = value;
        quotas.managed_policies_per_identity = value;
        quotas.role_inline_policy_size = value;
        quotas.group_inline_policy_size = value;
        quotas.policies.service_control = PolicyQuota::new(value, value);
        quotas.policies.resource_control = PolicyQuota::new(value, value);
        let mut app = App::with_quotas(quotas);
        let management = app.stack("Management").unwrap();
        let layout = app
            .add(
                &management,
                FiveAccountLayout::builder("acme").email_domain("aws.acme.example"),
            )
            .unwrap();
        for i in 0..30 {
            app.add(
                &layout.workloads_ou(),
                Account::new(format!("Extra{i}"), format!("extra{i}@aws.acme.example")),
            )
            .unwrap();
        }
        let result = app.synth();
        if value == usize::MAX {
            assert!(result.is_ok(), "{}", result.unwrap_err());
        } else if value == 0 {
            let err = result.expect_err("quotas of 0 leave room for nothing");
            assert!(!err.diagnostics().is_empty());
            err.diagnostics()
                .iter()
                .for_each(assert_diagnostic_is_clean);
        }
    }
}

/// `Ref` (or `Fn::GetAtt` of `attribute`) of a construct, whose longest value is `max_len`.
fn reference_to(node: NodeId, attribute: Option<&'static str>, max_len: usize) -> Expr {
    Expr::Ref(Reference {
        target: Target::Node(node),
        attribute: attribute.map(Into::into),
        max_len,
    })
}

fn reference(len: usize) -> Value {
    Value::from(Expr::Ref(Reference {
        target: Target::Logical("Somewhere".into()),
        attribute: None,
        max_len: len,
    }))
}

/// A reference whose longest value is `usize::MAX` characters, inside every expression
/// that adds lengths: measured without overflow, and reported as too large.
#[test]
fn usize_max_lengths_do_not_overflow() {
    let huge = || reference(usize::MAX);
    let values = [
        huge(),
        Value::from(Expr::join(",", [huge(), huge(), Value::from("x")])),
        Value::from(Expr::sub_with("a${A}b${B}", [("A", huge()), ("B", huge())])),
        Value::List(vec![huge(), huge()]),
    ];
    for v in &values {
        assert_eq!(v.minified_len(), usize::MAX);
        assert_eq!(v.minified_len_without_whitespace(), usize::MAX);
        let _ = v.approx_len();
        let _ = v.max_text_len();
    }
    let mut app = App::new();
    let stack = app.stack("Management").unwrap();
    let org = app.add(&stack, Organization::create()).unwrap();
    let topic = app
        .add(
            &stack,
            CfnResource::new("Somewhere", Resource::new("AWS::SNS::Topic")),
        )
        .unwrap();
    let doc = PolicyDocument::new().statement(
        Statement::deny()
            .action("s3:*")
            .resources(values.iter().cloned())
            .condition(Condition::string_equals("aws:PrincipalArn", [huge()])),
    );
    app.add(&org, Policy::service_control("Huge", doc.clone()))
        .unwrap();
    app.add(&stack, Role::new("Huge", doc)).unwrap();
    let _ = topic;
    let sizes: Vec<Diagnostic> = diagnostics(&app)
        .into_iter()
        .filter(|d| matches!(d.rule, Rule::PolicySize | Rule::TrustPolicySize))
        .collect();
    assert_eq!(sizes.len(), 2, "{sizes:#?}");
    for d in &sizes {
        assert_eq!(d.value, "unbounded", "{d}");
        assert!(d.message.contains("unbounded length"), "{d}");
    }
}

const DEEP: usize = 100_000;

fn deep_list(depth: usize) -> Value {
    let mut v = Value::from("x");
    for _ in 0..depth {
        v = Value::List(vec![v]);
    }
    v
}

fn deep_map(depth: usize) -> Value {
    let mut v = Value::from("x");
    for i in 0..depth {
        let mut m = Map::default();
        let key = if i % 2 == 0 { "A" } else { "B" };
        m.insert(key.into(), v);
        v = if i % 3 == 0 {
            Value::from(Expr::join(",", [Value::Map(m)]))
        } else {
            Value::Map(m)
        };
    }
    v
}

/// Values nested 100,000 levels deep, as properties, metadata, outputs, condition values,
/// resources of a statement and a policy's content: one diagnostic each, and no stack
/// overflow, neither while checking nor when the app is dropped.
#[test]
fn deep_nesting_is_reported_not_recursed() {
    let mut app = App::new();
    let stack = app.stack("Management").unwrap();
    let org = app.add(&stack, Organization::create()).unwrap();
    app.add(
        &stack,
        CfnResource::new(
            "Deep",
            Resource::new("AWS::SNS::Topic")
                .property("Tags", deep_list(DEEP))
                .metadata("Deep", deep_map(DEEP)),
        ),
    )
    .unwrap();
    app.add_output(&stack, "DeepOut", Output::new(deep_map(DEEP)));
    let doc = || {
        PolicyDocument::new().statement(
            Statement::deny()
                .action("s3:*")
                .resource(deep_list(DEEP))
                .condition(Condition::string_equals(
                    "aws:PrincipalArn",
                    [deep_map(DEEP)],
                )),
        )
    };
    app.add(&org, Policy::service_control("Deep", doc()))
        .unwrap();
    app.add(
        &org,
        Policy::management("DeepTags", "TAG_POLICY".parse().unwrap(), deep_map(DEEP)),
    )
    .unwrap();
    app.add(&stack, Role::new("Deep", doc())).unwrap();
    let topic = app
        .add(
            &stack,
            CfnResource::new("Later", Resource::new("AWS::SNS::Topic")),
        )
        .unwrap();
    if let Some(r) = app.resource_mut(&topic) {
        r.properties.insert("DisplayName".into(), deep_list(DEEP));
    }
    let deep = with_rule(&app, Rule::NestingDepth);
    let mut paths: Vec<&str> = deep.iter().map(|d| d.path.as_str()).collect();
    paths.sort_unstable();
    let mut expected = [
        "Management/Deep",
        "Management/Deep",
        "Management/DeepOut",
        "Management/Policies/Deep",
        "Management/Policies/Deep",
        "Management/Policies/DeepTags",
        "Management/Deep",
        "Management/Deep",
        "Management/Later",
    ];
    expected.sort_unstable();
    assert_eq!(paths, expected, "{deep:#?}");
    // Formatting, serializing, cloning and comparing the app's values recurse no deeper.
    assert!(format!("{app:?}").contains("nested more than"));
    drop(app);
    let deep = deep_map(DEEP);
    assert!(orgstack::cfn::render::minified(&deep).is_err());
    assert!(orgstack::cfn::render::pretty(&deep).is_err());
    assert!(deep.clone() == deep);
    assert!(deep != deep_list(DEEP));
}

/// Nesting at the limit synthesizes; one level more is reported.
#[test]
fn the_nesting_limit_is_exact() {
    let build = |depth: usize| {
        let mut app = App::new();
        let stack = app.stack("Management").unwrap();
        app.add(
            &stack,
            CfnResource::new(
                "Topic",
                Resource::new("AWS::SNS::Topic").metadata("Nested", deep_list(depth)),
            ),
        )
        .unwrap();
        app
    };
    let max = orgstack::cfn::MAX_DEPTH;
    assert!(build(max).synth().is_ok());
    let err = build(max + 1).synth().unwrap_err();
    assert_eq!(err.diagnostics()[0].rule, Rule::NestingDepth);
    assert_eq!(err.diagnostics()[0].path, "Management/Topic");
}

// ---------------------------------------------------------------------------------------
// Valid input refused
// ---------------------------------------------------------------------------------------

#[test]
fn emails_aws_accepts_are_accepted() {
    use orgstack::aws::Email;
    for ok in [
        "ops@example.xn--p1ai",
        "ops@example.co.uk",
        "a.b-c+d@sub.example.com",
        "x..y@acme.example",
        "trailing.@acme.example",
        "UPPER@ACME.EXAMPLE",
        "ops@123.example",
        "{ops}@acme.example",
    ] {
        if let Err(e) = ok.parse::<Email>() {
            panic!("{ok}: {e}");
        }
    }
    for bad in [
        "a@b.c",
        "no-at.example.com",
        "two@at@example.com",
        ".lead@acme.example",
        "sp ace@acme.example",
        "pct%x@acme.example",
        "o'hara@acme.example",
        "amp&x@acme.example",
        "par(x)@acme.example",
        "ops@-acme.example",
        "ops@acme.example-",
        "ops@acme..example",
        "ops@acme_x.example",
        "ops@localhost",
        "ops@acme.123",
        "é@acme.example",
        "tab\t@acme.example",
    ] {
        assert!(bad.parse::<Email>().is_err(), "{bad:?} accepted");
    }
    // Through an account, the same rule.
    let mut app = App::new();
    let stack = app.stack("Management").unwrap();
    let org = app.add(&stack, Organization::create()).unwrap();
    app.add(&org, Account::new("Ru", "ops@example.xn--p1ai"))
        .unwrap();
    assert!(app.synth().is_ok());
    // Alerts go to SNS and Budgets, which take any mailbox: longer than an account's root
    // e-mail, and with characters Organizations refuses.
    for alert in [
        format!("{}@alerts.acme.example", "a".repeat(60)),
        "o'hara%ops&co@acme.example".to_owned(),
    ] {
        let mut app = App::new();
        let stack = app.stack("Management").unwrap();
        app.add(
            &stack,
            FiveAccountLayout::builder("acme")
                .email_domain("aws.acme.example")
                .alert_email(alert.as_str()),
        )
        .unwrap();
        assert!(with_rule(&app, Rule::AlertEmail).is_empty(), "{alert}");
    }
    for bad in ["cloud-alerts", "a b@acme.example", "x@acme..example"] {
        let mut app = App::new();
        let stack = app.stack("Management").unwrap();
        app.add(
            &stack,
            FiveAccountLayout::builder("acme")
                .email_domain("aws.acme.example")
                .alert_email(bad),
        )
        .unwrap();
        assert_eq!(with_rule(&app, Rule::AlertEmail).len(), 1, "{bad}");
    }
}

#[test]
fn actions_are_case_insensitive_but_still_checked() {
    use orgstack::iam::Action;
    for ok in [
        "S3:GetObject",
        "IAM:listaccesskeys",
        "Sso-Directory:List*",
        "s3:*",
    ] {
        assert!(Action::new(ok).is_ok(), "{ok}");
    }
    for bad in [
        "S3 :x",
        "s3:Get Object",
        "s3:",
        ":Get",
        "s3:Get:Object",
        "*:*",
        "s_3:Get",
    ] {
        assert!(Action::new(bad).is_err(), "{bad}");
    }
    let mut app = App::new();
    let stack = app.stack("Management").unwrap();
    let org = app.add(&stack, Organization::create()).unwrap();
    app.add(
        &org,
        Policy::service_control(
            "Upper",
            PolicyDocument::new().statement(Statement::deny().action("S3:GetObject").resource("*")),
        ),
    )
    .unwrap();
    let a = app.synth().expect("an upper-case service prefix is valid");
    assert!(a
        .template_json("Management")
        .unwrap()
        .contains("S3:GetObject"));
}

// ---------------------------------------------------------------------------------------
// Diagnostics that help
// ---------------------------------------------------------------------------------------

/// 1. A handle of another app: the path is where it was used, the value names it.
#[test]
fn message_foreign_handle() {
    let mut other = App::new();
    let o_stack = other.stack("Other").unwrap();
    let mut app = App::new();
    let stack = app.stack("Management").unwrap();
    app.add(&stack, orgstack::Subtree::new("A")).unwrap();
    app.add(&o_stack, orgstack::Subtree::new("Lost")).unwrap();
    let d = with_rule(&app, Rule::ForeignHandle);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].path, "Lost");
    assert!(d[0].value.contains("another App"), "{}", d[0]);
    assert!(d[0].message.contains("add"), "{}", d[0]);
}

/// 2. A reference to a construct of another app, in a property.
#[test]
fn message_foreign_reference() {
    let mut other = App::new();
    let o_stack = other.stack("Other").unwrap();
    let o_topic = other
        .add(
            &o_stack,
            CfnResource::new("Topic", Resource::new("AWS::SNS::Topic")),
        )
        .unwrap();
    let mut app = App::new();
    let stack = app.stack("Management").unwrap();
    app.add(
        &stack,
        CfnResource::new(
            "Uses",
            Resource::new("AWS::SNS::Topic")
                .property("DisplayName", reference_to(o_topic.node(), None, 100)),
        ),
    )
    .unwrap();
    let d = with_rule(&app, Rule::ForeignHandle);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].path, "Management/Uses");
    assert!(d[0].message.contains("DisplayName"), "{}", d[0]);
}

/// 3. Two environments whose ids collide once normalised.
#[test]
fn message_id_collision_names_both_ids() {
    let mut app = App::new();
    let stack = app.stack("Management").unwrap();
    app.add(
        &stack,
        FiveAccountLayout::builder("acme")
            .email_domain("aws.acme.example")
            .environments([
                Environment::non_prod("read-only"),
                Environment::non_prod("read_only"),
            ]),
    )
    .unwrap();
    let d = with_rule(&app, Rule::DuplicateId);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].message.contains("`read-only`"), "{}", d[0]);
    assert!(d[0].message.contains("`read_only`"), "{}", d[0]);
    assert!(d[0].message.contains("ReadOnly"), "{}", d[0]);
}

/// 4. A stack named with blanks only.
#[test]
fn message_blank_stack_name() {
    let mut app = App::new();
    app.stack(" ").unwrap();
    let d = with_rule(&app, Rule::StackName);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].value, " ");
}

/// 5. Values shown as written, not as Rust debug output.
#[test]
fn message_values_are_displayed() {
    let mut app = App::new();
    let stack = app.stack("Management").unwrap();
    let org = app.add(&stack, Organization::create()).unwrap();
    let ou = app.add(&org, OrganizationalUnit::new("W")).unwrap();
    app.add(
        &stack,
        CfnResource::new("Topic", Resource::new("AWS::SNS::Topic")),
    )
    .unwrap();
    let roles = app
        .add(
            &stack,
            StackSet::new("Roles", "roles")
                .target(&ou)
                .regions(["us_east_1"])
                .operation_preferences(OperationPreferences::new().max_concurrent_percentage(0)),
        )
        .unwrap();
    app.add(
        &roles.template(),
        Role::assumable_with_mfa("Admin", "123456789012"),
    )
    .unwrap();
    let all = diagnostics(&app);
    let region = all.iter().find(|d| d.rule == Rule::Region).expect("region");
    assert_eq!(region.value, "us_east_1");
    let prefs = all
        .iter()
        .find(|d| d.message.contains("MaxConcurrentPercentage"))
        .expect("preferences");
    assert_eq!(prefs.value, "MaxConcurrentPercentage: 0");
    assert!(prefs.hint.contains("1 to 100"), "{prefs}");
}

/// 6. A problem of an existing account is reported where the account is used.
#[test]
fn message_existing_account_path() {
    let mut app = App::new();
    let stack = app.stack("Management").unwrap();
    let org = app
        .add(&stack, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    let policy = app
        .add(
            &org,
            Policy::service_control(
                "P",
                PolicyDocument::new().statement(Statement::deny().action("s3:*").resource("*")),
            ),
        )
        .unwrap();
    policy.attach(&mut app, &Account::existing("1234"));
    let d = with_rule(&app, Rule::AccountId);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].path, "Management/Policies/P");
    assert_eq!(d[0].value, "1234");
}

/// 7. A tag without a key shows what was written.
#[test]
fn message_tag_without_key() {
    let mut app = App::new();
    let stack = app.stack("Management").unwrap();
    let org = app.add(&stack, Organization::create()).unwrap();
    app.add(&org, OrganizationalUnit::new("W").tag("", "x"))
        .unwrap();
    let d = with_rule(&app, Rule::Tag);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(!d[0].value.starts_with('='), "{}", d[0]);
    assert!(d[0].value.contains("\"x\""), "{}", d[0]);
    assert!(d[0].hint.contains("key"), "{}", d[0]);
}

/// 8. A policy's description is reported under the description rule.
#[test]
fn message_policy_description_rule() {
    let mut app = App::new();
    let stack = app.stack("Management").unwrap();
    let org = app.add(&stack, Organization::create()).unwrap();
    app.add(
        &org,
        Policy::service_control(
            "P",
            PolicyDocument::new().statement(Statement::deny().action("s3:*").resource("*")),
        )
        .description("d".repeat(513)),
    )
    .unwrap();
    let d = diagnostics(&app);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].rule, Rule::Description);
}

/// 9. Too many policies on one target: the target is named.
#[test]
fn message_policies_per_target_names_the_target() {
    let mut app = App::new();
    let stack = app.stack("Management").unwrap();
    let org = app.add(&stack, Organization::create()).unwrap();
    let ou = app.add(&org, OrganizationalUnit::new("Workloads")).unwrap();
    for i in 0..10 {
        let p = app
            .add(
                &org,
                Policy::service_control(
                    format!("P{i}"),
                    PolicyDocument::new().statement(Statement::deny().action("s3:*").resource("*")),
                ),
            )
            .unwrap();
        p.attach(&mut app, &ou);
    }
    let d = with_rule(&app, Rule::PoliciesPerTarget);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].path, "Management/Organization/Workloads");
    assert!(
        d[0].message.contains("Management/Organization/Workloads"),
        "{}",
        d[0]
    );
}

/// 10a. Problems of the layout's settings are reported at the layout's construct.
#[test]
fn message_layout_settings_at_the_layout() {
    let mut app = App::new();
    let stack = app.stack("Management").unwrap();
    app.add(
        &stack,
        FiveAccountLayout::builder("Acme Corp").email_domain("aws.acme.example"),
    )
    .unwrap();
    let d: Vec<Diagnostic> = diagnostics(&app)
        .into_iter()
        .filter(|d| d.value == "Acme Corp")
        .collect();
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].path, "Management/Organization");
}

/// 10b. An output of the management stack that references a member resource: reported at
/// the output.
#[test]
fn message_output_reference_at_the_output() {
    let mut app = App::new();
    let stack = app.stack("Management").unwrap();
    let org = app.add(&stack, Organization::create()).unwrap();
    let ou = app.add(&org, OrganizationalUnit::new("W")).unwrap();
    let roles = app
        .add(&stack, StackSet::new("Roles", "roles").target(&ou))
        .unwrap();
    let role = app
        .add(
            &roles.template(),
            Role::assumable_with_mfa("Admin", "123456789012"),
        )
        .unwrap();
    app.add_output(&stack, "AdminArn", Output::new(role.arn()));
    let d = with_rule(&app, Rule::CrossBoundaryReference);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].path, "Management/AdminArn");
}
