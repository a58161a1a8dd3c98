#![cfg(feature = "testing")]
//! Template assertions (`orgstack::testing`) on hand-written templates.

use orgstack::testing::{AssertionError, Matcher, Template, TemplateError};
use serde_json::json;

/// A management-account template: roles, a bucket with its key, an SCP with its document
/// embedded as a string, a StackSet and the usual parameters and outputs.
const ORG: &str = r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": {
    "OrgId": { "Type": "String", "AllowedPattern": "^o-[a-z0-9]{10,32}$" },
    "Env": { "Type": "String", "Default": "prod" }
  },
  "Resources": {
    "RoleA": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "RoleName": "OrgAdmin",
        "Path": "/",
        "AssumeRolePolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Principal": { "AWS": "arn:aws:iam::111111111111:root" },
              "Action": "sts:AssumeRole",
              "Condition": { "Bool": { "aws:MultiFactorAuthPresent": "false" } }
            }
          ]
        },
        "ManagedPolicyArns": [
          "arn:aws:iam::aws:policy/ReadOnlyAccess",
          "arn:aws:iam::aws:policy/SecurityAudit"
        ]
      }
    },
    "RoleB": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "Path": "/ops/",
        "AssumeRolePolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Principal": { "AWS": "arn:aws:iam::111111111111:root" },
              "Action": "sts:AssumeRole",
              "Condition": { "Bool": { "aws:MultiFactorAuthPresent": "true" } }
            }
          ]
        }
      }
    },
    "LogBucket": {
      "Type": "AWS::S3::Bucket",
      "DeletionPolicy": "Retain",
      "UpdateReplacePolicy": "Retain",
      "DependsOn": ["LogKey"],
      "Metadata": { "Owner": "security" },
      "Properties": { "BucketName": "org-logs", "Tags": null }
    },
    "LogKey": {
      "Type": "AWS::KMS::Key",
      "Properties": { "EnableKeyRotation": true }
    },
    "DenyLeave": {
      "Type": "AWS::Organizations::Policy",
      "Properties": {
        "Name": "deny-leave",
        "Type": "SERVICE_CONTROL_POLICY",
        "Content": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"organizations:LeaveOrganization\",\"Resource\":\"*\"}]}",
        "TargetIds": [{ "Ref": "Workloads" }, { "Ref": "Sandbox" }]
      }
    }
  },
  "Outputs": {
    "AdminRoleArn": {
      "Value": { "Fn::GetAtt": ["RoleA", "Arn"] },
      "Export": { "Name": "org-admin-role-arn" }
    },
    "BucketName": { "Value": { "Ref": "LogBucket" } }
  }
}"#;

fn org() -> Template {
    Template::from_json("Org", ORG).unwrap()
}

/// The message of a failed `try_` assertion.
fn message(result: Result<(), AssertionError>) -> String {
    match result {
        Ok(()) => panic!("the assertion held but was expected to fail"),
        Err(e) => e.to_string(),
    }
}

/// The mismatches `m` reports for `actual`, one per line.
fn mismatches(m: &Matcher, actual: serde_json::Value) -> Vec<String> {
    m.mismatches(&actual)
        .iter()
        .map(ToString::to_string)
        .collect()
}

// ---- parsing ----------------------------------------------------------------------------

#[test]
fn unparsable_templates_are_errors() {
    let e = Template::from_json("Bad", "{ \"Resources\": ").unwrap_err();
    assert!(matches!(e, TemplateError::Parse { .. }));
    assert_eq!(e.to_string(), "template `Bad` is not valid JSON");
    assert!(std::error::Error::source(&e).is_some());

    let e = Template::from_json("Bad", "\"text\"").unwrap_err();
    assert_eq!(e.to_string(), "template `Bad` is not a JSON object");

    let e = Template::from_json("Bad", r#"{ "Outputs": [] }"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "template `Bad`: section `Outputs` is not a JSON object"
    );
}

