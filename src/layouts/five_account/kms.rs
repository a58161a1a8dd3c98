//! The customer-managed key of the logs and the alerts ([`KmsKey::CustomerManaged`]): the
//! key, its alias and its key policy, in the management stack.

use crate::app::{App, CfnResource, ResourceHandle};
use crate::cfn::{escape_sub, Expr, NodeId, Resource, Value};
use crate::error::Result;
use crate::iam::{
    keys, BaseOperator, Condition, ConditionKey, PolicyDocument, Principal, Statement,
};

use super::naming::ArchiveNames;
use super::settings::KmsKey;
use super::FiveAccountLayoutBuilder;

/// CloudWatch Logs' regional service principal, written into an `Fn::Sub` once rendered.
const LOGS_SERVICE: &str = "logs.${AWS::Region}.amazonaws.com";

/// The services reading through S3 when someone reads the archive, for `kms:ViaService`.
const S3_SERVICE: &str = "s3.${AWS::Region}.amazonaws.com";

/// `kms:ViaService`: the key is used through that service only.
pub(super) const VIA_SERVICE: ConditionKey = ConditionKey::from_static("kms:ViaService");

/// What the key policy names.
pub(super) struct KeyRefs {
    /// The organization trail's ARN.
    pub(super) trail_arn: Value,
    /// The management-activity alarm's ARN.
    pub(super) alarm_arn: Value,
    /// The ARN of the trail's log group, as CloudWatch Logs puts it in the encryption
    /// context (no `:*`).
    pub(super) log_group_arn: Value,
    /// The organization's id, for AWS Config's deliveries.
    pub(super) organization_id: Value,
    /// The audit account's id: its principals read the archive.
    pub(super) audit_account: Value,
}

/// `kms:ViaService` of S3 in the stack's region, the one condition reading the archive needs.
pub(super) fn via_s3() -> Condition {
    Condition::string_equals(VIA_SERVICE, [Value::from(Expr::sub(S3_SERVICE))])
}

/// What the auditors need beside `ReadOnlyAccess`, which has no `kms:Decrypt`: decrypting
/// the archive with `key`, through S3 only (the key policy delegates it to the audit
/// account).
pub(super) fn decrypt_archive(key: &ResourceHandle) -> PolicyDocument {
    PolicyDocument::new().statement(
        Statement::allow()
            .sid("DecryptArchiveThroughS3")
            .action("kms:Decrypt")
            .resource(key.get_att("Arn"))
            .condition(via_s3()),
    )
}

