//! The import writes an `OrgSpec`: for the organization made in moto's emulator
//! (`tests/fixtures/import/moto/`), `import::to_spec` → JSON → `OrgSpec::from_json` →
//! `to_app` → synthesis writes the very files `import::adopt` → synthesis writes, every
//! existing resource adopted and none created; and the spec's adoption fields name their
//! JSON path when they are wrong.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use orgstack::app::Assembly;
use orgstack::import::{self, Inventory};
use orgstack::spec::{OrgSpec, SpecError};
use orgstack::{App, Rule};
use serde_json::Value;

#[path = "../examples/import.rs"]
#[allow(dead_code)]
mod import_example;

const MOTO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/moto");
const MOTO_SPEC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/import/moto.orgspec.json"
);

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("import-spec")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Every file under `dir`, by name, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        assert!(entry.file_type().unwrap().is_file(), "{:?}", entry.path());
        out.insert(
            entry.file_name().to_string_lossy().into_owned(),
            std::fs::read(entry.path()).unwrap(),
        );
    }
    out
}

fn parse(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

/// The assembly `import::adopt` builds, written to `dir`.
fn adopted(inventory: &Inventory, dir: &Path) -> Assembly {
    let mut app = App::new();
    let management = app.stack("Management").unwrap();
    import::adopt(&mut app, &management, inventory).unwrap();
    app.synth_to(dir).unwrap()
}

/// The assembly of the spec `to_spec` writes, read back from its JSON, written to `dir`.
fn through_the_spec(inventory: &Inventory, dir: &Path) -> Assembly {
    let json = import::to_spec(inventory).to_json().unwrap();
    let spec = OrgSpec::from_json(&json).unwrap();
    assert_eq!(spec, import::to_spec(inventory), "the JSON holds the spec");
    spec.to_app().unwrap().synth_to(dir).unwrap()
}

/// Both ways write the same files, byte for byte, import templates and resources to
/// import included.
fn assert_same_files(name: &str, inventory: &Inventory) -> Assembly {
    let (rust_dir, spec_dir) = (tmp(&format!("{name}-adopt")), tmp(&format!("{name}-spec")));
    let by_adopt = adopted(inventory, &rust_dir);
    let by_spec = through_the_spec(inventory, &spec_dir);
    assert_eq!(by_adopt.artifacts(), by_spec.artifacts());
    assert!(by_adopt.files().eq(by_spec.files()));
    let (rust, spec) = (files(&rust_dir), files(&spec_dir));
    assert_eq!(
        rust.keys().collect::<Vec<_>>(),
        spec.keys().collect::<Vec<_>>()
    );
    for (file, bytes) in &rust {
        assert!(spec[file] == *bytes, "{name}: {file} differs");
    }
    // Every file the assembly lists beside its templates is on disk and compared.
    for (file, _) in by_spec.files() {
        assert!(rust.contains_key(file), "{file}");
    }
    by_spec
}

#[test]
fn the_checked_in_spec_is_what_to_spec_writes() {
    // Regenerate it, and the program, with `cargo run --example import --
    // tests/fixtures/import/moto target/tmp/moto --spec tests/fixtures/import/moto.orgspec.json
    // --rust tests/fixtures/import/moto.main.rs`.
    let inv = Inventory::read_dir(MOTO).unwrap();
    let written = import::to_spec(&inv).to_json().unwrap();
    assert_eq!(written, std::fs::read_to_string(MOTO_SPEC).unwrap());
}

#[test]
fn the_spec_of_an_import_writes_the_files_adopt_writes() {
    let inv = Inventory::read_dir(MOTO).unwrap();
    let assembly = assert_same_files("moto", &inv);
    assert!(assembly.files().count() >= 1);
    assert!(assembly.template_json("Management.import").is_some());

    // Every existing resource is adopted, none created: the full template holds nothing
    // the import does not list, and the import lists every OU, member account and policy.
    let template = parse(assembly.template_json("Management").unwrap());
    let resources: BTreeSet<String> = template["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| {
            r["Type"]
                .as_str()
                .unwrap()
                .starts_with("AWS::Organizations::")
        })
        .map(|(k, _)| k.clone())
        .collect();
    let listed: BTreeSet<String> =
        parse(assembly.file("Management.import.resources.json").unwrap())
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["LogicalResourceId"].as_str().unwrap().to_owned())
            .collect();
    assert_eq!(resources, listed);
    let members = inv
        .accounts
        .iter()
        .filter(|a| a.id != inv.organization.management_account_id)
        .count();
    let own_policies = inv.policies.iter().filter(|p| !p.aws_managed).count();
    assert_eq!(listed.len(), inv.ous.len() + members + own_policies);
    for logical in &resources {
        assert_eq!(
            template["Resources"][logical]["DeletionPolicy"], "Retain",
            "{logical}"
        );
    }
}