#[test]
fn templates_load_from_files_named_after_them() {
    let dir = std::env::temp_dir().join(format!("orgstack-assertions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("Org.template.json");
    std::fs::write(&path, ORG).unwrap();
    let t = Template::from_file(&path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(t.name(), "Org");
    assert_eq!(t.json()["AWSTemplateFormatVersion"], "2010-09-09");
    assert_eq!(t, org());

    let e = Template::from_file(dir.join("Missing.json")).unwrap_err();
    assert!(matches!(e, TemplateError::Io { .. }));
    assert!(e.to_string().starts_with("could not read template file `"));
}

#[test]
fn resources_and_properties_by_logical_id() {
    let t = org();
    assert_eq!(t.resource("LogKey").unwrap()["Type"], "AWS::KMS::Key");
    assert_eq!(
        t.resource_properties("LogBucket"),
        Some(&json!({ "BucketName": "org-logs", "Tags": null }))
    );
    assert_eq!(t.resource_properties("Nothing"), None);
}

// ---- resource_count_is ------------------------------------------------------------------

#[test]
fn resource_count_holds() {
    let t = org();
    t.resource_count_is("AWS::IAM::Role", 2);
    t.resource_count_is("AWS::S3::Bucket", 1);
    t.resource_count_is("AWS::SNS::Topic", 0);
    assert!(t.try_resource_count_is("AWS::KMS::Key", 1).is_ok());
}

#[test]
fn resource_count_failure_lists_what_was_found() {
    let t = org();
    assert_eq!(
        message(t.try_resource_count_is("AWS::IAM::Role", 3)),
        "template `Org`: expected 3 resources of type AWS::IAM::Role, found 2 (RoleA, RoleB)"
    );
    assert_eq!(
        message(t.try_resource_count_is("AWS::SNS::Topic", 1)),
        "template `Org`: expected 1 resource of type AWS::SNS::Topic, found 0"
    );
    let Err(AssertionError::ResourceCount {
        expected, found, ..
    }) = t.try_resource_count_is("AWS::KMS::Key", 0)
    else {
        panic!("expected a resource count error");
    };
    assert_eq!((expected, found), (0, vec!["LogKey".to_owned()]));
}

#[test]
#[should_panic(expected = "expected 3 resources of type AWS::IAM::Role, found 2 (RoleA, RoleB)")]
fn resource_count_panics_with_the_message() {
    org().resource_count_is("AWS::IAM::Role", 3);
}

// ---- has_resource_properties and candidates ---------------------------------------------

#[test]
fn resource_properties_match_partially() {
    let t = org();
    t.has_resource_properties("AWS::IAM::Role", json!({ "RoleName": "OrgAdmin" }));
    t.has_resource_properties(
        "AWS::IAM::Role",
        json!({
            "AssumeRolePolicyDocument": {
                "Statement": [{ "Condition": { "Bool": { "aws:MultiFactorAuthPresent": "true" } } }]
            }
        }),
    );
    t.has_resource_properties("AWS::KMS::Key", json!({}));
}

#[test]
fn failure_shows_the_closest_candidates_and_their_differences() {
    let t = org();
    let expected = json!({
        "RoleName": "OrgAdmin",
        "AssumeRolePolicyDocument": {
            "Statement": [{ "Condition": { "Bool": { "aws:MultiFactorAuthPresent": "true" } } }]
        }
    });
    assert_eq!(
        message(t.try_has_resource_properties("AWS::IAM::Role", expected)),
        "template `Org`: no AWS::IAM::Role resource has properties matching \
         {\"AssumeRolePolicyDocument\":{\"Statement\":[{\"Condition\":{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"true\"}}}]},\"RoleName\":\"OrgAdmin\"}\n\
         closest candidates:\n  \
         RoleA (satisfies 1 of 2 expected values):\n    \
         /Properties/AssumeRolePolicyDocument/Statement/0/Condition/Bool/aws:MultiFactorAuthPresent: expected \"true\", found \"false\"\n  \
         RoleB (satisfies 1 of 2 expected values):\n    \
         /Properties/RoleName: missing"
    );
}

#[test]
fn candidates_are_ranked_by_expected_values_satisfied_and_capped_at_three() {
    let t = Template::from_json(
        "Ranked",
        r#"{
          "Resources": {
            "None":  { "Type": "AWS::SQS::Queue", "Properties": { "QueueName": "x" } },
            "One":   { "Type": "AWS::SQS::Queue", "Properties": { "QueueName": "q", "FifoQueue": false } },
            "NoProps": { "Type": "AWS::SQS::Queue" },
            "Two":   { "Type": "AWS::SQS::Queue", "Properties": { "QueueName": "q", "FifoQueue": true, "DelaySeconds": 5 } }
          }
        }"#,
    )
    .unwrap();
    let expected = json!({ "QueueName": "q", "FifoQueue": true, "DelaySeconds": 0 });
    let err = t
        .try_has_resource_properties("AWS::SQS::Queue", expected)
        .unwrap_err();
    let AssertionError::NoMatch {
        searched,
        ref candidates,
        ..
    } = err
    else {
        panic!("expected a no-match error");
    };
    assert_eq!(searched, 4);
    let ranked: Vec<(&str, usize)> = candidates
        .iter()
        .map(|c| (c.logical_id.as_str(), c.satisfied))
        .collect();
    // `None` and `NoProps` both satisfy nothing; document order breaks the tie.
    assert_eq!(ranked, [("Two", 2), ("One", 1), ("None", 0)]);
    assert!(candidates.iter().all(|c| c.total == 3));
    let text = err.to_string();
    assert!(
        text.contains("\nclosest candidates (3 of 4):\n  Two (satisfies 2 of 3 expected values):\n    /Properties/DelaySeconds: expected 0, found 5\n  One ("),
        "{text}"
    );
    assert!(!text.contains("NoProps"), "{text}");
}

#[test]
fn missing_properties_are_reported_at_their_path() {
    let t = Template::from_json(
        "T",
        r#"{ "Resources": { "Q": { "Type": "AWS::SQS::Queue" } } }"#,
    )
    .unwrap();
    let text = message(t.try_has_resource_properties("AWS::SQS::Queue", json!({ "A": 1 })));
    assert!(
        text.ends_with("\n  Q (satisfies 0 of 1 expected values):\n    /Properties: missing"),
        "{text}"
    );
    // Properties may be required to be absent.
    t.has_resource_properties("AWS::SQS::Queue", Matcher::absent());
}

#[test]
fn a_type_not_in_the_template_is_named_with_the_types_present() {
    assert_eq!(
        message(org().try_has_resource_properties("AWS::SNS::Topic", json!({ "TopicName": "t" }))),
        "template `Org`: no AWS::SNS::Topic resource has properties matching {\"TopicName\":\"t\"}; \
         the template has no resources of that type (types present: AWS::IAM::Role, \
         AWS::KMS::Key, AWS::Organizations::Policy, AWS::S3::Bucket)"
    );
    let empty = Template::from_json("Empty", "{}").unwrap();
    assert!(
        message(empty.try_has_resource("AWS::SNS::Topic", json!({})))
            .ends_with("; the template has no resources")
    );
}

#[test]
#[should_panic(expected = "/Properties/RoleName: expected \"Nobody\", found \"OrgAdmin\"")]
fn has_resource_properties_panics_with_the_message() {
    org().has_resource_properties(
        "AWS::IAM::Role",
        json!({ "RoleName": "Nobody", "Path": "/" }),
    );
}

// ---- has_resource -----------------------------------------------------------------------

#[test]
fn whole_resources_match_with_depends_on_and_deletion_policy() {
    let t = org();
    t.has_resource(
        "AWS::S3::Bucket",
        json!({
            "DependsOn": ["LogKey"],
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Metadata": { "Owner": "security" },
            "Properties": { "BucketName": "org-logs" }
        }),
    );
    t.has_resource(
        "AWS::KMS::Key",
        Matcher::object([
            ("DeletionPolicy", Matcher::absent()),
            ("DependsOn", Matcher::absent()),
        ]),
    );
}

#[test]
fn whole_resource_failure_shows_root_paths() {
    let t = org();
    assert_eq!(
        message(t.try_has_resource(
            "AWS::S3::Bucket",
            json!({ "DependsOn": ["LogKey", "Trail"], "DeletionPolicy": "Delete" })
        )),
        "template `Org`: no AWS::S3::Bucket resource matches \
         {\"DeletionPolicy\":\"Delete\",\"DependsOn\":[\"LogKey\",\"Trail\"]}\n\
         closest candidates:\n  \
         LogBucket (satisfies 0 of 3 expected values):\n    \
         /DeletionPolicy: expected \"Delete\", found \"Retain\"\n    \
         /DependsOn: expected an array of 2 elements, found 1 element"
    );
}

// ---- find_resources ---------------------------------------------------------------------

#[test]
fn find_resources_keeps_document_order() {
    let t = Template::from_json(
        "T",
        r#"{
          "Resources": {
            "Zeta": { "Type": "AWS::SNS::Topic", "Properties": { "TopicName": "z" } },
            "Other": { "Type": "AWS::SQS::Queue" },
            "Alpha": { "Type": "AWS::SNS::Topic", "Properties": { "TopicName": "a" } },
            "Mid": { "Type": "AWS::SNS::Topic", "Properties": { "TopicName": "m", "FifoTopic": true } }
          }
        }"#,
    )
    .unwrap();
    let all = t.find_resources("AWS::SNS::Topic", Matcher::any());
    assert_eq!(all.keys().collect::<Vec<_>>(), ["Zeta", "Alpha", "Mid"]);
    assert_eq!(all["Alpha"]["Properties"]["TopicName"], "a");

    let standard = t.find_resources(
        "AWS::SNS::Topic",
        Matcher::object([(
            "Properties",
            Matcher::object([("FifoTopic", Matcher::absent())]),
        )]),
    );
    assert_eq!(standard.keys().collect::<Vec<_>>(), ["Zeta", "Alpha"]);
    assert!(t
        .find_resources(
            "AWS::SNS::Topic",
            json!({ "Properties": { "TopicName": "q" } })
        )
        .is_empty());
    assert!(t
        .find_resources("AWS::S3::Bucket", Matcher::any())
        .is_empty());
}

// ---- outputs and parameters -------------------------------------------------------------

#[test]
fn outputs_match_by_name_or_any() {
    let t = org();
    t.has_output(
        "AdminRoleArn",
        json!({ "Value": { "Fn::GetAtt": ["RoleA", "Arn"] }, "Export": { "Name": "org-admin-role-arn" } }),
    );
    t.has_output("*", json!({ "Value": { "Ref": "LogBucket" } }));
    let exported = t.find_outputs("*", Matcher::object([("Export", Matcher::any_value())]));
    assert_eq!(exported.keys().collect::<Vec<_>>(), ["AdminRoleArn"]);
    assert_eq!(t.find_outputs("*", Matcher::any()).len(), 2);
    assert_eq!(t.find_outputs("BucketName", Matcher::any()).len(), 1);
    assert!(t.find_outputs("Nothing", Matcher::any()).is_empty());
}

#[test]
fn output_failures_say_which_output_differs_and_how() {
    let t = org();
    assert_eq!(
        message(t.try_has_output("BucketName", json!({ "Export": { "Name": "logs" } }))),
        "template `Org`: output `BucketName` does not match {\"Export\":{\"Name\":\"logs\"}}\n\
         closest candidates:\n  \
         BucketName (satisfies 0 of 1 expected values):\n    \
         /Export: missing"
    );
    assert_eq!(
        message(t.try_has_output("RoleArn", Matcher::any())),
        "template `Org`: output `RoleArn` does not match any(); \
         the template has no output `RoleArn` (outputs present: AdminRoleArn, BucketName)"
    );
    let text = message(t.try_has_output("*", json!({ "Value": { "Ref": "LogKey" } })));
    assert!(
        text.starts_with("template `Org`: no output matches {\"Value\":{\"Ref\":\"LogKey\"}}\n"),
        "{text}"
    );
    assert!(text.contains("BucketName (satisfies 0 of 1 expected values):\n    /Value/Ref: expected \"LogKey\", found \"LogBucket\""), "{text}");
}

#[test]
fn parameters_match_by_name_or_any() {
    let t = org();
    t.has_parameter("Env", json!({ "Type": "String", "Default": "prod" }));
    t.has_parameter(
        "*",
        Matcher::object([("AllowedPattern", Matcher::string_like("^o-*"))]),
    );
    let with_default = t.find_parameters("*", Matcher::object([("Default", Matcher::any_value())]));
    assert_eq!(with_default.keys().collect::<Vec<_>>(), ["Env"]);
    assert_eq!(
        t.find_parameters("*", Matcher::any())
            .keys()
            .collect::<Vec<_>>(),
        ["OrgId", "Env"]
    );
    assert_eq!(
        message(t.try_has_parameter("Env", json!({ "Default": "dev" }))),
        "template `Org`: parameter `Env` does not match {\"Default\":\"dev\"}\n\
         closest candidates:\n  \
         Env (satisfies 0 of 1 expected values):\n    \
         /Default: expected \"dev\", found \"prod\""
    );
    let none = Template::from_json("Empty", r#"{ "Resources": {} }"#).unwrap();
    assert_eq!(
        message(none.try_has_parameter("*", Matcher::any())),
        "template `Empty`: no parameter matches any(); the template has no parameters"
    );
}

// ---- matchers, each matching and failing ------------------------------------------------

#[test]
fn object_like_ignores_extra_keys_but_compares_arrays_element_wise() {
    let m = Matcher::object_like(json!({ "Statement": [{ "Effect": "Allow" }] }));
    assert!(m.matches(
        &json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "*" }] })
    ));
    assert_eq!(
        mismatches(
            &m,
            json!({ "Statement": [{ "Effect": "Allow" }, { "Effect": "Deny" }] })
        ),
        ["/Statement: expected an array of 1 element, found 2 elements"]
    );
    assert_eq!(
        mismatches(&m, json!({ "Statement": [{ "Effect": "Deny" }] })),
        ["/Statement/0/Effect: expected \"Allow\", found \"Deny\""]
    );
    assert_eq!(
        mismatches(&m, json!({ "Statement": "Allow" })),
        ["/Statement: expected an array, found \"Allow\""]
    );
    assert_eq!(
        mismatches(&m, json!([])),
        ["(root): expected an object, found []"]
    );
    // Plain JSON converts into object_like.
    assert_eq!(
        Matcher::from(json!({ "A": [1] })),
        Matcher::object_like(json!({ "A": [1] }))
    );
}

