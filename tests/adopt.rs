//! Adopting what exists: adopted OUs, accounts and policies render with `Retain`, an
//! import template per stack holds only them with the values that exist, and the plan
//! imports them before the stacks deploy.

use orgstack::iam::{PolicyDocument, Statement};
use orgstack::org::{Account, Organization, OrganizationalUnit, Policy};
use orgstack::{App, Rule};
use serde_json::{json, Value};

fn parse(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

/// An existing organization with an adopted OU holding an adopted account, an OU only
/// referenced, an adopted SCP on the adopted OU, and a new account under the adopted OU.
fn brownfield() -> App {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app
        .add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    let workloads = app
        .add(
            &org,
            OrganizationalUnit::new("Workloads").adopt("ou-ab12-11111111"),
        )
        .unwrap();
    let sandbox = app
        .add(
            &org,
            OrganizationalUnit::existing("Sandbox", "ou-ab12-22222222"),
        )
        .unwrap();
    app.add(
        &workloads,
        Account::new("Prod", "aws+prod@acme.example").adopt("111111111111"),
    )
    .unwrap();
    app.add(
        &sandbox,
        Account::new("Play", "aws+play@acme.example").adopt("222222222222"),
    )
    .unwrap();
    app.add(&workloads, Account::new("New", "aws+new@acme.example"))
        .unwrap();
    let deny = app
        .add(
            &org,
            Policy::service_control(
                "DenyLeave",
                PolicyDocument::new().statement(
                    Statement::deny()
                        .action("organizations:LeaveOrganization")
                        .resource("*"),
                ),
            )
            .adopt("p-abcd1234"),
        )
        .unwrap();
    deny.adopt_attachment(&mut app, &workloads);
    app
}

#[test]
fn adopted_resources_import_with_the_values_that_exist() {
    let assembly = brownfield().synth().unwrap();
    let full = parse(assembly.template_json("Management").unwrap());
    let import = parse(assembly.template_json("Management.import").unwrap());

    let adopted: Vec<(&str, &Value)> = full["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Properties"]["AccountName"] != "New")
        .map(|(k, v)| (k.as_str(), v))
        .collect();
    assert_eq!(adopted.len(), 4, "OU, two accounts, policy");
    for (logical, r) in &adopted {
        assert_eq!(r["DeletionPolicy"], "Retain", "{logical}");
        assert_eq!(r["UpdateReplacePolicy"], "Retain", "{logical}");
        // The import template holds it under the same logical ID, without DependsOn.
        let imported = &import["Resources"][logical];
        assert_eq!(imported["Type"], r["Type"], "{logical}");
        assert_eq!(imported["DeletionPolicy"], "Retain");
        assert!(imported.get("DependsOn").is_none());
    }
    // Only what exists: the new account is in the full template alone.
    let imported = import["Resources"].as_object().unwrap();
    assert_eq!(imported.len(), 4);
    assert!(!assembly
        .template_json("Management.import")
        .unwrap()
        .contains("aws+new@acme.example"));
    assert!(import.get("Parameters").is_none());

    // Every reference is the value that exists.
    let by_type = |ty: &str, name_key: &str, name: &str| -> Value {
        imported
            .values()
            .find(|r| r["Type"] == ty && r["Properties"][name_key] == name)
            .unwrap()["Properties"]
            .clone()
    };
    let ou = by_type(
        "AWS::Organizations::OrganizationalUnit",
        "Name",
        "Workloads",
    );
    assert_eq!(ou["ParentId"], "r-ab12");
    let prod = by_type("AWS::Organizations::Account", "AccountName", "Prod");
    assert_eq!(prod["ParentIds"], json!(["ou-ab12-11111111"]));
    let play = by_type("AWS::Organizations::Account", "AccountName", "Play");
    assert_eq!(play["ParentIds"], json!(["ou-ab12-22222222"]));
    let scp = by_type("AWS::Organizations::Policy", "Name", "DenyLeave");
    assert_eq!(scp["TargetIds"], json!(["ou-ab12-11111111"]));

    // The full template refers to the adopted OU as to a new one.
    let full_prod = full["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Properties"]["AccountName"] == "Prod")
        .unwrap();
    assert!(full_prod["Properties"]["ParentIds"][0].get("Ref").is_some());
}

