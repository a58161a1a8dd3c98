//! The JSON spec: its twins of the Rust examples write the same bytes, its schema is the
//! one checked in, and every kind of mistake names its place in the JSON.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use orgstack::spec::{self, OrgSpec, SpecError};
use orgstack::Rule;

#[allow(dead_code)]
#[path = "../examples/custom_org.rs"]
mod custom_org_example;
#[allow(dead_code)]
#[path = "../examples/five_account_layout.rs"]
mod five_account_layout_example;

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("spec")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Every file under `dir`, by name, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        assert!(entry.file_type().unwrap().is_file(), "{:?}", entry.path());
        out.insert(
            entry.file_name().to_string_lossy().into_owned(),
            std::fs::read(entry.path()).unwrap(),
        );
    }
    out
}

/// Writes the Rust app and the spec into two directories and compares every file.
fn assert_twins(name: &str, app: orgstack::App, spec_file: &str) {
    let rust_dir = tmp(&format!("{name}-rust"));
    let spec_dir = tmp(&format!("{name}-spec"));
    app.synth_to(&rust_dir).unwrap();
    let text = std::fs::read_to_string(spec_file).unwrap();
    spec::synth_to(&text, &spec_dir).unwrap();
    let (rust, json) = (files(&rust_dir), files(&spec_dir));
    assert_eq!(
        rust.keys().collect::<Vec<_>>(),
        json.keys().collect::<Vec<_>>()
    );
    assert!(rust.len() >= 5, "{:?}", rust.keys());
    for (file, bytes) in &rust {
        assert!(
            json[file] == *bytes,
            "{file} differs between the Rust example and {spec_file}"
        );
    }
}

#[test]
fn the_five_account_spec_writes_the_rust_examples_bytes() {
    assert_twins(
        "five_account_layout",
        five_account_layout_example::app().unwrap(),
        "examples/five_account_layout.json",
    );
}

#[test]
fn the_custom_org_spec_writes_the_rust_examples_bytes() {
    assert_twins(
        "custom_org",
        custom_org_example::app().unwrap(),
        "examples/custom_org.json",
    );
}

#[test]
fn a_spec_round_trips_through_its_json() {
    for file in [
        "examples/five_account_layout.json",
        "examples/custom_org.json",
    ] {
        let spec = OrgSpec::from_json(&std::fs::read_to_string(file).unwrap()).unwrap();
        let again = OrgSpec::from_json(&spec.to_json().unwrap()).unwrap();
        assert_eq!(again, spec, "{file}");
    }
}

#[test]
fn the_checked_in_schema_is_the_one_the_types_generate() {
    let checked_in = std::fs::read_to_string("schema/orgspec.schema.json").unwrap();
    assert!(
        checked_in == spec::schema(),
        "schema/orgspec.schema.json is stale: run `cargo run --example schema > schema/orgspec.schema.json` and review the diff"
    );
}

#[test]
fn the_schema_describes_every_top_level_field() {
    let schema: serde_json::Value = serde_json::from_str(&spec::schema()).unwrap();
    let props = schema["properties"].as_object().unwrap();
    for field in [
        "$schema",
        "stack",
        "home_region",
        "quotas",
        "organization",
        "layout",
        "organizational_units",
        "accounts",
        "existing_accounts",
        "policies",
        "grants",
        "stack_sets",
    ] {
        let p = &props[field];
        assert!(
            p.get("description").and_then(|d| d.as_str()).is_some(),
            "{field}: {p}"
        );
    }
    assert_eq!(schema["additionalProperties"], false);
}

// ---------------------------------------------------------------------------------------
// Errors, each with its place in the JSON
// ---------------------------------------------------------------------------------------

fn validation(text: &str) -> SpecError {
    OrgSpec::from_json(text)
        .unwrap()
        .to_app()
        .unwrap()
        .synth()
        .unwrap_err()
}

