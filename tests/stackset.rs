//! StackSets: member templates, parameters wired across the boundary, and the errors for
//! references the platform cannot express.

use orgstack::cfn::Resource;
use orgstack::iam::{PolicyDocument, Role, Statement};
use orgstack::org::{Account, AccountHandle, Organization, OrganizationalUnit, OuHandle};
use orgstack::stackset::{OperationPreferences, RegionConcurrency, StackSet};
use orgstack::CfnResource;
use orgstack::{App, Error, Rule, StackHandle};
use serde_json::{json, Value};

struct Org {
    app: App,
    mgmt: StackHandle,
    identity: AccountHandle,
    security: OuHandle,
    workloads: OuHandle,
}

fn org() -> Org {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app.add(&mgmt, Organization::create()).unwrap();
    let security = app.add(&org, OrganizationalUnit::new("Security")).unwrap();
    let workloads = app.add(&org, OrganizationalUnit::new("Workloads")).unwrap();
    let identity = app
        .add(
            &security,
            Account::new("Identity", "aws+identity@acme.example"),
        )
        .unwrap();
    Org {
        app,
        mgmt,
        identity,
        security,
        workloads,
    }
}

fn parse(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

fn resource_of_type<'a>(t: &'a Value, ty: &str) -> (&'a String, &'a Value) {
    t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, r)| r["Type"] == ty)
        .unwrap_or_else(|| panic!("no {ty}"))
}

/// Writes the assembly where CI lints it with cfn-lint and checkov.
fn write_for_lint(app: &App, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("assemblies")
        .join(name);
    app.synth_to(dir).unwrap();
}

#[test]
fn role_in_member_template_trusts_parent_account_through_a_parameter() {
    let mut o = org();
    let set = o
        .app
        .add(
            &o.mgmt,
            StackSet::new("WorkloadRoles", "workload-roles").target(&o.workloads),
        )
        .unwrap();
    o.app
        .add(
            &set.template(),
            Role::assumable_with_mfa("Admin", &o.identity).name("admin"),
        )
        .unwrap();
    let assembly = o.app.synth().unwrap();
    write_for_lint(&o.app, "stackset_trust");

    let parent = parse(assembly.template_json("Management").unwrap());
    let (account_id, _) = resource_of_type(&parent, "AWS::Organizations::Account");
    let (_, stack_set) = resource_of_type(&parent, "AWS::CloudFormation::StackSet");
    let params = stack_set["Properties"]["Parameters"].as_array().unwrap();
    assert_eq!(params.len(), 1);
    let key = params[0]["ParameterKey"].as_str().unwrap();
    assert_eq!(
        params[0]["ParameterValue"],
        json!({"Fn::GetAtt": [account_id, "AccountId"]})
    );
    assert_eq!(
        stack_set["Properties"]["Capabilities"],
        json!(["CAPABILITY_NAMED_IAM"])
    );

    let member = parse(
        assembly
            .template_json("Management.WorkloadRoles.Template")
            .unwrap(),
    );
    assert_eq!(member["Parameters"][key]["Type"], "String");
    let (_, role) = resource_of_type(&member, "AWS::IAM::Role");
    let principal =
        &role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["AWS"];
    assert_eq!(principal["Fn::Sub"][1]["AccountId"], json!({"Ref": key}));

    // The parent embeds exactly the member template it writes out, minified.
    let body = stack_set["Properties"]["TemplateBody"].as_str().unwrap();
    assert_eq!(parse(body), member);
    assert!(!body.contains('\n'));
}

