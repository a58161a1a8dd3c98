//! The Organizations policy types: every type of the schema by name, the size quota and the
//! per-target quota of each type (AWS's own attached policies included), the quotas raised
//! through `Quotas`, and the size checked on the rendered resource, escape-hatch changes
//! included.

use orgstack::cfn::render::minified;
use orgstack::cfn::Value;
use orgstack::iam::{PolicyDocument, Statement};
use orgstack::org::{Organization, OrganizationHandle, OrganizationalUnit, Policy, PolicyType};
use orgstack::{obj, App, Diagnostic, Error, Quotas, Rule};
use serde_json::Value as Json;

/// The `Type` enum of `AWS::Organizations::Policy`, as the resource schema lists it.
const SCHEMA_TYPES: [&str; 14] = [
    "AISERVICES_OPT_OUT_POLICY",
    "BACKUP_POLICY",
    "BEDROCK_POLICY",
    "CHATBOT_POLICY",
    "DECLARATIVE_POLICY_EC2",
    "GUARDDUTY_POLICY",
    "INSPECTOR_POLICY",
    "NETWORK_SECURITY_DIRECTOR_POLICY",
    "RESOURCE_CONTROL_POLICY",
    "S3_POLICY",
    "SECURITYHUB_POLICY",
    "SERVICE_CONTROL_POLICY",
    "TAG_POLICY",
    "UPGRADE_ROLLOUT_POLICY",
];

// ----- helpers -----

fn management(quotas: Quotas) -> (App, OrganizationHandle) {
    let mut app = App::with_quotas(quotas);
    let stack = app.stack("Management").unwrap();
    let org = app.add(&stack, Organization::create()).unwrap();
    (app, org)
}

/// The diagnostics of a synthesis that must fail validation.
fn validation_errors(app: &App) -> Vec<Diagnostic> {
    match app.synth() {
        Err(e @ Error::Validation(_)) => e.diagnostics().to_vec(),
        Err(other) => panic!("expected a validation error, got {other}"),
        Ok(_) => panic!("expected a validation error, synthesis succeeded"),
    }
}

/// The one diagnostic of a synthesis that must fail.
fn single(app: &App) -> Diagnostic {
    let diags = validation_errors(app);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    diags.into_iter().next().unwrap()
}

fn synthesizes(app: &App) -> bool {
    match app.synth() {
        Ok(_) => true,
        Err(Error::Validation(d)) => {
            eprintln!("{d}");
            false
        }
        Err(other) => panic!("synthesis failed outside validation: {other}"),
    }
}

/// A deny-only document of exactly `len` characters minified (without a principal, as
/// an SCP takes it).
fn document_of_len(len: usize) -> PolicyDocument {
    sized_document(len, false)
}

/// As [`document_of_len`], denying to `"Principal": "*"` as an RCP must.
fn rcp_document_of_len(len: usize) -> PolicyDocument {
    sized_document(len, true)
}

fn sized_document(len: usize, any_principal: bool) -> PolicyDocument {
    let make = |pad: &str| {
        let st = Statement::deny()
            .action("s3:DeleteBucket")
            .resource(format!("arn:aws:s3:::{pad}"));
        let st = if any_principal {
            st.principal(orgstack::iam::Principal::any())
        } else {
            st
        };
        PolicyDocument::new().statement(st)
    };
    let base = make("").minified_len();
    let doc = make(&"x".repeat(len - base));
    assert_eq!(doc.minified_len(), len);
    doc
}

/// Management-policy JSON of exactly `len` characters minified.
fn json_of_len(len: usize) -> Value {
    let make = |pad: &str| {
        obj! { "services" => obj! { "default" => obj! {
            "opt_out_policy" => obj! { "@@assign" => "optOut" },
        } }, "note" => pad }
    };
    let base = make("").minified_len();
    let json = make(&"x".repeat(len - base));
    assert_eq!(json.minified_len(), len);
    json
}

