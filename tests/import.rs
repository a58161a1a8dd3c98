//! Importing an organization that exists, from what the AWS CLI printed for an organization
//! made in moto's Organizations emulator (`tests/fixtures/import/moto/`, written by
//! `scripts/fixtures/make-import-fixtures.py`): every existing resource is adopted and
//! imported, none created; what is new deploys normally; malformed exports are refused
//! with the file and the JSON path.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use orgstack::app::{ArtifactKind, Assembly};
use orgstack::aws::{AccountId, OuId};
use orgstack::import::{self, ImportError, Inventory, ParentId, TargetId};
use orgstack::org::{Account, PolicyType};
use orgstack::App;
use serde_json::Value;

#[allow(dead_code)]
mod generated {
    include!("fixtures/import/moto.main.rs");
}

#[path = "../examples/import.rs"]
#[allow(dead_code)]
mod import_example;

const MOTO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/moto");
const ORGANIZATIONS: [&str; 3] = [
    "AWS::Organizations::OrganizationalUnit",
    "AWS::Organizations::Account",
    "AWS::Organizations::Policy",
];

fn inventory() -> Inventory {
    Inventory::read_dir(MOTO).unwrap()
}

fn synth(inventory: &Inventory, extend: impl FnOnce(&mut App, &import::Adopted)) -> Assembly {
    let mut app = App::new();
    let management = app.stack("Management").unwrap();
    let adopted = import::adopt(&mut app, &management, inventory).unwrap();
    extend(&mut app, &adopted);
    app.synth().unwrap()
}

