//! What the organization must hold, asserted on the synthesized templates; and every file
//! it deploys, pinned by a snapshot in `snapshots/`.

use orgstack::testing::{Matcher, Template};
use serde_json::json;

#[test]
fn workload_roles_trust_the_identity_account_with_mfa() -> Result<(), Box<dyn std::error::Error>> {
    let p = acme_platform::platform()?;
    let assembly = p.app.synth()?;

    // The member template, found by the StackSet's handle: no logical ID to copy.
    let roles = Template::for_construct(&assembly, &p.workload_roles)?;
    roles.resource_count_is("AWS::IAM::Role", 1);
    roles.has_resource_properties(
        "AWS::IAM::Role",
        json!({
            "RoleName": "acme-read-only",
            "AssumeRolePolicyDocument": { "Statement": [{
                "Condition": { "Bool": { "aws:MultiFactorAuthPresent": "true" } }
            }] }
        }),
    );
    // The identity account's id reaches the member template as a parameter the StackSet sets.
    let parameter = assembly
        .parameter_name(&p.identity)
        .expect("the identity account is referenced");
    roles.has_parameter(parameter, json!({ "Type": "String" }));
    Ok(())
}

#[test]
fn nobody_leaves_the_organization() -> Result<(), Box<dyn std::error::Error>> {
    let p = acme_platform::platform()?;
    let assembly = p.app.synth()?;
    let management = Template::for_construct(&assembly, &p.management)?;
    management.has_resource_properties(
        "AWS::Organizations::Policy",
        Matcher::object([
            ("Name", Matcher::from("acme-deny-leave-organization")),
            (
                "Content",
                json!({ "Statement": [{ "Effect": "Deny", "Action": "organizations:LeaveOrganization" }] })
                    .into(),
            ),
        ]),
    );
    // Accounts are kept when removed from the program.
    for (_, account) in management.find_resources("AWS::Organizations::Account", Matcher::any()) {
        assert_eq!(account["DeletionPolicy"], "Retain");
    }
    Ok(())
}

/// Every template, the manifest and the deploy plan, byte for byte. A change shows up as
/// `.snap.new` files (all of them in one run) to review with `cargo insta review`.
#[test]
fn every_file_is_as_reviewed() {
    let p = acme_platform::platform().unwrap();
    let assembly = p.app.synth().unwrap();
    orgstack::assert_snapshots!(&assembly);
}
