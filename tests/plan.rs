#![cfg(feature = "testing")]
//! The deploy plan works when followed to the letter: walking its steps in order, no step
//! needs what a later step creates — for a new and an existing organization, an
//! organization built construct by construct, and a split organization.

use std::collections::BTreeSet;

use orgstack::app::Assembly;
use orgstack::layouts::FiveAccountLayout;
use orgstack::org::{Account, OrganizationalUnit, Policy};
use orgstack::{App, Severity};
use serde_json::Value;

#[path = "../examples/custom_org.rs"]
#[allow(dead_code)]
mod custom_org_example;
#[path = "support/layout.rs"]
mod support;
use support::{add_layout, add_units_and_accounts};

/// What exists in the organization as the plan is followed.
#[derive(Debug, Default)]
struct World {
    organization: bool,
    stack_sets_access: bool,
    principals: BTreeSet<String>,
    policy_types: BTreeSet<String>,
    stacks: BTreeSet<String>,
    /// The e-mails of the accounts the deployed stacks created.
    accounts: BTreeSet<String>,
    /// The services each account was made administrator of.
    administrators: BTreeSet<String>,
}

/// The word after `flag` in `command`, unquoted.
fn arg<'a>(command: &'a str, flag: &str) -> Option<&'a str> {
    let rest = command.split(flag).nth(1)?;
    rest.split_whitespace().next().map(|w| w.trim_matches('"'))
}

/// Follows the plan the manifest lists, failing on the first step that needs something
/// not there yet; returns the world at the end.
fn walk(assembly: &Assembly, organization_exists: bool) -> World {
    let manifest: Value = serde_json::from_str(assembly.manifest()).unwrap();
    let mut world = World {
        organization: organization_exists,
        ..World::default()
    };
    let stacks = manifest["stacks"].as_array().unwrap();
    let steps = manifest["steps"].as_array().unwrap();
    assert!(!steps.is_empty());
    for step in steps {
        let title = step["title"].as_str().unwrap();
        for command in step["commands"].as_array().into_iter().flatten() {
            let command = command.as_str().unwrap();
            if command.contains("aws organizations") && !command.starts_with("ROOT_ID") {
                assert!(
                    world.organization,
                    "`{title}` runs before the organization exists"
                );
            }
            if command.contains("activate-organizations-access") {
                world.stack_sets_access = true;
            } else if let Some(p) = arg(command, "--service-principal") {
                world.principals.insert(p.to_owned());
            }
            // An account looked up by its e-mail exists by then.
            if let Some(email) = command
                .split("Email=='")
                .nth(1)
                .and_then(|r| r.split('\'').next())
            {
                assert!(
                    world.accounts.contains(email),
                    "`{title}` looks up {email} before a stack creates it"
                );
            }
            for admin in [
                "register-delegated-administrator",
                "enable-organization-admin-account",
                "associate-admin-account",
            ] {
                if command.contains(admin) {
                    let service = match arg(command, "--service-principal") {
                        Some(p) => {
                            assert!(
                                world.principals.contains(p),
                                "`{title}` registers {p} without trusted access"
                            );
                            p.to_owned()
                        }
                        None => arg(command, "aws").unwrap().to_owned(),
                    };
                    world.administrators.insert(service);
                }
            }
            if command.contains("enable-policy-type") {
                world
                    .policy_types
                    .insert(arg(command, "--policy-type").unwrap().to_owned());
            }
            if let Some(name) = arg(command, "--stack-name") {
                deploy(assembly, stacks, name, &mut world);
            }
        }
    }
    world
}