/// A policy of type `ty` of `len` characters: a document for SCPs and RCPs, JSON otherwise.
fn policy_of_len(name: &str, ty: PolicyType, len: usize) -> Policy {
    match ty {
        PolicyType::ServiceControlPolicy => Policy::of_type(name, ty, document_of_len(len)),
        PolicyType::ResourceControlPolicy => Policy::of_type(name, ty, rcp_document_of_len(len)),
        ty => Policy::management(name, ty, json_of_len(len)),
    }
}

/// One policy of type `ty` and `len` characters, alone in an app with `quotas`.
fn one_policy(quotas: Quotas, ty: PolicyType, len: usize) -> App {
    let (mut app, org) = management(quotas);
    app.add(&org, policy_of_len("Big", ty, len)).unwrap();
    app
}

/// `n` policies of type `ty` attached to one OU.
fn on_one_ou(quotas: Quotas, ty: PolicyType, n: usize) -> App {
    let (mut app, org) = management(quotas);
    let ou = app.add(&org, OrganizationalUnit::new("Workloads")).unwrap();
    for i in 1..=n {
        let p = app
            .add(&org, policy_of_len(&format!("P{i}"), ty.clone(), 200))
            .unwrap();
        p.attach(&mut app, &ou);
    }
    app
}

fn template(app: &App) -> Json {
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(assembly.template_json("Management").unwrap()).unwrap()
}

/// The properties of every `AWS::Organizations::Policy` of the template, in order.
fn policy_properties(tpl: &Json) -> Vec<&Json> {
    tpl["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::Organizations::Policy")
        .map(|r| &r["Properties"])
        .collect()
}

// ----- the types -----

#[test]
fn every_schema_type_round_trips_through_its_aws_string() {
    let mut seen = Vec::new();
    for s in SCHEMA_TYPES {
        let ty: PolicyType = s.parse().unwrap();
        assert!(
            !matches!(ty, PolicyType::Other(_)),
            "{s} has no variant of its own"
        );
        assert_eq!(ty.as_str(), s);
        assert_eq!(ty.to_string(), s);
        assert_eq!(PolicyType::from(s.to_owned()), ty);
        assert!(!seen.contains(&ty), "{s} parses to a variant taken already");
        seen.push(ty);
    }
    let mut known: Vec<&str> = PolicyType::KNOWN.iter().map(PolicyType::as_str).collect();
    known.sort_unstable();
    assert_eq!(known, SCHEMA_TYPES, "KNOWN lists the schema's types");
}

#[test]
fn a_type_aws_adds_later_is_kept_as_written() {
    let ty: PolicyType = "FUTURE_POLICY".parse().unwrap();
    assert_eq!(ty, PolicyType::Other("FUTURE_POLICY".into()));
    assert_eq!(ty.as_str(), "FUTURE_POLICY");
}

#[test]
fn every_type_renders_its_aws_string_and_its_content() {
    let (mut app, org) = management(Quotas::default());
    for (i, ty) in PolicyType::KNOWN.iter().enumerate() {
        app.add(&org, policy_of_len(&format!("P{i}"), ty.clone(), 300))
            .unwrap();
    }
    let tpl = template(&app);
    let props = policy_properties(&tpl);
    let mut types: Vec<&str> = props.iter().map(|p| p["Type"].as_str().unwrap()).collect();
    types.sort_unstable();
    assert_eq!(types, SCHEMA_TYPES);
    // Management policies carry their JSON as given.
    let tag = props.iter().find(|p| p["Type"] == "TAG_POLICY").unwrap();
    let expected: Json = serde_json::from_str(&minified(&json_of_len(300)).unwrap()).unwrap();
    assert_eq!(tag["Content"], expected);
    assert_eq!(
        tag["Content"]["services"]["default"]["opt_out_policy"]["@@assign"],
        "optOut"
    );
}

