//! The audit account's log archive: the write-only bucket, its policy, Object Lock, the
//! auditors' role, and the organization trail that writes into it.

use crate::app::{App, CfnResource, ResourceHandle};
use crate::cfn::NodeId;
use crate::cfn::{Expr, Resource, Value};
use crate::error::Result;
use crate::iam::{
    keys, BaseOperator, Condition, ConditionKey, ManagedPolicyRef, PolicyDocument, Principal, Role,
    Statement,
};
use crate::layouts::access::AUDITOR;
use crate::layouts::guardrails::STACKSET_EXECUTION_ROLE_ARN;
use crate::obj;
use crate::stackset::{StackSet, StackSetHandle};

use super::alerting::TrailDelivery;
use super::checkov::checkov_skip;
use super::kms::decrypt_archive;
use super::naming::ArchiveNames;
use super::organization::{Accounts, Structure};
use super::settings::{IdentityModel, ObjectLock};
use super::FiveAccountLayoutBuilder;

/// What the archive's bucket policy names.
pub(super) struct ArchiveRefs {
    /// The bucket's ARN.
    pub(super) bucket: Value,
    /// The organization's id, for AWS Config's deliveries.
    pub(super) organization_id: Value,
    /// The organization trail's ARN, the only trail that may write.
    pub(super) trail_arn: Value,
}

/// The services that deliver logs into the archive; no other principal writes objects.
pub(super) const LOG_DELIVERY_SERVICES: [&str; 2] =
    ["cloudtrail.amazonaws.com", "config.amazonaws.com"];

/// The archive's bucket policy: write-once, written by log delivery only.
///
/// - Nobody deletes a log, a log version or the bucket (`DenyLogDeletion`), or shortens a
///   lock (`s3:BypassGovernanceRetention`, `s3:PutObjectRetention`).
/// - Nobody but the audit StackSet's execution role changes the lifecycle, versioning,
///   Object Lock or the policy itself (`ProtectArchiveConfiguration`), so a lifecycle
///   rule cannot be shortened to purge logs. S3 always lets the bucket owner's root user
///   change a bucket policy; the deny-root guardrail denies that user everything outside
///   the management account's privileged root sessions.
/// - `s3:PutObject` is denied to every principal that is not one of
///   [`LOG_DELIVERY_SERVICES`] (`DenyWritesButLogDelivery`). It uses the global condition
///   key `aws:PrincipalServiceName`, which AWS sets when a service principal makes the call
///   and leaves absent for IAM users, roles and root users: `StringNotEquals` holds for an
///   absent key, so every IAM principal of any account — the audit account's
///   administrator and root user included — is denied. `NotPrincipal` with `Deny` would
///   say the same, but AWS documents that it recommends against it (it must list every
///   session ARN exactly and breaks with assumed roles) and points to the
///   `aws:Principal*` keys instead.
/// - CloudTrail writes only for the organization trail (`aws:SourceArn`, denied for any
///   other trail), and Config only for this organization (`aws:SourceOrgID`), the way the
///   CloudTrail and Config documentation write their bucket policies.
pub(super) fn archive_policy(r: &ArchiveRefs) -> PolicyDocument {
    let arn = || r.bucket.clone();
    let objects = || Value::from(Expr::sub_with("${Arn}/*", [("Arn", arn())]));
    let logs = || Value::from(Expr::sub_with("${Arn}/AWSLogs/*", [("Arn", arn())]));
    let service_name = ConditionKey::from_static("aws:PrincipalServiceName");
    PolicyDocument::new()
        .statement(
            Statement::deny()
                .sid("DenyInsecureTransport")
                .principal(Principal::any())
                .action("s3:*")
                .resources([arn(), objects()])
                .condition(Condition::bool(keys::SECURE_TRANSPORT, false)),
        )
        .statement(
            Statement::deny()
                .sid("DenyLogDeletion")
                .principal(Principal::any())
                .actions([
                    "s3:DeleteObject",
                    "s3:DeleteObjectVersion",
                    "s3:DeleteBucket",
                    "s3:BypassGovernanceRetention",
                    "s3:PutObjectRetention",
                ])
                .resources([arn(), objects()]),
        )
        .statement(
            Statement::deny()
                .sid("ProtectArchiveConfiguration")
                .principal(Principal::any())
                .actions([
                    "s3:PutLifecycleConfiguration",
                    "s3:PutBucketVersioning",
                    "s3:PutBucketObjectLockConfiguration",
                    "s3:PutBucketPolicy",
                    "s3:DeleteBucketPolicy",
                ])
                .resource(arn())
                .condition(Condition::new(
                    BaseOperator::ArnNotLike,
                    keys::PRINCIPAL_ARN,
                    [STACKSET_EXECUTION_ROLE_ARN],
                )),
        )
        .statement(
            Statement::deny()
                .sid("DenyWritesButLogDelivery")
                .principal(Principal::any())
                .action("s3:PutObject")
                .resource(objects())
                .condition(Condition::string_not_equals(
                    service_name.clone(),
                    LOG_DELIVERY_SERVICES,
                )),
        )
        .statement(
            Statement::deny()
                .sid("DenyOtherTrails")
                .principal(Principal::any())
                .action("s3:PutObject")
                .resource(objects())
                .condition(Condition::string_equals(
                    service_name.clone(),
                    [LOG_DELIVERY_SERVICES[0]],
                ))
                .condition(Condition::new(
                    BaseOperator::ArnNotEquals,
                    keys::SOURCE_ARN,
                    [r.trail_arn.clone()],
                )),
        )
        .statement(
            Statement::deny()
                .sid("DenyConfigOfOtherOrganizations")
                .principal(Principal::any())
                .action("s3:PutObject")
                .resource(objects())
                .condition(Condition::string_equals(
                    service_name,
                    [LOG_DELIVERY_SERVICES[1]],
                ))
                .condition(Condition::string_not_equals(
                    keys::SOURCE_ORG_ID,
                    [r.organization_id.clone()],
                )),
        )
        .statement(
            Statement::allow()
                .sid("CloudTrailChecksBucket")
                .principal(Principal::service(LOG_DELIVERY_SERVICES[0]))
                .action("s3:GetBucketAcl")
                .resource(arn())
                .condition(Condition::arn_equals(
                    keys::SOURCE_ARN,
                    [r.trail_arn.clone()],
                )),
        )
        .statement(
            Statement::allow()
                .sid("CloudTrailWritesLogs")
                .principal(Principal::service(LOG_DELIVERY_SERVICES[0]))
                .action("s3:PutObject")
                .resource(logs())
                .condition(Condition::string_equals(
                    keys::S3_X_AMZ_ACL,
                    ["bucket-owner-full-control"],
                ))
                .condition(Condition::arn_equals(
                    keys::SOURCE_ARN,
                    [r.trail_arn.clone()],
                )),
        )
        .statement(
            Statement::allow()
                .sid("ConfigChecksBucket")
                .principal(Principal::service(LOG_DELIVERY_SERVICES[1]))
                .actions(["s3:GetBucketAcl", "s3:ListBucket"])
                .resource(arn())
                .condition(Condition::string_equals(
                    keys::SOURCE_ORG_ID,
                    [r.organization_id.clone()],
                )),
        )
        .statement(
            Statement::allow()
                .sid("ConfigWritesLogs")
                .principal(Principal::service(LOG_DELIVERY_SERVICES[1]))
                .action("s3:PutObject")
                .resource(logs())
                .condition(Condition::string_equals(
                    keys::S3_X_AMZ_ACL,
                    ["bucket-owner-full-control"],
                ))
                .condition(Condition::string_equals(
                    keys::SOURCE_ORG_ID,
                    [r.organization_id.clone()],
                )),
        )
}

