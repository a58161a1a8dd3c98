//! The diff's semantic check of SCP and RCP changes, decided by the access simulator:
//! a loosening names a request the old policy denied and the new one lets through; a
//! reformatting or a tightening is proven safe; what the simulator cannot read stays
//! dangerous unless proven.

use orgstack::cfn::Expr;
use orgstack::iam::{Condition, Operator, PolicyDocument, Statement};
use orgstack::layouts::FiveAccountLayout;
use orgstack::org::{Organization, Policy, PolicyType};
use orgstack::review::{
    self, AssemblyFiles, Change, ChangeClass, ChangeKind, PolicyAnswer, PolicyDecider, Request,
    SimulatorDecider,
};
use orgstack::App;
use serde_json::json;

fn layout(regions: &[&str]) -> AssemblyFiles {
    let mut app = App::new();
    let management = app.stack("Management").unwrap();
    app.add(
        &management,
        FiveAccountLayout::builder("acme")
            .email_domain("aws.acme.example")
            .allowed_regions(regions.iter().copied()),
    )
    .unwrap();
    AssemblyFiles::from_assembly(&app.synth().unwrap()).unwrap()
}

/// An organization with one policy of `ty` attached to the root.
fn with_policy(ty: PolicyType, doc: PolicyDocument) -> AssemblyFiles {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app
        .add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    let p = app
        .add(&org, Policy::of_type("Guardrail", ty, doc))
        .unwrap();
    p.attach(&mut app, &org);
    AssemblyFiles::from_assembly(&app.synth().unwrap()).unwrap()
}

fn scp(doc: PolicyDocument) -> AssemblyFiles {
    with_policy(PolicyType::ServiceControlPolicy, doc)
}

/// The one policy-content change between `old` and `new`.
fn policy_change(old: &AssemblyFiles, new: &AssemblyFiles) -> Change {
    let d = review::diff(old, new);
    let changes: Vec<&Change> = d.of_kind(ChangeKind::PolicyChanged).collect();
    assert_eq!(changes.len(), 1, "{:#?}", d.changes());
    changes[0].clone()
}

fn deny(actions: &[&str]) -> Statement {
    Statement::deny()
        .actions(actions.iter().copied())
        .resource("*")
}

#[test]
fn adding_a_region_to_the_sts_guardrail_is_dangerous_with_a_witness_in_that_region() {
    let old = layout(&["us-east-1", "eu-west-1"]);
    let new = layout(&["us-east-1", "eu-west-1", "ap-south-1"]);
    let c = policy_change(&old, &new);
    assert_eq!(c.class, ChangeClass::Dangerous, "{}", c.message);
    assert!(
        c.message
            .contains("now allows a request it denied: sts:Sample on * in ap-south-1"),
        "{}",
        c.message
    );
    assert!(
        c.message
            .contains("before: denied by a Deny statement; now: matched by no statement"),
        "{}",
        c.message
    );
    // And the other way round it is a tightening: proven safe.
    let c = policy_change(&new, &old);
    assert_eq!(c.class, ChangeClass::Safe, "{}", c.message);
    assert!(c
        .message
        .contains("proven: no request the old policy denied is allowed now"));
}

#[test]
fn removing_an_action_from_a_deny_is_dangerous() {
    let old = scp(PolicyDocument::new()
        .statement(deny(&["organizations:LeaveOrganization", "iam:CreateUser"])));
    let new = scp(PolicyDocument::new().statement(deny(&["organizations:LeaveOrganization"])));
    let c = policy_change(&old, &new);
    assert_eq!(c.class, ChangeClass::Dangerous, "{}", c.message);
    assert!(
        c.message.contains("iam:CreateUser on * in us-east-1"),
        "{}",
        c.message
    );
}

#[test]
fn reordering_statements_or_adding_a_deny_is_proven_safe() {
    let leave = deny(&["organizations:LeaveOrganization"]).sid("Leave");
    let regions = deny(&["sts:*"])
        .sid("Regions")
        .condition(Condition::string_not_equals(
            "aws:RequestedRegion",
            ["us-east-1", "eu-west-1"],
        ));
    let old = scp(PolicyDocument::new()
        .statement(leave.clone())
        .statement(regions.clone()));
    let reordered = scp(PolicyDocument::new()
        .statement(regions.clone())
        .statement(leave.clone()));
    let c = policy_change(&old, &reordered);
    assert_eq!(c.class, ChangeClass::Safe, "{}", c.message);
    let proven = proven_count(&c.message);
    assert!(proven > 0, "{}", c.message);

    let tighter = scp(PolicyDocument::new()
        .statement(leave)
        .statement(regions)
        .statement(deny(&["iam:CreateUser"])));
    let c = policy_change(&old, &tighter);
    assert_eq!(c.class, ChangeClass::Safe, "{}", c.message);
    assert!(proven_count(&c.message) > 0, "{}", c.message);
}