#[test]
fn a_known_type_given_as_other_is_that_type() {
    let (mut app, org) = management(Quotas::default());
    app.add(
        &org,
        Policy::management(
            "OptOut",
            PolicyType::Other("AISERVICES_OPT_OUT_POLICY".into()),
            json_of_len(3_000),
        ),
    )
    .unwrap();
    assert_eq!(
        app.policies().next().unwrap().policy_type(),
        &PolicyType::AiServicesOptOutPolicy
    );
    let d = single(&app);
    assert_eq!((d.rule, d.value.as_str()), (Rule::PolicySize, "3000"));
}

// ----- size per type -----

#[test]
fn a_6000_character_rcp_is_refused_and_an_scp_of_the_same_size_is_not() {
    assert!(synthesizes(&one_policy(
        Quotas::default(),
        PolicyType::ServiceControlPolicy,
        6_000
    )));
    let d = single(&one_policy(
        Quotas::default(),
        PolicyType::ResourceControlPolicy,
        6_000,
    ));
    assert_eq!(d.rule, Rule::PolicySize);
    assert_eq!(d.path, "Management/Policies/Big");
    assert_eq!(d.value, "6000");
    assert_eq!(
        d.message,
        "the policy is 6000 characters minified (intrinsics counted at their longest); \
         Organizations accepts at most 5120 for type RESOURCE_CONTROL_POLICY"
    );
    let shown = d.to_string();
    for part in [
        "Management/Policies/Big",
        "RESOURCE_CONTROL_POLICY",
        "6000",
        "5120",
    ] {
        assert!(shown.contains(part), "{part} missing from {shown}");
    }
}

#[test]
fn rcp_size_boundary() {
    let rcp = PolicyType::ResourceControlPolicy;
    assert!(synthesizes(&one_policy(
        Quotas::default(),
        rcp.clone(),
        5_120
    )));
    let d = single(&one_policy(Quotas::default(), rcp, 5_121));
    assert_eq!((d.rule, d.value.as_str()), (Rule::PolicySize, "5121"));
}

#[test]
fn a_3000_character_ai_opt_out_policy_is_refused() {
    let ty = PolicyType::AiServicesOptOutPolicy;
    assert!(synthesizes(&one_policy(
        Quotas::default(),
        ty.clone(),
        2_500
    )));
    let d = single(&one_policy(Quotas::default(), ty, 3_000));
    assert_eq!(d.rule, Rule::PolicySize);
    assert_eq!(d.path, "Management/Policies/Big");
    assert_eq!(d.value, "3000");
    assert!(
        d.message
            .ends_with("accepts at most 2500 for type AISERVICES_OPT_OUT_POLICY"),
        "{}",
        d.message
    );
}

#[test]
fn management_types_accept_10000_characters() {
    for ty in [
        PolicyType::TagPolicy,
        PolicyType::BackupPolicy,
        PolicyType::ChatbotPolicy,
        PolicyType::DeclarativePolicyEc2,
        PolicyType::SecurityHubPolicy,
        PolicyType::GuardDutyPolicy,
        PolicyType::InspectorPolicy,
        PolicyType::BedrockPolicy,
        PolicyType::S3Policy,
        PolicyType::NetworkSecurityDirectorPolicy,
        PolicyType::UpgradeRolloutPolicy,
        PolicyType::Other("FUTURE_POLICY".into()),
    ] {
        assert!(
            synthesizes(&one_policy(Quotas::default(), ty.clone(), 10_000)),
            "{ty}"
        );
        let d = single(&one_policy(Quotas::default(), ty.clone(), 10_001));
        assert_eq!((d.rule, d.value.as_str()), (Rule::PolicySize, "10001"));
        assert!(
            d.message.contains(&format!("10000 for type {ty}")),
            "{}",
            d.message
        );
    }
}