#[test]
fn a_syntax_error_names_line_and_column() {
    let err =
        OrgSpec::from_json("{\n  \"layout\": {\n    \"name\": \"acme\",\n  }\n}").unwrap_err();
    let SpecError::Syntax { line, column, .. } = err else {
        panic!("{err:?}");
    };
    assert_eq!((line, column), (4, 3));
    assert!(err.to_string().starts_with("line 4, column 3: "), "{err}");
}

#[test]
fn an_unknown_field_names_its_json_path() {
    let err =
        OrgSpec::from_json(r#"{"layout": {"name": "acme", "emial_domain": "x"}}"#).unwrap_err();
    assert_eq!(err.json_paths(), ["$.layout.emial_domain"]);
    assert!(
        err.to_string()
            .contains("$.layout.emial_domain: unknown field `emial_domain`"),
        "{err}"
    );
}

#[test]
fn a_wrong_type_names_its_json_path_line_and_column() {
    let err = OrgSpec::from_json("{\"accounts\": [\n {\"name\": \"A\", \"email\": \"a@b.example\"},\n {\"name\": \"B\", \"email\": 7}]}").unwrap_err();
    let SpecError::Shape(problems) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(problems[0].path, "$.accounts[1].email");
    assert_eq!(problems[0].position, Some((3, 25)));
    assert!(
        err.to_string()
            .contains("$.accounts[1].email: invalid type: integer `7`"),
        "{err}"
    );
}

#[test]
fn a_missing_field_names_where_it_belongs() {
    let err = OrgSpec::from_json(r#"{"policies": [{"name": "P"}]}"#).unwrap_err();
    assert_eq!(err.json_paths(), ["$.policies[0].document"]);
    assert!(
        err.to_string().contains("missing field `document`"),
        "{err}"
    );
}

#[test]
fn every_shape_problem_is_reported_at_once() {
    let err = OrgSpec::from_json(
        r#"{"accounts": [{"name": 1, "email": "a@b.example"}, {"email": "b@b.example"}],
            "stack_sets": [{"id": "S", "name": "s", "roles": [{"id": "R", "trust": {"anyone": true}}]}],
            "quotas": {"ou_depth": -1}}"#,
    )
    .unwrap_err();
    // In the order of the text, each with its line and column.
    let SpecError::Shape(problems) = &err else {
        panic!("{err:?}");
    };
    let lines: Vec<usize> = problems.iter().map(|p| p.position.unwrap().0).collect();
    assert_eq!(lines, [1, 1, 2, 3]);
    assert_eq!(
        err.json_paths(),
        [
            "$.accounts[0].name",
            "$.accounts[1].name",
            "$.stack_sets[0].roles[0].trust",
            "$.quotas.ou_depth",
        ]
    );
}

#[test]
fn a_bad_email_names_the_accounts_email() {
    let err = validation(
        r#"{"accounts": [{"name": "A", "email": "a@b.example"}, {"name": "B", "email": "not-an-email"}]}"#,
    );
    let d = &err.diagnostics()[0];
    assert_eq!(d.rule, Rule::AccountEmail);
    assert_eq!(d.source.as_deref(), Some("$.accounts[1].email"));
    assert!(
        err.to_string().contains("$.accounts[1].email: Management/"),
        "{err}"
    );
}

#[test]
fn a_value_with_a_line_break_keeps_its_problem_on_one_line() {
    // `\n` in the JSON is a line break in the value (and the construct id it becomes).
    let text = r#"{"accounts": [{"name": "A\nB", "email": "not-an\nemail"}]}"#;
    let err = validation(text);
    let report = err.report("s.json", text);
    assert_eq!(report.lines().count(), err.diagnostics().len(), "{report}");
    assert!(report.lines().all(|l| l.starts_with("s.json:")), "{report}");
    assert!(report.contains("(value: `not-an\\nemail`)"), "{report}");
    // The diagnostic keeps the value as it is; only its display escapes it.
    assert!(err.diagnostics().iter().any(|d| d.value == "not-an\nemail"));
    assert!(err.to_string().lines().all(|l| !l.trim().is_empty()));
}

#[test]
fn a_bad_layout_setting_names_its_field() {
    let err = validation(
        r#"{"layout": {"name": "acme", "email_domain": "aws.acme.example", "alert_email": "nobody",
            "allowed_regions": ["us-east-1", "mars-1"], "log_retention_days": 42,
            "environments": [{"name": "dev"}, {"name": "Prod!", "production": true}]}}"#,
    );
    let mut paths = err.json_paths();
    paths.sort();
    assert_eq!(
        paths,
        [
            "$.layout.alert_email",
            "$.layout.allowed_regions",
            "$.layout.environments[1].name",
            "$.layout.log_retention_days",
        ]
    );
}

