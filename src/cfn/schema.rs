//! What the CloudFormation resource schemas (and the quotas they leave out) accept for the
//! properties of the resource types the library writes, checked on the final resources of
//! a template — typed constructs once lowered, escape-hatch changes and hand-written
//! resources alike. Only literal values are checked: an intrinsic is resolved by
//! CloudFormation.

use super::expr::Value;
use super::template::Resource;
use crate::aws;
use crate::error::Rule;
use crate::policy_type::PolicyType;
use crate::quotas::Quotas;

/// A property value CloudFormation would refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) rule: Rule,
    pub(crate) value: String,
    pub(crate) message: String,
    pub(crate) hint: &'static str,
}

impl Problem {
    fn new(
        rule: Rule,
        value: impl Into<String>,
        message: impl Into<String>,
        hint: &'static str,
    ) -> Self {
        Problem {
            rule,
            value: value.into(),
            message: message.into(),
            hint,
        }
    }
}

/// Every problem of `res`'s literal property values, in property order.
pub(crate) fn check(res: &Resource, q: &Quotas, out: &mut Vec<Problem>) {
    let ty: &str = &res.resource_type;
    for (key, value) in &res.properties {
        let key: &str = key;
        if key == "Tags" {
            tags(value, out);
            continue;
        }
        match (ty, key) {
            ("AWS::Organizations::Account", "AccountName") => {
                if let Some(name) = value.as_str() {
                    if !is_account_name(name) {
                        out.push(Problem::new(
                            Rule::AccountName,
                            name,
                            format!("an account name must be 1 to 50 printable ASCII characters; this one has {}", name.chars().count()),
                            "shorten the name or drop the characters outside ASCII",
                        ));
                    }
                }
            }
            ("AWS::Organizations::Account", "Email") => {
                if let Some(email) = value.as_str() {
                    if let Some(why) = aws::email_problem(email) {
                        out.push(Problem::new(
                            Rule::AccountEmail,
                            email,
                            why,
                            "give the address of a mailbox you control, e.g. aws+prod@example.com",
                        ));
                    }
                }
            }
            ("AWS::Organizations::Account", "RoleName") => {
                if let Some(role) = value.as_str() {
                    if !is_iam_name(role, 64) {
                        out.push(Problem::new(
                            Rule::AccountRoleName,
                            role,
                            "a role name is 1 to 64 of letters, digits and _+=,.@-",
                            "rename the role",
                        ));
                    }
                }
            }
            ("AWS::Organizations::OrganizationalUnit", "Name") => length(
                value,
                1,
                128,
                Rule::OuName,
                "an OU name must be 1 to 128 characters",
                out,
            ),
            ("AWS::Organizations::Policy", "Name") => length(
                value,
                1,
                128,
                Rule::PolicyName,
                "a policy name must be 1 to 128 characters",
                out,
            ),
            ("AWS::Organizations::Policy", "Description") => length(
                value,
                0,
                512,
                Rule::PolicyName,
                "a policy description must be at most 512 characters",
                out,
            ),
            ("AWS::Organizations::Policy", "Content") => policy_size(res, value, q, out),
            ("AWS::IAM::Role", "RoleName") => iam_name(value, "role", 64, out),
            ("AWS::IAM::Group", "GroupName") => iam_name(value, "group", 128, out),
            ("AWS::IAM::ManagedPolicy", "ManagedPolicyName") => {
                iam_name(value, "managed policy", 128, out)
            }
            (
                "AWS::IAM::Role" | "AWS::IAM::Group" | "AWS::IAM::ManagedPolicy" | "AWS::IAM::User",
                "Path",
            ) => iam_path(value, out),
            ("AWS::IAM::Role", "MaxSessionDuration") => {
                if let Value::Number(n) = value.get() {
                    if !n.as_u64().is_some_and(|s| (3600..=43200).contains(&s)) {
                        out.push(Problem::new(
                            Rule::MaxSessionDuration,
                            n.to_string(),
                            "MaxSessionDuration must be 3600 to 43200 seconds",
                            "use a value between one and twelve hours",
                        ));
                    }
                }
            }
            ("AWS::IAM::Role", "AssumeRolePolicyDocument") => {
                let size = value.minified_len();
                let max = q.trust_policy_size;
                if size > max {
                    out.push(Problem::new(
                        Rule::TrustPolicySize,
                        size.to_string(),
                        format!("the trust policy is {size} characters minified (intrinsics counted at their longest); IAM accepts {max}"),
                        "trust fewer principals (trust an account, not each role), or raise the quota to 4096 and set `Quotas::trust_policy_size`",
                    ));
                }
            }
            ("AWS::IAM::ManagedPolicy", "PolicyDocument") => {
                let size = value.minified_len_without_whitespace();
                let max = q.managed_policy_size;
                if size > max {
                    out.push(Problem::new(
                        Rule::ManagedPolicySize,
                        size.to_string(),
                        format!("the policy is {size} characters without whitespace; IAM accepts at most {max}"),
                        "split it into two managed policies, or use wildcards",
                    ));
                }
            }
            ("AWS::CloudFormation::StackSet", "StackSetName") => {
                if let Some(name) = value.as_str() {
                    if let Err(e) = name.parse::<aws::StackSetName>() {
                        out.push(Problem::new(e.rule, name, e.message, e.hint));
                    }
                }
            }
            _ => {}
        }
    }
}