#[test]
fn a_raised_size_quota_is_honoured() {
    let mut quotas = Quotas::default();
    quotas.policies.resource_control.size = 10_240;
    assert!(synthesizes(&one_policy(
        quotas,
        PolicyType::ResourceControlPolicy,
        6_000
    )));

    let mut quotas = Quotas::default();
    quotas.policy_mut(&PolicyType::AiServicesOptOutPolicy).size = 3_000;
    assert!(synthesizes(&one_policy(
        quotas.clone(),
        PolicyType::AiServicesOptOutPolicy,
        3_000
    )));
    // Raising one type leaves the others as they were.
    let d = single(&one_policy(
        quotas,
        PolicyType::ResourceControlPolicy,
        6_000,
    ));
    assert_eq!(d.rule, Rule::PolicySize);
}

#[test]
fn a_lowered_quota_is_honoured() {
    let mut quotas = Quotas::default();
    quotas.policies.service_control.size = 5_120; // the quota before 2026-05-15
    let d = single(&one_policy(quotas, PolicyType::ServiceControlPolicy, 6_000));
    assert!(
        d.message
            .ends_with("accepts at most 5120 for type SERVICE_CONTROL_POLICY"),
        "{}",
        d.message
    );
}

// ----- size through the escape hatch -----

#[test]
fn content_changed_through_the_escape_hatch_is_checked_against_its_type() {
    let (mut app, org) = management(Quotas::default());
    let rcp = app
        .add(
            &org,
            Policy::resource_control("Rcp", rcp_document_of_len(1_000)),
        )
        .unwrap();
    assert!(synthesizes(&app));
    app.resource_mut(&rcp)
        .unwrap()
        .properties
        .insert("Content".into(), rcp_document_of_len(6_000).to_value());
    let d = single(&app);
    assert_eq!(
        (d.rule, d.path.as_str(), d.value.as_str()),
        (Rule::PolicySize, "Management/Policies/Rcp", "6000")
    );
    assert!(
        d.message.contains("RESOURCE_CONTROL_POLICY"),
        "{}",
        d.message
    );
}

#[test]
fn type_changed_through_the_escape_hatch_is_the_one_checked() {
    let (mut app, org) = management(Quotas::default());
    let scp = app
        .add(&org, Policy::service_control("Scp", document_of_len(6_000)))
        .unwrap();
    assert!(synthesizes(&app));
    app.resource_mut(&scp)
        .unwrap()
        .properties
        .insert("Type".into(), Value::from("RESOURCE_CONTROL_POLICY"));
    let d = single(&app);
    assert_eq!((d.rule, d.value.as_str()), (Rule::PolicySize, "6000"));
    assert!(
        d.message.ends_with("5120 for type RESOURCE_CONTROL_POLICY"),
        "{}",
        d.message
    );
}

// ----- per target, per type -----

#[test]
fn six_rcps_on_one_ou_are_refused_six_scps_are_not() {
    assert!(synthesizes(&on_one_ou(
        Quotas::default(),
        PolicyType::ServiceControlPolicy,
        6
    )));

    let diags = validation_errors(&on_one_ou(
        Quotas::default(),
        PolicyType::ResourceControlPolicy,
        6,
    ));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    assert_eq!(d.rule, Rule::PoliciesPerTarget);
    assert_eq!(d.path, "Management/Organization/Workloads");
    assert_eq!(d.value, "7");
    assert!(
        d.message.starts_with(
            "7 policies of type RESOURCE_CONTROL_POLICY are attached to `Management/Organization/Workloads` \
             (RCPFullAWSAccess included); at most 5 are allowed"
        ),
        "{}",
        d.message
    );
}