#[test]
fn exact_requires_deep_equality() {
    let t = org();
    t.has_resource_properties(
        "AWS::KMS::Key",
        Matcher::exact(json!({ "EnableKeyRotation": true })),
    );
    let m = Matcher::object([("Principal", Matcher::exact(json!({ "AWS": ["a", "b"] })))]);
    assert!(m.matches(&json!({ "Principal": { "AWS": ["a", "b"] }, "Effect": "Allow" })));
    assert_eq!(
        mismatches(
            &m,
            json!({ "Principal": { "AWS": ["a", "c"], "Service": "s3.amazonaws.com" } })
        ),
        [
            "/Principal/AWS/1: expected \"b\", found \"c\"",
            "/Principal/Service: not expected (exact match), found \"s3.amazonaws.com\""
        ]
    );
    assert_eq!(
        mismatches(&m, json!({ "Principal": {} })),
        ["/Principal/AWS: missing"]
    );
    assert!(message(t.try_has_resource_properties(
        "AWS::S3::Bucket",
        Matcher::exact(json!({ "BucketName": "org-logs" }))
    ))
    .ends_with("/Properties/Tags: not expected (exact match), found null"));
}

#[test]
fn array_with_finds_elements_in_order() {
    let t = org();
    t.has_resource_properties(
        "AWS::IAM::Role",
        Matcher::object([(
            "ManagedPolicyArns",
            Matcher::array_with(["arn:aws:iam::aws:policy/SecurityAudit"]),
        )]),
    );
    let m = Matcher::array_with([json!({ "Ref": "Workloads" }), json!({ "Ref": "Sandbox" })]);
    assert!(m.matches(&json!([{ "Ref": "Workloads" }, { "Ref": "Other" }, { "Ref": "Sandbox" }])));
    assert!(Matcher::array_with(Vec::<Matcher>::new()).matches(&json!([])));
    // Out of order: the second is looked for after the first.
    assert_eq!(
        mismatches(&m, json!([{ "Ref": "Sandbox" }, { "Ref": "Workloads" }])),
        [
            "(root): expected an element matching {\"Ref\":\"Sandbox\"} at index 2 or later, found none among 2 elements"
        ]
    );
    assert_eq!(
        mismatches(&m, json!("Workloads")),
        ["(root): expected an array, found \"Workloads\""]
    );
}

