#![cfg(feature = "testing")]
//! IAM Identity Center: the assignment matrix expands into assignments for every account,
//! split over stacks within the quotas, created a bounded number at a time, with logical
//! IDs that do not move when the organization grows.

use std::collections::BTreeMap;

use orgstack::app::{ArtifactKind, Assembly};
use orgstack::layouts::{FiveAccountLayout, FiveAccountLayoutBuilder};
use orgstack::org::Account;
use orgstack::services::{IdentityCenter, PermissionSet, PermissionsBoundary, ASSIGNMENTS_AT_ONCE};
use orgstack::{App, Rule};
use serde_json::Value;

#[path = "support/layout.rs"]
mod support;
use support::{add_layout, add_units_and_accounts};

const GROUPS: [&str; 6] = [
    "admins",
    "developers",
    "operators",
    "auditors",
    "billing",
    "security",
];
const SETS: [&str; 4] = ["Administrator", "Developer", "ReadOnly", "Billing"];

fn acme() -> FiveAccountLayoutBuilder {
    FiveAccountLayout::builder("acme")
        .email_domain("aws.acme.example")
        .alert_email("cloud-alerts@acme.example")
}

/// The layout with `accounts` more accounts in ten OUs under Workloads, and every group
/// given every permission set in the Workloads OU.
fn organization(accounts: usize) -> App {
    let mut app = App::new();
    app.set_template_bucket("acme-cfn-templates");
    let layout = add_layout(&mut app, acme()).unwrap();
    add_units_and_accounts(&mut app, &layout, 10, 0..accounts);
    let sso = app.stack("IdentityCenter").unwrap();
    let mut center = IdentityCenter::new();
    for g in GROUPS {
        center = center.group(g, g.to_uppercase());
    }
    for s in SETS {
        center = center.permission_set(
            PermissionSet::new(s)
                .session_hours(4)
                .aws_managed_policy("ReadOnlyAccess"),
        );
    }
    for g in GROUPS {
        for s in SETS {
            center = center.assign(g, s, layout.workloads_ou());
        }
    }
    app.add(&sso, center).unwrap();
    app
}

fn parse(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

/// Every resource of the assembly's management-account stacks, by stack and logical ID.
fn resources(a: &Assembly) -> BTreeMap<(String, String), Value> {
    let mut out = BTreeMap::new();
    for art in a.artifacts() {
        if art.kind != ArtifactKind::Stack {
            continue;
        }
        let t = parse(&art.body);
        for (id, r) in t["Resources"].as_object().unwrap() {
            out.insert((art.stack_name.clone(), id.clone()), r.clone());
        }
    }
    out
}

fn assignments(a: &Assembly) -> Vec<(String, String, Value)> {
    resources(a)
        .into_iter()
        .filter(|(_, r)| r["Type"] == "AWS::SSO::Assignment")
        .map(|((s, id), r)| (s, id, r))
        .collect()
}

#[test]
fn three_hundred_accounts_six_groups_four_permission_sets_fit_the_quotas() {
    let assembly = organization(300).synth().unwrap_or_else(|e| panic!("{e}"));
    let all = assignments(&assembly);
    // 300 accounts and the layout's dev, staging and prod are below Workloads.
    assert_eq!(all.len(), 303 * GROUPS.len() * SETS.len());
    let quotas = orgstack::Quotas::default();
    let mut stacks = std::collections::BTreeSet::new();
    for art in assembly.artifacts() {
        assert!(
            art.resource_count <= quotas.resources_per_template,
            "{}",
            art.stack_name
        );
        assert!(
            art.body.len() <= quotas.template_bytes,
            "{}",
            art.stack_name
        );
        assert!(
            art.output_count <= quotas.outputs_per_template,
            "{}",
            art.stack_name
        );
        if art.stack_name.starts_with("IdentityCenter") {
            stacks.insert(art.stack_name.clone());
        }
    }
    assert!(
        stacks.contains("IdentityCenter-Assignments-001"),
        "{stacks:?}"
    );
    assert!(stacks.len() > 7_272 / 500, "{stacks:?}");
    // Each assignment stack imports from the stack of the permission sets.
    let order = assembly.deploy_order();
    let sets = order.iter().position(|s| s == "IdentityCenter").unwrap();
    assert!(order.iter().position(|s| s == "Management").unwrap() < sets);
    assert!(order
        .iter()
        .enumerate()
        .filter(|(_, s)| s.starts_with("IdentityCenter-Assignments-"))
        .all(|(i, _)| i > sets));
}

#[test]
fn adding_an_account_only_adds_assignments() {
    let before = resources(&organization(300).synth().unwrap());
    let mut app = organization(300);
    let ou = app
        .ous()
        .find(|o| o.name() == "Unit03")
        .map(|o| o.handle())
        .unwrap();
    app.add(
        &ou,
        Account::new("late-joiner", "late-joiner@aws.acme.example"),
    )
    .unwrap();
    let after = resources(&app.synth().unwrap());
    for (key, r) in &before {
        if r["Type"] == "AWS::SSO::Assignment" || r["Type"] == "AWS::SSO::PermissionSet" {
            assert_eq!(after.get(key), Some(r), "{key:?} changed or moved");
        }
    }
    let added: Vec<_> = after
        .iter()
        .filter(|(k, r)| r["Type"] == "AWS::SSO::Assignment" && !before.contains_key(*k))
        .collect();
    assert_eq!(added.len(), GROUPS.len() * SETS.len());
}

#[test]
fn assignments_are_created_a_few_at_a_time_in_each_template() {
    // Written for the linters too: assignment stacks importing the permission sets,
    // the instance and the groups from the stack that declares them.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("assemblies")
        .join("identity_center_split");
    let assembly = organization(40).synth_to(dir).unwrap();
    assert!(assembly
        .artifact("IdentityCenter-Assignments-002")
        .is_some());
    for art in assembly.artifacts() {
        let t = parse(&art.body);
        let ids: Vec<&String> = t["Resources"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, r)| r["Type"] == "AWS::SSO::Assignment")
            .map(|(id, _)| id)
            .collect();
        // Each waits for one other, and one waits for each: at most ASSIGNMENTS_AT_ONCE
        // chains, so no more are created at once.
        let mut free = 0;
        let mut waited_for: BTreeMap<&str, usize> = BTreeMap::new();
        for id in &ids {
            let on: Vec<&str> = match &t["Resources"][id.as_str()]["DependsOn"] {
                Value::String(d) => vec![d.as_str()],
                Value::Array(d) => d.iter().map(|x| x.as_str().unwrap()).collect(),
                _ => Vec::new(),
            };
            let on: Vec<&str> = on
                .into_iter()
                .filter(|d| ids.iter().any(|i| i == d))
                .collect();
            assert!(on.len() <= 1, "{id}: {on:?}");
            match on.first() {
                Some(d) => *waited_for.entry(d).or_default() += 1,
                None => free += 1,
            }
        }
        assert_eq!(
            free,
            ids.len().min(usize::from(ASSIGNMENTS_AT_ONCE)),
            "{}",
            art.stack_name
        );
        assert!(waited_for.values().all(|&n| n == 1), "{}", art.stack_name);
    }
}