/// The N of "…allowed now, N requests".
fn proven_count(message: &str) -> usize {
    let rest = message
        .split("proven: no request the old policy denied is allowed now, ")
        .nth(1)
        .unwrap_or_else(|| panic!("not proven: {message}"));
    rest.split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn an_scp_the_simulator_cannot_read_stays_dangerous_unless_proven() {
    let old = scp(PolicyDocument::new().statement(deny(&["s3:DeleteBucket"])));
    let new = scp(PolicyDocument::new().statement(
        Statement::deny()
            .action("s3:DeleteBucket")
            .resource(Expr::import_value("ProtectedBucketArn")),
    ));
    let c = policy_change(&old, &new);
    assert_eq!(c.class, ChangeClass::Dangerous, "{}", c.message);
    assert!(
        c.message.contains("dangerous unless proven safe"),
        "{}",
        c.message
    );
    assert!(c.message.contains("undecided"), "{}", c.message);
}

#[test]
fn an_rcp_that_stops_denying_a_service_is_dangerous() {
    let outside = |actions: &[&str]| {
        PolicyDocument::new().statement(
            Statement::deny()
                .principal(orgstack::iam::Principal::any())
                .actions(actions.iter().copied())
                .resource("*")
                .condition(Condition::new(
                    Operator::parse("StringNotEqualsIfExists").unwrap(),
                    "aws:PrincipalOrgID",
                    ["o-abcdef1234"],
                )),
        )
    };
    let rcp = |doc| with_policy(PolicyType::ResourceControlPolicy, doc);
    let old = rcp(outside(&["s3:*", "sts:*"]));
    let new = rcp(outside(&["s3:*"]));
    let c = policy_change(&old, &new);
    assert_eq!(c.class, ChangeClass::Dangerous, "{}", c.message);
    assert!(c.message.contains("sts:Sample on *"), "{}", c.message);
    // Within the organization, neither denies: the same answer before and after.
    let inside =
        Request::new("sts:AssumeRole", "*", "us-east-1").with("aws:PrincipalOrgID", "o-abcdef1234");
    let doc = serde_json::to_value(outside(&["sts:*"]).to_value()).unwrap();
    assert_eq!(
        SimulatorDecider.answer(&doc, &inside),
        Some(PolicyAnswer::NoStatement)
    );
    let outsider = Request::new("sts:AssumeRole", "*", "us-east-1");
    assert_eq!(
        SimulatorDecider.answer(&doc, &outsider),
        Some(PolicyAnswer::Deny)
    );
}

#[test]
fn a_policy_written_as_a_json_string_is_read_like_an_object() {
    let doc = json!({ "Version": "2012-10-17", "Statement": [
        { "Effect": "Allow", "Action": "*", "Resource": "*" },
        { "Effect": "Deny", "Action": "iam:*", "Resource": "*" }
    ] });
    let text = serde_json::Value::String(doc.to_string());
    for (action, answer) in [
        ("iam:CreateUser", PolicyAnswer::Deny),
        ("s3:GetObject", PolicyAnswer::Allow),
    ] {
        let r = Request::new(action, "*", "us-east-1");
        assert_eq!(SimulatorDecider.answer(&doc, &r), Some(answer), "{action}");
        assert_eq!(SimulatorDecider.answer(&text, &r), Some(answer), "{action}");
        assert_eq!(
            SimulatorDecider.allows(&text, &r),
            Some(answer == PolicyAnswer::Allow)
        );
    }
    // Not JSON, or an intrinsic in place of the document: undecided.
    let r = Request::new("iam:CreateUser", "*", "us-east-1");
    assert_eq!(SimulatorDecider.answer(&json!("{not json"), &r), None);
    assert_eq!(
        SimulatorDecider.answer(&json!({ "Fn::Sub": "${Doc}" }), &r),
        None
    );
}
