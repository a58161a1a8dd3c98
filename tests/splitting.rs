//! Stack splitting: large organizations spread over several stacks, and stay put as they grow.

use std::collections::BTreeMap;

use orgstack::layouts::FiveAccountLayout;
use orgstack::org::{Account, OrganizationalUnit};
use orgstack::CfnResource;
use orgstack::{App, Quotas};
use serde_json::Value;

#[path = "support/layout.rs"]
mod support;
use support::{add_layout, add_units_and_accounts};

/// The layout plus `n` accounts in 20 OUs, as the scale benchmark builds it.
fn org(n: usize, quotas: Quotas) -> App {
    let mut app = App::with_quotas(quotas);
    let layout = add_layout(
        &mut app,
        FiveAccountLayout::builder("acme").email_domain("aws.acme.example"),
    )
    .unwrap();
    add_units_and_accounts(&mut app, &layout, 20, 0..n);
    app
}

/// Account logical ID → (stack, account name) for every account of every stack.
fn placement(app: &App) -> BTreeMap<String, (String, String)> {
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let mut out = BTreeMap::new();
    for a in assembly.artifacts() {
        let t: Value = serde_json::from_str(&a.body).unwrap();
        for (id, r) in t["Resources"].as_object().unwrap() {
            if r["Type"] == "AWS::Organizations::Account" {
                let name = r["Properties"]["AccountName"].as_str().unwrap().to_owned();
                let previous = out.insert(id.clone(), (a.stack_name.clone(), name));
                assert!(previous.is_none(), "{id} is in two stacks");
            }
        }
    }
    out
}

#[test]
fn every_stack_stays_within_the_quotas_and_chains_its_own_accounts() {
    let app = org(1_200, Quotas::default());
    let assembly = app.synth().unwrap();
    assert!(
        assembly.deploy_order().len() >= 5,
        "{:?}",
        assembly.deploy_order()
    );
    assert_eq!(
        assembly.deploy_order()[..2],
        ["Management-Bootstrap", "Management"]
    );
    for a in assembly.artifacts() {
        assert!(
            a.resource_count <= 500,
            "{}: {}",
            a.file_name,
            a.resource_count
        );
        assert!(
            a.body.len() <= 1_000_000,
            "{}: {}",
            a.file_name,
            a.body.len()
        );
        let t: Value = serde_json::from_str(&a.body).unwrap();
        // Within each template, accounts wait for the previous one, and only for it.
        // (serde_json's map sorts keys: take the document order from the text.)
        let mut accounts: Vec<(&String, &Value)> = t["Resources"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, r)| r["Type"] == "AWS::Organizations::Account")
            .collect();
        accounts.sort_by_key(|(id, _)| a.body.find(&format!("\n    \"{id}\": {{")).unwrap());
        for pair in accounts.windows(2) {
            let (prev, (_, r)) = (pair[0].0, pair[1]);
            assert_eq!(
                r["DependsOn"],
                Value::String(prev.clone()),
                "{}",
                a.file_name
            );
        }
        if let Some((_, first)) = accounts.first() {
            assert!(first.get("DependsOn").is_none(), "{}", a.file_name);
        }
        // Every account's budget sits beside it.
        let budgets = t["Resources"]
            .as_object()
            .unwrap()
            .values()
            .filter(|r| r["Type"] == "AWS::Budgets::Budget")
            .count();
        assert_eq!(budgets, accounts.len(), "{}", a.file_name);
    }
    // Overflow stacks import the OU ids the management stack exports, and deploy after it.
    let manifest: Value = serde_json::from_str(assembly.manifest()).unwrap();
    let stacks = manifest["stacks"].as_array().unwrap();
    // Bootstrap first (skipped), then Management, the spill stacks and the deferred one.
    let (deferred, spill): (Vec<&Value>, Vec<&Value>) = stacks
        .iter()
        .skip(1)
        .partition(|s| s["name"].as_str().unwrap().contains("-Deferred-"));
    let (management, spill): (Vec<&Value>, Vec<&Value>) =
        spill.into_iter().partition(|s| s["name"] == "Management");
    assert_eq!(
        management[0]["dependsOn"],
        serde_json::json!(["Management-Bootstrap"])
    );
    for s in &spill {
        assert_eq!(s["dependsOn"], serde_json::json!(["Management"]), "{s}");
    }
    // The StackSet that deploys to every workload account waits for the spilled ones, so it
    // moves to a stack deployed after all of them (no cycle), and last in the order.
    assert_eq!(deferred.len(), 1, "{stacks:?}");
    let mut after: Vec<&str> = vec!["Management"];
    after.extend(spill.iter().map(|s| s["name"].as_str().unwrap()));
    assert_eq!(deferred[0]["dependsOn"], serde_json::json!(after));
    assert_eq!(stacks.last(), Some(deferred[0]));
    let body = assembly
        .artifact("Management-Deferred-001")
        .unwrap()
        .body
        .as_str();
    assert!(body.contains("\"AWS::CloudFormation::StackSet\""), "{body}");
    let overflow = assembly.artifact("Management-Accounts-001").unwrap();
    assert!(overflow
        .body
        .contains("\"Fn::ImportValue\": \"Management:OrganizationWorkloadsUnit"));
}

