#![cfg(feature = "testing")]
//! The five-account layout: the properties that make it the foundation it claims to be,
//! checked on the templates it synthesizes (the management stack and every StackSet member
//! template).

use std::collections::{BTreeMap, BTreeSet};

use orgstack::app::Assembly;
use orgstack::layouts::{
    Environment, FiveAccountLayout, FiveAccountLayoutBuilder, Grant, GrantTarget, Guardrails,
    ObjectLock, DEVELOPER, READ_ONLY,
};
use orgstack::org::{Account, OrganizationalUnit};
use orgstack::testing::{Matcher, Template};
use orgstack::{App, Construct, Error, Rule, Scope, Subtree};
use serde_json::{json, Value};

#[path = "support/layout.rs"]
mod support;
use support::add_layout;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// The reference layout, as `examples/five_account_layout.rs` builds it.
fn acme() -> FiveAccountLayoutBuilder {
    FiveAccountLayout::builder("acme")
        .email_domain("aws.acme.example")
        .allowed_regions(["us-east-1", "eu-west-1"])
        .alert_email("cloud-alerts@acme.example")
}

fn synth(builder: FiveAccountLayoutBuilder) -> Assembly {
    let mut app = App::new();
    add_layout(&mut app, builder).unwrap();
    app.synth().unwrap_or_else(|e| panic!("{e}"))
}

fn synth_err(builder: FiveAccountLayoutBuilder) -> Error {
    let mut app = App::new();
    add_layout(&mut app, builder).unwrap();
    match app.synth() {
        Ok(_) => panic!("the layout synthesized"),
        Err(e) => e,
    }
}

/// Every template of the assembly: member templates and the management stack.
fn all_templates(assembly: &Assembly) -> Vec<Template> {
    let templates = Template::all_from_assembly(assembly).unwrap();
    assert_eq!(templates.len(), assembly.artifacts().len());
    templates
}

fn management(assembly: &Assembly) -> Template {
    Template::from_stack(assembly, "Management").unwrap()
}

/// `(logical id, resource)` of every resource of a type, in document order.
fn resources(t: &Template, ty: &str) -> Vec<(String, Value)> {
    t.find_resources(ty, Matcher::any()).into_iter().collect()
}

/// The only resource of a type.
fn only(t: &Template, ty: &str) -> (String, Value) {
    let mut all = resources(t, ty);
    assert_eq!(all.len(), 1, "{}: one {ty} expected", t.name());
    all.remove(0)
}

/// A value that may be one item or a list of items, as a list.
fn list(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        one => vec![one],
    }
}

fn statements(doc: &Value) -> Vec<&Value> {
    list(&doc["Statement"])
}

/// The StackSet whose member template has a resource of `ty`: its logical id, the StackSet
/// resource and the parsed member template.
fn stack_set_holding(mgmt: &Template, ty: &str) -> (String, Value, Template) {
    let found: Vec<_> = resources(mgmt, "AWS::CloudFormation::StackSet")
        .into_iter()
        .filter_map(|(id, set)| {
            let member = mgmt.stack_set_template(&id).expect("a member template");
            (!member.find_resources(ty, Matcher::any()).is_empty()).then_some((id, set, member))
        })
        .collect();
    assert_eq!(found.len(), 1, "one StackSet holds {ty}");
    found.into_iter().next().unwrap()
}

/// The value the StackSet passes to its member template's parameter `key`.
fn parameter_value<'a>(stack_set: &'a Value, key: &str) -> &'a Value {
    stack_set["Properties"]["Parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["ParameterKey"] == key)
        .map(|p| &p["ParameterValue"])
        .unwrap_or_else(|| panic!("the StackSet sets no parameter {key}"))
}

/// The logical id of the account named `name`.
fn account_id_named(mgmt: &Template, name: &str) -> String {
    let found = mgmt.find_resources(
        "AWS::Organizations::Account",
        json!({ "Properties": { "AccountName": name } }),
    );
    assert_eq!(found.len(), 1, "one account named {name}");
    found.keys().next().unwrap().clone()
}

fn get_att(id: &str, attribute: &str) -> Value {
    json!({ "Fn::GetAtt": [id, attribute] })
}

/// The organization (created by the layout, in the bootstrap stack deployed first), and
/// how the management stack reads an attribute of it: an import of the bootstrap stack's
/// export.
fn organization(assembly: &Assembly) -> (String, impl Fn(&str) -> Value) {
    let bootstrap = Template::from_stack(assembly, "Management-Bootstrap").unwrap();
    let (org, _) = only(&bootstrap, "AWS::Organizations::Organization");
    management(assembly).resource_count_is("AWS::Organizations::Organization", 0);
    let id = org.clone();
    (
        org,
        move |attribute: &str| json!({ "Fn::ImportValue": format!("Management-Bootstrap:{id}:{attribute}") }),
    )
}

fn depends_on(resource: &Value) -> Vec<String> {
    list(&resource["DependsOn"])
        .into_iter()
        .map(|d| d.as_str().unwrap().to_owned())
        .collect()
}