#[test]
fn assignment_logical_ids_are_pinned() {
    let mut app = App::new();
    let layout = add_layout(&mut app, acme()).unwrap();
    let sso = app.stack("IdentityCenter").unwrap();
    app.add(
        &sso,
        IdentityCenter::new()
            .group("developers", "Developers")
            .permission_set(PermissionSet::new("Developer").aws_managed_policy("PowerUserAccess"))
            .assign("developers", "Developer", layout.prod_ou())
            .assign("developers", "Developer", layout.identity_account()),
    )
    .unwrap();
    let assembly = app.synth().unwrap();
    let t = parse(assembly.template_json("IdentityCenter").unwrap());
    let ids: Vec<&String> = t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] != "AWS::SSO::PermissionSet")
        .map(|(id, _)| id)
        .collect();
    assert_eq!(
        ids,
        [
            "IdentityCenterAssignmentsdevelopersDeveloperManagementAccountsIdentity8548AD15",
            "IdentityCenterAssignmentsdevelopersDeveloperManagementAccountsProd48317C34",
        ]
    );
}

#[test]
fn permission_sets_carry_their_policies_and_boundary() {
    let mut app = App::new();
    let layout = add_layout(&mut app, acme()).unwrap();
    let sso = app.stack("IdentityCenter").unwrap();
    let handle = app
        .add(
            &sso,
            IdentityCenter::new()
                .group("ops", "Operators")
                .permission_set(
                    PermissionSet::new("Operator")
                        .session_hours(8)
                        .aws_managed_policy("PowerUserAccess")
                        .customer_managed_policy("acme-operator", "/")
                        .permissions_boundary(PermissionsBoundary::CustomerManaged {
                            name: "acme-boundary".into(),
                            path: "/".into(),
                        }),
                )
                .assign("ops", "Operator", layout.organization()),
        )
        .unwrap();
    assert!(handle.permission_set("Operator").is_some() && handle.group("ops").is_some());
    let assembly = app.synth().unwrap();
    let t = parse(assembly.template_json("IdentityCenter").unwrap());
    let (_, set) = t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, r)| r["Type"] == "AWS::SSO::PermissionSet")
        .unwrap();
    let p = &set["Properties"];
    assert_eq!(p["SessionDuration"], "PT8H");
    assert_eq!(
        p["PermissionsBoundary"]["CustomerManagedPolicyReference"]["Name"],
        "acme-boundary"
    );
    assert_eq!(
        p["CustomerManagedPolicyReferences"][0]["Name"],
        "acme-operator"
    );
    // The organization: every account the app creates (the management account is none).
    let n = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::SSO::Assignment")
        .count();
    assert_eq!(n, app.accounts().count());
    let plan = assembly.deploy_plan();
    assert!(
        plan.contains("require them to register one at sign in"),
        "{plan}"
    );
    assert!(
        plan.contains("GroupOpsId=\"$(aws identitystore get-group-id"),
        "{plan}"
    );
    let enable = plan.find("Enable IAM Identity Center").unwrap();
    assert!(enable < plan.find("--stack-name IdentityCenter ").unwrap());
    assert!(plan.find("--stack-name Management ").unwrap() < enable);
    // Written for the linters.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("assemblies")
        .join("identity_center");
    app.synth_to(dir).unwrap();
}