#[test]
fn adding_accounts_moves_no_existing_account_and_renames_none() {
    let before = placement(&org(1_200, Quotas::default()));
    let after = placement(&org(1_700, Quotas::default()));
    assert_eq!(after.len(), before.len() + 500);
    for (id, place) in &before {
        assert_eq!(after.get(id), Some(place), "{id} moved or was renamed");
    }
    let stacks = |p: &BTreeMap<String, (String, String)>| {
        p.values()
            .map(|(s, _)| s.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };
    assert!(
        stacks(&after) > stacks(&before),
        "the new accounts went to new stacks"
    );
}

#[test]
fn growing_the_management_stack_moves_no_account() {
    let mut quotas = Quotas::default();
    quotas.resources_per_template = 120;
    let before = placement(&org(150, quotas.clone()));
    // The same organization with more OUs and policies in the management stack.
    let mut app = org(150, quotas);
    let stack = app.stacks().next().unwrap();
    for i in 0..10 {
        app.add(
            &stack,
            CfnResource::new(
                format!("Extra{i}"),
                orgstack::cfn::Resource::new("AWS::SNS::Topic"),
            ),
        )
        .unwrap();
    }
    assert_eq!(placement(&app), before);
}

#[test]
fn splitting_can_be_turned_off_and_the_quota_is_then_reported() {
    let mut app = org(300, Quotas::default());
    let stack = app.stacks().next().unwrap();
    app.set_stack_splitting(&stack, false);
    let err = app.synth().unwrap_err();
    let d = err
        .diagnostics()
        .iter()
        .find(|d| d.rule == orgstack::Rule::ResourceCount)
        .unwrap_or_else(|| panic!("{err}"));
    assert_eq!(d.path, "Management");
    assert!(
        d.message.contains("CloudFormation accepts at most 500"),
        "{}",
        d.message
    );
}

/// `n` accounts spread over `ous` OUs under Workloads; then, if `grow` is given,
/// `grow.0` more OUs and `grow.1` more accounts spread over all of them, appended the way an
/// organization grows.
fn wide_org(ous: usize, n: usize, grow: Option<(usize, usize)>) -> App {
    let mut app = App::new();
    let layout = add_layout(
        &mut app,
        FiveAccountLayout::builder("acme").email_domain("aws.acme.example"),
    )
    .unwrap();
    let mut units = Vec::new();
    let add_ous = |app: &mut App, units: &mut Vec<_>, count: usize| {
        for _ in 0..count {
            let i = units.len();
            units.push(
                app.add(
                    &layout.workloads_ou(),
                    OrganizationalUnit::new(format!("Unit{i:03}")),
                )
                .unwrap(),
            );
        }
    };
    let add_accounts = |app: &mut App, units: &[_], range: std::ops::Range<usize>| {
        for k in range {
            app.add(
                &units[k % units.len()],
                Account::new(
                    format!("acct-{k:05}"),
                    format!("acct-{k:05}@aws.acme.example"),
                ),
            )
            .unwrap();
        }
    };
    add_ous(&mut app, &mut units, ous);
    add_accounts(&mut app, &units, 0..n);
    if let Some((more_ous, more_accounts)) = grow {
        add_ous(&mut app, &mut units, more_ous);
        add_accounts(&mut app, &units, n..n + more_accounts);
    }
    app
}

/// OU logical ID → stack.
fn ou_placement(app: &App) -> BTreeMap<String, String> {
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let mut out = BTreeMap::new();
    for a in assembly.artifacts() {
        let t: Value = serde_json::from_str(&a.body).unwrap();
        for (id, r) in t["Resources"].as_object().unwrap() {
            if r["Type"] == "AWS::Organizations::OrganizationalUnit" {
                out.insert(id.clone(), a.stack_name.clone());
            }
        }
    }
    out
}

#[test]
fn hundreds_of_ous_spread_over_unit_stacks_within_the_outputs_quota() {
    let app = wide_org(260, 1_300, None);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let order = assembly.deploy_order();
    let units: Vec<&String> = order.iter().filter(|s| s.contains("-Units-")).collect();
    assert_eq!(units.len(), 2, "{order:?}");
    for a in assembly.artifacts() {
        assert!(
            a.output_count <= 200,
            "{}: {} outputs",
            a.file_name,
            a.output_count
        );
        assert!(a.resource_count <= 500, "{}", a.file_name);
    }
    // Every stack deploys after the stacks it imports from: unit stacks after the
    // management stack, account stacks after the unit stacks they name parents in.
    let manifest: Value = serde_json::from_str(assembly.manifest()).unwrap();
    let position = |name: &str| order.iter().position(|s| s == name).unwrap();
    for s in manifest["stacks"].as_array().unwrap() {
        for dep in s["dependsOn"].as_array().unwrap() {
            assert!(position(dep.as_str().unwrap()) < position(s["name"].as_str().unwrap()));
        }
    }
    // The management stack holds no account whose OU lives elsewhere.
    let ous = ou_placement(&app);
    let mgmt: Value = serde_json::from_str(assembly.template_json("Management").unwrap()).unwrap();
    for r in mgmt["Resources"].as_object().unwrap().values() {
        if r["Type"] == "AWS::Organizations::Account" {
            if let Some(parent) = r["Properties"]["ParentIds"][0]["Ref"].as_str() {
                assert_eq!(ous[parent], "Management", "{parent}");
            }
        }
    }
}

#[test]
fn adding_ous_and_accounts_moves_no_ou_and_no_account() {
    let (ous_before, accounts_before) = {
        let app = wide_org(240, 900, None);
        (ou_placement(&app), placement(&app))
    };
    let app = wide_org(240, 900, Some((60, 500)));
    let (ous_after, accounts_after) = (ou_placement(&app), placement(&app));
    for (id, stack) in &ous_before {
        assert_eq!(ous_after.get(id), Some(stack), "OU {id} moved");
    }
    for (id, place) in &accounts_before {
        assert_eq!(accounts_after.get(id), Some(place), "account {id} moved");
    }
}

/// Writes an organization with unit and account overflow stacks where CI lints it with
/// cfn-lint and checkov.
#[test]
fn a_split_organization_is_written_for_linting() {
    let app = wide_org(230, 400, None);
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("assemblies")
        .join("split_organization");
    let assembly = app.synth_to(&dir).unwrap();
    let stacks = assembly.deploy_order();
    assert!(stacks.iter().any(|s| s.contains("-Units-")), "{stacks:?}");
    assert!(
        stacks.iter().any(|s| s.contains("-Accounts-")),
        "{stacks:?}"
    );
    assert!(dir.join("Management-Units-001.template.json").is_file());
}

/// An SCP attached to a spilled OU and to a spilled account, and a StackSet deploying to a
/// spilled OU: they move to a stack deployed after the spill stacks, and the organization
/// synthesizes (and is linted by CI).
#[test]
fn policies_and_stack_sets_reach_spilled_ous_and_accounts() {
    use orgstack::iam::{PolicyDocument, Role, Statement};
    use orgstack::org::Policy;
    use orgstack::stackset::StackSet;

    let mut app = App::new();
    let layout = add_layout(
        &mut app,
        FiveAccountLayout::builder("acme").email_domain("aws.acme.example"),
    )
    .unwrap();
    let ous: Vec<_> = (0..120)
        .map(|i| {
            app.add(
                &layout.workloads_ou(),
                OrganizationalUnit::new(format!("Unit{i:03}")),
            )
            .unwrap()
        })
        .collect();
    let mut last = None;
    for k in 0..1_200 {
        last = Some(
            app.add(
                &ous[k % ous.len()],
                Account::new(
                    format!("acct-{k:05}"),
                    format!("acct-{k:05}@aws.acme.example"),
                ),
            )
            .unwrap(),
        );
    }
    let spilled_ou = *ous.last().unwrap();
    let spilled_account = last.unwrap();
    let scp = app
        .add(
            &layout.organization(),
            Policy::service_control(
                "KeepSpilledInOrg",
                PolicyDocument::new().statement(
                    Statement::deny()
                        .action("organizations:LeaveOrganization")
                        .resource("*"),
                ),
            ),
        )
        .unwrap();
    scp.attach(&mut app, &spilled_ou);
    scp.attach(&mut app, &spilled_account);
    let mgmt = layout.stack();
    let set = app
        .add(
            &mgmt,
            StackSet::new("UnitRoles", "unit-roles").target(&spilled_ou),
        )
        .unwrap();
    app.add(
        &set.template(),
        Role::assumable_with_mfa("Ops", layout.identity_account()),
    )
    .unwrap();

    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("assemblies")
        .join("spilled_targets");
    let assembly = app.synth_to(&dir).unwrap_or_else(|e| panic!("{e}"));
    let order = assembly.deploy_order();
    // The stack whose Resources hold the resource whose logical ID starts so.
    let stack_of = |logical_prefix: &str| -> String {
        assembly
            .artifacts()
            .iter()
            .find(|a| {
                let t: Value = serde_json::from_str(&a.body).unwrap();
                t["Resources"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .any(|k| k.starts_with(logical_prefix))
            })
            .map(|a| a.stack_name.clone())
            .unwrap()
    };
    let ou_stack = stack_of("OrganizationWorkloadsUnit119");
    let account_stack = stack_of("Accountsacct01199");
    let policy_stack = stack_of("PoliciesKeepSpilledInOrg");
    let set_stack = stack_of("UnitRoles");
    assert!(ou_stack.contains("-Units-"), "{ou_stack}");
    assert!(account_stack.contains("-Accounts-"), "{account_stack}");
    assert!(policy_stack.contains("-Deferred-"), "{policy_stack}");
    assert_eq!(set_stack, policy_stack);
    let pos = |s: &str| order.iter().position(|o| o == s).unwrap();
    assert!(pos(&policy_stack) > pos(&ou_stack) && pos(&policy_stack) > pos(&account_stack));
}
