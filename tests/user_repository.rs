#![cfg(feature = "testing")]
//! Testing your foundation, as your own repository would: synthesize the app, assert what
//! matters on its templates, and snapshot every file so any change shows up in review.

use orgstack::iam::{ManagedPolicyRef, PolicyDocument, Role, Statement};
use orgstack::layouts::FiveAccountLayout;
use orgstack::org::{Account, OrganizationalUnit, Policy};
use orgstack::testing::{self, Matcher, Template};
use orgstack::App;
use serde_json::json;

/// The organization: the five-account layout, a Sandbox OU with one account and an SCP of
/// its own, and a support role in every environment account.
fn app() -> orgstack::Result<App> {
    let mut app = App::new();
    let management = app.stack("Management")?;
    let layout = app.add(
        &management,
        FiveAccountLayout::builder("acme")
            .email_domain("aws.acme.example")
            .alert_email("cloud-alerts@acme.example"),
    )?;

    let org = layout.organization();
    let sandbox = app.add(&org, OrganizationalUnit::new("Sandbox"))?;
    app.add(
        &sandbox,
        Account::new("Sandbox", "sandbox@aws.acme.example"),
    )?;
    let no_commitments = app.add(
        &org,
        Policy::service_control(
            "acme-sandbox-no-commitments",
            PolicyDocument::new().statement(
                Statement::deny()
                    .actions([
                        "ec2:PurchaseReservedInstancesOffering",
                        "savingsplans:CreateSavingsPlan",
                    ])
                    .resource("*"),
            ),
        )
        .id("SandboxNoCommitments"),
    )?;
    no_commitments.attach(&mut app, &sandbox);

    app.add(
        &layout.roles_stack_set().unwrap().template(),
        Role::assumable_with_mfa("Support", layout.identity_account())
            .name("support")
            .mfa_max_age(3600)
            .managed_policy(ManagedPolicyRef::aws_managed("AWSSupportAccess")),
    )?;
    Ok(app)
}

#[test]
fn the_sandbox_is_fenced_in() -> Result<(), Box<dyn std::error::Error>> {
    let assembly = app()?.synth()?;
    let mgmt = Template::from_stack(&assembly, "Management")?;
    // Logical IDs by construct path: no hash written here.
    let sandbox_ou =
        json!({ "Ref": assembly.logical_id_at("Management/Organization/Sandbox").unwrap() });

    mgmt.resource_count_is("AWS::Organizations::OrganizationalUnit", 6);
    mgmt.resource_count_is("AWS::Organizations::Account", 7);
    mgmt.resource_count_is("AWS::Organizations::Policy", 6);

    mgmt.has_resource(
        "AWS::Organizations::Account",
        json!({
            "Properties": { "AccountName": "Sandbox", "ParentIds": [sandbox_ou] },
            "DeletionPolicy": "Retain"
        }),
    );
    mgmt.has_resource_properties(
        "AWS::Organizations::Policy",
        Matcher::object([
            ("Name", Matcher::string_like("acme-sandbox-*")),
            ("Description", Matcher::absent()),
            ("TargetIds", Matcher::array([sandbox_ou])),
            (
                "Content",
                json!({ "Statement": [{
                    "Effect": "Deny",
                    "Action": ["ec2:PurchaseReservedInstancesOffering", "savingsplans:CreateSavingsPlan"]
                }] })
                .into(),
            ),
        ]),
    );
    Ok(())
}

#[test]
fn the_support_role_reaches_every_environment_with_mfa() -> Result<(), Box<dyn std::error::Error>> {
    let assembly = app()?.synth()?;
    let mgmt = Template::from_stack(&assembly, "Management")?;

    // The roles StackSet carries the extra role in its TemplateBody ...
    mgmt.has_resource_properties(
        "AWS::CloudFormation::StackSet",
        Matcher::object([
            ("StackSetName", Matcher::from("acme-member-roles")),
            ("Capabilities", Matcher::array_with(["CAPABILITY_NAMED_IAM"])),
            (
                "TemplateBody",
                Matcher::serialized_json(Matcher::object([(
                    "Resources",
                    Matcher::object([(
                        assembly
                            .logical_id_at("Management/MemberRoles/Template/Support")
                            .unwrap(),
                        json!({ "Type": "AWS::IAM::Role", "Properties": { "RoleName": "support" } }),
                    )]),
                )])),
            ),
        ]),
    );

    // ... and, like every role of every member template, trusts people only with MFA.
    let members = mgmt.stack_set_templates();
    assert_eq!(members.len(), 3);
    let with_mfa = json!({ "Properties": { "AssumeRolePolicyDocument": { "Statement": [
        { "Condition": { "Bool": { "aws:MultiFactorAuthPresent": "true" } } }
    ] } } });
    let mut roles = 0;
    for member in &members {
        let all = member.find_resources("AWS::IAM::Role", Matcher::any());
        assert_eq!(
            member
                .find_resources("AWS::IAM::Role", with_mfa.clone())
                .len(),
            all.len(),
            "{}",
            member.name()
        );
        roles += all.len();
    }
    assert_eq!(roles, 5); // administrator, developer, read-only, support, auditor
    Ok(())
}

#[test]
fn every_file_is_as_reviewed() -> Result<(), Box<dyn std::error::Error>> {
    let assembly = app()?.synth()?;
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (name, body) in testing::snapshot_files(&assembly) {
            insta::assert_snapshot!(format!("user_repository-{name}"), body);
        }
    });
    Ok(())
}
