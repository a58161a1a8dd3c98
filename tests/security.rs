#![cfg(feature = "testing")]
//! The layout's security promises, checked by evaluating the synthesized policies the way
//! AWS does: a leaked access key gets nothing, a console session without MFA only gets
//! through the first sign-in, privileged root sessions pass the deny-root guardrail, and
//! the organization access role needs MFA.
//!
//! The policies are read from the templates and evaluated with the library's evaluator
//! (`orgstack::access`); `tests/access.rs` asks the same questions of the simulator over
//! the typed model.

use std::collections::BTreeMap;

use orgstack::access::{
    self, glob, Policy, Request, ResolvedCondition, Tri, Verdict as Decision, Who,
};
use orgstack::app::Assembly;
use orgstack::iam::Operator;
use orgstack::layouts::FiveAccountLayout;
use orgstack::App;
use serde_json::Value;

// ---------------------------------------------------------------------------------------
// The evaluator: the library's, over the policies read from the templates
// ---------------------------------------------------------------------------------------

/// Evaluates the policies read from the templates (their intrinsics resolved below) with
/// the library's evaluator.
fn evaluate(policies: &[Value], req: &Request) -> Decision {
    let policies: Vec<Policy> = policies
        .iter()
        .enumerate()
        .map(|(i, p)| Policy::from_json(format!("policy {i}"), p).expect("a policy document"))
        .collect();
    access::evaluate(&policies, req).verdict
}

/// Whether one condition holds for the request's context.
fn condition_holds(op: &str, key: &str, wanted: &[String], req: &Request) -> bool {
    let c = ResolvedCondition {
        operator: Operator::parse(op).expect("an operator"),
        key: key.to_owned(),
        values: wanted.iter().cloned().map(Some).collect(),
    };
    access::condition(&c, &req.context) == Tri::Yes
}

// ---------------------------------------------------------------------------------------
// Reading the synthesized templates
// ---------------------------------------------------------------------------------------

const PARTITION: &str = "aws";
const ACCOUNT: &str = "111111111111";

/// Resolves the intrinsics of a template fragment well enough for these tests: `Fn::Sub`
/// with pseudo parameters fixed (and its own variables, when they resolve to strings);
/// anything else becomes a value that matches nothing.
fn resolve(v: &Value) -> Value {
    match v {
        Value::Object(o) if o.len() == 1 && o.contains_key("Fn::Sub") => {
            let (text, vars) = match &o["Fn::Sub"] {
                Value::String(s) => (s.clone(), serde_json::Map::new()),
                Value::Array(a) => (
                    a[0].as_str().unwrap().to_owned(),
                    a[1].as_object().unwrap().clone(),
                ),
                other => panic!("bad Fn::Sub {other}"),
            };
            Value::String(sub(&text, &vars))
        }
        Value::Object(o)
            if o.len() == 1
                && o.keys()
                    .next()
                    .is_some_and(|k| k == "Ref" || k.starts_with("Fn::")) =>
        {
            Value::String("\u{0}unresolved\u{0}".into())
        }
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), resolve(v))).collect()),
        Value::Array(a) => Value::Array(a.iter().map(resolve).collect()),
        other => other.clone(),
    }
}

