//! The audit account's log archive: the write-only bucket, its policy, Object Lock, the
//! auditors' role, and the organization trail that writes into it.

use crate::app::{App, CfnResource, ResourceHandle};
use crate::cfn::NodeId;
use crate::cfn::{escape_sub, Expr, Resource, Value};
use crate::error::Result;
use crate::iam::{keys, Condition, ManagedPolicyRef, PolicyDocument, Principal, Role, Statement};
use crate::layouts::access::AUDITOR;
use crate::obj;
use crate::org::AccountHandle;
use crate::stackset::{StackSet, StackSetHandle};

use super::checkov::checkov_skip;
use super::organization::{Accounts, Structure};
use super::settings::ObjectLock;
use super::FiveAccountLayoutBuilder;

/// Names both sides compute: the management stack (trail, guardrails) and the audit
/// account's StackSet (bucket).
pub(super) struct ArchiveNames {
    /// `<prefix>-audit-logs`, escaped for the `Fn::Sub` templates it goes into.
    bucket_prefix: String,
    pub(super) log_bucket_name: Value,
    pub(super) trail_name: String,
}

impl ArchiveNames {
    /// The names of the layout `prefix`, its bucket in the `audit` account.
    pub(super) fn new(prefix: &str, audit: &AccountHandle) -> Self {
        // The prefix comes from the layout's name, a setting: literal inside `Fn::Sub`.
        let bucket_prefix = format!("{}-audit-logs", escape_sub(prefix));
        let log_bucket_name = Value::from(Expr::sub_with(
            format!("{bucket_prefix}-${{AuditAccountId}}"),
            [("AuditAccountId", audit.id())],
        ));
        let trail_name = format!("{prefix}-organization-trail");
        ArchiveNames {
            bucket_prefix,
            log_bucket_name,
            trail_name,
        }
    }
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
    ) -> Result<StackSetHandle> {
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
        let bucket_prefix = &names.bucket_prefix;
        let bucket_name = Value::from(Expr::sub(format!("{bucket_prefix}-${{AWS::AccountId}}")));
        let mut bucket = Resource::new("AWS::S3::Bucket")
            .property("BucketName", bucket_name)
            .property("VersioningConfiguration", obj! { "Status" => "Enabled" })
            .property(
                "BucketEncryption",
                obj! {
                    "ServerSideEncryptionConfiguration" => vec![obj! {
                        "ServerSideEncryptionByDefault" => obj! { "SSEAlgorithm" => "AES256" },
                        "BucketKeyEnabled" => true,
                    }],
                },
            )
            .property(
                "PublicAccessBlockConfiguration",
                obj! {
                    "BlockPublicAcls" => true,
                    "BlockPublicPolicy" => true,
                    "IgnorePublicAcls" => true,
                    "RestrictPublicBuckets" => true,
                },
            )
            .property(
                "OwnershipControls",
                obj! { "Rules" => vec![obj! { "ObjectOwnership" => "BucketOwnerEnforced" }] },
            )
            .property(
                "LifecycleConfiguration",
                obj! {
                    "Rules" => vec![obj! {
                        "Id" => "expire-logs",
                        "Status" => "Enabled",
                        "ExpirationInDays" => self.log_retention_days,
                        "NoncurrentVersionExpiration" => obj! { "NoncurrentDays" => 30u32 },
                        "AbortIncompleteMultipartUpload" => obj! { "DaysAfterInitiation" => 7u32 },
                    }],
                },
            );
        if let Some(lock) = self.object_lock {
            let (mode, days) = match lock {
                ObjectLock::Governance(d) => ("GOVERNANCE", d),
                ObjectLock::Compliance(d) => ("COMPLIANCE", d),
            };
            bucket = bucket.property("ObjectLockEnabled", true).property(
                "ObjectLockConfiguration",
                obj! {
                    "ObjectLockEnabled" => "Enabled",
                    "Rule" => obj! { "DefaultRetention" => obj! { "Mode" => mode, "Days" => days } },
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
        let arn = bucket.get_att("Arn", 100);
        let objects = Expr::sub_with("${Arn}/*", [("Arn", Value::from(arn.clone()))]);
        let logs = Expr::sub_with("${Arn}/AWSLogs/*", [("Arn", Value::from(arn.clone()))]);
        let org_id = Value::from(structure.organization.id());
        let policy = PolicyDocument::new()
            .statement(
                Statement::deny()
                    .sid("DenyInsecureTransport")
                    .principal(Principal::any())
                    .action("s3:*")
                    .resources([Value::from(arn.clone()), Value::from(objects.clone())])
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
                    ])
                    .resources([Value::from(arn.clone()), Value::from(objects)]),
            )
            .statement(
                Statement::allow()
                    .sid("ServicesCheckBucket")
                    .principal(Principal::service("cloudtrail.amazonaws.com"))
                    .principal(Principal::service("config.amazonaws.com"))
                    .actions(["s3:GetBucketAcl", "s3:ListBucket"])
                    .resource(Value::from(arn))
                    .condition(Condition::string_equals(
                        keys::SOURCE_ORG_ID,
                        [org_id.clone()],
                    )),
            )
            .statement(
                Statement::allow()
                    .sid("ServicesWriteLogs")
                    .principal(Principal::service("cloudtrail.amazonaws.com"))
                    .principal(Principal::service("config.amazonaws.com"))
                    .action("s3:PutObject")
                    .resource(Value::from(logs))
                    .condition(Condition::string_equals(
                        keys::S3_X_AMZ_ACL,
                        ["bucket-owner-full-control"],
                    ))
                    .condition(Condition::string_equals(keys::SOURCE_ORG_ID, [org_id])),
            );
        for p in policy.problems() {
            app.report(p.to_diagnostic(app.path(&bucket)));
        }
        app.add(
            &tpl,
            CfnResource::new(
                "LogArchivePolicy",
                Resource::new("AWS::S3::BucketPolicy")
                    .property("Bucket", bucket.ref_expr(63))
                    .property("PolicyDocument", policy.to_value()),
            ),
        )?;
        app.add(
            &tpl,
            self.with_mfa_max_age(
                Role::assumable_with_mfa("Auditor", &accounts.identity)
                    .name(AUDITOR)
                    .description(
                        "Read-only access for auditors, assumed from the identity account with MFA",
                    ),
            )
            .max_session_duration(self.max_session_duration)
            .managed_policy(ManagedPolicyRef::aws_managed("ReadOnlyAccess")),
        )?;
        Ok(set)
    }
}

/// Organization trail, after the bucket exists.
pub(super) fn build_trail(
    app: &mut App,
    parent: &NodeId,
    audit_stack_set: &StackSetHandle,
    names: &ArchiveNames,
) -> Result<ResourceHandle> {
    let trail = app.add(parent, CfnResource::new("OrganizationTrail", Resource::new("AWS::CloudTrail::Trail")
            .property("TrailName", names.trail_name.as_str())
            .property("S3BucketName", names.log_bucket_name.clone())
            .property("IsLogging", true)
            .property("IsMultiRegionTrail", true)
            .property("IsOrganizationTrail", true)
            .property("IncludeGlobalServiceEvents", true)
            .property("EnableLogFileValidation", true)
            .retain()
            .metadata("checkov", checkov_skip(&[
                ("CKV_AWS_35", "logs are encrypted at rest with SSE-S3 in the audit account's bucket; a KMS key would have to be shared with every reader of the archive"),
                ("CKV_AWS_252", "management-account activity is alerted on through EventBridge; per-file SNS notifications would only add noise"),
            ]))))?;
    app.add_dependency(&trail, audit_stack_set);
    Ok(trail)
}