/// An Organizations policy's `Content` against the size quota of its type, read from the
/// `Type` of the same resource (both are literals on a lowered policy, so a change through
/// the escape hatch is checked too). A `Type` that is not a literal is checked against the
/// largest size of any type: only content no type accepts is refused.
fn policy_size(res: &Resource, content: &Value, q: &Quotas, out: &mut Vec<Problem>) {
    let size = content.minified_len();
    let ty = res
        .properties
        .get("Type")
        .and_then(Value::as_str)
        .map(PolicyType::from);
    let (max, of) = match &ty {
        Some(t) => (q.policy(t).size, format!("type {t}")),
        None => (q.policies.largest_size(), "any type".to_owned()),
    };
    if size > max {
        let hint = if ty.as_ref().map_or(true, PolicyType::is_authorization) {
            "split the statements over two policies, or use wildcards in actions"
        } else {
            "split the settings over two policies of this type; the effective policy merges them"
        };
        out.push(Problem::new(
            Rule::PolicySize,
            size.to_string(),
            format!("the policy is {size} characters minified (intrinsics counted at their longest); Organizations accepts at most {max} for {of}"),
            hint,
        ));
    }
}

/// Whether `name` is 1–50 printable ASCII characters.
fn is_account_name(name: &str) -> bool {
    (1..=50).contains(&name.len()) && name.bytes().all(|b| (0x20..=0x7e).contains(&b))
}

/// `[\w+=,.@-]{1,max}`, the IAM name pattern.
pub(crate) fn is_iam_name(name: &str, max: usize) -> bool {
    (1..=max).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
}

fn length(
    value: &Value,
    min: usize,
    max: usize,
    rule: Rule,
    message: &str,
    out: &mut Vec<Problem>,
) {
    if let Some(s) = value.as_str() {
        if !(min..=max).contains(&s.chars().count()) {
            let hint = if s.is_empty() {
                "give it a value"
            } else {
                "shorten it"
            };
            out.push(Problem::new(rule, s, message, hint));
        }
    }
}

fn iam_name(value: &Value, what: &str, max: usize, out: &mut Vec<Problem>) {
    if let Some(name) = value.as_str() {
        if !is_iam_name(name, max) {
            out.push(Problem::new(
                Rule::IamName,
                name,
                format!("a {what} name is 1 to {max} of letters, digits and _+=,.@-"),
                "rename it",
            ));
        }
    }
}

/// An IAM path is `/` or `/…/` of printable ASCII, at most 512 characters.
fn iam_path(value: &Value, out: &mut Vec<Problem>) {
    let Some(p) = value.as_str() else { return };
    let ok = p.len() <= 512
        && (p == "/"
            || (p.len() > 2
                && p.starts_with('/')
                && p.ends_with('/')
                && p.bytes().all(|b| (0x21..=0x7e).contains(&b))));
    if !ok {
        out.push(Problem::new(
            Rule::IamPath,
            p,
            "an IAM path starts and ends with `/` and holds printable ASCII, at most 512 characters",
            "use e.g. `/platform/`",
        ));
    }
}

/// `[{"Key": …, "Value": …}]` with Organizations' and IAM's tag rules.
fn tags(value: &Value, out: &mut Vec<Problem>) {
    let Value::List(items) = value.get() else {
        return;
    };
    for item in items {
        let Value::Map(m) = item.get() else { continue };
        let (Some(k), Some(v)) = (
            m.get("Key").and_then(Value::as_str),
            m.get("Value").and_then(Value::as_str),
        ) else {
            continue;
        };
        if let Some(why) = tag_problem(k, v) {
            out.push(Problem::new(
                Rule::PropertyValue,
                format!("{k}={v}"),
                why,
                "fix the tag",
            ));
        }
    }
}

/// Why a tag is refused (the tag pattern `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`).
pub(crate) fn tag_problem(key: &str, value: &str) -> Option<&'static str> {
    let ok = |s: &str| {
        s.chars()
            .all(|c| c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c))
    };
    if !(1..=128).contains(&key.chars().count()) {
        return Some("a tag key must be 1 to 128 characters");
    }
    if value.chars().count() > 256 {
        return Some("a tag value must be at most 256 characters");
    }
    if key.starts_with("aws:") {
        return Some("tag keys starting with `aws:` are reserved");
    }
    if !ok(key) || !ok(value) {
        return Some("tags may hold letters, digits, spaces and _.:/=+-@ only");
    }
    None
}

#[cfg(test)]
mod tests {
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
                Rule::PropertyValue
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
    fn tags() {
        assert_eq!(tag_problem("team", "platform"), None);
        assert!(tag_problem("aws:x", "y").is_some());
        assert!(tag_problem("a", "b#").is_some());
    }
}
