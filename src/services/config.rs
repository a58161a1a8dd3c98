//! AWS Config across the organization: the recorders and delivery channels of every
//! account, the bucket they deliver to, and the organization rules evaluated everywhere.

use crate::app::{App, CfnResource, ResourceHandle, Scope};
use crate::cfn::{escape_sub, Expr, Resource, Value};
use crate::error::Result;
use crate::iam::{keys, Condition, PolicyDocument, Principal, Statement};
use crate::obj;

/// The AWS Config service principal.
pub const CONFIG_PRINCIPAL: &str = "config.amazonaws.com";

/// An AWS Config managed rule, deployed to every account of the organization as an
/// `AWS::Config::OrganizationConfigRule` by the Config administrator.
///
/// ```
/// use orgstack::services::ConfigRule;
/// let rule = ConfigRule::managed("access-keys-rotated", "ACCESS_KEYS_ROTATED")
///     .input_parameter("maxAccessKeyAge", "90");
/// assert_eq!(rule.identifier(), "ACCESS_KEYS_ROTATED");
/// assert_eq!(ConfigRule::baseline().len(), 9);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct ConfigRule {
    name: String,
    identifier: String,
    parameters: Vec<(String, String)>,
}

impl ConfigRule {
    /// The managed rule `identifier` (e.g. `S3_BUCKET_PUBLIC_READ_PROHIBITED`), named
    /// `name` (prefixed with the services' prefix in the organization).
    pub fn managed(name: impl Into<String>, identifier: impl Into<String>) -> Self {
        ConfigRule {
            name: name.into(),
            identifier: identifier.into(),
            parameters: Vec::new(),
        }
    }

    /// Sets one of the rule's input parameters.
    pub fn input_parameter(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let key = key.into();
        self.parameters.retain(|(k, _)| *k != key);
        self.parameters.push((key, value.into()));
        self
    }

    /// The rule's name, without the prefix.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The managed rule's identifier.
    pub fn identifier(&self) -> &str {
        &self.identifier
    }

    /// The default set: the checks of the guarantees the five-account layout makes, and of
    /// the mistakes most often made in the accounts it holds — root access keys, IAM users
    /// without MFA, public or plain-HTTP buckets, unencrypted volumes, SSH open to the
    /// world, CloudTrail off.
    pub fn baseline() -> Vec<ConfigRule> {
        [
            ("root-access-key", "IAM_ROOT_ACCESS_KEY_CHECK"),
            ("iam-user-mfa", "IAM_USER_MFA_ENABLED"),
            ("console-mfa", "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS"),
            ("s3-public-read", "S3_BUCKET_PUBLIC_READ_PROHIBITED"),
            ("s3-public-write", "S3_BUCKET_PUBLIC_WRITE_PROHIBITED"),
            ("s3-tls-only", "S3_BUCKET_SSL_REQUESTS_ONLY"),
            ("ebs-encrypted", "ENCRYPTED_VOLUMES"),
            ("ssh-restricted", "INCOMING_SSH_DISABLED"),
            ("cloudtrail-enabled", "CLOUD_TRAIL_ENABLED"),
        ]
        .into_iter()
        .map(|(n, i)| ConfigRule::managed(n, i))
        .collect()
    }

    /// The rule as an `AWS::Config::OrganizationConfigRule` named `<prefix>-<name>`.
    pub(super) fn to_resource(&self, prefix: &str) -> Resource {
        let mut metadata = obj! { "RuleIdentifier" => self.identifier.as_str() };
        if !self.parameters.is_empty() {
            let mut m = serde_json::Map::new();
            for (k, v) in &self.parameters {
                m.insert(k.clone(), serde_json::Value::String(v.clone()));
            }
            let input = serde_json::Value::Object(m).to_string();
            if let Value::Map(map) = &mut metadata {
                map.insert("InputParameters".into(), input.into());
            }
        }
        Resource::new("AWS::Config::OrganizationConfigRule")
            .property(
                "OrganizationConfigRuleName",
                format!("{prefix}-{}", self.name),
            )
            .property("OrganizationManagedRuleMetadata", metadata)
    }
}

/// The name of the Config bucket in the account `account_id`: `<prefix>-config-<id>`.
pub(super) fn bucket_name(prefix: &str, account_id: Value) -> Value {
    Value::from(Expr::sub_with(
        format!("{}-config-${{ArchiveAccountId}}", escape_sub(prefix)),
        [("ArchiveAccountId", account_id)],
    ))
}