#[test]
fn an_undefined_ou_account_or_environment_names_the_reference() {
    let err = validation(
        r#"{"layout": {"name": "acme", "email_domain": "aws.acme.example", "account_emails": {"qa": "qa@aws.acme.example"}},
            "accounts": [{"name": "A", "email": "a@aws.acme.example", "ou": "Workloads/Nowhere"}],
            "policies": [{"name": "P", "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]},
                          "targets": [{"account": "qa"}, {"ou": "Security"}]}],
            "grants": [{"group": "developers", "role": "developer", "targets": [{"account": "staging"}, {"ou": "Sandbox"}]}]}"#,
    );
    let by_rule: Vec<(Rule, &str)> = err
        .diagnostics()
        .iter()
        .map(|d| (d.rule, d.source.as_deref().unwrap()))
        .collect();
    assert_eq!(
        by_rule,
        [
            (Rule::UnknownKey, "$.layout.account_emails.qa"),
            (Rule::UnresolvedReference, "$.accounts[0].ou"),
            (Rule::UnresolvedReference, "$.policies[0].targets[0]"),
            (Rule::UnresolvedReference, "$.grants[0].targets[1]"),
        ]
    );
}

#[test]
fn a_duplicate_account_names_the_second() {
    let err = validation(
        r#"{"layout": {"name": "acme", "email_domain": "aws.acme.example"},
            "accounts": [{"name": "A", "email": "a@aws.acme.example"}, {"name": "A", "email": "a2@aws.acme.example"},
                         {"name": "audit", "email": "a3@aws.acme.example"}],
            "existing_accounts": [{"key": "A", "id": "123456789012"}, {"key": "legacy", "id": "1234"}]}"#,
    );
    let by_rule: Vec<(Rule, &str)> = err
        .diagnostics()
        .iter()
        .map(|d| (d.rule, d.source.as_deref().unwrap()))
        .collect();
    assert_eq!(
        by_rule,
        [
            (Rule::DuplicateId, "$.accounts[1].name"),
            (Rule::DuplicateId, "$.accounts[2].name"),
            (Rule::DuplicateId, "$.existing_accounts[0].key"),
            (Rule::AccountId, "$.existing_accounts[1].id"),
        ]
    );
}

#[test]
fn a_policy_over_its_quota_names_its_document() {
    let actions: Vec<String> = (0..600)
        .map(|i| format!("\"s3:GetObjectNumber{i}\""))
        .collect();
    let text = format!(
        r#"{{"policies": [
            {{"name": "Small", "document": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}}]}}, "targets": ["root"]}},
            {{"name": "Large", "document": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Deny", "Action": [{}], "Resource": "*"}}]}}, "targets": ["root"]}}
        ]}}"#,
        actions.join(",")
    );
    let err = validation(&text);
    let d = err
        .diagnostics()
        .iter()
        .find(|d| d.rule == Rule::PolicySize)
        .unwrap_or_else(|| panic!("{err}"));
    assert_eq!(d.source.as_deref(), Some("$.policies[1].document"));
}