impl FiveAccountLayoutBuilder {
    /// Audit account: the log archive and the auditors' role.
    pub(super) fn build_audit(
        &self,
        app: &mut App,
        parent: &NodeId,
        structure: &Structure,
        accounts: &Accounts,
        names: &ArchiveNames,
        delivery: &TrailDelivery,
    ) -> Result<StackSetHandle> {
        let key = delivery.key.as_ref();
        let trail_log_group = &delivery.log_group;
        let prefix = self.prefix();
        let set = app.add(
            parent,
            StackSet::new("AuditAccount", format!("{prefix}-audit"))
                .description("Log archive and auditor role of the audit account")
                .template_description(format!(
                    "{prefix}: log archive (write only) and auditor role"
                ))
                .target(&structure.security)
                .only_account(&accounts.audit)
                .retain_stacks_on_account_removal(true),
        )?;
        let tpl = set.template();
        let lock = self.effective_object_lock();
        let noncurrent_days = lock
            .map_or(0, ObjectLock::days)
            .max(self.log_retention_days);
        let bucket_prefix = &names.bucket_prefix;
        let bucket_name = Value::from(Expr::sub(format!("{bucket_prefix}-${{AWS::AccountId}}")));
        // With the key, the management stack's key is the default for what is not a
        // CloudTrail log file (AWS Config's deliveries); CloudTrail names the trail's key,
        // the same one, for its own.
        let by_default = match key {
            Some(key) => obj! {
                "SSEAlgorithm" => "aws:kms",
                "KMSMasterKeyID" => key.get_att("Arn"),
            },
            None => obj! { "SSEAlgorithm" => "AES256" },
        };
        let mut bucket = crate::cfn::s3::private_bucket(
            Resource::new("AWS::S3::Bucket").property("BucketName", bucket_name),
            by_default,
        )
        .property(
            "LifecycleConfiguration",
            obj! {
                "Rules" => vec![obj! {
                    "Id" => "expire-logs",
                    "Status" => "Enabled",
                    "ExpirationInDays" => self.log_retention_days,
                    // An overwritten or expired log stays as a noncurrent version at
                    // least as long as the lock would have kept it.
                    "NoncurrentVersionExpiration" => obj! { "NoncurrentDays" => noncurrent_days },
                    "AbortIncompleteMultipartUpload" => obj! { "DaysAfterInitiation" => 7u32 },
                }],
            },
        );
        if let Some(lock) = lock {
            bucket = bucket.property("ObjectLockEnabled", true).property(
                "ObjectLockConfiguration",
                obj! {
                    "ObjectLockEnabled" => "Enabled",
                    "Rule" => obj! { "DefaultRetention" => obj! { "Mode" => lock.mode(), "Days" => lock.days() } },
                },
            );
        }
        let bucket = bucket.retain().metadata(
            "checkov",
            checkov_skip(&[(
                "CKV_AWS_18",
                "this is the log archive; access to it is recorded by the organization trail, and logging it into another bucket would need a second archive",
            )]),
        );
        let bucket = app.add(&tpl, CfnResource::new("LogArchive", bucket))?;
        let arn = bucket.get_att("Arn");
        let org_id = Value::from(structure.organization.id());
        let trail_arn = names.trail_arn_from(trail_log_group);
        let policy = archive_policy(&ArchiveRefs {
            bucket: Value::from(arn),
            organization_id: org_id,
            trail_arn,
        });
        for p in policy.problems() {
            app.report(p.to_diagnostic(app.path(&bucket)));
        }
        app.add(
            &tpl,
            CfnResource::new(
                "LogArchivePolicy",
                Resource::new("AWS::S3::BucketPolicy")
                    .property("Bucket", bucket.ref_expr())
                    .property("PolicyDocument", policy.to_value()),
            ),
        )?;
        // With Identity Center, auditors sign in with its auditor permission set: no IAM
        // user could assume a role trusting the identity account.
        if self.identity_model == IdentityModel::IdentityCenter {
            return Ok(set);
        }
        let mut auditor = self
            .with_mfa_max_age(
                Role::assumable_with_mfa("Auditor", &accounts.identity)
                    .name(AUDITOR)
                    .description(
                        "Read-only access for auditors, assumed from the identity account with MFA",
                    ),
            )
            .max_session_duration(self.max_session_duration)
            .managed_policy(ManagedPolicyRef::aws_managed("ReadOnlyAccess"));
        if let Some(key) = key {
            auditor = auditor.inline_policy("read-encrypted-archive", decrypt_archive(key));
        }
        app.add(&tpl, auditor)?;
        Ok(set)
    }
}