#[test]
fn array_with_shows_how_the_closest_element_differs() {
    let m = Matcher::object([(
        "Statement",
        Matcher::array_with([
            json!({ "Effect": "Deny", "Action": "organizations:LeaveOrganization" }),
        ]),
    )]);
    assert_eq!(
        mismatches(
            &m,
            json!({ "Statement": [
                { "Effect": "Allow", "Action": "s3:*" },
                { "Effect": "Allow", "Action": "organizations:LeaveOrganization" }
            ] })
        ),
        [
            "/Statement: expected an element matching {\"Action\":\"organizations:LeaveOrganization\",\"Effect\":\"Deny\"} at index 0 or later, found none among 2 elements",
            "/Statement/1/Effect: expected \"Deny\", found \"Allow\""
        ]
    );
}

#[test]
fn absent_requires_a_missing_key() {
    let t = org();
    t.has_resource_properties(
        "AWS::IAM::Role",
        Matcher::object([("RoleName", Matcher::absent()), ("Path", "/ops/".into())]),
    );
    let m = Matcher::object([("PermissionsBoundary", Matcher::absent())]);
    assert_eq!(
        mismatches(&m, json!({ "PermissionsBoundary": null })),
        ["/PermissionsBoundary: expected absent, found null"]
    );
    assert!(!Matcher::absent().matches(&json!({})));
}