/// Deploys stack `name`, checking everything it needs is there.
fn deploy(assembly: &Assembly, stacks: &[Value], name: &str, world: &mut World) {
    let entry = stacks.iter().find(|s| s["name"] == name).unwrap();
    for dep in entry["dependsOn"].as_array().unwrap() {
        assert!(
            world.stacks.contains(dep.as_str().unwrap()),
            "{name} deploys before {dep}"
        );
    }
    let t: Value = serde_json::from_str(assembly.template_json(name).unwrap()).unwrap();
    for (id, r) in t["Resources"].as_object().unwrap() {
        let p = &r["Properties"];
        match r["Type"].as_str().unwrap() {
            "AWS::Organizations::Organization" => world.organization = true,
            "AWS::SSO::PermissionSet" => {
                assert!(
                    world.principals.contains("sso.amazonaws.com"),
                    "{name}/{id}: no trusted access for Identity Center"
                );
            }
            "AWS::SecurityHub::DelegatedAdmin" => {
                world.administrators.insert("securityhub".to_owned());
            }
            "AWS::Organizations::Account" => {
                world
                    .accounts
                    .insert(p["Email"].as_str().unwrap().to_owned());
            }
            "AWS::Organizations::Policy" if p.get("TargetIds").is_some() => {
                let ty = p["Type"].as_str().unwrap();
                assert!(
                    world.policy_types.contains(ty),
                    "{name}/{id}: {ty} not enabled"
                );
            }
            "AWS::CloudFormation::StackSet" if p["PermissionModel"] == "SERVICE_MANAGED" => {
                assert!(
                    world.stack_sets_access,
                    "{name}/{id}: no StackSets trusted access"
                );
            }
            "AWS::CloudTrail::Trail" if p["IsOrganizationTrail"] == true => {
                assert!(
                    world.principals.contains("cloudtrail.amazonaws.com"),
                    "{name}/{id}"
                );
            }
            ty if ty.starts_with("AWS::Organizations::") => {
                assert!(world.organization, "{name}/{id} needs the organization");
            }
            _ => {}
        }
    }
    // What the stack's StackSets create for the whole organization needs its administrator.
    let needs_admin = |ty: &str, p: &Value| match ty {
        "AWS::Config::ConfigurationAggregator" => Some("config.amazonaws.com"),
        "AWS::Config::OrganizationConfigRule" => Some("config-multiaccountsetup.amazonaws.com"),
        "AWS::AccessAnalyzer::Analyzer" if p["Type"] == "ORGANIZATION" => {
            Some("access-analyzer.amazonaws.com")
        }
        "AWS::FMS::Policy" => Some("fms"),
        "AWS::SecurityHub::OrganizationConfiguration" => Some("securityhub"),
        _ => None,
    };
    for a in assembly.artifacts() {
        if a.kind == orgstack::app::ArtifactKind::Stack
            || !a.stack_name.starts_with(&format!("{name}."))
        {
            continue;
        }
        let member: Value = serde_json::from_str(&a.body).unwrap();
        for (id, r) in member["Resources"].as_object().unwrap() {
            if let Some(service) = needs_admin(r["Type"].as_str().unwrap(), &r["Properties"]) {
                assert!(
                    world.administrators.contains(service),
                    "{}/{id} before its administrator ({service})",
                    a.stack_name
                );
            }
        }
    }
    // Over the inline limit: through S3.
    let template = assembly.template_json(name).unwrap();
    assert_eq!(
        entry.get("upload").is_some(),
        template.len() > 51_200,
        "{name}"
    );
    world.stacks.insert(name.to_owned());
}

fn acme() -> orgstack::layouts::FiveAccountLayoutBuilder {
    FiveAccountLayout::builder("acme")
        .email_domain("aws.acme.example")
        .alert_email("cloud-alerts@acme.example")
}

fn every_stack_deployed(assembly: &Assembly, world: &World) {
    let all: BTreeSet<String> = assembly.deploy_order().iter().cloned().collect();
    assert_eq!(world.stacks, all);
}

#[test]
fn the_reference_layout_deploys_on_a_new_organization() {
    let mut app = App::new();
    add_layout(&mut app, acme()).unwrap();
    let assembly = app.synth().unwrap();
    let world = walk(&assembly, false);
    every_stack_deployed(&assembly, &world);
    assert!(world.organization && world.stack_sets_access);
    assert_eq!(assembly.deploy_order()[0], "Management-Bootstrap");
}

#[test]
fn the_reference_layout_deploys_on_an_existing_organization() {
    let mut app = App::new();
    add_layout(
        &mut app,
        acme().existing_organization("r-ab12", "o-abcdef1234"),
    )
    .unwrap();
    let assembly = app.synth().unwrap();
    assert!(!assembly
        .deploy_order()
        .iter()
        .any(|s| s.contains("Bootstrap")));
    let world = walk(&assembly, true);
    every_stack_deployed(&assembly, &world);
}

#[test]
fn an_organization_built_construct_by_construct_deploys() {
    let assembly = custom_org_example::app().unwrap().synth().unwrap();
    let world = walk(&assembly, false);
    every_stack_deployed(&assembly, &world);
    assert!(world.policy_types.contains("SERVICE_CONTROL_POLICY"));
    assert!(world.stack_sets_access);
}