/// Organization trail, after the bucket exists, delivering to the archive and to the
/// management stack's log group as well (`delivery`), which the management-activity alert
/// reads.
pub(super) fn build_trail(
    app: &mut App,
    parent: &NodeId,
    audit_stack_set: &StackSetHandle,
    names: &ArchiveNames,
    delivery: &TrailDelivery,
    key: Option<&ResourceHandle>,
) -> Result<ResourceHandle> {
    let mut skips = vec![
        ("CKV_AWS_252", "management-account activity is alerted on through the trail's CloudWatch Logs log group, a metric filter and an alarm; per-file SNS notifications would only add noise"),
    ];
    if key.is_none() {
        skips.insert(0, ("CKV_AWS_35", "logs are encrypted at rest with SSE-S3 in the audit account's bucket; a KMS key would have to be shared with every reader of the archive"));
    }
    let mut trail = Resource::new("AWS::CloudTrail::Trail")
        .property("TrailName", names.trail_name.as_str())
        .property("S3BucketName", names.log_bucket_name.clone())
        .property("IsLogging", true)
        .property("IsMultiRegionTrail", true)
        .property("IsOrganizationTrail", true)
        .property("IncludeGlobalServiceEvents", true)
        .property("EnableLogFileValidation", true)
        .property(
            "CloudWatchLogsLogGroupArn",
            delivery.log_group.get_att("Arn"),
        )
        .property("CloudWatchLogsRoleArn", delivery.role.get_att("Arn"));
    if let Some(key) = key {
        trail = trail.property("KMSKeyId", key.get_att("Arn"));
    }
    let trail = trail.retain().metadata("checkov", checkov_skip(&skips));
    let trail = app.add(parent, CfnResource::new("OrganizationTrail", trail))?;
    app.add_dependency(&trail, audit_stack_set);
    Ok(trail)
}