#[test]
fn a_document_the_policy_language_cannot_express_names_the_value() {
    let err = validation(
        r#"{"policies": [{"name": "P", "document": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"StringEqualsMaybe": {"k": "v"}}},
            {"Effect": "Deny", "Action": ["iam:*", "not an action"], "Resource": "*"}]}}]}"#,
    );
    assert_eq!(
        err.json_paths(),
        [
            "$.policies[0].document.Statement[0].Condition.StringEqualsMaybe",
            "$.policies[0].document.Statement[1].Action[1]",
        ]
    );
    assert!(err
        .diagnostics()
        .iter()
        .all(|d| d.rule == Rule::PolicyDocument));
}

#[test]
fn a_management_policy_keeps_its_json_as_written() {
    let spec = OrgSpec::from_json(
        r#"{"policies": [{"name": "OptOut", "type": "AISERVICES_OPT_OUT_POLICY",
            "document": {"services": {"default": {"opt_out_policy": {"@@assign": "optOut"}}, "a": 1}},
            "targets": ["root"]}]}"#,
    )
    .unwrap();
    let assembly = spec.to_app().unwrap().synth().unwrap();
    let mgmt = assembly.template_json("Management").unwrap();
    let default = mgmt.find("\"default\"").unwrap();
    let a = mgmt.find("\"a\": 1").unwrap();
    assert!(default < a, "document order kept");
    assert!(mgmt.contains("\"Type\": \"AISERVICES_OPT_OUT_POLICY\""));
}

#[test]
fn a_rejected_spec_creates_no_output_directory() {
    let cases = [
        "{ not json",
        r#"{"accounts": [{"name": "A"}]}"#,
        r#"{"accounts": [{"name": "A", "email": "bad"}]}"#,
    ];
    for (i, text) in cases.iter().enumerate() {
        let dir = tmp(&format!("rejected-{i}"));
        assert!(spec::synth_to(text, &dir).is_err(), "{text}");
        assert!(!dir.exists(), "{text} created {dir:?}");
        let parent = dir.parent().unwrap();
        if parent.exists() {
            for entry in std::fs::read_dir(parent).unwrap() {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                assert!(
                    !name.contains(&format!("rejected-{i}")),
                    "{text} left {name}"
                );
            }
        }
    }
}

#[test]
fn a_construct_added_twice_names_the_second_and_the_first_keeps_its_own_problems() {
    let doc = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}"#;
    let err = validation(&format!(
        r#"{{"stack": "9lives",
            "accounts": [{{"name": "A", "email": "bad"}}, {{"name": "B", "email": "b@b.example", "id": "A"}}],
            "policies": [{{"name": "P", "document": {doc}}}, {{"name": "P", "document": {doc}}}],
            "stack_sets": [{{"id": "S", "name": "s", "targets": ["root"]}}, {{"id": "S", "name": "t", "targets": ["root"]}}]}}"#
    ));
    let mut by_rule: Vec<(Rule, &str)> = err
        .diagnostics()
        .iter()
        .map(|d| (d.rule, d.source.as_deref().unwrap()))
        .collect();
    by_rule.sort();
    assert_eq!(
        by_rule,
        [
            (Rule::DuplicateId, "$.accounts[1].id"),
            (Rule::DuplicateId, "$.policies[1].name"),
            (Rule::DuplicateId, "$.stack_sets[1].id"),
            (Rule::StackName, "$.stack"),
            (Rule::AccountEmail, "$.accounts[0].email"),
            // Its member template has no resources.
            (Rule::StackSetTargets, "$.stack_sets[0]"),
        ]
    );
}

#[test]
fn an_account_under_an_unknown_ou_still_has_its_own_problems_reported() {
    let err = validation(
        r#"{"organizational_units": [{"name": "Team", "parent": "Nowhere"}, {"name": "Dev", "parent": "Nowhere/Team"}],
            "accounts": [{"name": "A", "email": "a-at-example", "ou": "Nowhere/Team/Dev"}]}"#,
    );
    assert_eq!(
        err.json_paths(),
        ["$.organizational_units[0].parent", "$.accounts[0].email"]
    );
}