/// Calls `f` on every object of a JSON tree, also inside strings that hold JSON objects.
fn walk_objects(v: &Value, f: &mut dyn FnMut(&serde_json::Map<String, Value>)) {
    match v {
        Value::Object(m) => {
            f(m);
            m.values().for_each(|c| walk_objects(c, f));
        }
        Value::Array(items) => items.iter().for_each(|c| walk_objects(c, f)),
        Value::String(s) if s.starts_with('{') => {
            if let Ok(inner) = serde_json::from_str::<Value>(s) {
                walk_objects(&inner, f);
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------
// MFA on every way in
// ---------------------------------------------------------------------------------------

/// The trust statements of every role of every template that let AWS principals in.
fn trust_statements_letting_people_in(assembly: &Assembly) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    for t in all_templates(assembly) {
        for (id, role) in resources(&t, "AWS::IAM::Role") {
            let trust = &role["Properties"]["AssumeRolePolicyDocument"];
            for st in statements(trust) {
                let principal = &st["Principal"];
                let aws = principal == "*" || principal.get("AWS").is_some();
                if st["Effect"] == "Allow" && aws {
                    found.push((format!("{}/{id}", t.name()), st.clone()));
                }
            }
        }
    }
    found
}

#[test]
fn every_trust_that_lets_people_in_requires_mfa_with_bool() {
    let assembly = synth(acme());
    let trusts = trust_statements_letting_people_in(&assembly);
    // administrator, developer, read-only in the member accounts, auditor in audit.
    assert_eq!(trusts.len(), 4, "{trusts:#?}");
    for (role, st) in &trusts {
        assert_eq!(
            st["Condition"]["Bool"]["aws:MultiFactorAuthPresent"], "true",
            "{role}: {st}"
        );
    }
}

#[test]
fn bool_if_exists_appears_only_in_deny_statements() {
    let assembly = synth(acme());
    let mut deny_uses = 0;
    for t in all_templates(&assembly) {
        walk_objects(t.json(), &mut |obj| {
            let Some(effect) = obj.get("Effect") else {
                return;
            };
            let uses = obj
                .get("Condition")
                .and_then(Value::as_object)
                .is_some_and(|c| c.keys().any(|op| op.ends_with("BoolIfExists")));
            if uses {
                assert_eq!(
                    effect,
                    "Deny",
                    "{}: an Allow statement uses BoolIfExists: {obj:?}",
                    t.name()
                );
                deny_uses += 1;
            }
        });
    }
    // The self-service policy's deny-unless-MFA statement.
    assert!(deny_uses >= 1);
}

#[test]
fn mfa_age_is_one_hour_by_default_and_follows_the_builder() {
    for (builder, age) in [(acme(), "3600"), (acme().mfa_max_age(900), "900")] {
        let trusts = trust_statements_letting_people_in(&synth(builder));
        assert_eq!(trusts.len(), 4);
        for (role, st) in &trusts {
            assert_eq!(
                st["Condition"]["NumericLessThan"],
                json!({ "aws:MultiFactorAuthAge": age }),
                "{role}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Guardrails
// ---------------------------------------------------------------------------------------

/// Whether `pattern` (IAM wildcards `*` and `?`, case-insensitive) matches `action`.
fn action_matches(pattern: &str, action: &str) -> bool {
    fn go(p: &[u8], a: &[u8]) -> bool {
        match (p.first(), a.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], a) || (!a.is_empty() && go(p, &a[1..])),
            (Some(b'?'), Some(_)) => go(&p[1..], &a[1..]),
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => go(&p[1..], &a[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), action.as_bytes())
}

/// Whether the SCP `content` denies `action` called in `region`: some Deny statement's
/// actions match and every one of its conditions holds. Only the condition this guardrail
/// needs is understood (string equality on `aws:RequestedRegion`); anything else panics, so
/// the evaluation cannot pass by ignoring a condition.
fn scp_denies(content: &Value, action: &str, region: &str) -> bool {
    statements(content).into_iter().any(|st| {
        assert!(st.get("NotAction").is_none(), "NotAction not evaluated");
        let actions = list(&st["Action"]);
        st["Effect"] == "Deny"
            && actions
                .iter()
                .any(|a| action_matches(a.as_str().unwrap(), action))
            && st["Resource"] == "*"
            && st["Condition"]
                .as_object()
                .into_iter()
                .flatten()
                .all(|(operator, keys)| {
                    keys.as_object().unwrap().iter().all(|(key, values)| {
                        assert_eq!(key, "aws:RequestedRegion", "condition key not evaluated");
                        let listed = list(values).iter().any(|v| *v == region);
                        match operator.as_str() {
                            "StringNotEquals" => !listed,
                            "StringEquals" => listed,
                            other => panic!("operator {other} not evaluated"),
                        }
                    })
                })
    })
}

/// The content of the one SCP that denies `sts:*`.
fn sts_scp(assembly: &Assembly) -> Value {
    let mgmt = management(assembly);
    let found: Vec<_> = resources(&mgmt, "AWS::Organizations::Policy")
        .into_iter()
        .map(|(_, p)| p["Properties"]["Content"].clone())
        .map(|c| match c {
            Value::String(s) => serde_json::from_str(&s).unwrap(),
            other => other,
        })
        .filter(|c| {
            statements(c)
                .iter()
                .any(|st| st["Effect"] == "Deny" && list(&st["Action"]).contains(&&json!("sts:*")))
        })
        .collect();
    assert_eq!(found.len(), 1, "one SCP denies sts:*");
    found.into_iter().next().unwrap()
}

#[test]
fn the_sts_guardrail_denies_sts_outside_the_allowed_regions() {
    let scp = sts_scp(&synth(acme()));
    for region in ["ap-southeast-2", "eu-central-1"] {
        assert!(scp_denies(&scp, "sts:AssumeRole", region), "{region}");
    }
    for region in ["us-east-1", "eu-west-1"] {
        assert!(!scp_denies(&scp, "sts:AssumeRole", region), "{region}");
        assert!(!scp_denies(&scp, "sts:GetSessionToken", region), "{region}");
    }
    // Only STS.
    assert!(!scp_denies(&scp, "s3:GetObject", "ap-southeast-2"));
}

#[test]
fn the_sts_guardrail_follows_allowed_regions() {
    let scp = sts_scp(&synth(acme().allowed_regions(["ap-southeast-2"])));
    assert!(!scp_denies(&scp, "sts:AssumeRole", "ap-southeast-2"));
    assert!(scp_denies(&scp, "sts:AssumeRole", "us-east-1"));
    assert!(scp_denies(&scp, "sts:AssumeRole", "eu-west-1"));
}

const GUARDRAIL_NAMES: [&str; 5] = [
    "acme-deny-sts-outside-allowed-regions",
    "acme-deny-leave-organization",
    "acme-protect-audit-trail",
    "acme-deny-root-user",
    "acme-protect-organization-access-role",
];

fn policy_names(mgmt: &Template) -> Vec<String> {
    resources(mgmt, "AWS::Organizations::Policy")
        .into_iter()
        .map(|(_, p)| p["Properties"]["Name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn all_five_guardrails_are_attached_to_the_root() {
    let assembly = synth(acme());
    let mgmt = management(&assembly);
    let (_, org_attr) = organization(&assembly);
    assert_eq!(policy_names(&mgmt), GUARDRAIL_NAMES);
    for (id, policy) in resources(&mgmt, "AWS::Organizations::Policy") {
        assert_eq!(
            policy["Properties"]["Type"], "SERVICE_CONTROL_POLICY",
            "{id}"
        );
        assert_eq!(
            policy["Properties"]["TargetIds"],
            json!([org_attr("RootId")]),
            "{id}"
        );
    }

    // An existing organization's root, through the template's parameter.
    let mgmt = management(&synth(
        acme().existing_organization("r-ab12", "o-abcdef1234"),
    ));
    mgmt.resource_count_is("AWS::Organizations::Organization", 0);
    let root_params = mgmt.find_parameters("*", json!({ "Default": "r-ab12" }));
    assert_eq!(root_params.len(), 1);
    let root_param = root_params.keys().next().unwrap();
    for (id, policy) in resources(&mgmt, "AWS::Organizations::Policy") {
        assert_eq!(
            policy["Properties"]["TargetIds"],
            json!([{ "Ref": root_param }]),
            "{id}"
        );
    }
}

#[test]
fn each_guardrail_can_be_turned_off() {
    let all = Guardrails::all();
    let cases = [
        all.with_sts_regions(false),
        all.with_deny_leave_organization(false),
        all.with_protect_audit(false),
        all.with_deny_root_user(false),
        all.with_protect_organization_access_role(false),
    ];
    for (off, removed) in cases.into_iter().zip(GUARDRAIL_NAMES) {
        let mgmt = management(&synth(acme().guardrails(off)));
        let expected: Vec<&str> = GUARDRAIL_NAMES
            .into_iter()
            .filter(|n| *n != removed)
            .collect();
        assert_eq!(policy_names(&mgmt), expected, "{off:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------

#[test]
fn accounts_are_retained_and_created_one_after_another_in_declaration_order() {
    let mut app = App::new();
    let layout = add_layout(&mut app, acme()).unwrap();
    app.add(
        &layout.workloads_ou(),
        Account::new("Sandbox", "sandbox@aws.acme.example"),
    )
    .unwrap();
    let mgmt = management(&app.synth().unwrap());

    let accounts = resources(&mgmt, "AWS::Organizations::Account");
    let names: Vec<&str> = accounts
        .iter()
        .map(|(_, a)| a["Properties"]["AccountName"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "acme-identity",
            "acme-audit",
            "acme-shared-services",
            "acme-dev",
            "acme-staging",
            "acme-prod",
            "Sandbox",
        ]
    );
    for (id, account) in &accounts {
        assert_eq!(account["DeletionPolicy"], "Retain", "{id}");
        assert_eq!(account["UpdateReplacePolicy"], "Retain", "{id}");
    }
    assert!(depends_on(&accounts[0].1).is_empty());
    for pair in accounts.windows(2) {
        let (previous, _) = &pair[0];
        let (id, account) = &pair[1];
        assert_eq!(depends_on(account), vec![previous.as_str()], "{id}");
    }
}

// ---------------------------------------------------------------------------------------
// The organization trail and the log archive
// ---------------------------------------------------------------------------------------

#[test]
fn the_trail_writes_to_the_bucket_the_audit_stack_set_creates() {
    let mgmt = management(&synth(acme()));
    let (audit_set_id, audit_set, audit) = stack_set_holding(&mgmt, "AWS::S3::Bucket");
    let (trail_id, trail) = only(&mgmt, "AWS::CloudTrail::Trail");

    assert!(
        depends_on(&trail).contains(&audit_set_id),
        "{trail_id} must wait for {audit_set_id}"
    );
    let props = &trail["Properties"];
    assert_eq!(props["IsMultiRegionTrail"], true);
    assert_eq!(props["IsOrganizationTrail"], true);
    assert_eq!(props["EnableLogFileValidation"], true);
    assert_eq!(props["IsLogging"], true);

    // The member template names the bucket after the account it is deployed in ...
    let (_, bucket) = only(&audit, "AWS::S3::Bucket");
    let member_name = bucket["Properties"]["BucketName"]["Fn::Sub"]
        .as_str()
        .expect("a Sub of one string");
    assert_eq!(member_name, "acme-audit-logs-${AWS::AccountId}");

    // ... and the trail computes the same name from the one account the StackSet targets.
    let targets = &audit_set["Properties"]["StackInstancesGroup"][0]["DeploymentTargets"];
    let audit_account = account_id_named(&mgmt, "acme-audit");
    assert_eq!(
        targets["Accounts"],
        json!([get_att(&audit_account, "AccountId")])
    );
    let sub = props["S3BucketName"]["Fn::Sub"]
        .as_array()
        .expect("Sub with variables");
    let vars = sub[1].as_object().unwrap();
    assert_eq!(vars.len(), 1);
    let (var, value) = vars.iter().next().unwrap();
    assert_eq!(value, &get_att(&audit_account, "AccountId"));
    assert_eq!(
        sub[0]
            .as_str()
            .unwrap()
            .replace(&format!("${{{var}}}"), "${ACCOUNT}"),
        member_name.replace("${AWS::AccountId}", "${ACCOUNT}")
    );
}

#[test]
fn the_log_archive_is_versioned_encrypted_private_and_expires_logs() {
    let mgmt = management(&synth(acme().log_retention_days(90)));
    let (_, _, audit) = stack_set_holding(&mgmt, "AWS::S3::Bucket");
    audit.has_resource(
        "AWS::S3::Bucket",
        json!({ "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain" }),
    );
    audit.has_resource_properties(
        "AWS::S3::Bucket",
        Matcher::object([
            (
                "VersioningConfiguration",
                json!({ "Status": "Enabled" }).into(),
            ),
            (
                "BucketEncryption",
                json!({ "ServerSideEncryptionConfiguration": [
                    { "ServerSideEncryptionByDefault": { "SSEAlgorithm": "AES256" } }
                ] })
                .into(),
            ),
            (
                "PublicAccessBlockConfiguration",
                Matcher::exact(json!({
                    "BlockPublicAcls": true,
                    "BlockPublicPolicy": true,
                    "IgnorePublicAcls": true,
                    "RestrictPublicBuckets": true,
                })),
            ),
            (
                "LifecycleConfiguration",
                json!({ "Rules": [{ "Status": "Enabled", "ExpirationInDays": 90 }] }).into(),
            ),
            (
                "ObjectLockConfiguration",
                json!({ "Rule": { "DefaultRetention": { "Mode": "COMPLIANCE", "Days": 90 } } })
                    .into(),
            ),
        ]),
    );

    let mgmt = management(&synth(acme().without_object_lock()));
    let (_, _, audit) = stack_set_holding(&mgmt, "AWS::S3::Bucket");
    audit.has_resource_properties(
        "AWS::S3::Bucket",
        Matcher::object([
            ("ObjectLockConfiguration", Matcher::absent()),
            ("ObjectLockEnabled", Matcher::absent()),
        ]),
    );

    let mgmt = management(&synth(acme().object_lock(ObjectLock::Compliance(365))));
    let (_, _, audit) = stack_set_holding(&mgmt, "AWS::S3::Bucket");
    audit.has_resource_properties(
        "AWS::S3::Bucket",
        json!({
            "ObjectLockEnabled": true,
            "ObjectLockConfiguration": {
                "ObjectLockEnabled": "Enabled",
                "Rule": { "DefaultRetention": { "Mode": "COMPLIANCE", "Days": 365 } }
            }
        }),
    );
}

#[test]
fn the_log_archive_policy_denies_plain_http_and_deletes_and_admits_only_the_organization() {
    let assembly = synth(acme());
    let mgmt = management(&assembly);
    let (_, org_attr) = organization(&assembly);
    let (_, audit_set, audit) = stack_set_holding(&mgmt, "AWS::S3::Bucket");
    let (bucket, _) = only(&audit, "AWS::S3::Bucket");
    let (_, policy) = only(&audit, "AWS::S3::BucketPolicy");
    assert_eq!(policy["Properties"]["Bucket"], json!({ "Ref": bucket }));
    let doc = &policy["Properties"]["PolicyDocument"];
    let sts = statements(doc);

    let denies_http = sts.iter().any(|st| {
        st["Effect"] == "Deny"
            && st["Principal"] == "*"
            && st["Condition"]["Bool"]["aws:SecureTransport"] == "false"
    });
    assert!(denies_http, "{doc}");
    let denies_deletes = sts.iter().any(|st| {
        st["Effect"] == "Deny"
            && st["Condition"].is_null()
            && list(&st["Action"]).contains(&&json!("s3:DeleteObject"))
            && list(&st["Action"]).contains(&&json!("s3:DeleteObjectVersion"))
    });
    assert!(denies_deletes, "{doc}");

    let allows: Vec<_> = sts.iter().filter(|st| st["Effect"] == "Allow").collect();
    assert_eq!(allows.len(), 4, "{doc}");
    for st in allows {
        let services = list(&st["Principal"]["Service"]);
        assert_eq!(services.len(), 1, "{st}");
        if services[0] == "config.amazonaws.com" {
            let org_id = &st["Condition"]["StringEquals"]["aws:SourceOrgID"];
            let param = org_id["Ref"].as_str().unwrap_or_else(|| panic!("{st}"));
            assert_eq!(audit.json()["Parameters"][param]["Type"], "String");
            assert_eq!(parameter_value(&audit_set, param), &org_attr("Id"));
        } else {
            assert_eq!(services[0], "cloudtrail.amazonaws.com", "{st}");
            let trail = &st["Condition"]["ArnEquals"]["aws:SourceArn"]["Fn::Sub"][0];
            assert_eq!(
                trail,
                "arn:${AWS::Partition}:cloudtrail:${HomeRegion}:${ManagementAccountId}:trail/acme-organization-trail",
                "{st}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Identity
// ---------------------------------------------------------------------------------------

#[test]
fn every_group_manages_its_own_credentials_and_nothing_else_without_mfa() {
    let mgmt = management(&synth(acme()));
    let (_, _, identity) = stack_set_holding(&mgmt, "AWS::IAM::Group");
    let groups = resources(&identity, "AWS::IAM::Group");
    let names: Vec<&str> = groups
        .iter()
        .map(|(_, g)| g["Properties"]["GroupName"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["acme-administrators", "acme-developers", "acme-read-only"]
    );

    let (self_service, policy) = only(&identity, "AWS::IAM::ManagedPolicy");
    let deny_unless_mfa = statements(&policy["Properties"]["PolicyDocument"])
        .into_iter()
        .any(|st| {
            st["Effect"] == "Deny"
                && st.get("NotAction").is_some()
                && st.get("Action").is_none()
                && st["Condition"]["BoolIfExists"]["aws:MultiFactorAuthPresent"] == "false"
        });
    assert!(deny_unless_mfa, "{policy}");
    for (id, group) in &groups {
        assert!(
            list(&group["Properties"]["ManagedPolicyArns"])
                .contains(&&json!({ "Ref": self_service })),
            "{id}"
        );
    }
}

/// The parent's logical ids of the OUs an `aws:ResourceOrgPaths` condition names, through
/// the member template's parameters. Each path must end at an OU (`…/${Ou}/*`).
fn org_path_ous(identity_set: &Value, paths: &Value) -> Vec<String> {
    list(paths)
        .into_iter()
        .map(|p| {
            let sub = p["Fn::Sub"].as_array().expect("Sub with variables");
            assert!(sub[0].as_str().unwrap().ends_with("/${Ou}/*"), "{p}");
            let vars = &sub[1];
            for var in ["OrgId", "RootId"] {
                assert!(vars[var]["Ref"].is_string(), "{p}");
            }
            let param = vars["Ou"]["Ref"].as_str().unwrap();
            parameter_value(identity_set, param)["Ref"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn developers_are_developers_in_non_prod_and_read_only_in_prod() {
    let mgmt = management(&synth(acme()));
    let (_, identity_set, identity) = stack_set_holding(&mgmt, "AWS::IAM::Group");
    let ou = |name: &str| {
        let found = mgmt.find_resources(
            "AWS::Organizations::OrganizationalUnit",
            json!({ "Properties": { "Name": name } }),
        );
        assert_eq!(found.len(), 1, "{name}");
        found.keys().next().unwrap().clone()
    };
    let (non_prod, prod, infrastructure) = (ou("NonProd"), ou("Prod"), ou("Infrastructure"));

    let developers = identity.find_resources(
        "AWS::IAM::Group",
        json!({ "Properties": { "GroupName": "acme-developers" } }),
    );
    let developers = developers.values().next().expect("the developers group");
    let inline = &developers["Properties"]["Policies"];
    assert_eq!(list(inline).len(), 1);
    let mut grants: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for st in statements(&inline[0]["PolicyDocument"]) {
        assert_eq!(st["Effect"], "Allow");
        assert_eq!(st["Action"], "sts:AssumeRole");
        let role = st["Resource"]["Fn::Sub"].as_str().unwrap();
        let role = role.rsplit_once(":role/").unwrap().1.to_owned();
        let paths = &st["Condition"]["ForAnyValue:StringLike"]["aws:ResourceOrgPaths"];
        grants.insert(role, org_path_ous(&identity_set, paths));
    }
    assert_eq!(
        grants.keys().collect::<Vec<_>>(),
        ["developer", "read-only"]
    );
    assert_eq!(grants["developer"], vec![non_prod.as_str()]);
    assert!(grants["read-only"].contains(&prod));
    assert!(grants["read-only"].contains(&infrastructure));
    assert!(!grants["read-only"].contains(&non_prod));
}

#[test]
fn the_identity_template_does_not_grow_with_the_environments() {
    let identity_body = |n: usize| {
        let mut app = App::new();
        let layout = add_layout(
            &mut app,
            acme().environments((0..n).map(|i| Environment::non_prod(format!("env{i}")))),
        )
        .unwrap();
        // 500 accounts and their budgets are more than one stack holds: the stack splits
        // by default.
        let _ = &layout;
        let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
        let accounts: usize = all_templates(&assembly)
            .iter()
            .map(|t| resources(t, "AWS::Organizations::Account").len())
            .sum();
        assert_eq!(accounts, 3 + n);
        let mgmt = management(&assembly);
        let (_, set, _) = stack_set_holding(&mgmt, "AWS::IAM::Group");
        set["Properties"]["TemplateBody"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let five = identity_body(5);
    let five_hundred = identity_body(500);
    assert_eq!(five.len(), five_hundred.len());
    assert_eq!(five, five_hundred);
}

// ---------------------------------------------------------------------------------------
// Extending the layout
// ---------------------------------------------------------------------------------------

/// Every `(template, logical id) → type` of an assembly.
fn logical_ids(assembly: &Assembly) -> BTreeMap<(String, String), String> {
    all_templates(assembly)
        .iter()
        .flat_map(|t| {
            let all = t.json()["Resources"].as_object().unwrap();
            all.iter().map(|(id, r)| {
                let ty = r["Type"].as_str().unwrap().to_owned();
                ((t.name().to_owned(), id.clone()), ty)
            })
        })
        .collect()
}

fn assert_kept(
    before: &BTreeMap<(String, String), String>,
    after: &BTreeMap<(String, String), String>,
) {
    assert!(after.len() > before.len());
    for (key, ty) in before {
        assert_eq!(after.get(key), Some(ty), "{key:?} changed or disappeared");
    }
}

#[test]
fn adding_an_environment_or_an_account_keeps_every_logical_id() {
    let before = logical_ids(&synth(acme()));
    assert!(before.len() > 30);

    let with_qa = logical_ids(&synth(acme().add_environment(Environment::non_prod("qa"))));
    assert_kept(&before, &with_qa);

    let mut app = App::new();
    let layout = add_layout(&mut app, acme()).unwrap();
    app.add(
        &layout.workloads_ou(),
        Account::new("Sandbox", "sandbox@aws.acme.example"),
    )
    .unwrap();
    assert_kept(&before, &logical_ids(&app.synth().unwrap()));
}

// ---------------------------------------------------------------------------------------
// StackSets
// ---------------------------------------------------------------------------------------

#[test]
fn one_roles_stack_set_serves_workloads_and_infrastructure() {
    let mgmt = management(&synth(acme()));
    let ou = |name: &str| {
        let found = mgmt.find_resources(
            "AWS::Organizations::OrganizationalUnit",
            json!({ "Properties": { "Name": name } }),
        );
        json!({ "Ref": found.keys().next().unwrap() })
    };
    let role_sets: Vec<_> = resources(&mgmt, "AWS::CloudFormation::StackSet")
        .into_iter()
        .filter(|(id, _)| {
            let member = mgmt.stack_set_template(id).unwrap();
            member
                .try_has_resource_properties("AWS::IAM::Role", json!({ "RoleName": "developer" }))
                .is_ok()
        })
        .collect();
    assert_eq!(role_sets.len(), 1);
    let (id, set) = &role_sets[0];
    let member = mgmt.stack_set_template(id).unwrap();
    member.resource_count_is("AWS::IAM::Role", 3);
    let groups = set["Properties"]["StackInstancesGroup"].as_array().unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(
        groups[0]["DeploymentTargets"],
        json!({ "OrganizationalUnitIds": [ou("Workloads"), ou("Infrastructure")] })
    );
    assert_eq!(set["Properties"]["PermissionModel"], "SERVICE_MANAGED");
    assert_eq!(set["Properties"]["AutoDeployment"]["Enabled"], true);
}

#[test]
fn identity_and_audit_stack_sets_are_narrowed_to_their_account() {
    let mgmt = management(&synth(acme()));
    let security = mgmt
        .find_resources(
            "AWS::Organizations::OrganizationalUnit",
            json!({ "Properties": { "Name": "Security" } }),
        )
        .keys()
        .next()
        .unwrap()
        .clone();
    for (holds, account) in [
        ("AWS::IAM::Group", "acme-identity"),
        ("AWS::S3::Bucket", "acme-audit"),
    ] {
        let (id, set, _) = stack_set_holding(&mgmt, holds);
        let account = account_id_named(&mgmt, account);
        assert_eq!(
            set["Properties"]["StackInstancesGroup"],
            json!([{
                "DeploymentTargets": {
                    "OrganizationalUnitIds": [{ "Ref": security }],
                    "Accounts": [get_att(&account, "AccountId")],
                    "AccountFilterType": "INTERSECTION"
                },
                "Regions": [{ "Ref": "AWS::Region" }]
            }]),
            "{id}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Alerting and budgets
// ---------------------------------------------------------------------------------------

#[test]
fn management_activity_alerts_the_alert_email() {
    let mgmt = management(&synth(acme()));
    let (topic, _) = only(&mgmt, "AWS::SNS::Topic");
    mgmt.resource_count_is("AWS::Events::Rule", 0);
    let (alarm, _) = only(&mgmt, "AWS::CloudWatch::Alarm");
    mgmt.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        json!({ "AlarmActions": [{ "Ref": topic }], "TreatMissingData": "notBreaching" }),
    );
    mgmt.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        json!({
            "Topics": [{ "Ref": topic }],
            "PolicyDocument": { "Statement": [{
                "Effect": "Allow",
                "Principal": { "Service": "cloudwatch.amazonaws.com" },
                "Action": "sns:Publish",
                "Resource": { "Ref": topic },
                "Condition": { "ArnEquals": { "aws:SourceArn": get_att(&alarm, "Arn") } }
            }] }
        }),
    );
    mgmt.has_resource_properties(
        "AWS::SNS::Topic",
        json!({ "Subscription": [{ "Protocol": "email", "Endpoint": "cloud-alerts@acme.example" }] }),
    );
}

#[test]
fn every_member_account_has_a_budget_unless_budgets_are_off() {
    let mgmt = management(&synth(acme()));
    let accounts: BTreeSet<String> = resources(&mgmt, "AWS::Organizations::Account")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(accounts.len(), 6);
    let budgets = resources(&mgmt, "AWS::Budgets::Budget");
    assert_eq!(budgets.len(), accounts.len());
    let mut covered = BTreeSet::new();
    for (id, budget) in &budgets {
        let filter = &budget["Properties"]["Budget"]["FilterExpression"]["Dimensions"];
        assert_eq!(filter["Key"], "LINKED_ACCOUNT", "{id}");
        let values = filter["Values"].as_array().unwrap();
        assert_eq!(values.len(), 1, "{id}");
        let account = values[0]["Fn::GetAtt"][0].as_str().unwrap().to_owned();
        assert_eq!(values[0], get_att(&account, "AccountId"), "{id}");
        assert!(covered.insert(account), "{id}: two budgets for one account");
    }
    assert_eq!(covered, accounts);

    management(&synth(acme().monthly_budget(None))).resource_count_is("AWS::Budgets::Budget", 0);
}

// ---------------------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------------------

#[test]
fn a_missing_email_domain_names_the_accounts_without_email() {
    let e =
        synth_err(FiveAccountLayout::builder("acme").account_email("identity", "id@acme.example"));
    assert!(matches!(e, Error::Validation(_)), "{e}");
    let naming: Vec<_> = e
        .diagnostics()
        .iter()
        .filter(|d| d.path == "Management/Organization" && d.rule == Rule::AccountEmail)
        .collect();
    assert_eq!(naming.len(), 1, "{e}");
    assert_eq!(
        naming[0].value,
        "audit, shared-services, dev, staging, prod"
    );
}

#[test]
fn a_missing_email_domain_is_one_problem() {
    let e = synth_err(FiveAccountLayout::builder("acme"));
    assert_eq!(e.diagnostics().len(), 1, "{e}");
    assert_eq!(e.diagnostics()[0].rule, Rule::AccountEmail);
}

#[test]
fn a_bad_layout_name_is_reported() {
    for name in ["Acme Corp!", "", "-acme", "a-name-longer-than-twenty-six"] {
        let e = synth_err(
            FiveAccountLayout::builder(name)
                .email_domain("aws.acme.example")
                .alert_email("cloud-alerts@acme.example"),
        );
        let found = e.diagnostics().iter().any(|d| {
            d.path == "Management/Organization" && d.rule == Rule::PropertyValue && d.value == name
        });
        assert!(found, "{name:?}: {e}");
    }
}

#[test]
fn an_existing_organization_with_a_bad_root_id_is_reported() {
    let e = synth_err(acme().existing_organization("root-1", "o-abcdef1234"));
    let rules: Vec<Rule> = e.diagnostics().iter().map(|d| d.rule).collect();
    assert_eq!(rules, [Rule::RootId], "{e}");
    assert_eq!(e.diagnostics()[0].value, "root-1");
}

// ---------------------------------------------------------------------------------------
// Deploy plan
// ---------------------------------------------------------------------------------------

/// Where `needle` first appears in `plan`.
fn position(plan: &str, needle: &str) -> usize {
    plan.find(needle)
        .unwrap_or_else(|| panic!("the plan does not mention {needle}:\n{plan}"))
}

#[test]
fn the_deploy_plan_enables_trusted_access_and_scps_before_the_stacks_in_order() {
    let plan = synth(acme()).deploy_plan().to_owned();
    // The layout creates the organization: its bootstrap stack comes first, then what
    // needs the organization, then the stack.
    let bootstrap = position(&plan, "--stack-name Management-Bootstrap ");
    let trusted = position(
        &plan,
        "enable-aws-service-access --service-principal member.org.stacksets.cloudformation.amazonaws.com",
    );
    position(&plan, "activate-organizations-access --region us-east-1");
    let trail = position(&plan, "--service-principal cloudtrail.amazonaws.com");
    let scp = position(&plan, "--policy-type SERVICE_CONTROL_POLICY");
    let deploy = position(&plan, "--stack-name Management ");
    let confirm = position(
        &plan,
        "Confirm the subscription of cloud-alerts@acme.example",
    );
    assert!(
        bootstrap < trusted && trusted < trail && trail < scp && scp < deploy && deploy < confirm,
        "{plan}"
    );

    // An existing organization needs no bootstrap stack.
    let plan = synth(acme().existing_organization("r-ab12", "o-abcdef1234"))
        .deploy_plan()
        .to_owned();
    assert!(!plan.contains("Bootstrap"), "{plan}");
    assert!(
        position(&plan, "--policy-type SERVICE_CONTROL_POLICY")
            < position(&plan, "--stack-name Management ")
    );

    // With the stack split, every stack is deployed, in the assembly's order.
    let mut app = App::new();
    let layout = add_layout(
        &mut app,
        acme().environments((0..500).map(|i| Environment::non_prod(format!("env{i}")))),
    )
    .unwrap();
    let _ = &layout;
    let assembly = app.synth().unwrap();
    assert!(assembly.deploy_order().len() > 1);
    let plan = assembly.deploy_plan();
    let at: Vec<usize> = assembly
        .deploy_order()
        .iter()
        .map(|s| position(plan, &format!("--stack-name {s} ")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{plan}");
}

// ----- the layout among other constructs -----

/// A construct of a user's own that holds the layout and adds to it.
struct Foundation {
    sandbox_email: &'static str,
}

struct FoundationHandle {
    layout: FiveAccountLayout,
    sandbox: orgstack::org::OuHandle,
}

impl<P: Scope> Construct<P> for Foundation {
    type Handle = FoundationHandle;
    fn build(self, app: &mut App, parent: &P) -> orgstack::Result<FoundationHandle> {
        let me = app.add(parent, Subtree::new("Foundation"))?;
        let layout = app.add(&me, acme())?;
        let sandbox = app.add(&layout.workloads_ou(), OrganizationalUnit::new("Sandbox"))?;
        app.add(&sandbox, Account::new("Sandbox", self.sandbox_email))?;
        Ok(FoundationHandle { layout, sandbox })
    }
}

#[test]
fn the_layout_nests_inside_a_users_construct() {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let f = app
        .add(
            &mgmt,
            Foundation {
                sandbox_email: "aws+sandbox@aws.acme.example",
            },
        )
        .unwrap();
    // The layout's constructs sit below the user's construct; accounts and policies keep
    // their stack-level scopes, so their logical IDs do not depend on the nesting.
    assert_eq!(
        app.path(&f.layout.organization()),
        "Management/Foundation/Organization"
    );
    assert_eq!(
        app.path(&f.layout.identity_stack_set().unwrap()),
        "Management/Foundation/IdentityAccount"
    );
    assert_eq!(
        app.path(&f.layout.identity_account().node().unwrap()),
        "Management/Accounts/Identity"
    );
    assert_eq!(app.stack_of(&f.sandbox), Some(mgmt));
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let mgmt = management(&assembly);
    // Seven accounts (the layout's six and the sandbox), each with its budget.
    assert_eq!(resources(&mgmt, "AWS::Organizations::Account").len(), 7);
    assert_eq!(resources(&mgmt, "AWS::Budgets::Budget").len(), 7);
    assert!(assembly
        .template_json("Management.Foundation.IdentityAccount.Template")
        .is_some());
}

#[test]
fn an_account_added_through_any_path_gets_the_layouts_budget() {
    let mut app = App::new();
    let layout = add_layout(&mut app, acme()).unwrap();
    let a = app
        .add(
            &layout.workloads_ou(),
            Account::new("Sandbox", "aws+sandbox@aws.acme.example"),
        )
        .unwrap();
    let b = app
        .add(
            &layout.organization(),
            Account::new("Tools", "aws+tools@aws.acme.example"),
        )
        .unwrap();
    let assembly = app.synth().unwrap();
    let mgmt = management(&assembly);
    for (handle, name) in [(&a, "Sandbox"), (&b, "Tools")] {
        let budgets = mgmt.find_resources(
            "AWS::Budgets::Budget",
            json!({ "Properties": { "Budget": { "BudgetName": format!("{name}-monthly") } } }),
        );
        assert_eq!(budgets.len(), 1, "{name}");
        let (_, budget) = budgets.into_iter().next().unwrap();
        // It watches that very account.
        let account_id = &budget["Properties"]["Budget"]["FilterExpression"]["Dimensions"]
            ["Values"][0]["Fn::GetAtt"][0];
        let (logical, _) = resources(&mgmt, "AWS::Organizations::Account")
            .into_iter()
            .find(|(_, r)| r["Properties"]["AccountName"] == name)
            .unwrap();
        assert_eq!(account_id, &json!(logical));
        assert!(handle.node().is_some());
    }
    // No budget without the setting.
    let mut app = App::new();
    let layout = add_layout(&mut app, acme().monthly_budget(None)).unwrap();
    app.add(
        &layout.workloads_ou(),
        Account::new("Sandbox", "aws+sandbox@aws.acme.example"),
    )
    .unwrap();
    assert!(resources(&management(&app.synth().unwrap()), "AWS::Budgets::Budget").is_empty());
}

#[test]
fn a_grant_reaches_an_ou_and_an_account_the_user_added() {
    // The layout, an OU two levels under Workloads and an account at the root, both added
    // after the layout, and grants to them (and, if `unknown`, to a group that is not).
    let app = |unknown: bool| {
        let mut app = App::new();
        let layout = add_layout(&mut app, acme()).unwrap();
        let sandbox = app
            .add(&layout.workloads_ou(), OrganizationalUnit::new("Sandbox"))
            .unwrap();
        let deep = app
            .add(&sandbox, OrganizationalUnit::new("Experiments"))
            .unwrap();
        let tools = app
            .add(
                &layout.organization(),
                Account::new("Tools", "aws+tools@aws.acme.example"),
            )
            .unwrap();
        layout.grant(
            &mut app,
            "developers",
            Grant::new(DEVELOPER, [GrantTarget::from(deep)]),
        );
        layout.grant(
            &mut app,
            "developers",
            Grant::new(READ_ONLY, [GrantTarget::from(&tools)]),
        );
        if unknown {
            layout.grant(
                &mut app,
                "nobody",
                Grant::new(READ_ONLY, [GrantTarget::Prod]),
            );
        }
        app
    };
    let err = app(true).synth().unwrap_err();
    assert_eq!(err.diagnostics().len(), 1, "{err}");
    assert_eq!(err.diagnostics()[0].value, "nobody");

    let app = app(false);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let identity = Template::from_stack(&assembly, "Management.IdentityAccount.Template").unwrap();
    let (_, group) = identity
        .find_resources(
            "AWS::IAM::Group",
            json!({ "Properties": { "GroupName": "acme-developers" } }),
        )
        .into_iter()
        .next()
        .unwrap();
    let statements = group["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap()
        .clone();
    let sids: Vec<&str> = statements
        .iter()
        .map(|s| s["Sid"].as_str().unwrap())
        .collect();
    assert_eq!(
        sids,
        [
            "AssumeDeveloper",
            "AssumeReadOnly",
            "AssumeDeveloper2",
            "AssumeReadOnlyInAccounts"
        ]
    );
    // Every account under Workloads/Sandbox/Experiments, by its org path three OUs deep
    // (one path: written as a single value).
    let path =
        &statements[2]["Condition"]["ForAnyValue:StringLike"]["aws:ResourceOrgPaths"]["Fn::Sub"];
    assert_eq!(
        path[0],
        json!("${OrgId}/${RootId}/${Ou1}/${ParentOu}/${Ou}/*"),
        "{path}"
    );
    // The tools account's own role, by its account id (a StackSet parameter here).
    let resource = &statements[3]["Resource"]["Fn::Sub"];
    assert_eq!(
        resource[0],
        json!("arn:${AWS::Partition}:iam::${AccountId}:role/read-only"),
        "{resource}"
    );
    assert!(resource[1]["AccountId"]["Ref"]
        .as_str()
        .unwrap()
        .starts_with("AccountsTools"));
}