#[test]
fn the_same_value_used_twice_is_one_parameter_with_a_stable_name() {
    let build = || {
        let mut o = org();
        let set = o
            .app
            .add(
                &o.mgmt,
                StackSet::new("Roles", "roles").target(&o.workloads),
            )
            .unwrap();
        for id in ["Admin", "ReadOnly"] {
            o.app
                .add(&set.template(), Role::assumable_with_mfa(id, &o.identity))
                .unwrap();
        }
        let a = o.app.synth().unwrap();
        let member = parse(a.template_json("Management.Roles.Template").unwrap());
        member["Parameters"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    let first = build();
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(first[0].starts_with("AccountsIdentity"), "{first:?}");
    assert!(first[0].ends_with("AccountId"), "{first:?}");
    assert_eq!(build(), first);
}

#[test]
fn account_filter_narrows_to_one_account() {
    let mut o = org();
    let set = o
        .app
        .add(
            &o.mgmt,
            StackSet::new("IdentityOnly", "identity-only")
                .target(&o.security)
                .only_account(&o.identity)
                .regions(["us-east-1", "eu-west-1"])
                .operation_preferences(
                    OperationPreferences::new()
                        .failure_tolerance_count(0)
                        .max_concurrent_count(1)
                        .region_concurrency(RegionConcurrency::Parallel),
                )
                .retain_stacks_on_account_removal(true),
        )
        .unwrap();
    o.app
        .add(
            &set.template(),
            orgstack::iam::Role::assumable_with_mfa("Ops", &o.identity),
        )
        .unwrap();
    let a = o.app.synth().unwrap();
    let parent = parse(a.template_json("Management").unwrap());
    let (account_id, _) = resource_of_type(&parent, "AWS::Organizations::Account");
    let (ou, _) = parent["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(id, _)| id.starts_with("OrganizationSecurity"))
        .unwrap();
    let (_, set) = resource_of_type(&parent, "AWS::CloudFormation::StackSet");
    let group = &set["Properties"]["StackInstancesGroup"][0];
    assert_eq!(
        group["DeploymentTargets"],
        json!({
            "OrganizationalUnitIds": [{"Ref": ou}],
            "Accounts": [{"Fn::GetAtt": [account_id, "AccountId"]}],
            "AccountFilterType": "INTERSECTION"
        })
    );
    assert_eq!(group["Regions"], json!(["us-east-1", "eu-west-1"]));
    assert_eq!(
        set["Properties"]["AutoDeployment"],
        json!({"Enabled": true, "RetainStacksOnAccountRemoval": true})
    );
    assert_eq!(
        set["Properties"]["OperationPreferences"],
        json!({"FailureToleranceCount": 0, "MaxConcurrentCount": 1, "RegionConcurrencyType": "PARALLEL"})
    );
    assert_eq!(set["Properties"]["PermissionModel"], "SERVICE_MANAGED");
    // The manifest records the StackSet, its targets, regions and member template file.
    let manifest = parse(a.manifest());
    let entry = &manifest["stackSets"][0];
    assert_eq!(
        entry["template"],
        "Management.IdentityOnly.Template.stackset.template.json"
    );
    assert_eq!(
        entry["properties"]["StackInstancesGroup"],
        set["Properties"]["StackInstancesGroup"]
    );
}

#[test]
fn a_member_value_used_in_the_parent_is_an_error() {
    let mut o = org();
    let set = o
        .app
        .add(
            &o.mgmt,
            StackSet::new("Roles", "roles").target(&o.workloads),
        )
        .unwrap();
    let role = o
        .app
        .add(
            &set.template(),
            Role::assumable_with_mfa("Admin", &o.identity),
        )
        .unwrap();
    o.app
        .add(
            &o.mgmt,
            CfnResource::new(
                "Topic",
                Resource::new("AWS::SNS::Topic").property("DisplayName", role.arn()),
            ),
        )
        .unwrap();
    let err = o.app.synth().unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!(d.rule, Rule::CrossBoundaryReference);
    assert_eq!(d.path, "Management/Topic");
    assert_eq!(d.value, "Management/Roles/Template/Admin");
    assert!(d
        .message
        .contains("cannot be referenced from the management account"));
}

#[test]
fn a_reference_into_another_stack_sets_member_template_is_an_error() {
    let mut o = org();
    let a = o
        .app
        .add(&o.mgmt, StackSet::new("A", "a").target(&o.workloads))
        .unwrap();
    let b = o
        .app
        .add(&o.mgmt, StackSet::new("B", "b").target(&o.workloads))
        .unwrap();
    let role = o
        .app
        .add(
            &a.template(),
            Role::assumable_with_mfa("Admin", &o.identity),
        )
        .unwrap();
    o.app
        .add(
            &b.template(),
            CfnResource::new(
                "Topic",
                Resource::new("AWS::SNS::Topic").property("DisplayName", role.arn()),
            ),
        )
        .unwrap();
    let err = o.app.synth().unwrap_err();
    let d = err
        .diagnostics()
        .iter()
        .find(|d| d.rule == Rule::CrossBoundaryReference)
        .unwrap();
    assert_eq!(d.path, "Management/B/Template/Topic");
    assert!(
        d.message.contains("another StackSet's member template"),
        "{}",
        d.message
    );
}

#[test]
fn a_member_template_over_51200_characters_is_refused_with_its_largest_resources() {
    let mut o = org();
    let set = o
        .app
        .add(&o.mgmt, StackSet::new("Big", "big").target(&o.workloads))
        .unwrap();
    for i in 0..40 {
        let actions: Vec<String> = (0..60)
            .map(|j| format!("ec2:DescribeThing{i}x{j}"))
            .collect();
        o.app
            .add(
                &set.template(),
                Role::assumable_with_mfa(format!("Role{i}"), &o.identity).inline_policy(
                    "Describe",
                    PolicyDocument::new()
                        .statement(Statement::allow().actions(actions).resource("*")),
                ),
            )
            .unwrap();
    }
    let err = o.app.synth().unwrap_err();
    let d = err
        .diagnostics()
        .iter()
        .find(|d| d.rule == Rule::TemplateBodySize)
        .unwrap_or_else(|| panic!("{err}"));
    assert_eq!(d.path, "Management/Big/Template");
    let size: usize = d.value.parse().unwrap();
    assert!(size > 51_200, "{size}");
    assert!(
        d.message.contains("largest resources: Role"),
        "{}",
        d.message
    );
}

#[test]
fn bad_names_and_missing_targets_are_reported_together() {
    let mut o = org();
    o.app
        .add(&o.mgmt, StackSet::new("Bad", "9-starts-with-digit"))
        .unwrap();
    let err = o.app.synth().unwrap_err();
    let Error::Validation(d) = &err else {
        panic!("{err}")
    };
    let found: Vec<(Rule, &str)> = d.iter().map(|d| (d.rule, d.path.as_str())).collect();
    // Its name, its missing targets, and its member template with no resources.
    assert_eq!(
        found,
        [
            (Rule::StackSetName, "Management/Bad"),
            (Rule::StackSetTargets, "Management/Bad"),
            (Rule::StackSetTargets, "Management/Bad/Template"),
        ]
    );
}