#[test]
fn the_readmes_spec_synthesizes() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme.find("```json\n").expect("a JSON spec in the README") + 8;
    let end = start + readme[start..].find("```").unwrap();
    let spec = OrgSpec::from_json(&readme[start..end]).unwrap();
    let assembly = spec.to_app().unwrap().synth().unwrap();
    let mgmt = assembly.template_json("Management").unwrap();
    assert!(mgmt.contains("\"AccountName\": \"Playground\""));
    assert!(mgmt.contains("guardduty:DeleteDetector"));
}

#[test]
fn deeply_nested_json_is_an_error_not_a_crash() {
    for depth in [100, 126, 127, 128, 129, 5_000] {
        let text = format!(
            r#"{{"policies": [{{"name": "P", "document": {}{}}}]}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let err = OrgSpec::from_json(&text)
            .and_then(|s| s.to_app()?.synth().map(|_| ()))
            .unwrap_err();
        match &err {
            SpecError::Syntax { line, .. } => assert_eq!(*line, 1, "{err}"),
            _ => assert!(
                err.json_paths()
                    .iter()
                    .all(|p| p.starts_with("$.policies[0].document")),
                "{depth}: {err}"
            ),
        }
    }
}

#[test]
fn a_stack_sets_roles_take_boundaries_and_policies_of_their_own_stack_set() {
    let stack_set = |boundary: &str| {
        format!(
            r#"{{"accounts": [{{"name": "Identity", "email": "id@acme.example"}}],
                "stack_sets": [{{"id": "Roles", "name": "roles", "targets": ["root"],
                  "managed_policies": [{{"id": "Bound", "document": {{"Version": "2012-10-17",
                      "Statement": [{{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}]}}}}],
                  "roles": [{{"id": "Ops", "trust": {{"account_with_mfa": "Identity"}},
                              "permissions_boundary": {{"policy": "{boundary}"}},
                              "managed_policies": [{{"aws_managed": "ReadOnlyAccess"}}, {{"policy": "Bound"}}]}}]}}]}}"#
        )
    };
    let ok = OrgSpec::from_json(&stack_set("Bound")).unwrap();
    let assembly = ok.to_app().unwrap().synth().unwrap();
    let member = assembly.template_json("Management.Roles.Template").unwrap();
    assert!(member.contains("\"PermissionsBoundary\""), "{member}");
    let err = validation(&stack_set("Missing"));
    assert_eq!(
        err.json_paths(),
        ["$.stack_sets[0].roles[0].permissions_boundary.policy"]
    );
}

#[test]
fn the_report_places_every_problem_at_file_line_and_column_in_text_order() {
    let syntax = "{\n  \"layout\": { \"name\": \"acme\", }\n}";
    let err = OrgSpec::from_json(syntax).unwrap_err();
    assert!(err
        .report("s.json", syntax)
        .starts_with("s.json:2:31: the spec is not valid JSON"));

    let shape =
        "{\n  \"accounts\": [ { \"name\": \"A\" } ],\n  \"layout\": { \"nam\": \"acme\" }\n}";
    let err = OrgSpec::from_json(shape).unwrap_err();
    let report = err.report("s.json", shape);
    let starts: Vec<&str> = report
        .lines()
        .map(|l| l.split(" $").next().unwrap())
        .collect();
    assert_eq!(
        starts,
        ["s.json:2:17:", "s.json:3:13:", "s.json:3:22:"],
        "{report}"
    );

    let semantic = "{\n  \"accounts\": [\n    { \"name\": \"B\", \"email\": \"b@acme.example\", \"ou\": \"Nowhere\" },\n    { \"name\": \"A\", \"email\": \"nope\" }\n  ]\n}";
    let err = validation(semantic);
    let report = err.report("s.json", semantic);
    let starts: Vec<&str> = report
        .lines()
        .map(|l| l.split(": $").next().unwrap())
        .collect();
    assert_eq!(starts, ["s.json:3:53", "s.json:4:29"], "{report}");
}