#[test]
fn any_value_requires_a_present_non_null_value() {
    let m = Matcher::object([
        ("BucketName", Matcher::any_value()),
        ("Tags", Matcher::any_value()),
    ]);
    assert!(m.matches(&json!({ "BucketName": "x", "Tags": [] })));
    assert_eq!(
        message(org().try_has_resource_properties("AWS::S3::Bucket", m)),
        "template `Org`: no AWS::S3::Bucket resource has properties matching \
         {\"BucketName\":any_value(),\"Tags\":any_value()}\n\
         closest candidates:\n  \
         LogBucket (satisfies 1 of 2 expected values):\n    \
         /Properties/Tags: expected any non-null value, found null"
    );
    assert_eq!(
        mismatches(&Matcher::object([("Key", Matcher::any_value())]), json!({})),
        ["/Key: missing"]
    );
}

#[test]
fn any_matches_everything_even_missing_keys() {
    let m = Matcher::object([("Anything", Matcher::any())]);
    for v in [
        json!({}),
        json!({ "Anything": null }),
        json!({ "Anything": [1] }),
    ] {
        assert!(m.matches(&v), "{v}");
    }
    assert_eq!(
        mismatches(&m, json!(1)),
        ["(root): expected an object, found 1"]
    );
}

#[test]
fn string_like_is_a_star_glob() {
    let t = org();
    t.has_resource_properties(
        "AWS::IAM::Role",
        json_with_principal(Matcher::string_like("arn:aws:iam::*:root")),
    );
    let m = Matcher::string_like("org-*-logs");
    assert!(m.matches(&json!("org--logs")));
    assert!(m.matches(&json!("org-audit-eu-logs")));
    assert!(!m.matches(&json!("org-logs")));
    assert!(
        !Matcher::string_like("org.logs").matches(&json!("org-logs")),
        "no regex"
    );
    assert_eq!(
        mismatches(
            &Matcher::object([("BucketName", m.clone())]),
            json!({ "BucketName": "audit" })
        ),
        ["/BucketName: expected a string like \"org-*-logs\", found \"audit\""]
    );
    assert_eq!(
        mismatches(&m, json!({ "Ref": "Name" })),
        ["(root): expected a string like \"org-*-logs\", found {\"Ref\":\"Name\"}"]
    );
}

