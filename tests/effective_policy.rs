//! Effective management policies, computed offline, on the inheritance examples of the
//! AWS Organizations user guide ("Inheritance examples", tag policies A to K), each result
//! asserted as the guide shows it.

use orgstack::org::{Account, Organization, OrganizationalUnit, Policy, PolicyType};
use orgstack::services::{
    effective_policy, effective_policy_of, AiOptOut, AiServicesOptOutPolicy, ChildOperators,
    Operator, Setting, TagPolicy,
};
use orgstack::App;
use serde_json::{json, Value};

/// Policy A: the root's CostCenter tag with two values.
fn policy_a() -> Value {
    json!({ "tags": { "costcenter": {
        "tag_key": { "@@assign": "CostCenter" },
        "tag_value": { "@@assign": ["Development", "Support"] }
    } } })
}

#[test]
fn policy_a_is_what_the_typed_tag_policy_writes() {
    let typed = TagPolicy::new().tag(
        "costcenter",
        Setting::assign("CostCenter"),
        Some(Setting::assign(vec!["Development", "Support"])),
        None,
    );
    assert_eq!(typed.to_json(), policy_a());
}

#[test]
fn example_1_a_child_assign_overwrites_the_values() {
    let b = json!({ "tags": { "costcenter": {
        "tag_key": { "@@assign": "CostCenter" },
        "tag_value": { "@@assign": ["Sandbox"] },
        "enforced_for": { "@@assign": ["redshift:*", "dynamodb:table"] }
    } } });
    assert_eq!(
        effective_policy(&[vec![policy_a()], vec![b]]),
        Some(json!({ "tags": { "costcenter": {
            "tag_key": "CostCenter",
            "tag_value": ["Sandbox"],
            "enforced_for": ["redshift:*", "dynamodb:table"]
        } } }))
    );
}

fn policy_c() -> Value {
    TagPolicy::new()
        .tag(
            "costcenter",
            Setting::assign("CostCenter"),
            Some(Setting::append(["Marketing"])),
            Some(Setting::append(["redshift:*", "dynamodb:table"])),
        )
        .to_json()
}

#[test]
fn example_2_a_child_append_adds_values() {
    assert_eq!(
        effective_policy(&[vec![policy_a()], vec![policy_c()]]),
        Some(json!({ "tags": { "costcenter": {
            "tag_key": "CostCenter",
            "tag_value": ["Development", "Support", "Marketing"],
            "enforced_for": ["redshift:*", "dynamodb:table"]
        } } }))
    );
}

#[test]
fn example_3_an_account_policy_removes_values() {
    // Policy D as the guide means it: its listing nests `enforced_for` inside
    // `tag_value`, but the effective policy it shows removes both lists' values.
    let d = TagPolicy::new()
        .tag(
            "costcenter",
            Setting::assign("CostCenter"),
            Some(Setting::remove(["Development", "Marketing"])),
            Some(Setting::remove(["redshift:*", "dynamodb:table"])),
        )
        .to_json();
    assert_eq!(
        effective_policy(&[vec![policy_a()], vec![policy_c()], vec![d]]),
        Some(json!({ "tags": { "costcenter": {
            "tag_key": "CostCenter",
            "tag_value": ["Support"]
        } } }))
    );
}

#[test]
fn example_4_child_control_operators_lock_the_key() {
    let e = TagPolicy::new()
        .tag(
            "project",
            Setting::assign("Project").children(ChildOperators::None),
            Some(
                Setting::assign(vec!["Maintenance", "Escalations"])
                    .children(ChildOperators::Only(vec![Operator::Append])),
            ),
            None,
        )
        .to_json();
    assert_eq!(
        e["tags"]["project"]["tag_key"]["@@operators_allowed_for_child_policies"],
        json!(["@@none"])
    );
    let f = json!({ "tags": { "project": {
        "tag_key": { "@@assign": "PROJECT" },
        "tag_value": { "@@append": ["Escalations - research"] }
    } } });
    assert_eq!(
        effective_policy(&[vec![e], vec![f]]),
        Some(json!({ "tags": { "project": {
            "tag_key": "Project",
            "tag_value": ["Maintenance", "Escalations", "Escalations - research"]
        } } }))
    );
}

#[test]
fn example_5_limits_of_one_level_intersect() {
    let g = json!({ "tags": { "project": { "tag_value": {
        "@@operators_allowed_for_child_policies": ["@@append"],
        "@@assign": ["Maintenance"]
    } } } });
    let h = json!({ "tags": { "project": { "tag_value": {
        "@@operators_allowed_for_child_policies": ["@@append", "@@remove"]
    } } } });
    // A child may append, not remove: `Maintenance` stays.
    let child = json!({ "tags": { "project": { "tag_value": {
        "@@append": ["Research"],
        "@@remove": ["Maintenance"]
    } } } });
    assert_eq!(
        effective_policy(&[vec![g, h], vec![child]]),
        Some(json!({ "tags": { "project": { "tag_value": ["Maintenance", "Research"] } } }))
    );
}

#[test]
fn example_6_the_first_policy_attached_to_a_level_wins() {
    let j = json!({ "tags": { "project": {
        "tag_key": { "@@assign": "PROJECT" },
        "tag_value": { "@@append": ["Maintenance"] }
    } } });
    let k = json!({ "tags": { "project": { "tag_key": { "@@assign": "project" } } } });
    let expected = json!({ "tags": { "project": {
        "tag_key": "PROJECT",
        "tag_value": ["Maintenance"]
    } } });
    assert_eq!(
        effective_policy(&[vec![j.clone(), k.clone()]]),
        Some(expected)
    );
    // Attached the other way round, the other key wins.
    assert_eq!(
        effective_policy(&[vec![k, j]]).unwrap()["tags"]["project"]["tag_key"],
        "project"
    );
}

