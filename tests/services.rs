#![cfg(feature = "testing")]
//! The security services: delegated administrators, AWS Config in every account, the
//! administrator's resources, and the five-account layout with all of them on.

use orgstack::org::{Account, Organization, OrganizationalUnit};
use orgstack::services::{ConfigRule, DelegatedAdministrator, SecurityServices, Service};
use orgstack::{App, Rule};
use serde_json::Value;

#[path = "../examples/five_account_services.rs"]
#[allow(dead_code)]
mod services_example;

fn parse(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

fn of_type<'a>(t: &'a Value, ty: &str) -> Vec<(&'a String, &'a Value)> {
    t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == ty)
        .collect()
}

#[test]
fn the_layout_with_its_services_is_written_for_linting() {
    let app = services_example::app().unwrap();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("assemblies")
        .join("five_account_services");
    let assembly = app.synth_to(&dir).unwrap();
    assert!(dir.join("Services.template.json").exists());
    // Every StackSet's member template is written beside it, for the linters too.
    let members = assembly
        .artifacts()
        .iter()
        .filter(|a| a.stack_name.starts_with("Services.SecurityServices."))
        .count();
    assert_eq!(members, 4);
}

#[test]
fn global_resources_are_recorded_in_the_home_region_only() {
    let assembly = services_example::app().unwrap().synth().unwrap();
    let home = parse(
        assembly
            .template_json("Services.SecurityServices.ConfigRecorders.Template")
            .unwrap(),
    );
    let others = parse(
        assembly
            .template_json("Services.SecurityServices.ConfigRegionalRecorders.Template")
            .unwrap(),
    );
    let global = |t: &Value| {
        of_type(t, "AWS::Config::ConfigurationRecorder")[0].1["Properties"]["RecordingGroup"]
            ["IncludeGlobalResourceTypes"]
            .clone()
    };
    assert_eq!(global(&home), true);
    assert_eq!(global(&others), false);
    // The service-linked role is global: created once, with the home region's recorder.
    assert_eq!(of_type(&home, "AWS::IAM::ServiceLinkedRole").len(), 1);
    assert!(of_type(&others, "AWS::IAM::ServiceLinkedRole").is_empty());
    let sets = parse(assembly.template_json("Services").unwrap());
    let regions = |name: &str| {
        of_type(&sets, "AWS::CloudFormation::StackSet")
            .into_iter()
            .find(|(_, r)| r["Properties"]["StackSetName"] == name)
            .unwrap()
            .1["Properties"]["StackInstancesGroup"][0]["Regions"]
            .clone()
    };
    assert_eq!(
        regions("acme-config-recorders"),
        serde_json::json!(["us-east-1"])
    );
    assert_eq!(
        regions("acme-config-regional-recorders"),
        serde_json::json!(["eu-west-1"])
    );
    // The management account records too, in the home region.
    assert_eq!(
        of_type(&sets, "AWS::Config::ConfigurationRecorder").len(),
        1
    );
}