fn json_with_principal(principal: Matcher) -> Matcher {
    Matcher::object([(
        "AssumeRolePolicyDocument",
        Matcher::object([(
            "Statement",
            Matcher::array_with([Matcher::object([(
                "Principal",
                Matcher::object([("AWS", principal)]),
            )])]),
        )]),
    )])
}

#[test]
fn serialized_json_matches_policies_embedded_as_strings() {
    let t = org();
    t.has_resource_properties(
        "AWS::Organizations::Policy",
        Matcher::object([(
            "Content",
            Matcher::serialized_json(json!({
                "Statement": [{ "Effect": "Deny", "Action": "organizations:LeaveOrganization" }]
            })),
        )]),
    );
    let text = message(t.try_has_resource_properties(
        "AWS::Organizations::Policy",
        Matcher::object([(
            "Content",
            Matcher::serialized_json(json!({ "Statement": [{ "Effect": "Allow" }] })),
        )]),
    ));
    assert!(
        text.ends_with("\n    /Properties/Content/(json)/Statement/0/Effect: expected \"Allow\", found \"Deny\""),
        "{text}"
    );
    let m = Matcher::serialized_json(json!({}));
    assert_eq!(
        mismatches(&m, json!({ "Version": "2012-10-17" })),
        ["(root): expected a string holding JSON, found {\"Version\":\"2012-10-17\"}"]
    );
    let invalid = mismatches(&m, json!("{\"Version\":"));
    assert_eq!(invalid.len(), 1);
    assert!(
        invalid[0].starts_with("(root): expected a string holding JSON, found invalid JSON ("),
        "{invalid:?}"
    );
}