#[test]
fn a_bad_matrix_or_permission_set_is_reported() {
    let mut app = App::new();
    let layout = add_layout(&mut app, acme()).unwrap();
    let sso = app.stack("IdentityCenter").unwrap();
    app.add(
        &sso,
        IdentityCenter::new()
            .group("ops", "Operators")
            .permission_set(PermissionSet::new("x".repeat(33)).session_hours(13))
            .assign("nobody", "Operator", layout.organization()),
    )
    .unwrap();
    let err = app.synth().unwrap_err();
    let rules: Vec<Rule> = err.diagnostics().iter().map(|d| d.rule).collect();
    assert_eq!(rules, [Rule::PropertyValue; 3]);
    let values: Vec<&str> = err.diagnostics().iter().map(|d| d.value.as_str()).collect();
    assert_eq!(values, ["x".repeat(33).as_str(), "13", "nobody"]);
}

#[test]
fn the_layout_switches_from_iam_users_to_identity_center() {
    use orgstack::layouts::{Grant, IdentityModel, DEVELOPER};
    let mut app = App::new();
    let layout = add_layout(
        &mut app,
        acme().identity_model(IdentityModel::IdentityCenter),
    )
    .unwrap();
    assert!(layout.identity_stack_set().is_none() && layout.roles_stack_set().is_none());
    // A grant after the layout becomes a row of the matrix.
    let sandbox = app
        .add(
            &layout.workloads_ou(),
            orgstack::org::OrganizationalUnit::new("Sandbox"),
        )
        .unwrap();
    app.add(&sandbox, Account::new("play", "play@aws.acme.example"))
        .unwrap();
    layout.grant(&mut app, "developers", Grant::new(DEVELOPER, [sandbox]));
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("assemblies")
        .join("layout_identity_center");
    let assembly = app.synth_to(dir).unwrap();
    assert!(assembly
        .artifact("Management.IdentityAccount.Template")
        .is_none());
    assert!(assembly
        .artifact("Management.MemberRoles.Template")
        .is_none());
    let t = parse(assembly.template_json("Management").unwrap());
    let of = |ty: &str| -> Vec<&Value> {
        t["Resources"]
            .as_object()
            .unwrap()
            .values()
            .filter(|r| r["Type"] == ty)
            .collect()
    };
    let mut sets: Vec<&str> = of("AWS::SSO::PermissionSet")
        .iter()
        .map(|r| r["Properties"]["Name"].as_str().unwrap())
        .collect();
    sets.sort_unstable();
    assert_eq!(sets, ["administrator", "auditor", "developer", "read-only"]);
    // The default grants: administrators 4 + auditor 1, developers 4, read-only 4; and
    // the developers in the new sandbox account.
    assert_eq!(of("AWS::SSO::Assignment").len(), 5 + 4 + 4 + 1);
    let plan = assembly.deploy_plan();
    let enable = plan.find("Enable IAM Identity Center").unwrap();
    assert!(plan.find("--stack-name Management-Bootstrap ").unwrap() < enable);
    assert!(enable < plan.find("--stack-name Management ").unwrap());
    assert!(plan.contains("GroupDevelopersId=\"$(aws identitystore get-group-id"));
    assert!(
        plan.contains("\"AttributeValue\":\"acme-developers\""),
        "{plan}"
    );
    // The IAM users' password policy step goes with them.
    assert!(!plan.contains("password policy"), "{plan}");
    // And so does the auditors' IAM role, which only they could have assumed: the audit
    // account holds no role trusting the identity account.
    let audit = parse(
        assembly
            .template_json("Management.AuditAccount.Template")
            .unwrap(),
    );
    assert!(
        audit["Resources"]
            .as_object()
            .unwrap()
            .values()
            .all(|r| r["Type"] != "AWS::IAM::Role"),
        "{audit}"
    );
}