#[test]
fn config_delivers_to_a_bucket_of_its_own_without_object_lock() {
    let assembly = services_example::app().unwrap().synth().unwrap();
    let t = parse(
        assembly
            .template_json("Services.SecurityServices.ConfigBucket.Template")
            .unwrap(),
    );
    let (_, bucket) = of_type(&t, "AWS::S3::Bucket")[0];
    assert!(bucket["Properties"]
        .get("ObjectLockConfiguration")
        .is_none());
    assert_eq!(bucket["DeletionPolicy"], "Retain");
    let (_, policy) = of_type(&t, "AWS::S3::BucketPolicy")[0];
    let statements = policy["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap();
    let writes = statements
        .iter()
        .find(|s| s["Sid"] == "ConfigWritesHistory")
        .unwrap();
    assert_eq!(writes["Principal"]["Service"], "config.amazonaws.com");
    assert!(writes["Condition"]["StringEquals"]
        .get("aws:SourceOrgID")
        .is_some());
    // The log archive (Object Lock) is untouched: the layout's audit template is the same.
    let layout_only = {
        let mut app = App::new();
        let m = app.stack("Management").unwrap();
        app.add(
            &m,
            orgstack::layouts::FiveAccountLayout::builder("acme")
                .email_domain("aws.acme.example")
                .allowed_regions(["us-east-1", "eu-west-1"])
                .alert_email("cloud-alerts@acme.example"),
        )
        .unwrap();
        app.synth().unwrap()
    };
    assert_eq!(
        assembly.template_json("Management.AuditAccount.Template"),
        layout_only.template_json("Management.AuditAccount.Template")
    );
}

#[test]
fn the_administrator_holds_the_organization_wide_resources() {
    let assembly = services_example::app().unwrap().synth().unwrap();
    let t = parse(
        assembly
            .template_json("Services.SecurityServices.SecurityAdministration.Template")
            .unwrap(),
    );
    let aggregator = &of_type(&t, "AWS::Config::ConfigurationAggregator")[0].1["Properties"];
    assert_eq!(
        aggregator["OrganizationAggregationSource"]["AllAwsRegions"],
        true
    );
    let rules = of_type(&t, "AWS::Config::OrganizationConfigRule");
    assert_eq!(rules.len(), ConfigRule::baseline().len());
    // Created one at a time: each but the first waits for the one before.
    let waiting = rules
        .iter()
        .filter(|(_, r)| r.get("DependsOn").is_some())
        .count();
    assert_eq!(waiting, rules.len() - 1);
    assert_eq!(
        of_type(&t, "AWS::AccessAnalyzer::Analyzer")[0].1["Properties"]["Type"],
        "ORGANIZATION"
    );
    let fms = &of_type(&t, "AWS::FMS::Policy")[0].1["Properties"];
    // Scoped to the workloads OU, whose id crosses into the member template as a parameter.
    assert!(
        fms["IncludeMap"]["ORGUNIT"][0].get("Ref").is_some(),
        "{fms}"
    );
    assert_eq!(
        of_type(&t, "AWS::SecurityHub::OrganizationConfiguration")[0].1["Properties"]["AutoEnable"],
        true
    );
    // The administration waits for Security Hub's delegated admin in the services stack.
    let services = parse(assembly.template_json("Services").unwrap());
    let (admin_id, _) = of_type(&services, "AWS::SecurityHub::DelegatedAdmin")[0];
    let (_, set) = of_type(&services, "AWS::CloudFormation::StackSet")
        .into_iter()
        .find(|(_, r)| r["Properties"]["StackSetName"] == "acme-security-administration")
        .unwrap();
    let deps: Vec<&str> = set["DependsOn"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert!(deps.contains(&admin_id.as_str()), "{deps:?}");
}

/// An organization with an audit account administering `services` from a stack of their
/// own.
fn services_app(
    services: impl FnOnce(SecurityServices) -> SecurityServices,
) -> (App, orgstack::services::SecurityServicesHandle) {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app.add(&mgmt, Organization::create()).unwrap();
    let audit = app
        .add(&org, Account::new("Audit", "aws+audit@acme.example"))
        .unwrap();
    let stack = app.stack("Services").unwrap();
    let handle = app
        .add(&stack, services(SecurityServices::new("acme", org, &audit)))
        .unwrap();
    (app, handle)
}

#[test]
fn services_switched_off_leave_nothing_behind() {
    let (app, handle) =
        services_app(|s| s.without(Service::Config).without(Service::FirewallManager));
    assert_eq!(handle.administrators().len(), 3);
    assert!(handle.config_bucket().is_none() && handle.recorders().is_empty());
    let assembly = app.synth().unwrap();
    let plan = assembly.deploy_plan();
    assert!(!plan.contains("config.amazonaws.com"), "{plan}");
    assert!(!plan.contains("fms"), "{plan}");
    assert!(plan.contains("enable-organization-admin-account --admin-account-id"));
    let t = parse(
        assembly
            .template_json("Services.SecurityServices.SecurityAdministration.Template")
            .unwrap(),
    );
    assert!(of_type(&t, "AWS::Config::ConfigurationAggregator").is_empty());
    assert_eq!(of_type(&t, "AWS::AccessAnalyzer::Analyzer").len(), 1);
}

#[test]
fn an_administrator_created_in_the_stack_that_needs_it_is_reported() {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app.add(&mgmt, Organization::create()).unwrap();
    let security = app.add(&org, OrganizationalUnit::new("Security")).unwrap();
    let audit = app
        .add(&security, Account::new("Audit", "aws+audit@acme.example"))
        .unwrap();
    app.add(&mgmt, DelegatedAdministrator::new(Service::Config, &audit))
        .unwrap();
    let err = app.synth().unwrap_err();
    let rules: Vec<Rule> = err.diagnostics().iter().map(|d| d.rule).collect();
    assert_eq!(rules, [Rule::AdministratorOrder]);
    assert_eq!(err.diagnostics()[0].path, "Management/ConfigAdministrator");
}

#[test]
fn an_existing_account_is_named_by_its_id() {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    app.add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    let audit = Account::existing("111122223333");
    app.add(
        &mgmt,
        DelegatedAdministrator::new(Service::GuardDuty, &audit).regions(["us-east-1", "eu-west-1"]),
    )
    .unwrap();
    let plan = app.synth().unwrap().deploy_plan().to_owned();
    assert!(plan.contains("ADMIN_ID=111122223333\n"), "{plan}");
    assert!(
        plan.contains("## 1. Make account 111122223333 the Amazon GuardDuty administrator"),
        "{plan}"
    );
    assert_eq!(plan.matches("enable-organization-admin-account").count(), 2);
}

#[test]
fn firewall_manager_has_one_administrator_for_every_region() {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    app.add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    let audit = Account::existing("111122223333");
    app.add(
        &mgmt,
        DelegatedAdministrator::new(Service::FirewallManager, &audit)
            .regions(["us-east-1", "eu-west-1"]),
    )
    .unwrap();
    let err = app.synth().unwrap_err();
    assert_eq!(err.diagnostics()[0].rule, Rule::PropertyValue);
    assert_eq!(err.diagnostics()[0].value, "us-east-1, eu-west-1");
}

#[test]
fn the_stack_of_an_administrator_deploys_after_the_account() {
    let mut app = App::new();
    // The services' stack is declared first, and nothing in it references the account.
    let services = app.stack("Services").unwrap();
    let mgmt = app.stack("Management").unwrap();
    let org = app.add(&mgmt, Organization::create()).unwrap();
    let audit = app
        .add(&org, Account::new("Audit", "aws+audit@acme.example"))
        .unwrap();
    app.add(
        &services,
        orgstack::CfnResource::new(
            "Topic",
            orgstack::cfn::Resource::new("AWS::SNS::Topic")
                .property("KmsMasterKeyId", "alias/aws/sns"),
        ),
    )
    .unwrap();
    app.add(
        &services,
        DelegatedAdministrator::new(Service::AccessAnalyzer, &audit),
    )
    .unwrap();
    let assembly = app.synth().unwrap();
    assert_eq!(
        assembly.deploy_order(),
        ["Management-Bootstrap", "Management", "Services"]
    );
    let plan = assembly.deploy_plan();
    let register = plan.find("register-delegated-administrator").unwrap();
    assert!(plan.find("--stack-name Management ").unwrap() < register);
    assert!(register < plan.find("--stack-name Services ").unwrap());
}

#[test]
fn a_service_has_one_administrator_and_rule_names_fit() {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app.add(&mgmt, Organization::create()).unwrap();
    let audit = app
        .add(&org, Account::new("Audit", "aws+audit@acme.example"))
        .unwrap();
    let security = app
        .add(&org, Account::new("Security", "aws+security@acme.example"))
        .unwrap();
    let services = app.stack("Services").unwrap();
    app.add(
        &services,
        SecurityServices::new("acme", org, &audit)
            .without(Service::FirewallManager)
            .config_rules([ConfigRule::managed("x".repeat(60), "ENCRYPTED_VOLUMES")]),
    )
    .unwrap();
    let other = app.add(&services, orgstack::Subtree::new("Other")).unwrap();
    app.add(
        &other,
        DelegatedAdministrator::new(Service::GuardDuty, &security),
    )
    .unwrap();
    // The same account again is no conflict.
    app.add(&other, DelegatedAdministrator::new(Service::Config, &audit))
        .unwrap();
    let err = app.synth().unwrap_err();
    let found: Vec<(Rule, &str)> = err
        .diagnostics()
        .iter()
        .map(|d| (d.rule, d.path.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                Rule::PropertyValue,
                "Services/SecurityServices/SecurityAdministration/Template/Rules"
            ),
            (Rule::DuplicateName, "Services/Other/GuardDutyAdministrator"),
        ],
        "{err}"
    );
}

#[test]
fn an_existing_administrator_needs_an_account_id() {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    app.add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    let not_an_id = Account::existing("audit");
    app.add(
        &mgmt,
        DelegatedAdministrator::new(Service::AccessAnalyzer, &not_an_id),
    )
    .unwrap();
    let err = app.synth().unwrap_err();
    assert_eq!(err.diagnostics().len(), 1, "{err}");
    assert_eq!(err.diagnostics()[0].value, "audit");
    assert_eq!(
        err.diagnostics()[0].path,
        "Management/AccessAnalyzerAdministrator"
    );
}

/// The calls a plan step's commands make, one line each, with an `aws` that prints its
/// arguments (and the id the first lookup finds).
fn calls_of(step: &str) -> Vec<String> {
    let script = format!(
        "aws() {{ echo \"aws $*\" >> \"$LOG\"; case \"$*\" in *list-accounts*) echo 111122223333;; *list-detectors*) echo det-1;; esac; }}\n{step}"
    );
    // A log of its own: the tests of this file run on several threads of one process.
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let log = std::env::temp_dir().join(format!("orgstack-calls-{}-{run}", std::process::id()));
    let _ = std::fs::remove_file(&log);
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("LOG", &log)
        .status()
        .unwrap();
    assert!(status.success());
    let calls = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    calls.lines().map(str::to_owned).collect()
}

/// The commands of the plan's step titled `title`.
fn step_commands(assembly: &orgstack::app::Assembly, title: &str) -> String {
    let manifest: serde_json::Value = serde_json::from_str(assembly.manifest()).unwrap();
    let step = manifest["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == title)
        .unwrap_or_else(|| panic!("no step {title}"));
    step["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn guardduty_enrols_every_account_through_its_administrator_by_default() {
    let assembly = services_example::app().unwrap().synth().unwrap();
    let t = parse(assembly.template_json("Management").unwrap());
    assert!(of_type(&t, "AWS::Organizations::Policy")
        .iter()
        .all(|(_, p)| p["Properties"]["Type"] != "GUARDDUTY_POLICY"));
    assert!(!assembly.deploy_plan().contains("GUARDDUTY_POLICY"));
    let step = step_commands(
        &assembly,
        "Make acme-audit the Amazon GuardDuty administrator",
    );
    let calls = calls_of(&step);
    let designate = |r: &str| {
        format!("aws guardduty enable-organization-admin-account --admin-account-id 111122223333 --region {r}")
    };
    let enrol = |r: &str| {
        format!("aws guardduty update-organization-configuration --profile acme-audit --region {r} --detector-id det-1 --auto-enable-organization-members ALL")
    };
    let at = |call: &str| {
        calls
            .iter()
            .position(|c| c == call)
            .unwrap_or_else(|| panic!("no `{call}` in {calls:#?}"))
    };
    // Designated in each region by the management account, then every member enrolled by
    // the administrator itself, through a profile assuming its access role.
    let profile = at("aws configure set profile.acme-audit.role_arn arn:aws:iam::111122223333:role/OrganizationAccountAccessRole");
    for r in ["us-east-1", "eu-west-1"] {
        assert!(at(&designate(r)) < profile, "{calls:#?}");
        assert!(profile < at(&enrol(r)), "{calls:#?}");
    }
    // The profile signs in with the MFA device of the user running the plan: the layout's
    // guardrail lets the access role do nothing without MFA.
    let mfa = calls
        .iter()
        .position(|c| c.starts_with("aws configure set profile.acme-audit.mfa_serial "))
        .unwrap_or_else(|| panic!("no mfa_serial in {calls:#?}"));
    assert!(profile < mfa && mfa < at(&enrol("us-east-1")), "{calls:#?}");
    // The detector looked up is the administrator's, in the region it enrols.
    assert!(calls.contains(&"aws guardduty list-detectors --profile acme-audit --region eu-west-1 --query DetectorIds[0] --output text".to_owned()), "{calls:#?}");
}

#[test]
fn guardduty_enrols_every_account_by_a_policy_at_the_root_when_asked() {
    use orgstack::services::GuardDutyEnrolment;
    let (app, handle) = services_app(|s| {
        s.regions(["eu-west-1"])
            .guardduty_enrolment(GuardDutyEnrolment::Policy)
    });
    assert!(handle.guardduty_policy().is_some());
    let assembly = app.synth().unwrap();
    let t = parse(assembly.template_json("Management").unwrap());
    let policies: Vec<_> = of_type(&t, "AWS::Organizations::Policy")
        .into_iter()
        .filter(|(_, p)| p["Properties"]["Type"] == "GUARDDUTY_POLICY")
        .collect();
    assert_eq!(policies.len(), 1);
    let props = &policies[0].1["Properties"];
    assert_eq!(props["Name"], "acme-guardduty");
    // Foundational detection in each of the services' regions; no default block, so the
    // regions outside them are left as they are.
    let enabled = serde_json::json!({ "foundational": { "@@assign": "enabled" } });
    assert_eq!(
        props["Content"],
        serde_json::json!({ "guardduty": { "us-east-1": enabled, "eu-west-1": enabled } })
    );
    // Attached at the root.
    assert_eq!(props["TargetIds"].as_array().unwrap().len(), 1);

    let plan = assembly.deploy_plan();
    // The policy type is enabled before the stack attaching the policy, the administrator
    // designated after the account exists and before the services' stack.
    let policy_type = plan
        .find("enable-policy-type --root-id \"$ROOT_ID\" --policy-type GUARDDUTY_POLICY")
        .unwrap();
    let management = plan.find("--stack-name Management ").unwrap();
    let admin = plan
        .find(". Make Audit the Amazon GuardDuty administrator")
        .unwrap_or_else(|| panic!("{plan}"));
    let services = plan.find("--stack-name Services ").unwrap();
    assert!(policy_type < management && management < admin && admin < services);
    // The members are enrolled by the policy, not by the administrator's own call; the
    // management account gets the service-linked role the policy needs there.
    assert!(
        !plan.contains("update-organization-configuration"),
        "{plan}"
    );
    assert!(plan.contains(
        "aws iam get-role --role-name AWSServiceRoleForAmazonGuardDuty >/dev/null 2>&1 || aws iam create-service-linked-role --aws-service-name guardduty.amazonaws.com"
    ));
}

#[test]
fn guardduty_protection_plans_join_foundational_detection_in_every_region() {
    use orgstack::services::{GuardDutyEnrolment, GuardDutyFeature};
    let build = |enrolment: GuardDutyEnrolment| {
        let (app, _) = services_app(|s| {
            s.regions(["eu-west-1"])
                .guardduty_enrolment(enrolment)
                .guardduty_features([
                    GuardDutyFeature::S3DataEvents,
                    GuardDutyFeature::Foundational,
                ])
        });
        app.synth().unwrap()
    };
    // By the administrator: the protection plan as a feature it turns on in every member.
    let assembly = build(GuardDutyEnrolment::Administrator);
    let calls = calls_of(&step_commands(
        &assembly,
        "Make Audit the Amazon GuardDuty administrator",
    ));
    let enrolments: Vec<&String> = calls
        .iter()
        .filter(|c| c.contains("update-organization-configuration"))
        .collect();
    assert_eq!(enrolments.len(), 2, "{calls:#?}");
    for e in enrolments {
        assert!(
            e.ends_with(" --auto-enable-organization-members ALL --features [{\"AutoEnable\":\"ALL\",\"Name\":\"S3_DATA_EVENTS\"}]"),
            "{e}"
        );
    }
    // By the policy: the same in each region's block.
    let assembly = build(GuardDutyEnrolment::Policy);
    let t = parse(assembly.template_json("Management").unwrap());
    let content = of_type(&t, "AWS::Organizations::Policy")
        .into_iter()
        .find(|(_, p)| p["Properties"]["Type"] == "GUARDDUTY_POLICY")
        .unwrap()
        .1["Properties"]["Content"]
        .clone();
    let block = serde_json::json!({
        "foundational": { "@@assign": "enabled" },
        "s3_data_events": { "@@assign": "enabled" }
    });
    assert_eq!(
        content,
        serde_json::json!({ "guardduty": { "us-east-1": block, "eu-west-1": block } })
    );
}

#[test]
fn without_guardduty_there_is_no_guardduty_policy() {
    let (app, handle) = services_app(|s| s.without(Service::GuardDuty));
    assert!(handle.guardduty_policy().is_none());
    let plan = app.synth().unwrap().deploy_plan().to_owned();
    assert!(!plan.contains("GUARDDUTY_POLICY"), "{plan}");
    assert!(!plan.contains("guardduty"), "{plan}");
}

#[test]
fn a_guardduty_administrator_alone_still_says_how_to_enrol_the_members() {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    app.add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    let audit = Account::existing("111122223333");
    app.add(
        &mgmt,
        DelegatedAdministrator::new(Service::GuardDuty, &audit),
    )
    .unwrap();
    let plan = app.synth().unwrap().deploy_plan().to_owned();
    assert!(
        plan.contains("--auto-enable-organization-members ALL"),
        "{plan}"
    );
    assert!(!plan.contains("GUARDDUTY_POLICY"), "{plan}");
}