#[test]
fn not_inverts_a_matcher() {
    let t = org();
    t.has_resource_properties(
        "AWS::IAM::Role",
        Matcher::object([("Path", Matcher::not("/"))]),
    );
    t.has_resource(
        "AWS::S3::Bucket",
        Matcher::object([("DeletionPolicy", !Matcher::absent())]),
    );
    let m = Matcher::object([("Effect", Matcher::not("Allow"))]);
    assert!(m.matches(&json!({ "Effect": "Deny" })));
    assert!(m.matches(&json!({})), "a missing key is not \"Allow\"");
    assert_eq!(
        mismatches(&m, json!({ "Effect": "Allow" })),
        ["/Effect: expected anything but \"Allow\", found \"Allow\""]
    );
    assert_eq!(
        mismatches(&Matcher::object([("Path", !Matcher::absent())]), json!({})),
        ["/Path: expected anything but absent(), found nothing"]
    );
}

#[test]
fn matchers_nest_inside_expected_objects_and_arrays() {
    let t = org();
    let expected = Matcher::object([
        ("RoleName", Matcher::string_like("Org*")),
        ("Path", "/".into()),
        ("Description", Matcher::absent()),
        (
            "ManagedPolicyArns",
            Matcher::array([Matcher::any_value(), Matcher::string_like("*SecurityAudit")]),
        ),
        (
            "AssumeRolePolicyDocument",
            json!({ "Version": "2012-10-17" }).into(),
        ),
    ]);
    assert_eq!(
        expected.to_string(),
        "{\"RoleName\":string_like(\"Org*\"),\"Path\":\"/\",\"Description\":absent(),\
         \"ManagedPolicyArns\":[any_value(),string_like(\"*SecurityAudit\")],\
         \"AssumeRolePolicyDocument\":{\"Version\":\"2012-10-17\"}}"
    );
    t.has_resource_properties("AWS::IAM::Role", expected);
    let text = message(t.try_has_resource_properties(
        "AWS::IAM::Role",
        Matcher::object([("ManagedPolicyArns", Matcher::array([Matcher::any_value()]))]),
    ));
    assert!(text.contains("RoleA (satisfies 0 of 1 expected values):\n    /Properties/ManagedPolicyArns: expected an array of 1 element, found 2 elements"), "{text}");
    assert!(
        text.contains(
            "RoleB (satisfies 0 of 1 expected values):\n    /Properties/ManagedPolicyArns: missing"
        ),
        "{text}"
    );
}

#[test]
fn paths_escape_slashes_and_tildes() {
    let m = Matcher::from(json!({ "a/b": { "c~d": 1 } }));
    assert_eq!(
        mismatches(&m, json!({ "a/b": { "c~d": 2 } })),
        ["/a~1b/c~0d: expected 1, found 2"]
    );
}

// ---- StackSet member templates ----------------------------------------------------------

/// A member template, minified as it is in a `TemplateBody`.
const MEMBER: &str = r#"{"AWSTemplateFormatVersion":"2010-09-09","Resources":{"Alerts":{"Type":"AWS::SNS::Topic","Properties":{"TopicName":"org-alerts"}},"Reader":{"Type":"AWS::IAM::Role","Properties":{"RoleName":"OrgReader"}}},"Outputs":{"AlertsArn":{"Value":{"Ref":"Alerts"}}}}"#;