#[test]
fn rcp_full_aws_access_counts_on_every_target() {
    let rcp = PolicyType::ResourceControlPolicy;
    assert!(synthesizes(&on_one_ou(Quotas::default(), rcp.clone(), 4)));
    let d = single(&on_one_ou(Quotas::default(), rcp.clone(), 5));
    assert_eq!((d.rule, d.value.as_str()), (Rule::PoliciesPerTarget, "6"));

    // Detaching FullAWSAccess (an SCP) leaves RCPFullAWSAccess, which cannot be detached.
    let mut app = App::new();
    let stack = app.stack("Management").unwrap();
    let org = app
        .add(
            &stack,
            Organization::create().full_aws_access_attached(false),
        )
        .unwrap();
    for i in 1..=5 {
        let p = app
            .add(&org, policy_of_len(&format!("R{i}"), rcp.clone(), 200))
            .unwrap();
        p.attach(&mut app, &org);
    }
    let d = single(&app);
    assert_eq!(
        (d.rule, d.path.as_str(), d.value.as_str()),
        (Rule::PoliciesPerTarget, "Management/Organization", "6")
    );
}

#[test]
fn ai_opt_out_and_tag_policies_count_against_their_own_quota() {
    let opt_out = PolicyType::AiServicesOptOutPolicy;
    assert!(synthesizes(&on_one_ou(
        Quotas::default(),
        opt_out.clone(),
        5
    )));
    let d = single(&on_one_ou(Quotas::default(), opt_out, 6));
    assert_eq!((d.rule, d.value.as_str()), (Rule::PoliciesPerTarget, "6"));
    assert!(
        d.message.starts_with(
            "6 policies of type AISERVICES_OPT_OUT_POLICY are attached to `Management/Organization/Workloads`; at most 5"
        ),
        "{}",
        d.message
    );

    assert!(synthesizes(&on_one_ou(
        Quotas::default(),
        PolicyType::TagPolicy,
        10
    )));
    let d = single(&on_one_ou(Quotas::default(), PolicyType::TagPolicy, 11));
    assert_eq!((d.rule, d.value.as_str()), (Rule::PoliciesPerTarget, "11"));
}

#[test]
fn types_are_counted_apart_on_one_target() {
    // Four RCPs (five with RCPFullAWSAccess), nine SCPs (ten with FullAWSAccess) and five
    // AI services opt-out policies all fit on one OU: each type has its own quota.
    let (mut app, org) = management(Quotas::default());
    let ou = app.add(&org, OrganizationalUnit::new("Workloads")).unwrap();
    for (ty, n) in [
        (PolicyType::ResourceControlPolicy, 4),
        (PolicyType::ServiceControlPolicy, 9),
        (PolicyType::AiServicesOptOutPolicy, 5),
    ] {
        for i in 1..=n {
            let name = format!("{}{i}", &ty.as_str()[..3]);
            let p = app
                .add(&org, policy_of_len(&name, ty.clone(), 200))
                .unwrap();
            p.attach(&mut app, &ou);
        }
    }
    assert!(synthesizes(&app));
}

#[test]
fn a_raised_per_target_quota_is_honoured() {
    let mut quotas = Quotas::default();
    quotas.policies.resource_control.per_target = 7;
    assert!(synthesizes(&on_one_ou(
        quotas.clone(),
        PolicyType::ResourceControlPolicy,
        6
    )));
    let d = single(&on_one_ou(quotas, PolicyType::ResourceControlPolicy, 7));
    assert!(d.message.contains("at most 7 are allowed"), "{}", d.message);

    let mut quotas = Quotas::default();
    quotas
        .policy_mut(&PolicyType::ServiceControlPolicy)
        .per_target = 5;
    let d = single(&on_one_ou(quotas, PolicyType::ServiceControlPolicy, 5));
    assert_eq!(
        (d.rule, d.value.as_str()),
        (Rule::PoliciesPerTarget, "6"),
        "five SCPs and FullAWSAccess are one too many for a quota of 5"
    );
}

