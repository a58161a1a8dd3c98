//! Alerting on the management account, which should see almost no activity.
//!
//! The organization trail (multi-region, global service events on) delivers every event of
//! every region — IAM, STS and console sign-in events included, which CloudTrail records
//! in us-east-1 only — to a CloudWatch Logs log group of the management stack. A metric
//! filter counts the events whose `recipientAccountId` is the management account, and an
//! alarm (sum ≥ 1 over 5 minutes) notifies the alert topic. CloudTrail delivers to
//! CloudWatch Logs within minutes, so an action is mailed some 5 to 15 minutes after it
//! happened.
//!
//! What the filter leaves out, and only that: events with a `userIdentity.invokedBy`, the
//! calls an AWS service makes on a principal's behalf (CloudFormation creating what a
//! stack declares, the StackSets service managing its instances, Config recording). The
//! principal's own call that caused them (`CreateStack`, `UpdateStackSet`, …) has no
//! `invokedBy` and still alerts.
//!
//! There is no EventBridge rule any more: a rule sees the events of its own region only,
//! so it covered one region, and it mailed every event a second time. The alarm is the one
//! path. The trade-off: an alarm mail says that the management account was used, not by
//! whom; the events are in the log group (and the archive), and a rule could be added back
//! for per-event detail in the home region.
//!
//! The organization trail delivers the whole organization's events to the log group, and
//! CloudWatch Logs bills their ingestion; the filter keeps the alert on the management
//! account. A team with busy member accounts may prefer a second, single-account trail of
//! the management account for the log group, at the price of a second copy of management
//! events.

use crate::app::{App, CfnResource, ResourceHandle, Subtree};
use crate::cfn::Resource;
use crate::cfn::{Expr, NodeId, Value};
use crate::error::Result;
use crate::iam::{keys, Condition, PolicyDocument, Principal, Statement};
use crate::obj;

use super::checkov::checkov_skip;
use super::naming::ArchiveNames;
use super::FiveAccountLayoutBuilder;

/// Where the organization trail delivers for the alert: the log group and the role
/// CloudTrail assumes to write to it, and the key the logs are encrypted with, if any.
pub(super) struct TrailDelivery {
    /// The customer-managed key of the logs ([`KmsKey::CustomerManaged`](super::KmsKey)).
    pub(super) key: Option<ResourceHandle>,
    /// The CloudWatch Logs log group of the trail's events.
    pub(super) log_group: ResourceHandle,
    /// The role CloudTrail assumes to write into the log group.
    pub(super) role: ResourceHandle,
}

/// The alarm's metric namespace and name.
const NAMESPACE: &str = "Organization/ManagementActivity";
const METRIC: &str = "ManagementAccountEvents";

impl FiveAccountLayoutBuilder {
    /// The log group the organization trail delivers to, with the layout's log retention,
    /// and the role CloudTrail writes into it with (trusted only for the organization
    /// trail, allowed only to create streams and put events in that group).
    pub(super) fn build_trail_delivery(
        &self,
        app: &mut App,
        parent: &NodeId,
        names: &ArchiveNames,
        key: Option<&ResourceHandle>,
    ) -> Result<TrailDelivery> {
        let scope = app.add(parent, Subtree::new("TrailDelivery"))?;
        let mut skips = Vec::new();
        if key.is_none() {
            skips.push((
                "CKV_AWS_158",
                "CloudWatch Logs encrypts the trail's events at rest; a KMS key would need a key policy for the logs service and every reader, and the events are in the archive as well",
            ));
        }
        if self.log_retention_days < 365 {
            skips.push((
                "CKV_AWS_338",
                "the retention is the layout's log_retention_days, chosen below a year to hold only what is needed",
            ));
        }
        let mut group = Resource::new("AWS::Logs::LogGroup")
            .property("LogGroupName", self.trail_log_group_name())
            .property("RetentionInDays", self.log_retention_days);
        if let Some(key) = key {
            group = group.property("KmsKeyId", key.get_att("Arn"));
        }
        if !skips.is_empty() {
            group = group.metadata("checkov", checkov_skip(&skips));
        }
        let log_group = app.add(&scope, CfnResource::new("TrailLogs", group))?;
        let trail_arn = names.trail_arn();
        let trust = PolicyDocument::new().statement(
            Statement::allow()
                .principal(Principal::service("cloudtrail.amazonaws.com"))
                .action("sts:AssumeRole")
                .condition(Condition::string_equals(keys::SOURCE_ARN, [trail_arn]))
                .condition(Condition::string_equals(
                    keys::SOURCE_ACCOUNT,
                    [Value::from(Expr::sub("${AWS::AccountId}"))],
                )),
        );
        let write = PolicyDocument::new().statement(
            Statement::allow()
                .sid("TrailWritesItsLogGroup")
                .actions(["logs:CreateLogStream", "logs:PutLogEvents"])
                .resource(log_group.get_att("Arn")),
        );
        let role = app.add(
            &scope,
            CfnResource::new(
                "TrailLogsRole",
                Resource::new("AWS::IAM::Role")
                    .property(
                        "Description",
                        "CloudTrail delivers the organization trail to its log group",
                    )
                    .property("AssumeRolePolicyDocument", trust.to_value())
                    .property(
                        "Policies",
                        vec![obj! {
                            "PolicyName" => "deliver-to-log-group",
                            "PolicyDocument" => write.to_value(),
                        }],
                    ),
            ),
        )?;
        Ok(TrailDelivery {
            key: key.copied(),
            log_group,
            role,
        })
    }

