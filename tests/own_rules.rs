#![cfg(feature = "testing")]
//! A construct of a user's own reporting problems under a rule of its own, and outputs
//! added by builder.

use orgstack::cfn::{Expr, Resource, Value};
use orgstack::testing::Template;
use orgstack::{
    App, CfnOutput, CfnResource, Construct, Diagnostic, ResourceHandle, Rule, Scope, Severity,
};
use serde_json::json;

/// A topic that must name its team; without one it is an error, and a team name that is
/// not lowercase only a warning.
struct TeamTopic {
    id: &'static str,
    team: &'static str,
}

impl<P: Scope> Construct<P> for TeamTopic {
    type Handle = ResourceHandle;
    fn build(self, app: &mut App, parent: &P) -> orgstack::Result<ResourceHandle> {
        let topic = app.add(
            parent,
            CfnResource::new(
                self.id,
                Resource::new("AWS::SNS::Topic").property("DisplayName", self.team),
            ),
        )?;
        if self.team.is_empty() {
            app.report(Diagnostic::new(
                app.path(&topic),
                Rule::Custom("acme-topic-team"),
                self.team,
                "a topic names the team that answers it",
                "give the team's name, e.g. platform",
            ));
        } else if self.team.chars().any(|c| c.is_ascii_uppercase()) {
            app.report(
                Diagnostic::new(
                    app.path(&topic),
                    Rule::Custom("acme-topic-team-case"),
                    self.team,
                    "team names are lowercase",
                    "write the team's name in lowercase",
                )
                .with_severity(Severity::Warning),
            );
        }
        Ok(topic)
    }
}

#[test]
fn a_custom_rule_fails_synthesis_with_its_own_id_and_hint() {
    let mut app = App::new();
    let stack = app.stack("Shared").unwrap();
    app.add(
        &stack,
        TeamTopic {
            id: "Alerts",
            team: "",
        },
    )
    .unwrap();
    app.add(
        &stack,
        CfnResource::new("bad/id", Resource::new("AWS::SNS::Topic")),
    )
    .unwrap();
    let err = app.synth().unwrap_err();
    let rules: Vec<Rule> = err.diagnostics().iter().map(|d| d.rule).collect();
    assert_eq!(rules, [Rule::Custom("acme-topic-team"), Rule::InvalidId]);
    let text = err.to_string();
    assert!(
        text.contains("  - Shared/Alerts: [acme-topic-team] a topic names the team that answers it (value: ``); hint: give the team's name, e.g. platform"),
        "{text}"
    );
}

#[test]
fn a_custom_warning_lets_synthesis_go_on() {
    let mut app = App::new();
    let stack = app.stack("Shared").unwrap();
    app.add(
        &stack,
        TeamTopic {
            id: "Alerts",
            team: "Platform",
        },
    )
    .unwrap();
    let assembly = app.synth().unwrap();
    let warnings = assembly.warnings();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].rule, Rule::Custom("acme-topic-team-case"));
    assert_eq!(warnings[0].rule.to_string(), "acme-topic-team-case");
    assert_eq!(warnings[0].severity, Severity::Warning);
    assert_eq!(warnings[0].path, "Shared/Alerts");
}

#[test]
fn outputs_by_builder_export_and_import() -> Result<(), Box<dyn std::error::Error>> {
    let mut app = App::new();
    let shared = app.stack("Shared")?;
    let topic = app.add(
        &shared,
        TeamTopic {
            id: "Alerts",
            team: "platform",
        },
    )?;
    app.add(
        &shared,
        CfnOutput::new("AlertTopicArn", topic.ref_expr())
            .description("Where alarms notify")
            .export("shared-alert-topic-arn"),
    )?;
    app.add(&shared, CfnOutput::new("Plain", "value"))?;
    let apps = app.stack("Apps")?;
    app.add(
        &apps,
        CfnResource::new(
            "Subscription",
            Resource::new("AWS::SNS::Subscription")
                .property(
                    "TopicArn",
                    Expr::ImportValue(Value::from("shared-alert-topic-arn")),
                )
                .property("Protocol", "email")
                .property("Endpoint", "ops@acme.example"),
        ),
    )?;
    let assembly = app.synth()?;
    let t = Template::for_construct(&assembly, &shared)?;
    let topic_id = assembly.logical_id(&topic).unwrap();
    t.has_output(
        "AlertTopicArn",
        json!({
            "Description": "Where alarms notify",
            "Value": { "Ref": topic_id },
            "Export": { "Name": "shared-alert-topic-arn" }
        }),
    );
    t.has_output("Plain", json!({ "Value": "value" }));
    assert!(t.find_outputs("Plain", json!({ "Export": {} })).is_empty());
    Ok(())
}

#[test]
fn output_names_are_checked_as_before() {
    let mut app = App::new();
    let shared = app.stack("Shared").unwrap();
    app.add(&shared, CfnOutput::new("Not-Alphanumeric", "x"))
        .unwrap();
    app.add(&shared, CfnOutput::new("Twice", "a")).unwrap();
    app.add(&shared, CfnOutput::new("Twice", "b")).unwrap();
    let err = app.synth().unwrap_err();
    let rules: Vec<Rule> = err.diagnostics().iter().map(|d| d.rule).collect();
    assert!(rules.contains(&Rule::OutputName), "{rules:?}");
    assert!(rules.contains(&Rule::DuplicateId), "{rules:?}");
}