#[test]
fn the_resources_to_import_name_every_primary_identifier() {
    let assembly = brownfield().synth().unwrap();
    let file = parse(assembly.file("Management.import.resources.json").unwrap());
    let import = parse(assembly.template_json("Management.import").unwrap());
    let mut ids: Vec<(String, String, String)> = file
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let logical = e["LogicalResourceId"].as_str().unwrap().to_owned();
            assert_eq!(e["ResourceType"], import["Resources"][&logical]["Type"]);
            let (key, value) = e["ResourceIdentifier"]
                .as_object()
                .unwrap()
                .iter()
                .next()
                .unwrap();
            (
                e["ResourceType"].as_str().unwrap().to_owned(),
                key.clone(),
                value.as_str().unwrap().to_owned(),
            )
        })
        .collect();
    ids.sort();
    let expect = |t: &str, k: &str, v: &str| (t.to_owned(), k.to_owned(), v.to_owned());
    assert_eq!(
        ids,
        [
            expect("AWS::Organizations::Account", "AccountId", "111111111111"),
            expect("AWS::Organizations::Account", "AccountId", "222222222222"),
            expect(
                "AWS::Organizations::OrganizationalUnit",
                "Id",
                "ou-ab12-11111111"
            ),
            expect("AWS::Organizations::Policy", "Id", "p-abcd1234"),
        ]
    );
}