    /// The management-activity alert: an SNS topic mailing `email`, a metric filter on the
    /// trail's log group counting the management account's events, an alarm on it, and
    /// the topic policy letting that alarm (and nothing else) publish.
    pub(super) fn build_alerting(
        &self,
        app: &mut App,
        parent: &NodeId,
        email: &str,
        delivery: &TrailDelivery,
        key: Option<&ResourceHandle>,
    ) -> Result<ResourceHandle> {
        let scope = app.add(parent, Subtree::new("ManagementActivity"))?;
        let topic = Resource::new("AWS::SNS::Topic")
            .property("TopicName", self.alert_name())
            .property("DisplayName", "Management account activity")
            .property(
                "Subscription",
                vec![obj! { "Endpoint" => email, "Protocol" => "email" }],
            );
        let topic = match key {
            // The key policy lets the alarm below use the key.
            Some(key) => topic.property("KmsMasterKeyId", key.get_att("Arn")),
            None => topic.metadata("checkov", checkov_skip(&[(
                "CKV_AWS_26",
                "CloudWatch alarms cannot publish to a topic encrypted with the AWS managed SNS key; the messages carry alarm metadata only",
            )])),
        };
        let topic = app.add(&scope, CfnResource::new("Topic", topic))?;
        let filter = app.add(
            &scope,
            CfnResource::new(
                "Filter",
                Resource::new("AWS::Logs::MetricFilter")
                    .property("LogGroupName", delivery.log_group.ref_expr())
                    .property(
                        "FilterPattern",
                        Value::from(Expr::sub(
                            "{ ($.recipientAccountId = \"${AWS::AccountId}\") && ($.userIdentity.invokedBy NOT EXISTS) }",
                        )),
                    )
                    .property(
                        "MetricTransformations",
                        vec![obj! {
                            "MetricNamespace" => NAMESPACE,
                            "MetricName" => METRIC,
                            "MetricValue" => "1",
                        }],
                    ),
            ),
        )?;
        let alarm = app.add(
            &scope,
            CfnResource::new(
                "Alarm",
                Resource::new("AWS::CloudWatch::Alarm")
                    .property("AlarmName", self.alert_name())
                    .property(
                        "AlarmDescription",
                        "Any API call or console sign-in in the management account, in any region, which should see almost none",
                    )
                    .property("Namespace", NAMESPACE)
                    .property("MetricName", METRIC)
                    .property("Statistic", "Sum")
                    .property("Period", 300u32)
                    .property("EvaluationPeriods", 1u32)
                    .property("Threshold", 1u32)
                    .property("ComparisonOperator", "GreaterThanOrEqualToThreshold")
                    .property("TreatMissingData", "notBreaching")
                    .property("AlarmActions", vec![topic.ref_expr()]),
            ),
        )?;
        app.add_dependency(&alarm, &filter);
        let policy = PolicyDocument::new().statement(
            Statement::allow()
                .sid("AlarmPublishes")
                .principal(Principal::service("cloudwatch.amazonaws.com"))
                .action("sns:Publish")
                .resource(topic.ref_expr())
                .condition(Condition::arn_equals(
                    keys::SOURCE_ARN,
                    [alarm.get_att("Arn")],
                ))
                .condition(Condition::string_equals(
                    keys::SOURCE_ACCOUNT,
                    [Value::from(Expr::sub("${AWS::AccountId}"))],
                )),
        );
        app.add(
            &scope,
            CfnResource::new(
                "TopicPolicy",
                Resource::new("AWS::SNS::TopicPolicy")
                    .property("PolicyDocument", policy.to_value())
                    .property("Topics", vec![topic.ref_expr()]),
            ),
        )?;
        Ok(topic)
    }
}