#[test]
fn the_effective_policy_of_an_account_of_the_app() {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app.add(&mgmt, Organization::create()).unwrap();
    let ou1 = app.add(&org, OrganizationalUnit::new("OU1")).unwrap();
    let ou2 = app.add(&org, OrganizationalUnit::new("OU2")).unwrap();
    let in_ou1 = app
        .add(&ou1, Account::new("One", "aws+one@acme.example"))
        .unwrap();
    let in_ou2 = app
        .add(&ou2, Account::new("Nine", "aws+nine@acme.example"))
        .unwrap();
    let a = app
        .add(
            &org,
            Policy::management(
                "RootTags",
                PolicyType::TagPolicy,
                TagPolicy::new()
                    .tag(
                        "costcenter",
                        Setting::assign("CostCenter"),
                        Some(Setting::assign(vec!["Development", "Support"])),
                        None,
                    )
                    .content(),
            ),
        )
        .unwrap();
    a.attach(&mut app, &org);
    let c = app
        .add(
            &org,
            Policy::management(
                "Ou2Tags",
                PolicyType::TagPolicy,
                TagPolicy::new()
                    .tag(
                        "costcenter",
                        Setting::assign("CostCenter"),
                        Some(Setting::append(["Marketing"])),
                        None,
                    )
                    .content(),
            ),
        )
        .unwrap();
    c.attach(&mut app, &ou2);
    let opt_out = app
        .add(
            &org,
            Policy::management(
                "OptOut",
                PolicyType::AiServicesOptOutPolicy,
                AiServicesOptOutPolicy::new()
                    .service("default", AiOptOut::OptOut, true)
                    .content(),
            ),
        )
        .unwrap();
    opt_out.attach(&mut app, &org);

    let tags = |acct| effective_policy_of(&app, acct, &PolicyType::TagPolicy).unwrap();
    assert_eq!(
        tags(&in_ou1)["tags"]["costcenter"]["tag_value"],
        json!(["Development", "Support"])
    );
    assert_eq!(
        tags(&in_ou2)["tags"]["costcenter"]["tag_value"],
        json!(["Development", "Support", "Marketing"])
    );
    assert_eq!(
        effective_policy_of(&app, &in_ou2, &PolicyType::AiServicesOptOutPolicy),
        Some(json!({ "services": { "default": { "opt_out_policy": "optOut" } } }))
    );
    assert_eq!(
        effective_policy_of(&app, &in_ou1, &PolicyType::BackupPolicy),
        None
    );
    // The policies synthesize, their types enabled by the plan.
    let assembly = app.synth().unwrap();
    assert!(assembly
        .deploy_plan()
        .contains("--policy-type AISERVICES_OPT_OUT_POLICY"));
}

#[test]
fn a_security_hub_policy_inherits_its_regions() {
    use orgstack::services::{SecurityHubPolicy, ALL_SUPPORTED};
    let root = SecurityHubPolicy::new().enable_in([ALL_SUPPORTED]);
    let ou = SecurityHubPolicy::new().disable_in(["ap-east-1"]);
    // Both lists are written, as the policy type requires, empty or not.
    assert_eq!(
        root.to_json(),
        json!({ "securityhub": {
            "enable_in_regions": { "@@append": ["ALL_SUPPORTED"] },
            "disable_in_regions": { "@@append": [] }
        } })
    );
    assert_eq!(
        effective_policy(&[vec![root.to_json()], vec![ou.to_json()]]),
        Some(json!({ "securityhub": {
            "enable_in_regions": ["ALL_SUPPORTED"],
            "disable_in_regions": ["ap-east-1"]
        } }))
    );
    // Locked at the root, an OU cannot disable a region.
    let locked = SecurityHubPolicy::new().enable_in([ALL_SUPPORTED]).locked();
    assert_eq!(
        effective_policy(&[vec![locked.to_json()], vec![ou.to_json()]]),
        Some(json!({ "securityhub": { "enable_in_regions": ["ALL_SUPPORTED"] } }))
    );
}

#[test]
fn a_guardduty_policy_of_an_ou_overrides_a_region_of_the_root() {
    use orgstack::services::{GuardDutyBlock, GuardDutyFeature, GuardDutyPolicy};
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app.add(&mgmt, Organization::create()).unwrap();
    let prod = app.add(&org, OrganizationalUnit::new("Prod")).unwrap();
    let account = app
        .add(&prod, Account::new("Shop", "aws+shop@acme.example"))
        .unwrap();
    let root = GuardDutyPolicy::new()
        .default_block(GuardDutyBlock::new().enable(GuardDutyFeature::Foundational))
        .add_to(&mut app, &org, "GuardDutyRoot")
        .unwrap();
    root.attach(&mut app, &org);
    let ou = GuardDutyPolicy::new()
        .default_block(
            GuardDutyBlock::new()
                .enable(GuardDutyFeature::Foundational)
                .enable(GuardDutyFeature::S3DataEvents),
        )
        .add_to(&mut app, &org, "GuardDutyProd")
        .unwrap();
    ou.attach(&mut app, &prod);
    assert_eq!(
        effective_policy_of(&app, &account, &PolicyType::GuardDutyPolicy),
        Some(json!({ "guardduty": { "default": {
            "foundational": "enabled",
            "s3_data_events": "enabled"
        } } }))
    );
}