/// The Config bucket and its policy, in the log archive account's member template `tpl`.
///
/// The layout's log archive cannot take AWS Config's deliveries: AWS Config does not
/// deliver to a bucket with S3 Object Lock. This bucket is the archive's sibling:
/// versioned, encrypted, never public, written by AWS Config of this organization only
/// (`aws:SourceOrgID`), over TLS only, its objects never deleted.
pub(super) fn add_bucket(
    app: &mut App,
    tpl: &impl Scope,
    prefix: &str,
    organization_id: Value,
    retention_days: u32,
) -> Result<ResourceHandle> {
    let bucket = crate::cfn::s3::private_bucket(
        Resource::new("AWS::S3::Bucket")        .property(
                "BucketName",
                Value::from(Expr::sub(format!(
                    "{}-config-${{AWS::AccountId}}",
                    escape_sub(prefix)
                ))),
            ),
        obj! { "SSEAlgorithm" => "AES256" },
    )
        .property(
            "LifecycleConfiguration",
            obj! {
                "Rules" => vec![obj! {
                    "Id" => "expire-configuration-history",
                    "Status" => "Enabled",
                    "ExpirationInDays" => retention_days,
                    "NoncurrentVersionExpiration" => obj! { "NoncurrentDays" => retention_days },
                    "AbortIncompleteMultipartUpload" => obj! { "DaysAfterInitiation" => 7u32 },
                }],
            },
        )
        .retain()
        .metadata(
            "checkov",
            obj! {
                "skip" => vec![obj! {
                    "id" => "CKV_AWS_18",
                    "comment" => "AWS Config's own deliveries; server access logs would need a third bucket, as the log archive takes none (S3 refuses access logs into a bucket with Object Lock default retention)",
                }],
            },
        );
    let bucket = app.add(tpl, CfnResource::new("ConfigBucket", bucket))?;
    let arn = || Value::from(bucket.get_att("Arn"));
    let objects = Value::from(Expr::sub_with("${Arn}/AWSLogs/*", [("Arn", arn())]));
    let all_objects = Value::from(Expr::sub_with("${Arn}/*", [("Arn", arn())]));
    let policy = PolicyDocument::new()
        .statement(
            Statement::deny()
                .sid("DenyInsecureTransport")
                .principal(Principal::any())
                .action("s3:*")
                .resources([arn(), all_objects.clone()])
                .condition(Condition::bool(keys::SECURE_TRANSPORT, false)),
        )
        .statement(
            Statement::deny()
                .sid("DenyDeletion")
                .principal(Principal::any())
                .actions([
                    "s3:DeleteObject",
                    "s3:DeleteObjectVersion",
                    "s3:DeleteBucket",
                ])
                .resources([arn(), all_objects]),
        )
        .statement(
            Statement::allow()
                .sid("ConfigChecksBucket")
                .principal(Principal::service(CONFIG_PRINCIPAL))
                .actions(["s3:GetBucketAcl", "s3:ListBucket"])
                .resource(arn())
                .condition(Condition::string_equals(
                    keys::SOURCE_ORG_ID,
                    [organization_id.clone()],
                )),
        )
        .statement(
            Statement::allow()
                .sid("ConfigWritesHistory")
                .principal(Principal::service(CONFIG_PRINCIPAL))
                .action("s3:PutObject")
                .resource(objects)
                .condition(Condition::string_equals(
                    keys::S3_X_AMZ_ACL,
                    ["bucket-owner-full-control"],
                ))
                .condition(Condition::string_equals(
                    keys::SOURCE_ORG_ID,
                    [organization_id],
                )),
        );
    for p in policy.problems() {
        app.report(p.to_diagnostic(app.path(&bucket)));
    }
    app.add(
        tpl,
        CfnResource::new(
            "ConfigBucketPolicy",
            Resource::new("AWS::S3::BucketPolicy")
                .property("Bucket", bucket.ref_expr())
                .property("PolicyDocument", policy.to_value()),
        ),
    )?;
    Ok(bucket)
}

/// Where a recorder records global resources (IAM users, roles, policies): in one region
/// only, the home region, so that each is recorded once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum GlobalResources {
    Recorded,
    Skipped,
}

/// A configuration recorder (with the service-linked role when `slr`), and its delivery
/// channel to `bucket`, under `parent`.
pub(super) fn add_recorder(
    app: &mut App,
    parent: &impl Scope,
    bucket: Value,
    global: GlobalResources,
    slr: bool,
) -> Result<ResourceHandle> {
    let role = slr
        .then(|| {
            app.add(
                parent,
                CfnResource::new(
                    "ConfigServiceLinkedRole",
                    Resource::new("AWS::IAM::ServiceLinkedRole")
                        .property("AWSServiceName", CONFIG_PRINCIPAL)
                        .property(
                            "Description",
                            "AWS Config records the account's resources with it",
                        ),
                ),
            )
        })
        .transpose()?;
    let recorder = app.add(
        parent,
        CfnResource::new(
            "ConfigRecorder",
            Resource::new("AWS::Config::ConfigurationRecorder")
                .property(
                    "RoleARN",
                    Value::from(Expr::sub(
                        "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
                    )),
                )
                .property(
                    "RecordingGroup",
                    obj! {
                        "AllSupported" => true,
                        "IncludeGlobalResourceTypes" => global == GlobalResources::Recorded,
                    },
                ),
        ),
    )?;
    if let Some(role) = role {
        app.add_dependency(&recorder, &role);
    }
    let channel = app.add(
        parent,
        CfnResource::new(
            "ConfigDeliveryChannel",
            Resource::new("AWS::Config::DeliveryChannel")
                .property("S3BucketName", bucket)
                .property(
                    "ConfigSnapshotDeliveryProperties",
                    obj! { "DeliveryFrequency" => "TwentyFour_Hours" },
                ),
        ),
    )?;
    app.add_dependency(&channel, &recorder);
    Ok(recorder)
}