#[test]
fn the_plan_imports_before_it_deploys() {
    let assembly = brownfield().synth().unwrap();
    let manifest = parse(assembly.manifest());
    let steps = manifest["steps"].as_array().unwrap();
    let title = |s: &Value| s["title"].as_str().unwrap().to_owned();
    let import = steps
        .iter()
        .position(|s| title(s) == "Import what exists into stack Management")
        .unwrap();
    let deploy = steps
        .iter()
        .position(|s| title(s) == "Deploy stack Management")
        .unwrap();
    assert!(import < deploy);
    let commands: Vec<&str> = steps[import]["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(commands.len(), 4);
    assert!(commands[0].starts_with("aws cloudformation create-change-set "));
    assert!(commands[0].contains("--change-set-type IMPORT"));
    assert!(commands[0].contains("--template-body file://Management.import.template.json"));
    assert!(commands[0].contains("--resources-to-import file://Management.import.resources.json"));
    assert!(commands[1].contains("wait change-set-create-complete"));
    assert!(commands[2].contains("execute-change-set"));
    assert!(commands[3].contains("wait stack-import-complete"));
    assert_eq!(
        manifest["imports"],
        json!([{
            "stack": "Management",
            "template": "Management.import.template.json",
            "resourcesToImport": "Management.import.resources.json",
            "resources": 4,
        }])
    );
    assert!(assembly
        .deploy_plan()
        .contains("Import what exists into stack Management"));
}

#[test]
fn a_new_attachment_of_an_adopted_policy_is_made_by_the_deploy() {
    let mut app = brownfield();
    let deny = app.policies().next().unwrap().handle();
    let sandbox = app
        .ous()
        .find(|o| o.name() == "Workloads")
        .map(|o| o.handle().organization())
        .unwrap();
    deny.attach(&mut app, &sandbox);
    let assembly = app.synth().unwrap();
    let targets = |stack: &str| -> Value {
        let t = parse(assembly.template_json(stack).unwrap());
        t["Resources"]
            .as_object()
            .unwrap()
            .values()
            .find(|r| r["Type"] == "AWS::Organizations::Policy")
            .unwrap()["Properties"]["TargetIds"]
            .clone()
    };
    // The import records what exists; the deploy after it attaches to the root.
    assert_eq!(targets("Management.import"), json!(["ou-ab12-11111111"]));
    let full = targets("Management");
    assert_eq!(full.as_array().unwrap().len(), 2);
    assert!(
        full[0].get("Ref").is_some(),
        "the adopted OU, by reference: {full}"
    );
    assert!(
        full[1].get("Ref").is_some(),
        "the root id parameter: {full}"
    );
}

#[test]
fn only_new_accounts_wait_for_one_another() {
    let assembly = brownfield().synth().unwrap();
    let full = parse(assembly.template_json("Management").unwrap());
    let resources = full["Resources"].as_object().unwrap();
    for (logical, r) in resources {
        if r["Properties"]["AccountName"] == "New" {
            // The adopted accounts are never created: nothing waits for them.
            assert!(r.get("DependsOn").is_none(), "{logical}: {r}");
        }
    }
}

#[test]
fn an_app_without_adoption_has_no_import() {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app.add(&mgmt, Organization::create()).unwrap();
    app.add(&org, Account::new("Prod", "aws+prod@acme.example"))
        .unwrap();
    let assembly = app.synth().unwrap();
    assert!(assembly.template_json("Management.import").is_none());
    // Only the diagram: no resources to import.
    let files: Vec<&str> = assembly.files().map(|(name, _)| name).collect();
    assert_eq!(files, [orgstack::app::DIAGRAM_FILE]);
    assert!(!assembly.deploy_plan().contains("IMPORT"));
    assert!(parse(assembly.manifest()).get("imports").is_none());
}

#[test]
fn adopted_under_something_new_is_refused() {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app
        .add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    let new_ou = app.add(&org, OrganizationalUnit::new("Fresh")).unwrap();
    app.add(
        &new_ou,
        Account::new("Prod", "aws+prod@acme.example").adopt("111111111111"),
    )
    .unwrap();
    let err = app.synth().unwrap_err();
    let d = err.diagnostics();
    assert_eq!(d.len(), 1, "{err}");
    assert_eq!(d[0].rule, Rule::AdoptedReference);
    assert_eq!(d[0].path, "Management/Accounts/Prod");
    assert_eq!(d[0].value, "Management/Organization/Fresh");

    // A created organization does not exist yet either.
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app.add(&mgmt, Organization::create()).unwrap();
    app.add(
        &org,
        OrganizationalUnit::new("Old").adopt("ou-ab12-11111111"),
    )
    .unwrap();
    let err = app.synth().unwrap_err();
    assert_eq!(err.diagnostics()[0].rule, Rule::AdoptedReference);
}

#[test]
fn bad_adopted_ids_are_reported() {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app
        .add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    app.add(&org, OrganizationalUnit::new("A").adopt("ou-x"))
        .unwrap();
    app.add(&org, OrganizationalUnit::existing("B", "B"))
        .unwrap();
    app.add(&org, Account::new("C", "aws+c@acme.example").adopt("123"))
        .unwrap();
    app.add(
        &org,
        Policy::service_control(
            "D",
            PolicyDocument::new().statement(Statement::deny().action("s3:*").resource("*")),
        )
        .adopt("policy"),
    )
    .unwrap();
    let err = app.synth().unwrap_err();
    let mut rules: Vec<Rule> = err.diagnostics().iter().map(|d| d.rule).collect();
    rules.sort();
    let mut expected = vec![Rule::OuId, Rule::OuId, Rule::AccountId, Rule::PolicyId];
    expected.sort();
    assert_eq!(rules, expected, "{err}");
}

#[test]
fn an_existing_ou_is_a_parent_and_a_target_like_any_other() {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app
        .add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    let sandbox = app
        .add(
            &org,
            OrganizationalUnit::existing("Sandbox", "ou-ab12-22222222"),
        )
        .unwrap();
    assert!(sandbox.is_existing());
    let team = app.add(&sandbox, OrganizationalUnit::new("Team")).unwrap();
    assert_eq!(team.depth(), 2);
    let deny = app
        .add(
            &org,
            Policy::service_control(
                "DenyLeave",
                PolicyDocument::new().statement(
                    Statement::deny()
                        .action("organizations:LeaveOrganization")
                        .resource("*"),
                ),
            ),
        )
        .unwrap();
    deny.attach(&mut app, &sandbox);
    let roles = app
        .add(
            &mgmt,
            orgstack::stackset::StackSet::new("Roles", "roles").target(&sandbox),
        )
        .unwrap();
    app.add(
        &roles.template(),
        orgstack::iam::Role::assumable_with_mfa("Admin", "111111111111"),
    )
    .unwrap();
    let assembly = app.synth().unwrap();
    // Nothing exists to import: the existing OU is only referenced.
    assert!(assembly.template_json("Management.import").is_none());
    let t = parse(assembly.template_json("Management").unwrap());
    let params = t["Parameters"].as_object().unwrap();
    let (param, p) = params
        .iter()
        .find(|(_, p)| p["Default"] == "ou-ab12-22222222")
        .unwrap();
    assert_eq!(p["AllowedPattern"], "^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$");
    let by_ref = json!({ "Ref": param });
    let resources = t["Resources"].as_object().unwrap();
    let of_type = |ty: &str| resources.values().find(|r| r["Type"] == ty).unwrap();
    assert_eq!(
        of_type("AWS::Organizations::OrganizationalUnit")["Properties"]["ParentId"],
        by_ref
    );
    assert_eq!(
        of_type("AWS::Organizations::Policy")["Properties"]["TargetIds"],
        json!([by_ref])
    );
    assert_eq!(
        of_type("AWS::CloudFormation::StackSet")["Properties"]["StackInstancesGroup"][0]
            ["DeploymentTargets"]["OrganizationalUnitIds"],
        json!([by_ref])
    );
    assert_eq!(app.ous().count(), 1, "only the OU the app renders");

    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app
        .add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    app.add(&org, OrganizationalUnit::existing("Bad", "ou-nope"))
        .unwrap();
    let err = app.synth().unwrap_err();
    assert_eq!(err.diagnostics()[0].rule, Rule::OuId);
}
