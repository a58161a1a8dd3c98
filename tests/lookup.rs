#![cfg(feature = "testing")]
//! Finding stacks, StackSet member templates, resources and member-template parameters in an
//! assembly by handle and by construct path: no hashed logical ID is written here.

use orgstack::iam::Role;
use orgstack::org::{Account, AccountHandle, Organization, OrganizationalUnit, OuHandle};
use orgstack::stackset::{StackSet, StackSetHandle};
use orgstack::testing::{Matcher, Template, TemplateError};
use orgstack::{App, CfnResource, ResourceHandle, StackHandle};
use serde_json::json;

struct Built {
    app: App,
    mgmt: StackHandle,
    workloads: OuHandle,
    identity: AccountHandle,
    roles: StackSetHandle,
    topic: ResourceHandle,
}

fn built() -> Built {
    let mut app = App::new();
    let mgmt = app.stack("Nimbus").unwrap();
    let org = app
        .add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    let workloads = app.add(&org, OrganizationalUnit::new("Workloads")).unwrap();
    let identity = app
        .add(
            &workloads,
            Account::new("Identity", "aws+identity@nimbus.example"),
        )
        .unwrap();
    let roles = app
        .add(
            &mgmt,
            StackSet::new("AccessRoles", "access-roles").target(&workloads),
        )
        .unwrap();
    app.add(
        &roles.template(),
        Role::assumable_with_mfa("Admin", &identity),
    )
    .unwrap();
    let topic = app
        .add(
            &roles.template(),
            CfnResource::new(
                "Alerts",
                orgstack::cfn::Resource::new("AWS::SNS::Topic").property("TopicName", "alerts"),
            ),
        )
        .unwrap();
    Built {
        app,
        mgmt,
        workloads,
        identity,
        roles,
        topic,
    }
}

#[test]
fn a_stack_by_handle_and_by_path() -> Result<(), Box<dyn std::error::Error>> {
    let b = built();
    let assembly = b.app.synth()?;
    let by_handle = Template::for_construct(&assembly, &b.mgmt)?;
    assert_eq!(by_handle.name(), "Nimbus");
    by_handle.resource_count_is("AWS::CloudFormation::StackSet", 1);
    assert_eq!(Template::for_path(&assembly, "Nimbus")?, by_handle);
    // A construct in the stack finds the stack's template too.
    assert_eq!(Template::for_construct(&assembly, &b.workloads)?, by_handle);
    assert_eq!(Template::for_construct(&assembly, &b.identity)?, by_handle);
    Ok(())
}

#[test]
fn a_member_template_by_handle_and_by_path_has_one_name() -> Result<(), Box<dyn std::error::Error>>
{
    let b = built();
    let assembly = b.app.synth()?;
    let member = Template::for_construct(&assembly, &b.roles)?;
    assert_eq!(member.name(), "Nimbus.AccessRoles.Template");
    member.resource_count_is("AWS::IAM::Role", 1);
    member.resource_count_is("AWS::SNS::Topic", 1);

    assert_eq!(
        Template::for_construct(&assembly, &b.roles.template())?,
        member
    );
    assert_eq!(Template::for_path(&assembly, "Nimbus/AccessRoles")?, member);
    assert_eq!(
        Template::for_path(&assembly, "Nimbus/AccessRoles/Template")?,
        member
    );
    // The same name everywhere: from_stack takes it, and the StackSet's parent gives it.
    assert_eq!(Template::from_stack(&assembly, member.name())?, member);
    let parent = Template::for_construct(&assembly, &b.mgmt)?;
    assert_eq!(parent.stack_set_templates(), std::slice::from_ref(&member));
    let all = Template::all_from_assembly(&assembly)?;
    assert!(all.contains(&member));
    Ok(())
}

#[test]
fn a_resource_by_handle_and_by_path() -> Result<(), Box<dyn std::error::Error>> {
    let b = built();
    let assembly = b.app.synth()?;
    let member = Template::for_construct(&assembly, &b.topic)?;
    assert_eq!(member.name(), "Nimbus.AccessRoles.Template");

    let topic = member.resource_for(&assembly, &b.topic).expect("the topic");
    assert_eq!(topic["Properties"]["TopicName"], "alerts");
    assert_eq!(
        member.resource_at(&assembly, "Nimbus/AccessRoles/Template/Alerts"),
        Some(topic)
    );
    let id = assembly.logical_id(&b.topic).expect("a logical ID");
    assert_eq!(
        assembly.logical_id_at("Nimbus/AccessRoles/Template/Alerts"),
        Some(id)
    );
    assert_eq!(member.resource(id), Some(topic));

    // The StackSet resource itself is in the parent, under the StackSet's handle.
    let parent = Template::for_construct(&assembly, &b.mgmt)?;
    let stack_set = parent
        .resource_for(&assembly, &b.roles)
        .expect("the StackSet");
    assert_eq!(stack_set["Type"], "AWS::CloudFormation::StackSet");
    assert!(member.resource_for(&assembly, &b.roles).is_none());
    // An account is found by its handle.
    let account = parent
        .resource_for(&assembly, &b.identity)
        .expect("the account");
    assert_eq!(account["Properties"]["AccountName"], "Identity");
    Ok(())
}

#[test]
fn a_member_template_parameter_by_handle_and_by_path() -> Result<(), Box<dyn std::error::Error>> {
    let b = built();
    let assembly = b.app.synth()?;
    let name = assembly
        .parameter_name(&b.identity)
        .expect("the identity account's id crosses into the member template");
    assert_eq!(
        assembly.parameter_names(&b.identity).collect::<Vec<_>>(),
        [name]
    );
    let path = b
        .app
        .path(&b.identity.node().expect("an account the app creates"));
    assert_eq!(assembly.parameter_name_at(&path), Some(name));

    // The member template declares it, and the StackSet sets it from the account.
    let member = Template::for_construct(&assembly, &b.roles)?;
    member.has_parameter(name, json!({ "Type": "String" }));
    let parent = Template::for_construct(&assembly, &b.mgmt)?;
    parent.has_resource_properties(
        "AWS::CloudFormation::StackSet",
        Matcher::object([(
            "Parameters",
            Matcher::array_with([Matcher::object([("ParameterKey", Matcher::from(name))])]),
        )]),
    );
    // What no member template references has no parameter.
    assert_eq!(assembly.parameter_name(&b.topic), None);
    assert_eq!(assembly.parameter_name(&b.workloads), None);
    Ok(())
}

#[test]
fn unknown_constructs_are_errors() {
    let b = built();
    let assembly = b.app.synth().unwrap();
    let other = built();
    assert!(matches!(
        Template::for_construct(&assembly, &other.mgmt),
        Err(TemplateError::UnknownConstruct { .. })
    ));
    let e = Template::for_path(&assembly, "Nimbus/Nothing").unwrap_err();
    assert_eq!(
        e.to_string(),
        "the assembly has no template for `Nimbus/Nothing`"
    );
    assert_eq!(assembly.logical_id(&other.topic), None);
    assert_eq!(assembly.logical_id_at("Nimbus"), None);
}
