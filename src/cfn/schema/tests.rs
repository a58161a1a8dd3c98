//! The property checks, by resource type.

use super::*;

fn problems(res: Resource) -> Vec<Rule> {
    let mut out = Vec::new();
    check(&res, &Quotas::default(), &mut out);
    out.into_iter().map(|p| p.rule).collect()
}

#[test]
fn account_properties() {
    let ok = Resource::new("AWS::Organizations::Account")
        .property("AccountName", "Prod (EU)")
        .property("Email", "aws+prod@acme.example");
    assert_eq!(problems(ok), []);
    let bad = Resource::new("AWS::Organizations::Account")
        .property("AccountName", "x".repeat(51))
        .property("Email", "not-an-email")
        .property("RoleName", "bad name!")
        .property("Tags", crate::cfn::tags(&[("aws:x".into(), "y".into())]));
    assert_eq!(
        problems(bad),
        [
            Rule::AccountName,
            Rule::AccountEmail,
            Rule::AccountRoleName,
            Rule::Tag
        ]
    );
}

#[test]
fn intrinsics_are_not_checked() {
    let res = Resource::new("AWS::Organizations::Account")
        .property("AccountName", crate::cfn::Expr::sub("${AWS::StackName}-x"))
        .property("Email", crate::cfn::Expr::sub("a@${Domain}"));
    assert_eq!(problems(res), []);
}

#[test]
fn iam_names_and_paths() {
    assert!(is_iam_name("OrganizationAccountAccessRole", 64));
    assert!(is_iam_name("a+b=c,d.e@f-g_h", 64));
    assert!(!is_iam_name("bad name!", 64));
    assert!(!is_iam_name("", 64));
    assert!(!is_iam_name(&"x".repeat(65), 64));
    let role = Resource::new("AWS::IAM::Role")
        .property("Path", "platform")
        .property("MaxSessionDuration", 60u32);
    assert_eq!(problems(role), [Rule::IamPath, Rule::MaxSessionDuration]);
}

/// A policy of type `ty` (none: no `Type`) whose content is `len` characters minified.
fn policy(ty: Option<Value>, len: usize) -> Resource {
    let content = crate::obj! { "x" => "a".repeat(len - 8) };
    assert_eq!(content.minified_len(), len);
    let mut res = Resource::new("AWS::Organizations::Policy").property("Name", "P");
    if let Some(ty) = ty {
        res = res.property("Type", ty);
    }
    res.property("Content", content)
}

fn size_problems(res: &Resource, q: &Quotas) -> Vec<Problem> {
    let mut out = Vec::new();
    check(res, q, &mut out);
    out
}

#[test]
fn policy_size_is_that_of_its_type() {
    let q = Quotas::default();
    let scp = policy(Some("SERVICE_CONTROL_POLICY".into()), 6_000);
    assert_eq!(size_problems(&scp, &q), []);
    let rcp = policy(Some("RESOURCE_CONTROL_POLICY".into()), 6_000);
    let p = size_problems(&rcp, &q);
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!((p[0].rule, p[0].value.as_str()), (Rule::PolicySize, "6000"));
    assert!(
        p[0].message
            .ends_with("Organizations accepts at most 5120 for type RESOURCE_CONTROL_POLICY"),
        "{}",
        p[0].message
    );
    let rcp = policy(Some("RESOURCE_CONTROL_POLICY".into()), 5_120);
    assert_eq!(size_problems(&rcp, &q), []);

    let opt_out = policy(Some("AISERVICES_OPT_OUT_POLICY".into()), 2_501);
    let p = size_problems(&opt_out, &q);
    assert_eq!(p.len(), 1, "{p:#?}");
    assert!(p[0]
        .message
        .contains("at most 2500 for type AISERVICES_OPT_OUT_POLICY"));
    assert!(p[0].hint.starts_with("split the settings"), "{}", p[0].hint);
    // A type AWS added after this version gets the general 10,000.
    assert_eq!(
        size_problems(&policy(Some("NEW_POLICY".into()), 10_000), &q),
        []
    );
    assert_eq!(
        problems(policy(Some("NEW_POLICY".into()), 10_001)),
        [Rule::PolicySize]
    );
}

#[test]
fn policy_size_follows_the_quotas() {
    let mut q = Quotas::default();
    q.policies.resource_control.size = 6_000;
    let rcp = policy(Some("RESOURCE_CONTROL_POLICY".into()), 6_000);
    assert_eq!(size_problems(&rcp, &q), []);
    q.policies.resource_control.size = 5_999;
    assert_eq!(size_problems(&rcp, &q).len(), 1);
}

#[test]
fn policy_of_no_literal_type_is_checked_against_the_largest_size() {
    let q = Quotas::default();
    let ty = crate::cfn::Expr::sub("${PolicyType}");
    let fits_some_type = policy(Some(ty.clone().into()), 10_240);
    assert_eq!(size_problems(&fits_some_type, &q), []);
    let fits_none = policy(Some(ty.into()), 10_241);
    let p = size_problems(&fits_none, &q);
    assert_eq!(p.len(), 1, "{p:#?}");
    assert!(p[0].message.ends_with("at most 10240 for any type"));
    assert_eq!(problems(policy(None, 10_241)), [Rule::PolicySize]);
}

#[test]
fn managed_policy_arns() {
    assert!(is_managed_policy_arn(
        "arn:aws:iam::aws:policy/ReadOnlyAccess"
    ));
    assert!(is_managed_policy_arn(
        "arn:aws-us-gov:iam::123456789012:policy/team/Boundary"
    ));
    assert!(is_managed_policy_arn(
        "arn:aws:iam::aws:policy/service-role/AWSConfigRole"
    ));
    assert!(!is_managed_policy_arn("ReadOnlyAccess"));
    assert!(!is_managed_policy_arn("arn:aws:iam::aws:role/Admin"));
    assert!(!is_managed_policy_arn("arn:aws:iam::12345:policy/X"));
    assert!(!is_managed_policy_arn("arn:aws:iam::aws:policy/${Foo}"));
    assert!(!is_managed_policy_arn("arn:aws:iam::aws:policy/"));
    assert!(!is_managed_policy_arn("arn::iam::aws:policy/X"));
}

#[test]
fn managed_policy_paths() {
    let mp = |p: &str| Resource::new("AWS::IAM::ManagedPolicy").property("Path", p);
    assert_eq!(problems(mp("/")), []);
    assert_eq!(problems(mp("/team/read.only@x/")), []);
    for bad in ["", "team/", "/team", "//", "/a*/", "/a b/", "/a//b/"] {
        assert_eq!(problems(mp(bad)), [Rule::IamPath], "{bad}");
    }
}

#[test]
fn role_descriptions() {
    let role = |d: &str| Resource::new("AWS::IAM::Role").property("Description", d);
    assert_eq!(problems(role("Read-only, café\tok")), []);
    assert_eq!(problems(role("em dash — no")), [Rule::Description]);
    assert_eq!(problems(role(&"x".repeat(1001))), [Rule::Description]);
}