#[test]
fn an_rcp_denies_to_every_principal_and_nothing_else() {
    let (mut app, org) = management(Quotas::default());
    let allow = PolicyDocument::new().statement(
        Statement::allow()
            .principal(orgstack::iam::Principal::any())
            .action("s3:*")
            .resource("*"),
    );
    let no_principal = PolicyDocument::new().statement(
        Statement::deny()
            .sid("NoPrincipal")
            .action("s3:*")
            .resource("*"),
    );
    app.add(&org, Policy::resource_control("Allows", allow))
        .unwrap();
    app.add(&org, Policy::resource_control("Nobody", no_principal))
        .unwrap();
    // The shape AWS documents passes.
    app.add(
        &org,
        Policy::resource_control("Fine", rcp_document_of_len(200)),
    )
    .unwrap();
    let found: Vec<(String, Rule, String)> = validation_errors(&app)
        .into_iter()
        .map(|d| (d.path, d.rule, d.value))
        .collect();
    assert_eq!(
        found,
        [
            (
                "Management/Policies/Allows".into(),
                Rule::ScpGrammar,
                "Statement[0]".into()
            ),
            (
                "Management/Policies/Nobody".into(),
                Rule::ScpGrammar,
                "Statement[0] (Sid NoPrincipal)".into(),
            ),
        ]
    );
}

// ----- the typed GuardDuty policy -----

#[test]
fn a_guardduty_policy_renders_its_blocks_and_its_type_is_enabled_by_the_plan() {
    use orgstack::services::{GuardDutyBlock, GuardDutyFeature, GuardDutyPolicy};
    let (mut app, org) = management(Quotas::default());
    let policy = GuardDutyPolicy::new()
        .default_block(GuardDutyBlock::new().enable(GuardDutyFeature::Foundational))
        .region(
            "eu-west-1",
            GuardDutyBlock::new()
                .enable(GuardDutyFeature::Foundational)
                .enable(GuardDutyFeature::RdsLoginEvents),
        )
        .add_to(&mut app, &org, "GuardDutyEverywhere")
        .unwrap();
    policy.attach(&mut app, &org);
    let assembly = app.synth().unwrap();
    let t: Json = serde_json::from_str(assembly.template_json("Management").unwrap()).unwrap();
    let (_, res) = t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, r)| r["Properties"]["Type"] == "GUARDDUTY_POLICY")
        .unwrap();
    assert_eq!(res["Type"], "AWS::Organizations::Policy");
    assert_eq!(res["Properties"]["Name"], "GuardDutyEverywhere");
    assert_eq!(
        res["Properties"]["Content"],
        serde_json::json!({ "guardduty": {
            "default": { "foundational": { "@@assign": "enabled" } },
            "eu-west-1": {
                "foundational": { "@@assign": "enabled" },
                "rds_login_events": { "@@assign": "enabled" }
            }
        } })
    );
    assert!(assembly
        .deploy_plan()
        .contains("enable-policy-type --root-id \"$ROOT_ID\" --policy-type GUARDDUTY_POLICY"));
}

#[test]
fn a_guardduty_policy_without_blocks_or_features_is_reported_at_its_path() {
    use orgstack::services::{GuardDutyBlock, GuardDutyFeature, GuardDutyPolicy};
    let (mut app, org) = management(Quotas::default());
    GuardDutyPolicy::new()
        .add_to(&mut app, &org, "Empty")
        .unwrap();
    GuardDutyPolicy::new()
        .region("eu-west-1", GuardDutyBlock::new())
        .region(
            "eu_west_2",
            GuardDutyBlock::new().enable(GuardDutyFeature::Foundational),
        )
        .add_to(&mut app, &org, "Regions")
        .unwrap();
    let found: Vec<(String, Rule, String)> = validation_errors(&app)
        .into_iter()
        .map(|d| (d.path, d.rule, d.value))
        .collect();
    assert_eq!(
        found,
        [
            (
                "Management/Policies/Empty".to_owned(),
                Rule::PolicyDocument,
                "{}".to_owned()
            ),
            (
                "Management/Policies/Regions".to_owned(),
                Rule::PolicyDocument,
                "eu-west-1".to_owned()
            ),
            (
                "Management/Policies/Regions".to_owned(),
                Rule::Region,
                "eu_west_2".to_owned()
            ),
        ]
    );
}
