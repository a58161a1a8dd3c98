//! Alerting on the management account, which should see almost no activity.

use crate::app::{App, CfnResource, ResourceHandle, Subtree};
use crate::cfn::NodeId;
use crate::cfn::Resource;
use crate::error::Result;
use crate::iam::{keys, Condition, PolicyDocument, Principal, Statement};
use crate::obj;

use super::checkov::checkov_skip;
use super::FiveAccountLayoutBuilder;

impl FiveAccountLayoutBuilder {
    /// The management-activity alert: an SNS topic mailing `email`, an EventBridge rule on
    /// every API call and console sign-in, and the topic policy letting the rule publish.
    pub(super) fn build_alerting(
        &self,
        app: &mut App,
        parent: &NodeId,
        email: &str,
    ) -> Result<ResourceHandle> {
        let prefix = self.prefix();
        let scope = app.add(parent, Subtree::new("ManagementActivity"))?;
        let topic = app.add(&scope, CfnResource::new("Topic", Resource::new("AWS::SNS::Topic")
                .property("TopicName", format!("{prefix}-management-activity"))
                .property("DisplayName", "Management account activity")
                .property(
                    "Subscription",
                    vec![obj! { "Endpoint" => email, "Protocol" => "email" }],
                )
                .metadata("checkov", checkov_skip(&[(
                    "CKV_AWS_26",
                    "EventBridge cannot publish to a topic encrypted with the AWS managed SNS key; the messages carry API call metadata only",
                )]))))?;
        let rule = app.add(&scope, CfnResource::new("Rule", Resource::new("AWS::Events::Rule")
                .property("Name", format!("{prefix}-management-activity"))
                .property(
                    "Description",
                    "Any API call or console sign-in in the management account, which should see almost none",
                )
                .property("State", "ENABLED")
                .property(
                    "EventPattern",
                    obj! {
                        "detail-type" => vec!["AWS API Call via CloudTrail", "AWS Console Sign In via CloudTrail"],
                    },
                )
                .property(
                    "Targets",
                    vec![obj! { "Arn" => topic.ref_expr(256), "Id" => "ManagementActivityTopic" }],
                )))?;
        let policy = PolicyDocument::new().statement(
            Statement::allow()
                .sid("EventBridgePublishes")
                .principal(Principal::service("events.amazonaws.com"))
                .action("sns:Publish")
                .resource(topic.ref_expr(256))
                .condition(Condition::arn_equals(
                    keys::SOURCE_ARN,
                    [rule.get_att("Arn", 256)],
                )),
        );
        app.add(
            &scope,
            CfnResource::new(
                "TopicPolicy",
                Resource::new("AWS::SNS::TopicPolicy")
                    .property("PolicyDocument", policy.to_value())
                    .property("Topics", vec![topic.ref_expr(256)]),
            ),
        )?;
        Ok(topic)
    }
}