/// The key policy; see [`KmsKey::CustomerManaged`] for what each statement is for.
pub(super) fn key_policy(r: &KeyRefs) -> PolicyDocument {
    let cloudtrail = || Principal::service("cloudtrail.amazonaws.com");
    let this_trail = || Condition::string_equals(keys::SOURCE_ARN, [r.trail_arn.clone()]);
    let account = || Value::from(Expr::sub("${AWS::AccountId}"));
    PolicyDocument::new()
        .statement(
            Statement::allow()
                .sid("EnableIamPolicies")
                .principal(Principal::aws(Expr::sub(
                    "arn:${AWS::Partition}:iam::${AWS::AccountId}:root",
                )))
                .action("kms:*")
                .resource("*"),
        )
        .statement(
            Statement::allow()
                .sid("CloudTrailEncryptsLogs")
                .principal(cloudtrail())
                .action("kms:GenerateDataKey*")
                .resource("*")
                .condition(this_trail())
                .condition(Condition::string_like(
                    ConditionKey::from_static("kms:EncryptionContext:aws:cloudtrail:arn"),
                    [Value::from(Expr::sub(
                        "arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*",
                    ))],
                )),
        )
        .statement(
            Statement::allow()
                .sid("CloudTrailDescribesKey")
                .principal(cloudtrail())
                .action("kms:DescribeKey")
                .resource("*")
                .condition(this_trail()),
        )
        .statement(
            Statement::allow()
                .sid("AlarmPublishesToEncryptedTopic")
                .principal(Principal::service("cloudwatch.amazonaws.com"))
                .actions(["kms:Decrypt", "kms:GenerateDataKey*"])
                .resource("*")
                .condition(Condition::arn_equals(
                    keys::SOURCE_ARN,
                    [r.alarm_arn.clone()],
                ))
                .condition(Condition::string_equals(keys::SOURCE_ACCOUNT, [account()])),
        )
        .statement(
            Statement::allow()
                .sid("LogsEncryptsTrailLogGroup")
                .principal(Principal::service(LOGS_SERVICE))
                .actions([
                    "kms:Encrypt*",
                    "kms:Decrypt*",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:Describe*",
                ])
                .resource("*")
                .condition(Condition::new(
                    BaseOperator::ArnEquals,
                    ConditionKey::from_static("kms:EncryptionContext:aws:logs:arn"),
                    [r.log_group_arn.clone()],
                )),
        )
        .statement(
            Statement::allow()
                .sid("ConfigEncryptsDeliveries")
                .principal(Principal::service("config.amazonaws.com"))
                .actions(["kms:GenerateDataKey", "kms:Decrypt"])
                .resource("*")
                .condition(Condition::string_equals(
                    keys::SOURCE_ORG_ID,
                    [r.organization_id.clone()],
                )),
        )
        .statement(
            Statement::allow()
                .sid("AuditAccountReadsArchive")
                .principal(Principal::account(r.audit_account.clone()))
                .action("kms:Decrypt")
                .resource("*")
                .condition(via_s3()),
        )
}

/// `Principal::service` writes its name as a literal; the regional logs principal needs
/// `${AWS::Region}` substituted.
fn substitute_logs_service(v: &mut Value) {
    match v {
        Value::String(s) if s == LOGS_SERVICE => *v = Value::from(Expr::sub(LOGS_SERVICE)),
        Value::List(items) => items.iter_mut().for_each(substitute_logs_service),
        Value::Map(m) => m.values_mut().for_each(substitute_logs_service),
        _ => {}
    }
}

impl FiveAccountLayoutBuilder {
    /// The key of [`KmsKey::CustomerManaged`] and its alias, or `None` when the key is off.
    pub(super) fn build_key(
        &self,
        app: &mut App,
        parent: &NodeId,
        names: &ArchiveNames,
        organization_id: Value,
        audit_account: Value,
    ) -> Result<Option<ResourceHandle>> {
        if self.kms_key != KmsKey::CustomerManaged {
            return Ok(None);
        }
        let prefix = self.prefix();
        let policy = key_policy(&KeyRefs {
            trail_arn: names.trail_arn(),
            alarm_arn: Value::from(Expr::sub(format!(
                "arn:${{AWS::Partition}}:cloudwatch:${{AWS::Region}}:${{AWS::AccountId}}:alarm:{}",
                escape_sub(&self.alert_name())
            ))),
            log_group_arn: Value::from(Expr::sub(format!(
                "arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:{}",
                escape_sub(&self.trail_log_group_name())
            ))),
            organization_id,
            audit_account,
        });
        let mut document = policy.to_value();
        substitute_logs_service(&mut document);
        let key = app.add(
            parent,
            CfnResource::new(
                "LogsKey",
                Resource::new("AWS::KMS::Key")
                    .property(
                        "Description",
                        format!("{prefix}: the organization trail's logs, their log group, the archive and the alert topic"),
                    )
                    .property("EnableKeyRotation", true)
                    .property("PendingWindowInDays", 30u32)
                    .property("KeyPolicy", document)
                    .retain(),
            ),
        )?;
        for p in policy.problems() {
            app.report(p.to_diagnostic(app.path(&key)));
        }
        app.add(
            parent,
            CfnResource::new(
                "LogsKeyAlias",
                Resource::new("AWS::KMS::Alias")
                    .property("AliasName", format!("alias/{prefix}-logs"))
                    .property("TargetKeyId", key.ref_expr()),
            ),
        )?;
        Ok(Some(key))
    }
}