fn parse(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

/// (type, logical ID) of every Organizations resource of a template.
fn organizations_resources(template: &str) -> BTreeSet<(String, String)> {
    parse(template)["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| ORGANIZATIONS.contains(&r["Type"].as_str().unwrap()))
        .map(|(k, r)| (r["Type"].as_str().unwrap().to_owned(), k.clone()))
        .collect()
}

/// (type, logical ID, identifier key, identifier) of every resource an import (its
/// template's name, e.g. `Management.import`) imports.
fn to_import(assembly: &Assembly, import: &str) -> Vec<(String, String, String, String)> {
    let file = assembly.file(&format!("{import}.resources.json")).unwrap();
    parse(file)
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let ids = e["ResourceIdentifier"].as_object().unwrap();
            assert_eq!(ids.len(), 1);
            let (k, v) = ids.iter().next().unwrap();
            (
                e["ResourceType"].as_str().unwrap().to_owned(),
                e["LogicalResourceId"].as_str().unwrap().to_owned(),
                k.clone(),
                v.as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_export_reads_into_a_typed_inventory() {
    let inv = inventory();
    assert_eq!(inv.organization.id.as_str(), "o-ktai6p8pat");
    assert_eq!(inv.root.policy_types, [PolicyType::ServiceControlPolicy]);
    assert_eq!(inv.ous.len(), 6);
    assert_eq!(
        inv.accounts.len(),
        9,
        "eight members and the management account"
    );
    assert_eq!(
        inv.management_account().map(|a| a.name.as_str()),
        Some("master")
    );
    // Three levels: Pci under Prod under Workloads under the root.
    let named = |n: &str| inv.ous.iter().find(|o| o.name == n).unwrap();
    let (pci, prod, workloads) = (named("Pci"), named("Prod"), named("Workloads"));
    assert_eq!(pci.parent, ParentId::Ou(prod.id.clone()));
    assert_eq!(prod.parent, ParentId::Ou(workloads.id.clone()));
    assert_eq!(workloads.parent, ParentId::Root(inv.root.id.clone()));
    let payments = inv.accounts.iter().find(|a| a.name == "Payments").unwrap();
    assert_eq!(payments.parent, ParentId::Ou(pci.id.clone()));
    assert_eq!(payments.email.as_str(), "payments@aws.acme.example");

    // Six SCPs: AWS's FullAWSAccess and five of the organization's own, at every level.
    assert_eq!(inv.policies.len(), 6);
    assert_eq!(inv.policies.iter().filter(|p| p.aws_managed).count(), 1);
    let targets = |n: &str| &inv.policies.iter().find(|p| p.name == n).unwrap().targets;
    assert_eq!(
        targets("DenyLeaveOrganization"),
        &[TargetId::Root(inv.root.id.clone())]
    );
    assert_eq!(targets("ProtectCardData"), &[TargetId::Ou(pci.id.clone())]);
    let sandbox = inv.accounts.iter().find(|a| a.name == "Sandbox").unwrap();
    assert_eq!(
        targets("DenyIamUsers"),
        &[TargetId::Account(sandbox.id.clone())]
    );
    // Content keeps the order it is written in.
    let content = &inv
        .policies
        .iter()
        .find(|p| p.name == "AllowedRegions")
        .unwrap()
        .content;
    let rendered = orgstack::cfn::render::minified(content).unwrap();
    assert!(
        rendered.starts_with(r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyOtherRegions""#)
    );
}

#[test]
fn every_existing_resource_is_imported_and_none_created() {
    let inv = inventory();
    let mut assembly = synth(&inv, |_, _| {});
    // Where CI lints it with cfn-lint and checkov, the import template included.
    let lint = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("assemblies")
        .join("import-moto");
    assembly.write_to(lint).unwrap();
    assert_eq!(assembly.deploy_order(), ["Management"]);
    let full = organizations_resources(assembly.template_json("Management").unwrap());
    let import = organizations_resources(assembly.template_json("Management.import").unwrap());
    let listed = to_import(&assembly, "Management.import");

    // 6 OUs, the 8 member accounts (the management account is never a resource) and the
    // 5 policies of the organization's own (AWS's FullAWSAccess is not one).
    assert_eq!(listed.len(), 19);
    assert_eq!(
        full, import,
        "the full template creates nothing the import does not adopt"
    );
    let listed_set: BTreeSet<(String, String)> = listed
        .iter()
        .map(|(t, l, _, _)| (t.clone(), l.clone()))
        .collect();
    assert_eq!(listed_set, full);

    // Each by its primary identifier, the id of what exists.
    let mut ids: BTreeSet<(String, String)> = BTreeSet::new();
    for (ty, _, key, id) in &listed {
        let expected = if ty == "AWS::Organizations::Account" {
            "AccountId"
        } else {
            "Id"
        };
        assert_eq!(key, expected, "{ty}");
        ids.insert((ty.clone(), id.clone()));
    }
    let mut expected: BTreeSet<(String, String)> = BTreeSet::new();
    for ou in &inv.ous {
        expected.insert((ORGANIZATIONS[0].into(), ou.id.as_str().into()));
    }
    for a in inv
        .accounts
        .iter()
        .filter(|a| a.id != inv.organization.management_account_id)
    {
        expected.insert((ORGANIZATIONS[1].into(), a.id.as_str().into()));
    }
    for p in inv.policies.iter().filter(|p| !p.aws_managed) {
        expected.insert((ORGANIZATIONS[2].into(), p.id.as_str().into()));
    }
    assert_eq!(ids, expected);

    // Every adopted resource keeps what exists if the stack goes.
    let template = parse(assembly.template_json("Management").unwrap());
    for (_, logical) in &full {
        let r = &template["Resources"][logical];
        assert_eq!(r["DeletionPolicy"], "Retain", "{logical}");
        assert_eq!(r["UpdateReplacePolicy"], "Retain", "{logical}");
    }

    // The plan imports them, naming the files, before it deploys the stack.
    let plan = assembly.deploy_plan();
    let import_at = plan.find("--change-set-type IMPORT").unwrap();
    let deploy_at = plan.find("aws cloudformation deploy").unwrap();
    assert!(import_at < deploy_at);
    assert!(plan.contains("--resources-to-import file://Management.import.resources.json"));
    assert!(plan.contains("--template-body file://Management.import.template.json"));
    assert!(plan.contains("19 resource(s) of Management exist already"));
}

#[test]
fn a_new_account_is_all_the_deploy_creates() {
    let inv = inventory();
    let before = synth(&inv, |_, _| {});
    let after = synth(&inv, |app, adopted| {
        let sandbox = adopted.ou_named("Suspended").unwrap();
        app.add(
            &sandbox,
            Account::new("Scratch", "scratch@aws.acme.example"),
        )
        .unwrap();
    });
    // The import is the same: only what exists.
    assert_eq!(
        before.template_json("Management.import"),
        after.template_json("Management.import")
    );
    assert_eq!(
        before.file("Management.import.resources.json"),
        after.file("Management.import.resources.json")
    );
    let imported: BTreeSet<String> = to_import(&after, "Management.import")
        .into_iter()
        .map(|(_, l, _, _)| l)
        .collect();
    let template = parse(after.template_json("Management").unwrap());
    let created: Vec<(&String, &Value)> = template["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| !imported.contains(*k))
        .collect();
    assert_eq!(created.len(), 1, "{created:?}");
    let (_, scratch) = created[0];
    assert_eq!(scratch["Type"], "AWS::Organizations::Account");
    assert_eq!(scratch["Properties"]["AccountName"], "Scratch");
    // It sits under the adopted OU, referenced as any OU of the stack.
    assert!(scratch["Properties"]["ParentIds"][0].get("Ref").is_some());
}

#[test]
fn the_written_program_is_what_adopt_builds() {
    let inv = inventory();
    // The checked-in program is what write_rust writes today (regenerate it, and the
    // spec, with `cargo run --example import -- tests/fixtures/import/moto target/tmp/moto
    // --rust tests/fixtures/import/moto.main.rs --spec tests/fixtures/import/moto.orgspec.json`).
    assert_eq!(
        import::write_rust(&inv, "Management"),
        include_str!("fixtures/import/moto.main.rs")
    );
    // And it builds, byte for byte, what adopt builds.
    let adopted = synth(&inv, |_, _| {});
    let written = generated::app().unwrap().synth().unwrap();
    assert_eq!(adopted.artifacts(), written.artifacts());
    assert_eq!(adopted.manifest(), written.manifest());
    assert_eq!(adopted.deploy_plan(), written.deploy_plan());
    assert!(adopted.files().eq(written.files()));
}

#[test]
fn a_synthetic_export_in_the_same_format_imports_whole() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("import-synthetic-120");
    import_example::write_synthetic(&dir, 120).unwrap();
    let inv = Inventory::read_dir(&dir).unwrap();
    assert_eq!(inv.accounts.len(), 121);
    assert_eq!(inv.ous.len(), 3);
    let assembly = synth(&inv, |_, _| {});
    let listed: usize = assembly
        .deploy_order()
        .iter()
        .filter_map(|s| assembly.file(&format!("{s}.import.resources.json")))
        .map(|f| parse(f).as_array().unwrap().len())
        .sum();
    assert_eq!(listed, 3 + 120 + 5);
    assert!(assembly
        .artifacts()
        .iter()
        .any(|a| a.kind == ArtifactKind::Import));
}

#[test]
fn a_stack_that_adopts_more_than_an_import_takes_imports_in_batches() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("import-synthetic-1000");
    import_example::write_synthetic(&dir, 1000).unwrap();
    let inv = Inventory::read_dir(&dir).unwrap();
    let assembly = synth(&inv, |_, _| {});
    let manifest = parse(assembly.manifest());
    let plan: Vec<String> = manifest["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["commands"].as_array().unwrap().clone())
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    let mut total = 0;
    let mut change_sets = BTreeSet::new();
    for stack in assembly.deploy_order() {
        let mut before: Option<Value> = None;
        let mut batch = 1;
        let mut imported = BTreeSet::new();
        loop {
            let name = format!("{stack}.import-{batch}");
            let Some(template) = assembly.template_json(&name) else {
                break;
            };
            let template = parse(template);
            let list = to_import(&assembly, &name);
            assert!(!list.is_empty() && list.len() <= orgstack::app::RESOURCES_PER_IMPORT);
            let resources = template["Resources"].as_object().unwrap();
            // The batches before, unchanged, and this one's.
            if let Some(before) = &before {
                for (logical, r) in before["Resources"].as_object().unwrap() {
                    assert_eq!(&resources[logical], r, "{name}: {logical}");
                }
            }
            let added: BTreeSet<String> = resources
                .keys()
                .filter(|k| !imported.contains(*k))
                .cloned()
                .collect();
            let listed: BTreeSet<String> = list.iter().map(|(_, l, _, _)| l.clone()).collect();
            assert_eq!(added, listed, "{name}");
            imported.extend(listed);
            total += list.len();
            // Its own change set (names are per stack), before the stack deploys.
            let create = plan
                .iter()
                .position(|c| c.contains(&format!("file://{name}.resources.json")))
                .unwrap();
            let deploy = plan
                .iter()
                .position(|c| {
                    c.starts_with("aws cloudformation deploy")
                        && c.contains(&format!("--stack-name {stack} "))
                })
                .unwrap();
            assert!(create < deploy);
            let set = plan[create].split("--change-set-name ").nth(1).unwrap();
            let set = set.split_whitespace().next().unwrap().to_owned();
            assert!(
                change_sets.insert((stack.clone(), set)),
                "a change set per import"
            );
            before = Some(template);
            batch += 1;
        }
        assert!(batch > 2, "{stack} adopts more than one import takes");
    }
    assert_eq!(total, 20 + 1000 + 5);
}

/// A copy of the moto export with `edit` applied, in a directory of its own.
fn broken(name: &str, edit: impl FnOnce(&Path)) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("import-broken-{name}"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    copy(Path::new(MOTO), &dir);
    edit(&dir);
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// The file of `sub` that holds `needle`.
fn file_with(dir: &Path, sub: &str, needle: &str) -> PathBuf {
    std::fs::read_dir(dir.join(sub))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| std::fs::read_to_string(p).unwrap().contains(needle))
        .unwrap()
}

fn replace(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn malformed(err: ImportError) -> (PathBuf, String, String) {
    match err {
        ImportError::Malformed {
            path,
            pointer,
            message,
        } => (path, pointer, message),
        other => panic!("expected a malformed value, got {other:?}"),
    }
}

#[test]
fn a_file_that_is_not_json_is_named() {
    let dir = broken("json", |d| {
        std::fs::write(d.join("list-roots.json"), "{ \"Roots\": [").unwrap();
    });
    match Inventory::read_dir(&dir).unwrap_err() {
        ImportError::Json { path, source } => {
            assert_eq!(path, dir.join("list-roots.json"));
            assert_eq!(source.line(), 1);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_malformed_account_id_is_named_with_its_json_path() {
    let mut file = PathBuf::new();
    let dir = broken("account-id", |d| {
        file = file_with(d, "list-accounts-for-parent", "\"Payments\"");
        replace(&file, "\"Id\": \"953653532100\"", "\"Id\": \"95365353\"");
    });
    let err = Inventory::read_dir(&dir).unwrap_err();
    let message = err.to_string();
    let (path, pointer, why) = malformed(err);
    assert_eq!(path, file);
    assert_eq!(pointer, "$.Accounts[0].Id");
    assert!(why.contains("invalid account id `95365353`"), "{why}");
    assert!(message.contains("at $.Accounts[0].Id"), "{message}");
}

#[test]
fn a_missing_field_is_named_with_its_json_path() {
    let mut file = PathBuf::new();
    let dir = broken("email", |d| {
        file = file_with(d, "list-accounts-for-parent", "\"LogArchive\"");
        replace(&file, "\"Email\": \"log-archive@aws.acme.example\",", "");
    });
    let (path, pointer, why) = malformed(Inventory::read_dir(&dir).unwrap_err());
    assert_eq!(path, file);
    assert_eq!(pointer, "$.Accounts[1]");
    assert_eq!(why, "the field `Email` is missing");
}

#[test]
fn a_missing_listing_is_named() {
    let inv = inventory();
    let pci: &OuId = &inv.ous.iter().find(|o| o.name == "Pci").unwrap().id;
    let gone = PathBuf::from("list-accounts-for-parent").join(format!("{}.json", pci.as_str()));
    let dir = broken("missing", |d| std::fs::remove_file(d.join(&gone)).unwrap());
    match Inventory::read_dir(&dir).unwrap_err() {
        ImportError::Io { path, source } => {
            assert_eq!(path, dir.join(&gone));
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn policy_content_that_is_not_json_is_named() {
    let mut file = PathBuf::new();
    let dir = broken("content", |d| {
        file = file_with(d, "describe-policy", "\"DenyRootUser\"");
        replace(&file, "\"Content\": \"{", "\"Content\": \"{{");
    });
    let (path, pointer, why) = malformed(Inventory::read_dir(&dir).unwrap_err());
    assert_eq!(path, file);
    assert_eq!(pointer, "$.Policy.Content");
    assert!(why.starts_with("the policy's content is not JSON"), "{why}");
}

#[test]
fn wrong_types_and_unknown_values_are_named() {
    let inv = inventory();
    let deny_users = &inv
        .policies
        .iter()
        .find(|p| p.name == "DenyIamUsers")
        .unwrap()
        .id;
    let name = format!("{}.json", deny_users.as_str());
    let mut file = PathBuf::new();
    let dir = broken("target-type", |d| {
        file = d.join("list-targets-for-policy").join(&name);
        replace(&file, "\"Type\": \"ACCOUNT\"", "\"Type\": \"GALAXY\"");
    });
    let (path, pointer, why) = malformed(Inventory::read_dir(&dir).unwrap_err());
    assert_eq!((path, pointer.as_str()), (file, "$.Targets[0].Type"));
    assert!(why.contains("`GALAXY` is no target type"), "{why}");

    let dir = broken("ous-type", |d| {
        let roots = std::fs::read_dir(d.join("list-organizational-units-for-parent"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("r-"))
            .unwrap();
        std::fs::write(roots, "{ \"OrganizationalUnits\": {} }").unwrap();
    });
    let (_, pointer, why) = malformed(Inventory::read_dir(&dir).unwrap_err());
    assert_eq!(pointer, "$.OrganizationalUnits");
    assert_eq!(why, "expected an array, found an object");

    // An account listed under two parents.
    let dir = broken("twice", |d| {
        let from = file_with(d, "list-accounts-for-parent", "\"Dev\"");
        let to = file_with(d, "list-accounts-for-parent", "\"Payments\"");
        let dev: Value = parse(&std::fs::read_to_string(&from).unwrap());
        let mut pay: Value = parse(&std::fs::read_to_string(&to).unwrap());
        pay["Accounts"]
            .as_array_mut()
            .unwrap()
            .push(dev["Accounts"][0].clone());
        std::fs::write(&to, serde_json::to_string_pretty(&pay).unwrap()).unwrap();
    });
    let (_, _, why) = malformed(Inventory::read_dir(&dir).unwrap_err());
    assert!(
        why.ends_with("is listed twice: an account has one parent"),
        "{why}"
    );
}

#[test]
fn handles_of_what_is_adopted_work_as_new_ones() {
    let inv = inventory();
    let sandbox_id: AccountId = inv
        .accounts
        .iter()
        .find(|a| a.name == "Sandbox")
        .unwrap()
        .id
        .clone();
    let assembly = synth(&inv, |app, adopted| {
        // A StackSet to an adopted OU, trust in an adopted account, a policy on both.
        let workloads = adopted.ou_named("Workloads").unwrap();
        let sandbox = adopted.account(&sandbox_id).unwrap().clone();
        let stack = adopted.organization().stack();
        let roles = app
            .add(
                &stack,
                orgstack::stackset::StackSet::new("Roles", "workload-roles").target(&workloads),
            )
            .unwrap();
        app.add(
            &roles.template(),
            orgstack::iam::Role::assumable_with_mfa("Admin", &sandbox),
        )
        .unwrap();
        let deny = adopted.policy_named("DenyRootUser").unwrap();
        deny.attach(app, &sandbox);
    });
    let template = parse(assembly.template_json("Management").unwrap());
    let set = template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Type"] == "AWS::CloudFormation::StackSet")
        .unwrap();
    let ous = &set["Properties"]["StackInstancesGroup"][0]["DeploymentTargets"]
        ["OrganizationalUnitIds"][0];
    assert!(ous.get("Ref").is_some(), "{ous}");
    let deny = template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Properties"]["Name"] == "DenyRootUser")
        .unwrap();
    assert_eq!(deny["Properties"]["TargetIds"].as_array().unwrap().len(), 2);
    // The import holds the policy as it exists: attached to Workloads alone; the deploy
    // after it attaches it to the account.
    let import = parse(assembly.template_json("Management.import").unwrap());
    let imported = import["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Properties"]["Name"] == "DenyRootUser")
        .unwrap();
    let workloads = inv.ous.iter().find(|o| o.name == "Workloads").unwrap();
    assert_eq!(
        imported["Properties"]["TargetIds"],
        serde_json::json!([workloads.id.as_str()])
    );
}