#[test]
fn a_split_organization_deploys_and_large_templates_go_through_s3() {
    let mut app = App::new();
    app.set_template_bucket("acme-cfn-templates");
    let layout = add_layout(&mut app, acme()).unwrap();
    let ous = add_units_and_accounts(&mut app, &layout, 30, 0..1_200);
    // A tag policy too: its type is enabled before it attaches.
    let tags = app
        .add(
            &layout.organization(),
            Policy::management(
                "CostCenter",
                orgstack::org::PolicyType::TagPolicy,
                orgstack::obj! { "tags" => orgstack::obj! {} },
            ),
        )
        .unwrap();
    tags.attach(&mut app, &ous[29]);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    assert!(assembly.deploy_order().len() > 4);
    let world = walk(&assembly, false);
    every_stack_deployed(&assembly, &world);
    assert!(world.policy_types.contains("TAG_POLICY"));
    let plan = assembly.deploy_plan();
    assert!(plan.contains("--s3-bucket acme-cfn-templates"), "{plan}");
    assert!(
        plan.contains("aws s3 mb s3://acme-cfn-templates --region us-east-1"),
        "{plan}"
    );
    assert!(assembly
        .warnings()
        .iter()
        .all(|w| w.severity == Severity::Warning));
}

#[test]
fn a_template_over_the_inline_limit_names_a_placeholder_bucket_without_one() {
    let mut app = App::new();
    let layout = add_layout(&mut app, acme()).unwrap();
    for k in 0..40 {
        app.add(
            &layout.workloads_ou(),
            Account::new(
                format!("extra-{k:02}"),
                format!("extra-{k:02}@aws.acme.example"),
            ),
        )
        .unwrap();
    }
    let assembly = app.synth().unwrap();
    assert!(assembly.template_json("Management").unwrap().len() > 51_200);
    let plan = assembly.deploy_plan();
    assert!(
        plan.contains(&format!(
            "--s3-bucket {}",
            orgstack::app::TEMPLATE_BUCKET_PLACEHOLDER
        )),
        "{plan}"
    );
    assert!(plan.contains("App::set_template_bucket"), "{plan}");
    let manifest: Value = serde_json::from_str(assembly.manifest()).unwrap();
    let management = manifest["stacks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Management")
        .unwrap();
    assert_eq!(management["upload"], true);
    walk(&assembly, false);
}

#[test]
fn stacks_deploy_to_the_home_region() {
    let mut app = App::new();
    app.set_home_region("eu-west-1");
    add_layout(&mut app, acme()).unwrap();
    let assembly = app.synth().unwrap();
    let plan = assembly.deploy_plan();
    let deploys = plan
        .lines()
        .filter(|l| l.starts_with("aws cloudformation deploy"))
        .count();
    assert_eq!(deploys, 2);
    assert_eq!(
        plan.matches("aws cloudformation deploy --region eu-west-1 ")
            .count(),
        deploys
    );
    let manifest: Value = serde_json::from_str(assembly.manifest()).unwrap();
    assert_eq!(manifest["homeRegion"], "eu-west-1");

    let mut app = App::new();
    app.set_home_region("US-EAST-1");
    app.set_template_bucket("Not_A_Bucket");
    let err = app.synth().unwrap_err();
    let values: Vec<&str> = err.diagnostics().iter().map(|d| d.value.as_str()).collect();
    assert_eq!(values, ["US-EAST-1", "Not_A_Bucket"]);
}

#[test]
#[should_panic(expected = "runs before the organization exists")]
fn the_walk_fails_a_plan_that_needs_an_organization_nobody_created() {
    // The same plan, walked as if no organization existed and none were created first.
    let mut app = App::new();
    add_layout(
        &mut app,
        acme().existing_organization("r-ab12", "o-abcdef1234"),
    )
    .unwrap();
    walk(&app.synth().unwrap(), false);
}

