//! What the CloudFormation resource schemas (and the quotas they leave out) accept for the
//! properties of the resource types the library writes, checked on the final resources of
//! a template — typed constructs once lowered, escape-hatch changes and hand-written
//! resources alike. Only literal values are checked: an intrinsic is resolved by
//! CloudFormation.

mod tags;

use super::expr::Value;
use super::template::Resource;
use crate::aws;
use crate::error::Rule;
use crate::policy_type::PolicyType;
use crate::quotas::Quotas;
use tags::tags;

/// A property value CloudFormation would refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) rule: Rule,
    pub(crate) value: String,
    pub(crate) message: String,
    pub(crate) hint: String,
}

impl Problem {
    fn new(
        rule: Rule,
        value: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Problem {
            rule,
            value: value.into(),
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// Every problem of `res`'s literal property values, in property order.
pub(crate) fn check(res: &Resource, q: &Quotas, out: &mut Vec<Problem>) {
    let ty: &str = &res.resource_type;
    for (key, value) in &res.properties {
        let key: &str = key;
        if key == "Tags" {
            tags(ty, value, out);
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
                            iam_name_hint(role, 64),
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
                Rule::Description,
                "a policy description must be at most 512 characters",
                out,
            ),
            ("AWS::Organizations::Policy", "Content") => policy_size(res, value, q, out),
            ("AWS::IAM::Role", "Description") => description(
                value,
                0,
                1000,
                Some(is_iam_role_description_char),
                "a role description",
                out,
            ),
            ("AWS::IAM::ManagedPolicy", "Description") => {
                description(value, 0, 1000, None, "a managed policy description", out)
            }
            ("AWS::CloudFormation::StackSet", "Description") => {
                description(value, 1, 1024, None, "a StackSet description", out)
            }
            ("AWS::Events::Rule", "Description") => {
                description(value, 0, 512, None, "an EventBridge rule description", out)
            }
            ("AWS::IAM::Role", "RoleName") => iam_name(value, "role", 64, out),
            ("AWS::IAM::Group", "GroupName") => iam_name(value, "group", 128, out),
            ("AWS::IAM::ManagedPolicy", "ManagedPolicyName") => {
                iam_name(value, "managed policy", 128, out)
            }
            ("AWS::IAM::Role" | "AWS::IAM::Group" | "AWS::IAM::User", "Path") => {
                iam_path(value, out)
            }
            ("AWS::IAM::ManagedPolicy", "Path") => managed_policy_path(value, out),
            ("AWS::CloudFormation::StackSet", "StackInstancesGroup") => {
                stack_set_regions(value, out)
            }
            ("AWS::Budgets::Budget", "Budget") => budget_name(value, out),
            ("AWS::Budgets::Budget", "NotificationsWithSubscribers") => {
                budget_thresholds(value, out)
            }
            ("AWS::IAM::Role" | "AWS::IAM::Group" | "AWS::IAM::User", "ManagedPolicyArns") => {
                if let Value::List(arns) = value.get() {
                    for arn in arns.iter().filter_map(Value::as_str) {
                        if !is_managed_policy_arn(arn) {
                            out.push(Problem::new(
                                Rule::ManagedPolicyArn,
                                arn,
                                "an attached policy is a managed policy's ARN, `arn:<partition>:iam::<account id or aws>:policy/<path and name>`",
                                "attach an AWS managed policy by name with `ManagedPolicyRef::aws_managed(\"ReadOnlyAccess\")`, or give the policy's full ARN",
                            ));
                        }
                    }
                }
            }
            ("AWS::IAM::Role" | "AWS::IAM::User", "PermissionsBoundary") => {
                if let Some(arn) = value.as_str() {
                    if !(20..=2048).contains(&arn.chars().count()) || !is_managed_policy_arn(arn) {
                        out.push(Problem::new(
                            Rule::ManagedPolicyArn,
                            arn,
                            "a permissions boundary is a managed policy's ARN, `arn:<partition>:iam::<account id or aws>:policy/<path and name>`, 20 to 2048 characters",
                            "give the boundary policy's full ARN, or a managed policy's `.arn()`",
                        ));
                    }
                }
            }
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
                        length_value(size),
                        format!("the trust policy is {} minified (intrinsics counted at their longest); IAM accepts {max}", length_text(size)),
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
                        length_value(size),
                        format!(
                            "the policy is {} without whitespace; IAM accepts at most {max}",
                            length_text(size)
                        ),
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

/// A measured length as a diagnostic's value: the number, or `unbounded` for a value holding
/// a reference whose longest value is `usize::MAX`.
pub(crate) fn length_value(len: usize) -> String {
    if len == usize::MAX {
        "unbounded".to_owned()
    } else {
        len.to_string()
    }
}

/// A measured length in a message: `N characters`, or that it has no bound.
pub(crate) fn length_text(len: usize) -> String {
    if len == usize::MAX {
        "of unbounded length (a reference in it gives `usize::MAX` as its longest value)".to_owned()
    } else {
        format!("{len} characters")
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
        let hint = if ty.as_ref().is_none_or(PolicyType::is_authorization) {
            "split the statements over two policies, or use wildcards in actions"
        } else {
            "split the settings over two policies of this type; the effective policy merges them"
        };
        out.push(Problem::new(
            Rule::PolicySize,
            length_value(size),
            format!("the policy is {} minified (intrinsics counted at their longest); Organizations accepts at most {max} for {of}", length_text(size)),
            hint,
        ));
    }
}

/// Whether `name` is 1–50 printable ASCII characters.
fn is_account_name(name: &str) -> bool {
    (1..=50).contains(&name.len()) && name.bytes().all(|b| (0x20..=0x7e).contains(&b))
}

/// `arn:(aws[a-zA-Z-]*)?:iam::(\d{12}|aws):policy/[a-zA-Z_0-9+=,.@\-_/]+`, the whole
/// value (the IAM schemas' `ManagedPolicyArns` pattern, anchored as IAM reads an ARN).
pub(crate) fn is_managed_policy_arn(arn: &str) -> bool {
    let Some(rest) = arn.strip_prefix("arn:") else {
        return false;
    };
    let Some((partition, rest)) = rest.split_once(":iam::") else {
        return false;
    };
    let Some((account, name)) = rest.split_once(":policy/") else {
        return false;
    };
    // The schema lets the partition be empty; IAM does not.
    let partition_ok = partition
        .strip_prefix("aws")
        .is_some_and(|p| p.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-'));
    let account_ok = account == "aws" || aws::is_account_id(account);
    partition_ok
        && account_ok
        && !name.is_empty()
        && name.chars().all(crate::iam::is_policy_name_char)
}

/// `[\w+=,.@-]{1,max}`, the IAM name pattern.
pub(crate) fn is_iam_name(name: &str, max: usize) -> bool {
    (1..=max).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
}

/// How to fix an IAM name that breaks `[\w+=,.@-]{1,max}`: what to shorten, or which
/// characters to replace.
pub(crate) fn iam_name_hint(name: &str, max: usize) -> String {
    if name.is_empty() {
        return format!("give it a name of 1 to {max} letters, digits and _+=,.@-");
    }
    let mut bad: Vec<char> = name
        .chars()
        .filter(|&c| !(c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)))
        .collect();
    bad.dedup();
    bad.sort_unstable();
    bad.dedup();
    let mut hint = String::new();
    if !bad.is_empty() {
        let shown: Vec<String> = bad.iter().map(|c| format!("{c:?}")).collect();
        hint = format!(
            "replace the characters IAM names do not take ({}) with `-` or `_`",
            shown.join(", ")
        );
    }
    if name.len() > max {
        if !hint.is_empty() {
            hint.push_str(", and ");
        }
        hint.push_str(&format!(
            "shorten it to at most {max} characters (it has {})",
            name.len()
        ));
    }
    hint
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
        let n = s.chars().count();
        if !(min..=max).contains(&n) {
            let hint = if n < min {
                format!("give it a value of at least {min} characters")
            } else {
                format!("shorten it to at most {max} characters")
            };
            out.push(Problem::new(
                rule,
                s,
                format!("{message}; this one has {n}"),
                hint,
            ));
        }
    }
}

/// `^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$`, a role description's characters.
fn is_iam_role_description_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{a1}'..='\u{ff}')
}

/// A description of `min` to `max` characters, each one `allowed` if given.
fn description(
    value: &Value,
    min: usize,
    max: usize,
    allowed: Option<fn(char) -> bool>,
    what: &str,
    out: &mut Vec<Problem>,
) {
    let Some(d) = value.as_str() else { return };
    let n = d.chars().count();
    if !(min..=max).contains(&n) {
        out.push(Problem::new(
            Rule::Description,
            d,
            if min > 0 {
                format!("{what} is {min} to {max} characters; this one has {n}")
            } else {
                format!("{what} is at most {max} characters; this one has {n}")
            },
            if n == 0 {
                "leave the description out, or write one"
            } else {
                "shorten the description"
            },
        ));
    } else if let Some(bad) = allowed.and_then(|ok| d.chars().find(|&c| !ok(c))) {
        out.push(Problem::new(
            Rule::Description,
            d,
            format!(
                "{what} may hold tabs, line breaks and Latin-1 characters only; `{}` (U+{:04X}) is none of them",
                bad.escape_default(),
                u32::from(bad)
            ),
            "replace the character, e.g. a dash `—` with `-`",
        ));
    }
}

fn iam_name(value: &Value, what: &str, max: usize, out: &mut Vec<Problem>) {
    if let Some(name) = value.as_str() {
        if !is_iam_name(name, max) {
            out.push(Problem::new(
                Rule::IamName,
                name,
                format!("a {what} name is 1 to {max} of letters, digits and _+=,.@-"),
                iam_name_hint(name, max),
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

/// A managed policy's path, `^((/[A-Za-z0-9.,+@=_-]+)*)/$` of at most 512 characters:
/// narrower than the other IAM paths (no `*`, no spaces, no other punctuation).
fn managed_policy_path(value: &Value, out: &mut Vec<Problem>) {
    let Some(p) = value.as_str() else { return };
    let segment = |seg: &str| {
        !seg.is_empty()
            && seg
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".,+@=_-".contains(&b))
    };
    let ok = p == "/"
        || (p.len() <= 512
            && p.len() >= 3
            && p.starts_with('/')
            && p.ends_with('/')
            && p[1..p.len() - 1].split('/').all(segment));
    if !ok {
        out.push(Problem::new(
            Rule::IamPath,
            p,
            "a managed policy's path is `/` or `/…/` segments of letters, digits and .,+@=_-, at most 512 characters",
            "use e.g. `/platform/`",
        ));
    }
}

/// Each region once in a StackSet's instances (`Regions` is `uniqueItems`).
fn stack_set_regions(value: &Value, out: &mut Vec<Problem>) {
    let Value::List(groups) = value.get() else {
        return;
    };
    for g in groups {
        let Value::Map(m) = g.get() else { continue };
        let Some(Value::List(regions)) = m.get("Regions").map(Value::get) else {
            continue;
        };
        for (i, r) in regions.iter().enumerate() {
            if regions[..i].contains(r) {
                if let Some(name) = r.as_str() {
                    out.push(Problem::new(
                        Rule::Region,
                        name,
                        "the StackSet names this region twice; CloudFormation takes each region once",
                        "list every region once",
                    ));
                }
            }
        }
    }
}

/// A budget's name: 1 to 100 characters, without `:`, `\`, `/action/` or a `<script>`
/// element (the Budgets API's `BudgetName` pattern).
fn budget_name(value: &Value, out: &mut Vec<Problem>) {
    let Value::Map(m) = value.get() else { return };
    let Some(name) = m.get("BudgetName").and_then(Value::as_str) else {
        return;
    };
    let n = name.chars().count();
    let script = || name.contains('<') && name.to_ascii_lowercase().contains("<script>");
    let ok = (1..=100).contains(&n)
        && !name.contains([':', '\\'])
        && !name.contains("/action/")
        && !script();
    if !ok {
        out.push(Problem::new(
            Rule::PropertyValue,
            name,
            format!("a budget name is 1 to 100 characters without `:`, `\\` or `/action/`; this one has {n}"),
            "rename the budget (a layout names each account's budget `<account name>-monthly`: rename the account)",
        ));
    }
}

/// Every notification threshold of a budget: 0.1 to 1,000,000,000 (the Budgets schema).
fn budget_thresholds(value: &Value, out: &mut Vec<Problem>) {
    let Value::List(items) = value.get() else {
        return;
    };
    for item in items {
        let Value::Map(m) = item.get() else { continue };
        let Some(Value::Map(n)) = m.get("Notification").map(Value::get) else {
            continue;
        };
        let Some(Value::Number(t)) = n.get("Threshold").map(Value::get) else {
            continue;
        };
        if !t.as_f64().is_some_and(|t| (0.1..=1e9).contains(&t)) {
            out.push(Problem::new(
                Rule::BudgetThreshold,
                t.to_string(),
                "a budget notification's threshold is 0.1 to 1,000,000,000",
                "use a threshold above 0, e.g. 80 (percent of the budget)",
            ));
        }
    }
}

#[cfg(test)]
mod tests;