#[test]
fn app_wide_settings_the_organization_and_a_policy_type_name_their_fields() {
    let doc = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}"#;
    for layout in [
        "",
        r#""layout": {"name": "acme", "email_domain": "acme.example"},"#,
    ] {
        let err = validation(&format!(
            r#"{{{layout} "home_region": "mars-1", "template_bucket": "Bad_Bucket",
                "organization": {{"existing": {{"root_id": "r-x", "organization_id": "o-1"}}}},
                "policies": [{{"name": "P", "type": "SERVICE_CONTROL", "document": {doc}}}]}}"#
        ));
        let mut paths = err.json_paths();
        paths.sort();
        assert_eq!(
            paths,
            [
                "$.home_region",
                "$.organization.existing.organization_id",
                "$.organization.existing.root_id",
                "$.policies[0].type",
                "$.template_bucket",
            ],
            "{err}"
        );
    }
}

#[test]
fn a_layout_name_that_makes_its_derived_names_too_long_is_named() {
    let err = validation(
        r#"{"layout": {"name": "a-very-long-name-for-a-layout", "email_domain": "acme.example"}}"#,
    );
    assert!(!err.diagnostics().is_empty());
    for p in err.json_paths() {
        assert_eq!(p, "$.layout.name", "{err}");
    }
}

#[test]
fn a_program_builds_the_same_spec_as_the_json() {
    use orgstack::spec::{AccountSpec, LayoutSpec, OuSpec};
    let built = OrgSpec {
        layout: Some(LayoutSpec {
            name: "acme".into(),
            email_domain: Some("aws.acme.example".into()),
            allowed_regions: Some(vec!["us-east-1".into()]),
            ..LayoutSpec::default()
        }),
        organizational_units: vec![OuSpec {
            name: "Sandbox".into(),
            parent: Some("Workloads".into()),
            adopt: None,
            existing: None,
            tags: Default::default(),
        }],
        accounts: vec![AccountSpec {
            name: "Play".into(),
            email: "play@aws.acme.example".into(),
            ou: Some("Workloads/Sandbox".into()),
            id: None,
            adopt: None,
            role_name: None,
            tags: [("team".to_owned(), "web".to_owned())]
                .into_iter()
                .collect(),
        }],
        ..OrgSpec::default()
    };
    let json = built.to_json().unwrap();
    assert_eq!(OrgSpec::from_json(&json).unwrap(), built);
    let read = OrgSpec::from_json(
        r#"{"layout": {"name": "acme", "email_domain": "aws.acme.example", "allowed_regions": ["us-east-1"]},
            "organizational_units": [{"name": "Sandbox", "parent": "Workloads"}],
            "accounts": [{"name": "Play", "email": "play@aws.acme.example", "ou": "Workloads/Sandbox", "tags": {"team": "web"}}]}"#,
    )
    .unwrap();
    assert_eq!(read, built);
    let (a, b) = (
        built.to_app().unwrap().synth().unwrap(),
        read.to_app().unwrap().synth().unwrap(),
    );
    assert_eq!(a.template_json("Management"), b.template_json("Management"));
}

#[test]
fn a_layout_group_granted_an_undefined_role_names_the_grant() {
    let err = validation(
        r#"{"layout": {"name": "acme", "email_domain": "acme.example",
            "access_levels": [{"role": "admin", "managed_policy": "AdministratorAccess"}],
            "groups": [{"name": "admins", "grants": [{"role": "admin", "targets": ["prod"]}]},
                       {"name": "devs", "grants": [{"role": "admin", "targets": ["non_prod"]}, {"role": "developer", "targets": ["non_prod"]}]}]},
            "grants": [{"group": "devs", "role": "root", "targets": ["prod"]}, {"group": "ops", "role": "admin", "targets": ["prod"]}]}"#,
    );
    assert_eq!(
        err.json_paths(),
        [
            "$.layout.groups[1].grants[1].role",
            "$.grants[0].role",
            "$.grants[1].group"
        ],
        "{err}"
    );
}