#[test]
fn a_synthetic_export_round_trips_through_its_spec() {
    let dir = tmp("synthetic-export-130");
    import_example::write_synthetic(&dir, 130).unwrap();
    let inv = Inventory::read_dir(&dir).unwrap();
    let assembly = assert_same_files("synthetic-130", &inv);
    assert!(assembly.files().count() >= 1);
}

#[test]
fn the_spec_references_what_exists_by_id() {
    let inv = Inventory::read_dir(MOTO).unwrap();
    let spec = import::to_spec(&inv);
    // Every OU and member account adopted by its id, the others only referenced.
    for (ou, info) in spec.organizational_units.iter().zip(&inv.ous) {
        assert_eq!(ou.adopt.as_deref(), Some(info.id.as_str()));
    }
    let adopted: Vec<&str> = spec
        .accounts
        .iter()
        .map(|a| a.adopt.as_deref().unwrap())
        .collect();
    assert_eq!(adopted.len(), 8);
    let management = inv.organization.management_account_id.as_str();
    assert!(!adopted.contains(&management));
    assert!(spec
        .existing_accounts
        .iter()
        .any(|e| e.id == management && e.key == "master"));
    for p in &spec.policies {
        assert!(p.adopt.as_deref().unwrap().starts_with("p-"));
        assert!(p.targets.is_empty(), "every attachment exists");
        assert!(!p.adopted_targets.is_empty());
    }
    // Parents by their path from the root.
    let payments = spec.accounts.iter().find(|a| a.name == "Payments").unwrap();
    assert_eq!(payments.ou.as_deref(), Some("Workloads/Prod/Pci"));
}

fn validation(text: &str) -> SpecError {
    OrgSpec::from_json(text)
        .unwrap()
        .to_app()
        .unwrap()
        .synth()
        .unwrap_err()
}

fn by_rule(err: &SpecError) -> Vec<(Rule, String)> {
    let mut out: Vec<(Rule, String)> = err
        .diagnostics()
        .iter()
        .map(|d| (d.rule, d.source.clone().unwrap()))
        .collect();
    out.sort();
    out
}

const EXISTING: &str =
    r#""organization": {"existing": {"root_id": "r-ab12", "organization_id": "o-abcdef1234"}}"#;

#[test]
fn bad_adopted_ids_name_their_field() {
    let err = validation(&format!(
        r#"{{{EXISTING},
            "organizational_units": [{{"name": "A", "adopt": "ou-x"}}, {{"name": "B", "existing": "B"}}],
            "accounts": [{{"name": "C", "email": "c@acme.example", "adopt": "123"}}],
            "policies": [{{"name": "D", "adopt": "policy",
                           "document": {{"Version": "2012-10-17", "Statement": []}}}}]}}"#
    ));
    let mut expected = vec![
        (Rule::OuId, "$.organizational_units[0].adopt".to_owned()),
        (Rule::OuId, "$.organizational_units[1].existing".to_owned()),
        (Rule::AccountId, "$.accounts[0].adopt".to_owned()),
        (Rule::PolicyId, "$.policies[0].adopt".to_owned()),
    ];
    expected.sort();
    assert_eq!(by_rule(&err), expected, "{err}");
}

#[test]
fn what_is_adopted_under_something_new_names_the_reference() {
    let err = validation(&format!(
        r#"{{{EXISTING},
            "organizational_units": [{{"name": "Fresh"}},
                                     {{"name": "Old", "parent": "Fresh", "adopt": "ou-ab12-11111111"}}],
            "accounts": [{{"name": "Prod", "email": "prod@acme.example", "ou": "Fresh", "adopt": "111111111111"}}],
            "policies": [{{"name": "P", "adopt": "p-abcd1234", "document": {{"Version": "2012-10-17", "Statement": []}},
                           "adopted_targets": [{{"ou": "Fresh"}}]}},
                         {{"name": "Q", "document": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}}]}},
                           "adopted_targets": ["root"]}}]}}"#
    ));
    let mut expected = vec![
        (
            Rule::AdoptedReference,
            "$.organizational_units[1].parent".to_owned(),
        ),
        (Rule::AdoptedReference, "$.accounts[0].ou".to_owned()),
        (
            Rule::AdoptedReference,
            "$.policies[0].adopted_targets".to_owned(),
        ),
        (
            Rule::AdoptedReference,
            "$.policies[1].adopted_targets".to_owned(),
        ),
    ];
    expected.sort();
    assert_eq!(by_rule(&err), expected, "{err}");
}

#[test]
fn an_ou_is_adopted_or_referenced_not_both() {
    let err = validation(&format!(
        r#"{{{EXISTING},
            "organizational_units": [{{"name": "A", "adopt": "ou-ab12-11111111", "existing": "ou-ab12-11111111"}}]}}"#
    ));
    assert_eq!(
        by_rule(&err),
        [(Rule::OuId, "$.organizational_units[0].existing".to_owned())]
    );
}