fn sub(text: &str, vars: &serde_json::Map<String, Value>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find('}').unwrap();
        let name = &after[..end];
        if let Some(literal) = name.strip_prefix('!') {
            out.push_str("${");
            out.push_str(literal);
            out.push('}');
        } else {
            match name {
                "AWS::Partition" => out.push_str(PARTITION),
                "AWS::AccountId" => out.push_str(ACCOUNT),
                "AWS::Region" => out.push_str("us-east-1"),
                _ => match vars.get(name).map(resolve) {
                    Some(Value::String(s)) => out.push_str(&s),
                    _ => out.push_str("\u{0}unresolved\u{0}"),
                },
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

fn template(assembly: &Assembly, name: &str) -> Value {
    serde_json::from_str(
        assembly
            .template_json(name)
            .unwrap_or_else(|| panic!("{name}")),
    )
    .unwrap()
}

fn layout_assembly() -> Assembly {
    let mut app = App::new();
    let management = app.stack("Management").unwrap();
    app.add(
        &management,
        FiveAccountLayout::builder("acme")
            .email_domain("aws.acme.example")
            .alert_email("cloud-alerts@acme.example"),
    )
    .unwrap();
    app.synth().unwrap()
}

/// Every policy of the identity account's group `name`: its managed and inline ones.
fn group_policies(assembly: &Assembly, name: &str) -> Vec<Value> {
    let t = template(assembly, "Management.IdentityAccount.Template");
    let resources = t["Resources"].as_object().unwrap();
    let group = resources
        .values()
        .find(|r| r["Type"] == "AWS::IAM::Group" && r["Properties"]["GroupName"] == name)
        .unwrap_or_else(|| panic!("no group {name}"));
    let mut out = Vec::new();
    for arn in group["Properties"]["ManagedPolicyArns"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let id = arn["Ref"]
            .as_str()
            .expect("a managed policy of the template");
        out.push(resolve(&resources[id]["Properties"]["PolicyDocument"]));
    }
    for p in group["Properties"]["Policies"]
        .as_array()
        .into_iter()
        .flatten()
    {
        out.push(resolve(&p["PolicyDocument"]));
    }
    assert!(!out.is_empty());
    out
}

/// The content of the SCP named `name`.
fn scp(assembly: &Assembly, name: &str) -> Value {
    let t = template(assembly, "Management");
    let policy = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Type"] == "AWS::Organizations::Policy" && r["Properties"]["Name"] == name)
        .unwrap_or_else(|| panic!("no SCP {name}"));
    resolve(&policy["Properties"]["Content"])
}

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

const USER: &str = "alice";

fn user_arn() -> String {
    format!("arn:aws:iam::{ACCOUNT}:user/{USER}")
}

fn own_mfa_arn() -> String {
    format!("arn:aws:iam::{ACCOUNT}:mfa/{USER}")
}

/// A request of the identity-account user `alice`; `mfa` is the value of
/// `aws:MultiFactorAuthPresent`, `None` for a request signed with a long-term access key.
fn as_user(action: &str, resource: &str, mfa: Option<bool>) -> Request {
    let r = Request::new(action, resource)
        .with("aws:username", USER)
        .with("aws:PrincipalArn", user_arn());
    match mfa {
        Some(m) => r.with("aws:MultiFactorAuthPresent", m.to_string()),
        None => r.without("aws:MultiFactorAuthPresent"),
    }
}

/// What a user does to their own credentials and MFA, on the resources they name.
fn credential_actions() -> Vec<(&'static str, String)> {
    vec![
        ("iam:CreateVirtualMFADevice", own_mfa_arn()),
        ("iam:EnableMFADevice", user_arn()),
        ("iam:ResyncMFADevice", user_arn()),
        ("iam:DeactivateMFADevice", user_arn()),
        ("iam:DeleteVirtualMFADevice", own_mfa_arn()),
        ("iam:CreateAccessKey", user_arn()),
        ("iam:UpdateAccessKey", user_arn()),
        ("iam:DeleteAccessKey", user_arn()),
        ("iam:ChangePassword", user_arn()),
        ("iam:CreateLoginProfile", user_arn()),
        ("iam:UpdateLoginProfile", user_arn()),
        ("iam:DeleteLoginProfile", user_arn()),
    ]
}

const ROLE_IN_MEMBER: &str = "arn:aws:iam::333333333333:role/administrator";

// ---------------------------------------------------------------------------------------
// (a), (b), (c): the identity account's users
// ---------------------------------------------------------------------------------------

#[test]
fn a_leaked_access_key_gets_nothing() {
    let assembly = layout_assembly();
    for group in ["acme-administrators", "acme-developers", "acme-read-only"] {
        let policies = group_policies(&assembly, group);
        let mut actions = credential_actions();
        actions.extend([
            ("iam:ListMFADevices", user_arn()),
            ("iam:GetUser", user_arn()),
            ("iam:ListVirtualMFADevices", "*".to_owned()),
            ("sts:AssumeRole", ROLE_IN_MEMBER.to_owned()),
            ("s3:ListAllMyBuckets", "*".to_owned()),
        ]);
        for (action, resource) in actions {
            let req = as_user(action, &resource, None);
            assert_eq!(
                evaluate(&policies, &req),
                Decision::ExplicitDeny,
                "{group}: a long-term access key must be denied {action} on {resource}"
            );
        }
    }
}

#[test]
fn a_console_session_without_mfa_only_gets_through_the_first_sign_in() {
    let assembly = layout_assembly();
    let policies = group_policies(&assembly, "acme-developers");
    for (action, resource) in [
        ("iam:ChangePassword", user_arn()),
        ("iam:GetAccountPasswordPolicy", "*".to_owned()),
        ("iam:GetUser", user_arn()),
        ("iam:CreateVirtualMFADevice", own_mfa_arn()),
        ("iam:EnableMFADevice", user_arn()),
        ("iam:ListMFADevices", user_arn()),
    ] {
        let req = as_user(action, &resource, Some(false));
        assert_eq!(
            evaluate(&policies, &req),
            Decision::Allow,
            "a console session without MFA may {action} on {resource}"
        );
    }
    for (action, resource) in [
        ("iam:CreateAccessKey", user_arn()),
        ("iam:UpdateAccessKey", user_arn()),
        ("iam:DeleteAccessKey", user_arn()),
        ("iam:DeactivateMFADevice", user_arn()),
        ("iam:ResyncMFADevice", user_arn()),
        ("iam:DeleteVirtualMFADevice", own_mfa_arn()),
        ("iam:UpdateLoginProfile", user_arn()),
        ("sts:AssumeRole", ROLE_IN_MEMBER.to_owned()),
        ("s3:ListAllMyBuckets", "*".to_owned()),
        // Someone else's MFA device.
        (
            "iam:CreateVirtualMFADevice",
            format!("arn:aws:iam::{ACCOUNT}:mfa/bob"),
        ),
    ] {
        let req = as_user(action, &resource, Some(false));
        assert_ne!(
            evaluate(&policies, &req),
            Decision::Allow,
            "a console session without MFA must be refused {action} on {resource}"
        );
    }
}

#[test]
fn with_mfa_users_manage_their_own_credentials_only() {
    let assembly = layout_assembly();
    let policies = group_policies(&assembly, "acme-developers");
    let mut actions = credential_actions();
    actions.retain(|(a, _)| !a.contains("LoginProfile"));
    actions.extend([
        ("iam:GetMFADevice", user_arn()),
        ("iam:ListMFADevices", user_arn()),
        ("iam:ListAccessKeys", user_arn()),
        ("iam:GetLoginProfile", user_arn()),
    ]);
    for (action, resource) in &actions {
        let req = as_user(action, resource, Some(true));
        assert_eq!(
            evaluate(&policies, &req),
            Decision::Allow,
            "with MFA a user may {action} on {resource}"
        );
    }
    // Not someone else's.
    for (action, resource) in [
        (
            "iam:CreateAccessKey",
            format!("arn:aws:iam::{ACCOUNT}:user/bob"),
        ),
        (
            "iam:DeleteVirtualMFADevice",
            format!("arn:aws:iam::{ACCOUNT}:mfa/bob"),
        ),
        (
            "iam:DeactivateMFADevice",
            format!("arn:aws:iam::{ACCOUNT}:user/bob"),
        ),
    ] {
        let req = as_user(action, &resource, Some(true));
        assert_ne!(
            evaluate(&policies, &req),
            Decision::Allow,
            "{action} on {resource}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// (d), (e): the guardrails
// ---------------------------------------------------------------------------------------

const MEMBER: &str = "222222222222";

#[test]
fn the_deny_root_guardrail_lets_privileged_root_sessions_through() {
    let assembly = layout_assembly();
    let doc = vec![scp(&assembly, "acme-deny-root-user")];
    let root = format!("arn:aws:iam::{MEMBER}:root");
    let plain = Request::new("s3:DeleteBucketPolicy", "arn:aws:s3:::some-bucket")
        .with("aws:PrincipalArn", &root);
    assert_eq!(evaluate(&doc, &plain), Decision::ExplicitDeny);
    let assumed = plain.clone().with("aws:AssumedRoot", "true");
    assert_ne!(
        evaluate(&doc, &assumed),
        Decision::ExplicitDeny,
        "an sts:AssumeRoot session is not denied"
    );
    // Not the member accounts' other principals.
    let role = Request::new("s3:ListAllMyBuckets", "*").with(
        "aws:PrincipalArn",
        format!("arn:aws:iam::{MEMBER}:role/developer"),
    );
    assert_ne!(evaluate(&doc, &role), Decision::ExplicitDeny);
}

#[test]
fn the_organization_access_role_needs_mfa() {
    let assembly = layout_assembly();
    let doc = vec![scp(&assembly, "acme-protect-organization-access-role")];
    let role = format!("arn:aws:iam::{MEMBER}:role/OrganizationAccountAccessRole");
    let base = Request::new("ec2:RunInstances", "*").with("aws:PrincipalArn", &role);
    let no_key = base.clone();
    let no_mfa = base.clone().with("aws:MultiFactorAuthPresent", "false");
    let mfa = base.clone().with("aws:MultiFactorAuthPresent", "true");
    assert_eq!(evaluate(&doc, &no_key), Decision::ExplicitDeny);
    assert_eq!(evaluate(&doc, &no_mfa), Decision::ExplicitDeny);
    assert_ne!(evaluate(&doc, &mfa), Decision::ExplicitDeny);
    // Other roles are left alone.
    let other = Request::new("ec2:RunInstances", "*").with(
        "aws:PrincipalArn",
        format!("arn:aws:iam::{MEMBER}:role/developer"),
    );
    assert_ne!(evaluate(&doc, &other), Decision::ExplicitDeny);
}

/// Every account the layout creates names its organization access role.
#[test]
fn accounts_name_their_organization_access_role() {
    let role_names = |assembly: &Assembly| -> Vec<Value> {
        let t = template(assembly, "Management");
        let names: Vec<Value> = t["Resources"]
            .as_object()
            .unwrap()
            .values()
            .filter(|r| r["Type"] == "AWS::Organizations::Account")
            .map(|r| r["Properties"]["RoleName"].clone())
            .collect();
        assert!(!names.is_empty());
        names
    };
    // The default name is Organizations' own: it is left out, as `RoleName` cannot be
    // updated and an account deployed without it must not change.
    assert!(role_names(&layout_assembly()).iter().all(Value::is_null));
    // Another name is written on every account, and the guardrail guards that role.
    let mut app = App::new();
    let management = app.stack("Management").unwrap();
    app.add(
        &management,
        FiveAccountLayout::builder("acme")
            .email_domain("aws.acme.example")
            .organization_access_role("PlatformBreakGlass"),
    )
    .unwrap();
    let assembly = app.synth().unwrap();
    assert!(role_names(&assembly)
        .iter()
        .all(|n| n == "PlatformBreakGlass"));
    let mgmt = assembly.template_json("Management").unwrap();
    assert!(mgmt.contains(":role/PlatformBreakGlass"), "{mgmt}");
}

// ---------------------------------------------------------------------------------------
// The evaluator itself
// ---------------------------------------------------------------------------------------

#[test]
fn the_evaluator_follows_aws_semantics() {
    assert!(glob("iam:*MFA*", "IAM:EnableMfaDevice", false));
    assert!(!glob(
        "arn:aws:iam::*:mfa/alice",
        "arn:aws:iam::1:mfa/Alice",
        true
    ));
    let no_key = Request::new("a:b", "*");
    let t = vec!["true".to_owned()];
    let f = vec!["false".to_owned()];
    // Absent key: BoolIfExists holds, Bool does not, Null true holds.
    assert!(condition_holds("BoolIfExists", "k", &f, &no_key));
    assert!(!condition_holds("Bool", "k", &f, &no_key));
    assert!(condition_holds("Null", "k", &t, &no_key));
    assert!(!condition_holds("Null", "k", &f, &no_key));
    assert!(condition_holds("StringNotEquals", "k", &t, &no_key));
    assert!(!condition_holds("ForAnyValue:StringLike", "k", &t, &no_key));
    let with_key = no_key.clone().with("k", "false");
    assert!(condition_holds("BoolIfExists", "k", &f, &with_key));
    assert!(!condition_holds("BoolIfExists", "k", &t, &with_key));
    assert!(condition_holds("Null", "k", &f, &with_key));
    assert_eq!(
        sub(
            "arn:${AWS::Partition}:iam::${AWS::AccountId}:mfa/${!aws:username}",
            &Default::default()
        ),
        "arn:aws:iam::111111111111:mfa/${aws:username}"
    );
}

// ---------------------------------------------------------------------------------------
// The deploy plan
// ---------------------------------------------------------------------------------------

const ROOT_ACCESS_COMMANDS: [&str; 3] = [
    "aws organizations enable-aws-service-access --service-principal iam.amazonaws.com",
    "aws iam enable-organizations-root-credentials-management",
    "aws iam enable-organizations-root-sessions",
];

#[test]
fn centralized_root_access_is_enabled_before_the_stacks_create_accounts() {
    let plan = layout_assembly().deploy_plan().to_owned();
    let stack = plan
        .find("Deploy stack Management\n")
        .expect("the management stack is deployed");
    let mut last = 0;
    for command in ROOT_ACCESS_COMMANDS {
        let at = plan.find(command).unwrap_or_else(|| panic!("{command}"));
        assert!(
            last <= at && at < stack,
            "{command} runs in order, before the stacks"
        );
        last = at;
    }

    let mut app = App::new();
    let management = app.stack("Management").unwrap();
    app.add(
        &management,
        FiveAccountLayout::builder("acme")
            .email_domain("aws.acme.example")
            .centralized_root_access(false),
    )
    .unwrap();
    let plan = app.synth().unwrap().deploy_plan().to_owned();
    for command in ROOT_ACCESS_COMMANDS {
        assert!(!plan.contains(command), "{command} is off");
    }
}

#[test]
fn the_identity_account_gets_a_password_policy_after_the_stacks() {
    let plan = layout_assembly().deploy_plan().to_owned();
    let stack = plan.find("Deploy stack Management\n").unwrap();
    let at = plan
        .find("aws iam update-account-password-policy --profile acme-identity")
        .expect("a password policy step");
    assert!(
        at > stack,
        "the identity account exists once the stacks are deployed"
    );
    assert!(plan.contains("--allow-users-to-change-password"));
    assert!(plan.contains("role/OrganizationAccountAccessRole"));
}

// ---------------------------------------------------------------------------------------
// The log archive: write-once, written by the organization's log delivery only
// ---------------------------------------------------------------------------------------

const MANAGEMENT: &str = "999999999999";
const AUDIT_ID: &str = "444444444444";
const ORG_ID: &str = "o-exampleorg1";
const HOME: &str = "us-east-1";

/// What a template's intrinsics stand for in one account: `Ref`s of parameters and
/// resources and `Fn::GetAtt`s by name, the pseudo parameters, `Fn::Sub`, `Fn::Select`
/// and `Fn::Split`. Anything else becomes a value that matches nothing.
struct Ctx {
    account: &'static str,
    values: BTreeMap<String, String>,
}

impl Ctx {
    fn eval(&self, v: &Value) -> Value {
        let unresolved = || Value::String("\u{0}unresolved\u{0}".into());
        let Value::Object(o) = v else {
            return match v {
                Value::Array(a) => Value::Array(a.iter().map(|x| self.eval(x)).collect()),
                other => other.clone(),
            };
        };
        if o.len() != 1 {
            return Value::Object(o.iter().map(|(k, v)| (k.clone(), self.eval(v))).collect());
        }
        let (k, arg) = o.iter().next().unwrap();
        match k.as_str() {
            "Ref" => {
                let name = arg.as_str().unwrap();
                match name {
                    "AWS::AccountId" => self.account.into(),
                    "AWS::Region" => HOME.into(),
                    "AWS::Partition" => PARTITION.into(),
                    _ => self
                        .values
                        .get(name)
                        .map_or_else(unresolved, |s| s.as_str().into()),
                }
            }
            "Fn::GetAtt" => {
                let key = format!("{}.{}", arg[0].as_str().unwrap(), arg[1].as_str().unwrap());
                self.values
                    .get(&key)
                    .map_or_else(unresolved, |s| s.as_str().into())
            }
            "Fn::Sub" => {
                let (text, vars) = match arg {
                    Value::String(s) => (s.clone(), serde_json::Map::new()),
                    Value::Array(a) => (
                        a[0].as_str().unwrap().to_owned(),
                        a[1].as_object().unwrap().clone(),
                    ),
                    other => panic!("bad Fn::Sub {other}"),
                };
                let mut out = String::new();
                let mut rest = text.as_str();
                while let Some(start) = rest.find("${") {
                    out.push_str(&rest[..start]);
                    let after = &rest[start + 2..];
                    let end = after.find('}').unwrap();
                    let name = &after[..end];
                    let value = match vars.get(name) {
                        Some(v) => self.eval(v),
                        None => self.eval(&serde_json::json!({ "Ref": name })),
                    };
                    out.push_str(value.as_str().unwrap_or("\u{0}unresolved\u{0}"));
                    rest = &after[end + 1..];
                }
                out.push_str(rest);
                Value::String(out)
            }
            "Fn::Split" => {
                let sep = arg[0].as_str().unwrap();
                let text = self.eval(&arg[1]);
                Value::Array(
                    text.as_str()
                        .unwrap_or("")
                        .split(sep)
                        .map(|p| p.into())
                        .collect(),
                )
            }
            "Fn::Select" => {
                let i: usize = match &arg[0] {
                    Value::String(s) => s.parse().unwrap(),
                    n => n.as_u64().unwrap() as usize,
                };
                self.eval(&arg[1])
                    .get(i)
                    .cloned()
                    .unwrap_or_else(unresolved)
            }
            // The organization, when the bootstrap stack creates it, is imported from there.
            "Fn::ImportValue" if arg.as_str().is_some_and(|n| n.ends_with(":Id")) => ORG_ID.into(),
            _ if k.starts_with("Fn::") => unresolved(),
            _ => Value::Object(o.iter().map(|(k, v)| (k.clone(), self.eval(v))).collect()),
        }
    }
}

/// The first resource of `ty` in `template`: its logical id and body.
fn resource_of<'a>(template: &'a Value, ty: &str) -> (String, &'a Value) {
    template["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, r)| r["Type"] == ty)
        .map(|(id, r)| (id.clone(), r))
        .unwrap_or_else(|| panic!("no {ty}"))
}

/// The management stack's values, as deployed in account [`MANAGEMENT`] in [`HOME`].
fn management_ctx(mgmt: &Value) -> Ctx {
    let mut values = BTreeMap::new();
    for (id, r) in mgmt["Resources"].as_object().unwrap() {
        let name = |k: &str| r["Properties"][k].as_str().unwrap_or("").to_owned();
        match r["Type"].as_str().unwrap() {
            "AWS::Logs::LogGroup" => {
                let n = name("LogGroupName");
                values.insert(id.clone(), n.clone());
                values.insert(
                    format!("{id}.Arn"),
                    format!("arn:aws:logs:{HOME}:{MANAGEMENT}:log-group:{n}:*"),
                );
            }
            "AWS::CloudWatch::Alarm" => {
                values.insert(
                    format!("{id}.Arn"),
                    format!(
                        "arn:aws:cloudwatch:{HOME}:{MANAGEMENT}:alarm:{}",
                        name("AlarmName")
                    ),
                );
            }
            "AWS::SNS::Topic" => {
                values.insert(
                    id.clone(),
                    format!("arn:aws:sns:{HOME}:{MANAGEMENT}:{}", name("TopicName")),
                );
            }
            "AWS::IAM::Role" => {
                values.insert(
                    format!("{id}.Arn"),
                    format!("arn:aws:iam::{MANAGEMENT}:role/{id}"),
                );
            }
            "AWS::CloudTrail::Trail" => {
                values.insert(
                    format!("{id}.Arn"),
                    format!(
                        "arn:aws:cloudtrail:{HOME}:{MANAGEMENT}:trail/{}",
                        name("TrailName")
                    ),
                );
            }
            "AWS::Organizations::Organization" => {
                values.insert(format!("{id}.Id"), ORG_ID.into());
            }
            "AWS::Organizations::Account" if name("AccountName") == "acme-audit" => {
                values.insert(format!("{id}.AccountId"), AUDIT_ID.into());
            }
            _ => {}
        }
    }
    Ctx {
        account: MANAGEMENT,
        values,
    }
}

/// The audit account's template, its values set by the StackSet from the management stack.
fn audit_template(assembly: &Assembly) -> (Value, Ctx) {
    let mgmt = template(assembly, "Management");
    let outer = management_ctx(&mgmt);
    let audit = template(assembly, "Management.AuditAccount.Template");
    let mut values = BTreeMap::new();
    let set = mgmt["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| {
            r["Type"] == "AWS::CloudFormation::StackSet"
                && r["Properties"]["StackSetName"] == "acme-audit"
        })
        .expect("the audit StackSet");
    for p in set["Properties"]["Parameters"].as_array().unwrap() {
        let value = &p["ParameterValue"];
        let resolved = match value.get("Fn::ImportValue") {
            // The organization is created by the bootstrap stack.
            Some(import) if import.as_str().unwrap().ends_with(":Id") => ORG_ID.into(),
            _ => outer.eval(value),
        };
        if let Value::String(s) = resolved {
            values.insert(p["ParameterKey"].as_str().unwrap().to_owned(), s);
        }
    }
    let (bucket, body) = resource_of(&audit, "AWS::S3::Bucket");
    let name = format!("acme-audit-logs-{AUDIT_ID}");
    assert_eq!(
        Ctx {
            account: AUDIT_ID,
            values: values.clone()
        }
        .eval(&body["Properties"]["BucketName"]),
        Value::String(name.clone())
    );
    values.insert(bucket.clone(), name.clone());
    values.insert(format!("{bucket}.Arn"), format!("arn:aws:s3:::{name}"));
    (
        audit,
        Ctx {
            account: AUDIT_ID,
            values,
        },
    )
}

fn bucket_arn() -> String {
    format!("arn:aws:s3:::acme-audit-logs-{AUDIT_ID}")
}

fn log_object() -> String {
    format!(
        "{}/AWSLogs/{ORG_ID}/{MANAGEMENT}/CloudTrail/us-east-1/2026/01/01/log.json.gz",
        bucket_arn()
    )
}

fn organization_trail_arn() -> String {
    format!("arn:aws:cloudtrail:{HOME}:{MANAGEMENT}:trail/acme-organization-trail")
}

fn archive_policy(assembly: &Assembly) -> Vec<Value> {
    let (audit, ctx) = audit_template(assembly);
    let (_, policy) = resource_of(&audit, "AWS::S3::BucketPolicy");
    vec![ctx.eval(&policy["Properties"]["PolicyDocument"])]
}

/// A request over TLS signed by a principal of the audit account.
fn as_audit_principal(arn: &str, action: &str, resource: &str) -> Request {
    Request::new(action, resource)
        .by(Who::aws(arn))
        .with("aws:PrincipalArn", arn)
        .with("aws:PrincipalAccount", AUDIT_ID)
        .with("aws:SecureTransport", "true")
        .with("s3:x-amz-acl", "bucket-owner-full-control")
}

/// A delivery of `service` over TLS, for the source `source_arn` of organization `org`.
fn as_service(service: &str, action: &str, resource: &str, source_arn: &str, org: &str) -> Request {
    Request::new(action, resource)
        .by(Who::service(service))
        .with("aws:PrincipalServiceName", service)
        .with("aws:SourceArn", source_arn)
        .with("aws:SourceOrgID", org)
        .with("aws:SecureTransport", "true")
        .with("s3:x-amz-acl", "bucket-owner-full-control")
}

#[test]
fn nobody_in_the_audit_account_overwrites_or_deletes_a_log() {
    let assembly = layout_assembly();
    let policy = archive_policy(&assembly);
    for who in [
        format!("arn:aws:iam::{AUDIT_ID}:role/administrator"),
        format!("arn:aws:iam::{AUDIT_ID}:root"),
    ] {
        for (action, resource) in [
            ("s3:PutObject", log_object()),
            ("s3:PutObject", format!("{}/anything-else", bucket_arn())),
            ("s3:DeleteObject", log_object()),
            ("s3:DeleteObjectVersion", log_object()),
            ("s3:BypassGovernanceRetention", log_object()),
            ("s3:PutObjectRetention", log_object()),
            ("s3:PutLifecycleConfiguration", bucket_arn()),
            ("s3:PutBucketVersioning", bucket_arn()),
            ("s3:PutBucketObjectLockConfiguration", bucket_arn()),
            ("s3:PutBucketPolicy", bucket_arn()),
            ("s3:DeleteBucket", bucket_arn()),
        ] {
            let req = as_audit_principal(&who, action, &resource);
            assert_eq!(
                evaluate(&policy, &req),
                Decision::ExplicitDeny,
                "{who} must be denied {action} on {resource}, whatever its own policies allow"
            );
        }
    }
    // S3 always lets the bucket owner's root user change the bucket policy; the deny-root
    // guardrail is what stops it there.
    let root = format!("arn:aws:iam::{AUDIT_ID}:root");
    let scp = vec![scp(&assembly, "acme-deny-root-user")];
    let req = as_audit_principal(&root, "s3:PutBucketPolicy", &bucket_arn());
    assert_eq!(evaluate(&scp, &req), Decision::ExplicitDeny);
    // The audit StackSet's execution role may still update the bucket's configuration.
    let exec = format!("arn:aws:iam::{AUDIT_ID}:role/stacksets-exec-0123456789abcdef");
    let req = as_audit_principal(&exec, "s3:PutLifecycleConfiguration", &bucket_arn());
    assert_ne!(evaluate(&policy, &req), Decision::ExplicitDeny);
    let req = as_audit_principal(&exec, "s3:DeleteObjectVersion", &log_object());
    assert_eq!(
        evaluate(&policy, &req),
        Decision::ExplicitDeny,
        "not even it deletes logs"
    );
}

#[test]
fn only_the_organization_trail_and_config_write_logs() {
    let assembly = layout_assembly();
    let policy = archive_policy(&assembly);
    let trail = organization_trail_arn();
    let cloudtrail = "cloudtrail.amazonaws.com";
    for (action, resource) in [
        ("s3:PutObject", log_object()),
        ("s3:GetBucketAcl", bucket_arn()),
    ] {
        let req = as_service(cloudtrail, action, &resource, &trail, ORG_ID);
        assert_eq!(
            evaluate(&policy, &req),
            Decision::Allow,
            "the organization trail may {action}"
        );
    }
    // A trail of the same name in a member account, or in the audit account itself (which
    // `${AWS::AccountId}` would have named), and another trail of the management account.
    for other in [
        format!("arn:aws:cloudtrail:{HOME}:333333333333:trail/acme-organization-trail"),
        format!("arn:aws:cloudtrail:{HOME}:{AUDIT_ID}:trail/acme-organization-trail"),
        format!("arn:aws:cloudtrail:eu-west-1:{MANAGEMENT}:trail/acme-organization-trail"),
        format!("arn:aws:cloudtrail:{HOME}:{MANAGEMENT}:trail/another-trail"),
    ] {
        let req = as_service(cloudtrail, "s3:PutObject", &log_object(), &other, ORG_ID);
        assert_eq!(
            evaluate(&policy, &req),
            Decision::ExplicitDeny,
            "{other} cannot write"
        );
    }
    let no_source =
        as_service(cloudtrail, "s3:PutObject", &log_object(), "", ORG_ID).without("aws:SourceArn");
    assert_eq!(evaluate(&policy, &no_source), Decision::ExplicitDeny);

    let config = "config.amazonaws.com";
    let recorder = format!("arn:aws:config:{HOME}:333333333333:delivery-channel/default");
    let req = as_service(config, "s3:PutObject", &log_object(), &recorder, ORG_ID);
    assert_eq!(
        evaluate(&policy, &req),
        Decision::Allow,
        "Config of the organization writes"
    );
    let req = as_service(
        config,
        "s3:PutObject",
        &log_object(),
        &recorder,
        "o-someoneelse",
    );
    assert_eq!(
        evaluate(&policy, &req),
        Decision::ExplicitDeny,
        "Config of another organization"
    );

    // Any other service is denied, even for the organization.
    let req = as_service(
        "logging.s3.amazonaws.com",
        "s3:PutObject",
        &log_object(),
        &trail,
        ORG_ID,
    );
    assert_eq!(evaluate(&policy, &req), Decision::ExplicitDeny);
}

/// The Object Lock retention and the noncurrent-version expiration of the archive.
fn lock_and_noncurrent(assembly: &Assembly) -> (Value, u64, u64) {
    let (audit, _) = audit_template(assembly);
    let (_, bucket) = resource_of(&audit, "AWS::S3::Bucket");
    let props = &bucket["Properties"];
    assert_eq!(props["ObjectLockEnabled"], true, "{props}");
    let retention = &props["ObjectLockConfiguration"]["Rule"]["DefaultRetention"];
    assert_eq!(
        props["ObjectLockConfiguration"]["ObjectLockEnabled"],
        "Enabled"
    );
    let days = retention["Days"].as_u64().expect("retention in days");
    let rules = props["LifecycleConfiguration"]["Rules"].as_array().unwrap();
    let noncurrent = rules
        .iter()
        .filter(|r| r["Status"] == "Enabled")
        .filter_map(|r| r["NoncurrentVersionExpiration"]["NoncurrentDays"].as_u64())
        .min()
        .unwrap_or(u64::MAX);
    (retention["Mode"].clone(), days, noncurrent)
}

#[test]
fn the_archive_is_locked_and_keeps_overwritten_logs_as_long_as_the_lock() {
    let (mode, days, noncurrent) = lock_and_noncurrent(&layout_assembly());
    assert_eq!(mode, "COMPLIANCE");
    assert!(days >= 1);
    assert!(
        noncurrent >= days,
        "noncurrent versions kept {noncurrent} days, the lock {days}"
    );

    for builder in [
        FiveAccountLayout::builder("acme").log_retention_days(90),
        FiveAccountLayout::builder("acme")
            .log_retention_days(30)
            .object_lock(orgstack::layouts::ObjectLock::Governance(400)),
    ] {
        let mut app = App::new();
        let management = app.stack("Management").unwrap();
        app.add(&management, builder.email_domain("aws.acme.example"))
            .unwrap();
        let (_, days, noncurrent) = lock_and_noncurrent(&app.synth().unwrap());
        assert!(days >= 1 && noncurrent >= days, "{days} {noncurrent}");
        write_for_lint(&app, &format!("security_archive_{days}"));
    }
}

fn write_for_lint(app: &App, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("assemblies")
        .join(name);
    app.synth_to(dir).unwrap();
}

// ---------------------------------------------------------------------------------------
// The management-activity alert: every region, through the trail's log group
// ---------------------------------------------------------------------------------------

#[test]
fn every_management_account_event_reaches_the_alert_topic() {
    let assembly = layout_assembly();
    let mgmt = template(&assembly, "Management");
    let ctx = management_ctx(&mgmt);
    let (_, trail) = resource_of(&mgmt, "AWS::CloudTrail::Trail");
    let t = &trail["Properties"];
    assert_eq!(t["IsMultiRegionTrail"], true);
    assert_eq!(t["IncludeGlobalServiceEvents"], true);
    assert_eq!(t["IsOrganizationTrail"], true);
    let (group, log_group) = resource_of(&mgmt, "AWS::Logs::LogGroup");
    assert_eq!(
        t["CloudWatchLogsLogGroupArn"],
        serde_json::json!({ "Fn::GetAtt": [group, "Arn"] })
    );
    assert_eq!(log_group["Properties"]["RetentionInDays"], 365);

    // The role CloudTrail assumes: trusted for this trail only, writing this group only.
    let role_id = t["CloudWatchLogsRoleArn"]["Fn::GetAtt"][0]
        .as_str()
        .expect("a role of the stack");
    let role = &mgmt["Resources"][role_id];
    let trust = vec![ctx.eval(&role["Properties"]["AssumeRolePolicyDocument"])];
    let assume = |source: &str, account: &str| {
        Request::new(
            "sts:AssumeRole",
            format!("arn:aws:iam::{MANAGEMENT}:role/{role_id}"),
        )
        .by(Who::service("cloudtrail.amazonaws.com"))
        .with("aws:SourceArn", source)
        .with("aws:SourceAccount", account)
    };
    assert_eq!(
        evaluate(&trust, &assume(&organization_trail_arn(), MANAGEMENT)),
        Decision::Allow
    );
    let other = format!("arn:aws:cloudtrail:{HOME}:333333333333:trail/acme-organization-trail");
    assert_ne!(
        evaluate(&trust, &assume(&other, "333333333333")),
        Decision::Allow
    );
    let write: Vec<Value> = role["Properties"]["Policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| ctx.eval(&p["PolicyDocument"]))
        .collect();
    let stream = format!(
        "arn:aws:logs:{HOME}:{MANAGEMENT}:log-group:/acme/organization-trail:log-stream:{ORG_ID}_{MANAGEMENT}_CloudTrail_{HOME}"
    );
    for action in ["logs:CreateLogStream", "logs:PutLogEvents"] {
        assert_eq!(
            evaluate(&write, &Request::new(action, &stream)),
            Decision::Allow,
            "{action}"
        );
    }

    // The filter counts the management account's events.
    let (_, filter) = resource_of(&mgmt, "AWS::Logs::MetricFilter");
    let f = &filter["Properties"];
    assert_eq!(f["LogGroupName"], serde_json::json!({ "Ref": group }));
    let pattern = ctx.eval(&f["FilterPattern"]);
    let pattern = pattern.as_str().unwrap();
    assert!(
        pattern.contains(&format!("$.recipientAccountId = \"{MANAGEMENT}\"")),
        "{pattern}"
    );
    let metric = &f["MetricTransformations"][0];

    // The alarm on it notifies the topic at the first event of 5 minutes.
    let (alarm_id, alarm) = resource_of(&mgmt, "AWS::CloudWatch::Alarm");
    let a = &alarm["Properties"];
    assert_eq!(a["Namespace"], metric["MetricNamespace"]);
    assert_eq!(a["MetricName"], metric["MetricName"]);
    assert_eq!(a["Statistic"], "Sum");
    assert_eq!(a["Period"], 300);
    assert_eq!(a["Threshold"], 1);
    assert_eq!(a["ComparisonOperator"], "GreaterThanOrEqualToThreshold");
    assert_eq!(a["TreatMissingData"], "notBreaching");
    let (topic, _) = resource_of(&mgmt, "AWS::SNS::Topic");
    assert_eq!(a["AlarmActions"], serde_json::json!([{ "Ref": topic }]));

    // The topic admits CloudWatch from that alarm only.
    let (_, topic_policy) = resource_of(&mgmt, "AWS::SNS::TopicPolicy");
    let policy = vec![ctx.eval(&topic_policy["Properties"]["PolicyDocument"])];
    let topic_arn = ctx.values[&topic].clone();
    let publish = |service: &str, source: &str| {
        Request::new("sns:Publish", &topic_arn)
            .by(Who::service(service))
            .with("aws:SourceArn", source)
            .with("aws:SourceAccount", MANAGEMENT)
    };
    let alarm_arn = ctx.values[&format!("{alarm_id}.Arn")].clone();
    assert_eq!(
        evaluate(&policy, &publish("cloudwatch.amazonaws.com", &alarm_arn)),
        Decision::Allow
    );
    let other_alarm = format!("arn:aws:cloudwatch:{HOME}:{MANAGEMENT}:alarm:something-else");
    assert_ne!(
        evaluate(&policy, &publish("cloudwatch.amazonaws.com", &other_alarm)),
        Decision::Allow
    );
    assert_ne!(
        evaluate(&policy, &publish("events.amazonaws.com", &alarm_arn)),
        Decision::Allow
    );
}

// ---------------------------------------------------------------------------------------
// The customer-managed key: the trail, its log group, the topic and the archive use it
// ---------------------------------------------------------------------------------------

fn kms_app(key: orgstack::layouts::KmsKey) -> App {
    let mut app = App::new();
    let management = app.stack("Management").unwrap();
    app.add(
        &management,
        FiveAccountLayout::builder("acme")
            .email_domain("aws.acme.example")
            .alert_email("cloud-alerts@acme.example")
            .kms_key(key),
    )
    .unwrap();
    app
}

/// The ids of the checkov checks `resource` skips.
fn checkov_skips(resource: &Value) -> Vec<String> {
    resource["Metadata"]["checkov"]["skip"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| s["id"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The checkov checks asking for a KMS key.
const KMS_CHECKS: [&str; 4] = ["CKV_AWS_26", "CKV_AWS_35", "CKV_AWS_158", "CKV_AWS_145"];

#[test]
fn with_the_key_the_trail_its_log_group_the_topic_and_the_archive_use_it() {
    let app = kms_app(orgstack::layouts::KmsKey::CustomerManaged);
    let assembly = app.synth().unwrap();
    write_for_lint(&app, "security_kms_key");
    let mgmt = template(&assembly, "Management");
    let (key_id, key) = resource_of(&mgmt, "AWS::KMS::Key");
    assert_eq!(key["Properties"]["EnableKeyRotation"], true);
    assert_eq!(key["DeletionPolicy"], "Retain");
    assert_eq!(key["UpdateReplacePolicy"], "Retain");
    let (_, alias) = resource_of(&mgmt, "AWS::KMS::Alias");
    assert_eq!(
        alias["Properties"]["TargetKeyId"],
        serde_json::json!({ "Ref": key_id })
    );
    assert_eq!(alias["Properties"]["AliasName"], "alias/acme-logs");

    let arn = serde_json::json!({ "Fn::GetAtt": [key_id, "Arn"] });
    let (_, trail) = resource_of(&mgmt, "AWS::CloudTrail::Trail");
    assert_eq!(trail["Properties"]["KMSKeyId"], arn);
    let (_, group) = resource_of(&mgmt, "AWS::Logs::LogGroup");
    assert_eq!(group["Properties"]["KmsKeyId"], arn);
    let (_, topic) = resource_of(&mgmt, "AWS::SNS::Topic");
    assert_eq!(topic["Properties"]["KmsMasterKeyId"], arn);

    // The archive defaults to the same key, which reaches the audit account's template as
    // a parameter of its StackSet.
    let (audit, ctx) = audit_template(&assembly);
    let (_, bucket) = resource_of(&audit, "AWS::S3::Bucket");
    let rule = &bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0];
    assert_eq!(
        rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"],
        "aws:kms"
    );
    let param = rule["ServerSideEncryptionByDefault"]["KMSMasterKeyID"]["Ref"]
        .as_str()
        .expect("the key's ARN as a parameter");
    let set = mgmt["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Properties"]["StackSetName"] == "acme-audit")
        .unwrap();
    let value = set["Properties"]["Parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["ParameterKey"] == param)
        .map(|p| &p["ParameterValue"]);
    assert_eq!(value, Some(&arn));

    // The auditors may decrypt with it, through S3.
    let key_arn =
        format!("arn:aws:kms:{HOME}:{MANAGEMENT}:key/1234abcd-0000-0000-0000-000000000000");
    let mut ctx = ctx;
    ctx.values.insert(param.to_owned(), key_arn.clone());
    let (_, auditor) = audit["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, r)| {
            r["Type"] == "AWS::IAM::Role"
                && r["Properties"]["RoleName"] == orgstack::layouts::AUDITOR
        })
        .expect("the auditors' role");
    let policies: Vec<Value> = auditor["Properties"]["Policies"]
        .as_array()
        .expect("an inline policy")
        .iter()
        .map(|p| ctx.eval(&p["PolicyDocument"]))
        .collect();
    let decrypt = |via: &str| Request::new("kms:Decrypt", &key_arn).with("kms:ViaService", via);
    assert_eq!(
        evaluate(&policies, &decrypt("s3.us-east-1.amazonaws.com")),
        Decision::Allow
    );
    assert_ne!(
        evaluate(&policies, &decrypt("lambda.us-east-1.amazonaws.com")),
        Decision::Allow
    );

    // No checkov skip about a missing KMS key is left, in any template.
    for name in ["Management", "Management.AuditAccount.Template"] {
        let t = template(&assembly, name);
        for (id, r) in t["Resources"].as_object().unwrap() {
            let skips = checkov_skips(r);
            for check in KMS_CHECKS {
                assert!(
                    !skips.iter().any(|s| s == check),
                    "{name}/{id} skips {check}"
                );
            }
        }
    }
}

#[test]
fn without_the_key_the_templates_are_as_before() {
    let off = kms_app(orgstack::layouts::KmsKey::Off).synth().unwrap();
    let default = layout_assembly();
    assert_eq!(off.artifacts().len(), default.artifacts().len());
    for (a, b) in off.artifacts().iter().zip(default.artifacts()) {
        assert_eq!(a.file_name, b.file_name);
        assert_eq!(a.body, b.body, "{}", a.file_name);
    }
    let mgmt = template(&off, "Management");
    assert!(mgmt["Resources"]
        .as_object()
        .unwrap()
        .values()
        .all(|r| r["Type"] != "AWS::KMS::Key"));
    let (_, trail) = resource_of(&mgmt, "AWS::CloudTrail::Trail");
    assert!(checkov_skips(trail).contains(&"CKV_AWS_35".to_owned()));
    let (_, topic) = resource_of(&mgmt, "AWS::SNS::Topic");
    assert!(checkov_skips(topic).contains(&"CKV_AWS_26".to_owned()));
    let (_, group) = resource_of(&mgmt, "AWS::Logs::LogGroup");
    assert!(checkov_skips(group).contains(&"CKV_AWS_158".to_owned()));
}

/// The key policy of the management stack, its intrinsics resolved there.
fn key_policy(assembly: &Assembly) -> Vec<Value> {
    let mgmt = template(assembly, "Management");
    let ctx = management_ctx(&mgmt);
    let (_, key) = resource_of(&mgmt, "AWS::KMS::Key");
    vec![ctx.eval(&key["Properties"]["KeyPolicy"])]
}

#[test]
fn the_key_policy_lets_cloudtrail_generate_data_keys_for_the_organization_trail_only() {
    let assembly = kms_app(orgstack::layouts::KmsKey::CustomerManaged)
        .synth()
        .unwrap();
    let policy = key_policy(&assembly);
    let key = format!("arn:aws:kms:{HOME}:{MANAGEMENT}:key/1234abcd-0000-0000-0000-000000000000");
    let trail = organization_trail_arn();
    let cloudtrail = |action: &str, source: &str, context: &str| {
        Request::new(action, &key)
            .by(Who::service("cloudtrail.amazonaws.com"))
            .with("aws:SourceArn", source)
            .with("kms:EncryptionContext:aws:cloudtrail:arn", context)
    };
    for action in ["kms:GenerateDataKey", "kms:DescribeKey"] {
        assert_eq!(
            evaluate(&policy, &cloudtrail(action, &trail, &trail)),
            Decision::Allow,
            "{action}"
        );
    }
    for other in [
        format!("arn:aws:cloudtrail:{HOME}:{MANAGEMENT}:trail/another-trail"),
        format!("arn:aws:cloudtrail:{HOME}:333333333333:trail/acme-organization-trail"),
    ] {
        for action in ["kms:GenerateDataKey", "kms:DescribeKey"] {
            assert_ne!(
                evaluate(&policy, &cloudtrail(action, &other, &other)),
                Decision::Allow,
                "{other} {action}"
            );
        }
    }
    let no_source = cloudtrail("kms:GenerateDataKey", "", &trail).without("aws:SourceArn");
    assert_ne!(evaluate(&policy, &no_source), Decision::Allow);
    // CloudTrail does not decrypt; nor does it get a data key for a foreign context.
    assert_ne!(
        evaluate(&policy, &cloudtrail("kms:Decrypt", &trail, &trail)),
        Decision::Allow
    );
    let foreign = format!("arn:aws:cloudtrail:{HOME}:333333333333:trail/x");
    assert_ne!(
        evaluate(
            &policy,
            &cloudtrail("kms:GenerateDataKey", &trail, &foreign)
        ),
        Decision::Allow
    );

    // The alarm publishes to the encrypted topic; no other alarm does.
    let alarm = |source: &str| {
        Request::new("kms:GenerateDataKey", &key)
            .by(Who::service("cloudwatch.amazonaws.com"))
            .with("aws:SourceArn", source)
            .with("aws:SourceAccount", MANAGEMENT)
    };
    let ours = format!("arn:aws:cloudwatch:{HOME}:{MANAGEMENT}:alarm:acme-management-activity");
    assert_eq!(evaluate(&policy, &alarm(&ours)), Decision::Allow);
    let theirs = format!("arn:aws:cloudwatch:{HOME}:{MANAGEMENT}:alarm:something-else");
    assert_ne!(evaluate(&policy, &alarm(&theirs)), Decision::Allow);

    // CloudWatch Logs encrypts the trail's log group, and no other.
    let logs = |group: &str| {
        Request::new("kms:GenerateDataKey", &key)
            .by(Who::service(format!("logs.{HOME}.amazonaws.com")))
            .with(
                "kms:EncryptionContext:aws:logs:arn",
                format!("arn:aws:logs:{HOME}:{MANAGEMENT}:log-group:{group}"),
            )
    };
    assert_eq!(
        evaluate(&policy, &logs("/acme/organization-trail")),
        Decision::Allow
    );
    assert_ne!(evaluate(&policy, &logs("/someone/else")), Decision::Allow);

    // Config of the organization encrypts its deliveries.
    let config = |org: &str| {
        Request::new("kms:GenerateDataKey", &key)
            .by(Who::service("config.amazonaws.com"))
            .with("aws:SourceOrgID", org)
    };
    assert_eq!(evaluate(&policy, &config(ORG_ID)), Decision::Allow);
    assert_ne!(evaluate(&policy, &config("o-someoneelse")), Decision::Allow);

    // The audit account reads the archive through S3 (its IAM policies decide who there);
    // other accounts read nothing.
    let read = |account: &str, via: &str| {
        Request::new("kms:Decrypt", &key)
            .by(Who::aws(format!("arn:aws:iam::{account}:root")))
            .with("kms:ViaService", via)
    };
    assert_eq!(
        evaluate(&policy, &read(AUDIT_ID, "s3.us-east-1.amazonaws.com")),
        Decision::Allow
    );
    assert_ne!(
        evaluate(&policy, &read(AUDIT_ID, "lambda.us-east-1.amazonaws.com")),
        Decision::Allow
    );
    assert_ne!(
        evaluate(&policy, &read("333333333333", "s3.us-east-1.amazonaws.com")),
        Decision::Allow
    );
}