fn with_stack_sets() -> Template {
    // The member template goes into the parent as a JSON string.
    let body = serde_json::to_string(MEMBER).unwrap();
    let parent = format!(
        r#"{{
          "Resources": {{
            "Baseline": {{
              "Type": "AWS::CloudFormation::StackSet",
              "Properties": {{ "StackSetName": "baseline", "PermissionModel": "SERVICE_MANAGED", "TemplateBody": {body} }}
            }},
            "Topic": {{ "Type": "AWS::SNS::Topic" }},
            "FromUrl": {{
              "Type": "AWS::CloudFormation::StackSet",
              "Properties": {{ "StackSetName": "from-url", "TemplateURL": "https://example.com/t.json" }}
            }},
            "Empty": {{
              "Type": "AWS::CloudFormation::StackSet",
              "Properties": {{ "StackSetName": "empty", "TemplateBody": "{{}}" }}
            }}
          }}
        }}"#
    );
    Template::from_json("Org", &parent).unwrap()
}

#[test]
fn stack_set_templates_parse_their_template_bodies() {
    let t = with_stack_sets();
    let members = t.stack_set_templates();
    let names: Vec<&str> = members.iter().map(Template::name).collect();
    assert_eq!(names, ["Org/Baseline", "Org/Empty"]);

    let baseline = &members[0];
    baseline.resource_count_is("AWS::SNS::Topic", 1);
    baseline.has_resource_properties("AWS::IAM::Role", json!({ "RoleName": "OrgReader" }));
    baseline.has_output("AlertsArn", json!({ "Value": { "Ref": "Alerts" } }));
    assert_eq!(
        message(baseline.try_resource_count_is("AWS::IAM::Role", 2)),
        "template `Org/Baseline`: expected 2 resources of type AWS::IAM::Role, found 1 (Reader)"
    );
    members[1].resource_count_is("AWS::SNS::Topic", 0);

    assert_eq!(t.stack_set_template("Baseline").as_ref(), Some(baseline));
    assert!(t.stack_set_template("FromUrl").is_none());
    assert!(t.stack_set_template("Topic").is_none());
    assert!(t.stack_set_template("Nothing").is_none());
    assert_eq!(t.try_stack_set_templates().unwrap(), members);
}

#[test]
fn template_bodies_match_with_serialized_json() {
    let t = with_stack_sets();
    t.has_resource_properties(
        "AWS::CloudFormation::StackSet",
        Matcher::object([(
            "TemplateBody",
            Matcher::serialized_json(json!({
                "Resources": { "Alerts": { "Properties": { "TopicName": "org-alerts" } } }
            })),
        )]),
    );
    let text = message(t.try_has_resource_properties(
        "AWS::CloudFormation::StackSet",
        Matcher::object([(
            "TemplateBody",
            Matcher::serialized_json(
                json!({ "Resources": { "Alerts": { "Type": "AWS::SQS::Queue" } } }),
            ),
        )]),
    ));
    assert!(
        text.contains("Baseline (satisfies 0 of 1 expected values):\n    /Properties/TemplateBody/(json)/Resources/Alerts/Type: expected \"AWS::SQS::Queue\", found \"AWS::SNS::Topic\""),
        "{text}"
    );
    assert!(
        text.contains(
            "FromUrl (satisfies 0 of 1 expected values):\n    /Properties/TemplateBody: missing"
        ),
        "{text}"
    );
}

#[test]
fn unparsable_template_bodies_are_skipped_or_reported() {
    let t = Template::from_json(
        "Org",
        r#"{
          "Resources": {
            "Good": { "Type": "AWS::CloudFormation::StackSet", "Properties": { "TemplateBody": "{\"Resources\":{}}" } },
            "Broken": { "Type": "AWS::CloudFormation::StackSet", "Properties": { "TemplateBody": "{\"Resources\":" } },
            "Inline": { "Type": "AWS::CloudFormation::StackSet", "Properties": { "TemplateBody": { "Resources": {} } } }
          }
        }"#,
    )
    .unwrap();
    let names: Vec<String> = t
        .stack_set_templates()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    assert_eq!(names, ["Org/Good"]);
    assert!(t.stack_set_template("Broken").is_none());
    assert!(t.stack_set_template("Inline").is_none());
    let e = t.try_stack_set_templates().unwrap_err();
    assert_eq!(e.to_string(), "template `Org/Broken` is not valid JSON");
}