/// Every logical ID a value refers to (`Ref`, `Fn::GetAtt`), pseudo parameters aside.
fn refs(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(id)) = m.get("Ref") {
                if !id.starts_with("AWS::") {
                    out.insert(id.clone());
                }
            }
            if let Some(Value::Array(a)) = m.get("Fn::GetAtt") {
                out.insert(a[0].as_str().unwrap().to_owned());
            }
            m.values().for_each(|v| refs(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// The most resources of `ty` CloudFormation creates at once: it starts every resource
/// whose dependencies (`DependsOn`, `Ref`, `Fn::GetAtt`) are done, in waves.
fn most_at_once(template: &str, ty: &str) -> usize {
    let t: Value = serde_json::from_str(template).unwrap();
    let resources = t["Resources"].as_object().unwrap();
    let deps: Vec<(String, BTreeSet<String>)> = resources
        .iter()
        .map(|(id, r)| {
            let mut d = BTreeSet::new();
            refs(&r["Properties"], &mut d);
            match &r["DependsOn"] {
                Value::String(s) => {
                    d.insert(s.clone());
                }
                Value::Array(a) => d.extend(a.iter().map(|s| s.as_str().unwrap().to_owned())),
                _ => {}
            }
            d.retain(|x| resources.contains_key(x));
            (id.clone(), d)
        })
        .collect();
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut most = 0;
    while done.len() < deps.len() {
        let wave: Vec<&String> = deps
            .iter()
            .filter(|(id, d)| !done.contains(id) && d.iter().all(|x| done.contains(x)))
            .map(|(id, _)| id)
            .collect();
        assert!(!wave.is_empty(), "a dependency cycle");
        let of_type = wave
            .iter()
            .filter(|id| resources[id.as_str()]["Type"] == ty)
            .count();
        most = most.max(of_type);
        done.extend(wave.into_iter().cloned());
    }
    most
}

/// An app with a `Management` stack on an existing organization.
fn existing_organization() -> (App, orgstack::org::OrganizationHandle) {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app
        .add(
            &mgmt,
            orgstack::org::Organization::existing("r-ab12", "o-abcdef1234"),
        )
        .unwrap();
    (app, org)
}

#[test]
fn organizations_resources_are_created_a_bounded_number_at_a_time() {
    use orgstack::iam::{PolicyDocument, Statement};
    let (mut app, org) = existing_organization();
    for i in 0..10 {
        let ou = app
            .add(&org, OrganizationalUnit::new(format!("Unit{i}")))
            .unwrap();
        let scp = app
            .add(
                &org,
                Policy::service_control(
                    format!("Scp{i}"),
                    PolicyDocument::new().statement(
                        Statement::deny()
                            .action("organizations:LeaveOrganization")
                            .resource("*"),
                    ),
                ),
            )
            .unwrap();
        scp.attach(&mut app, &ou);
        app.add(
            &ou,
            Account::new(format!("Acct{i}"), format!("aws+acct{i}@acme.example")),
        )
        .unwrap();
    }
    let assembly = app.synth().unwrap();
    let template = assembly.template_json("Management").unwrap();
    assert_eq!(
        most_at_once(template, "AWS::Organizations::OrganizationalUnit"),
        usize::from(orgstack::org::OUS_AT_ONCE)
    );
    assert_eq!(
        most_at_once(template, "AWS::Organizations::Policy"),
        usize::from(orgstack::org::POLICIES_AT_ONCE)
    );
    assert_eq!(most_at_once(template, "AWS::Organizations::Account"), 1);
    // A small template waits for nothing it need not.
    let (mut app, org) = existing_organization();
    for i in 0..3 {
        app.add(&org, OrganizationalUnit::new(format!("Unit{i}")))
            .unwrap();
    }
    let assembly = app.synth().unwrap();
    assert_eq!(
        most_at_once(
            assembly.template_json("Management").unwrap(),
            "AWS::Organizations::OrganizationalUnit"
        ),
        3
    );
}

#[test]
fn a_construct_of_your_own_declares_its_own_steps() {
    use orgstack::{Construct, DeployStep, Scope, Subtree};
    struct Vpn;
    impl<P: Scope> Construct<P> for Vpn {
        type Handle = ();
        fn build(self, app: &mut App, parent: &P) -> orgstack::Result<()> {
            app.add(parent, Subtree::new("Vpn"))?;
            app.add_deploy_step(DeployStep::new(
                "Accept the VPN attachment",
                "The network account must accept it.",
                ["aws ec2 accept-transit-gateway-vpc-attachment --transit-gateway-attachment-id ID".to_owned()],
                false,
            ));
            Ok(())
        }
    }
    let mut app = App::new();
    let layout = add_layout(&mut app, acme()).unwrap();
    app.add(&layout.stack(), Vpn).unwrap();
    let assembly = app.synth().unwrap();
    let plan = assembly.deploy_plan();
    let at = plan.find("Accept the VPN attachment").unwrap();
    assert!(
        at > plan.find("--stack-name Management ").unwrap(),
        "{plan}"
    );
    let manifest: Value = serde_json::from_str(assembly.manifest()).unwrap();
    let step = manifest["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == "Accept the VPN attachment")
        .unwrap();
    assert_eq!(step["phase"], "afterStacks");
}

#[path = "../examples/five_account_services.rs"]
#[allow(dead_code)]
mod services_example;

#[test]
fn the_layout_with_its_services_deploys_and_registers_administrators_in_order() {
    let assembly = services_example::app().unwrap().synth().unwrap();
    let world = walk(&assembly, false);
    every_stack_deployed(&assembly, &world);
    let admins: Vec<&str> = world.administrators.iter().map(String::as_str).collect();
    assert_eq!(
        admins,
        [
            "access-analyzer.amazonaws.com",
            "config-multiaccountsetup.amazonaws.com",
            "config.amazonaws.com",
            "fms",
            "guardduty",
            "securityhub",
        ]
    );
    // In the plan: trusted access, then the stack creating the audit account, then the
    // registrations, then the stack that needs them.
    let titles: Vec<String> = serde_json::from_str::<Value>(assembly.manifest()).unwrap()["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap().to_owned())
        .collect();
    let at = |t: &str| {
        titles
            .iter()
            .position(|x| x == t)
            .unwrap_or_else(|| panic!("no step `{t}` in {titles:?}"))
    };
    let config_access = at("Enable trusted access for config.amazonaws.com");
    let management = at("Deploy stack Management");
    let config_admin = at("Make acme-audit the AWS Config administrator");
    let fms_admin = at("Make acme-audit the AWS Firewall Manager administrator");
    let services = at("Deploy stack Services");
    assert!(config_access < management, "{titles:?}");
    assert!(management < config_admin, "{titles:?}");
    assert!(
        config_admin < fms_admin && fms_admin < services,
        "{titles:?}"
    );
    assert_eq!(
        titles.iter().rposition(|t| t.starts_with("Deploy stack")),
        Some(services),
        "{titles:?}"
    );
}

#[test]
fn the_layout_with_identity_center_deploys() {
    let mut app = App::new();
    add_layout(
        &mut app,
        acme().identity_model(orgstack::layouts::IdentityModel::IdentityCenter),
    )
    .unwrap();
    let assembly = app.synth().unwrap();
    let world = walk(&assembly, false);
    every_stack_deployed(&assembly, &world);
    assert!(world.principals.contains("sso.amazonaws.com"));
    // The stack holding the permission sets gets its parameters from the step before it.
    let plan = assembly.deploy_plan();
    let read = plan
        .find("InstanceArn=\"$(aws sso-admin list-instances")
        .unwrap();
    let deploy = plan
        .find("--stack-name Management --template-file Management.template.json")
        .unwrap();
    assert!(read < deploy);
    assert!(plan[deploy..]
        .lines()
        .next()
        .unwrap()
        .contains("--parameter-overrides InstanceArn=\"$InstanceArn\""));
}

#[test]
fn values_the_shell_would_read_reach_the_plans_commands_as_written() {
    use orgstack::services::{DelegatedAdministrator, Service};
    let (mut app, org) = existing_organization();
    let mgmt = app.stack("Security").unwrap();
    // `$` and a backtick are valid in an account's e-mail; a shell expands both inside
    // double quotes.
    let email = "sec$ops`id`+audit@acme.example";
    let audit = app
        .add(&org, orgstack::org::Account::new("Audit", email))
        .unwrap();
    app.add(&mgmt, DelegatedAdministrator::new(Service::Config, &audit))
        .unwrap();
    let plan = app.synth().unwrap().deploy_plan().to_owned();
    let line = plan
        .lines()
        .find(|l| l.starts_with("ADMIN_ID="))
        .unwrap_or_else(|| panic!("no ADMIN_ID line in {plan}"));
    // Run it with an `aws` that prints its `--query` argument.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "aws() {{ while [ \"$1\" != --query ]; do shift; done; printf '%s' \"$2\"; }}\n{line}\nprintf '%s' \"$ADMIN_ID\""
        ))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("Accounts[?Email=='{email}'].Id"),
        "{line}"
    );
}