#[test]
fn what_exists_is_referred_to_by_id_as_well_as_by_name() {
    let text = format!(
        r#"{{{EXISTING},
            "organizational_units": [{{"name": "Workloads", "adopt": "ou-ab12-11111111"}},
                                     {{"name": "Sandbox", "existing": "ou-ab12-22222222"}},
                                     {{"name": "Team", "parent": "ou-ab12-22222222"}}],
            "accounts": [{{"name": "Prod", "email": "prod@acme.example", "ou": "ou-ab12-11111111", "adopt": "111111111111"}}],
            "policies": [{{"name": "P", "adopt": "p-abcd1234",
                           "document": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}}]}},
                           "adopted_targets": [{{"account": "111111111111"}}],
                           "targets": [{{"ou": "Sandbox/Team"}}]}}]}}"#
    );
    let assembly = OrgSpec::from_json(&text)
        .unwrap()
        .to_app()
        .unwrap()
        .synth()
        .unwrap();
    let full = parse(assembly.template_json("Management").unwrap());
    let import = parse(assembly.template_json("Management.import").unwrap());
    let of = |t: &Value, ty: &str| -> Value {
        t["Resources"]
            .as_object()
            .unwrap()
            .values()
            .find(|r| r["Type"] == ty)
            .unwrap()["Properties"]
            .clone()
    };
    // The adopted account under the adopted OU, the policy on the adopted account: by
    // reference in the full template, by the values that exist in the import.
    let account = of(&full, "AWS::Organizations::Account");
    assert!(account["ParentIds"][0].get("Ref").is_some(), "{account}");
    assert_eq!(
        of(&import, "AWS::Organizations::Account")["ParentIds"],
        serde_json::json!(["ou-ab12-11111111"])
    );
    assert_eq!(
        of(&import, "AWS::Organizations::Policy")["TargetIds"],
        serde_json::json!(["111111111111"])
    );
    // The new attachment is the deploy's: the new OU under the existing one.
    let targets = of(&full, "AWS::Organizations::Policy")["TargetIds"].clone();
    assert_eq!(targets.as_array().unwrap().len(), 2, "{targets}");
    let imported: Vec<String> = parse(assembly.file("Management.import.resources.json").unwrap())
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["ResourceType"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        imported,
        [
            "AWS::Organizations::OrganizationalUnit",
            "AWS::Organizations::Account",
            "AWS::Organizations::Policy"
        ]
    );
}

#[test]
fn accounts_may_share_a_name_with_ids_of_their_own_but_the_name_then_refers_to_neither() {
    let text = format!(
        r#"{{{EXISTING},
            "accounts": [{{"name": "Dev", "email": "dev1@acme.example", "id": "Dev-111111111111", "adopt": "111111111111"}},
                         {{"name": "Dev", "email": "dev2@acme.example", "id": "Dev-222222222222", "adopt": "222222222222"}}],
            "policies": [{{"name": "P", "document": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}}]}},
                           "targets": [{{"account": "222222222222"}}, {{"account": "Dev"}}]}}]}}"#
    );
    let err = validation(&text);
    assert_eq!(
        by_rule(&err),
        [(
            Rule::UnresolvedReference,
            "$.policies[0].targets[1]".to_owned()
        )]
    );
    // Without the ambiguous reference it synthesizes, both accounts adopted.
    let ok = text.replace(r#", {"account": "Dev"}"#, "");
    let assembly = OrgSpec::from_json(&ok)
        .unwrap()
        .to_app()
        .unwrap()
        .synth()
        .unwrap();
    let listed = parse(assembly.file("Management.import.resources.json").unwrap());
    assert_eq!(listed.as_array().unwrap().len(), 2);
    // The same name without ids is still a duplicate.
    let err = validation(&format!(
        r#"{{{EXISTING},
            "accounts": [{{"name": "Dev", "email": "dev1@acme.example"}}, {{"name": "Dev", "email": "dev2@acme.example", "id": "Dev2"}}]}}"#
    ));
    assert_eq!(
        by_rule(&err),
        [(Rule::DuplicateId, "$.accounts[1].name".to_owned())]
    );
}

#[test]
fn full_aws_access_can_be_declared_detached() {
    for layout in [
        "",
        r#", "layout": {"name": "acme", "email_domain": "aws.acme.example"}"#,
    ] {
        for (given, expected) in [
            ("", true),
            (r#", "full_aws_access_attached": false"#, false),
        ] {
            let text = format!(
                r#"{{"organization": {{"existing": {{"root_id": "r-ab12", "organization_id": "o-abcdef1234"{given}}}}},
                    "organizational_units": [{{"name": "X"}}]{layout}}}"#
            );
            let lowered = OrgSpec::from_json(&text).unwrap().to_app().unwrap();
            let app = lowered.app();
            let org = app.ous().next().unwrap().handle().organization();
            assert_eq!(
                org.full_aws_access_attached(app),
                expected,
                "{given} {layout}"
            );
        }
    }
}
