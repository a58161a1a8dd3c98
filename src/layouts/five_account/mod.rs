//! The five-account foundation: management, identity, audit/log archive, shared services
//! and the environments, secure by default and open to extension.

mod access;
mod budgets;
mod builder;
mod checkov;
mod identity;
mod naming;
mod organization;

use indexmap::IndexMap;

use crate::app::{App, DeployStep, ResourceHandle, StackHandle};
use crate::cfn::{Expr, Resource, Value};
use crate::error::Result;
use crate::iam::{keys, Condition, ManagedPolicyRef, PolicyDocument, Principal, Role, Statement};
use crate::obj;
use crate::org::{Account, AccountHandle, OrganizationHandle, OuHandle, Policy, PolicyHandle};
use crate::stackset::{StackSet, StackSetHandle};

use super::guardrails;
use crate::layouts::access::AUDITOR;
pub use builder::{FiveAccountLayoutBuilder, AUDIT, IDENTITY, SHARED_SERVICES};
pub use identity::self_service_policy;

use budgets::{add_budget, Budget};
use checkov::checkov_skip;
use naming::kebab;
use organization::{Accounts, Structure};

/// Which guardrail SCPs the layout attaches to the root (all on by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guardrails {
    /// STS only in the allowed regions.
    pub sts_regions: bool,
    /// No leaving the organization.
    pub deny_leave_organization: bool,
    /// The organization trail and log archive cannot be stopped, changed or deleted.
    pub protect_audit: bool,
    /// The root user of member accounts can do nothing.
    pub deny_root_user: bool,
}

impl Default for Guardrails {
    fn default() -> Self {
        Guardrails {
            sts_regions: true,
            deny_leave_organization: true,
            protect_audit: true,
            deny_root_user: true,
        }
    }
}

/// Object Lock on the log archive bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectLock {
    /// Privileged users can shorten retention or delete.
    Governance(u32),
    /// Nobody, root included, can delete a log before its retention ends.
    Compliance(u32),
}

/// The article's foundation in one call.
///
/// ```
/// use orgstack::{App, layouts::FiveAccountLayout};
/// let mut app = App::new();
/// let layout = FiveAccountLayout::builder("acme")
///     .email_domain("aws.acme.example")
///     .allowed_regions(["us-east-1", "eu-west-1"])
///     .alert_email("cloud-alerts@acme.example")
///     .build(&mut app)?;
/// // Handles to every part, to extend it.
/// layout.workloads_ou().add_account(
///     &mut app,
///     orgstack::org::Account::new("Sandbox", "sandbox@aws.acme.example"),
/// )?;
/// let assembly = app.synth()?;
/// assert_eq!(assembly.deploy_order(), ["Management"]);
/// # Ok::<(), orgstack::Error>(())
/// ```
#[derive(Debug)]
pub struct FiveAccountLayout {
    stack: StackHandle,
    organization: OrganizationHandle,
    security: OuHandle,
    infrastructure: OuHandle,
    workloads: OuHandle,
    non_prod: OuHandle,
    prod: OuHandle,
    identity: AccountHandle,
    audit: AccountHandle,
    shared_services: AccountHandle,
    environments: IndexMap<String, AccountHandle>,
    identity_stack_set: StackSetHandle,
    roles_stack_set: StackSetHandle,
    audit_stack_set: StackSetHandle,
    guardrails: Vec<PolicyHandle>,
    trail: ResourceHandle,
    alert_topic: ResourceHandle,
    log_bucket_name: Value,
    budget: Option<Budget>,
}

impl FiveAccountLayout {
    /// Adds an account under `parent` (an OU of the layout, or the root) with the layout's
    /// monthly budget, as the layout's own accounts have.
    ///
    /// # Errors
    /// As [`Parent::add_account`](crate::org::Parent::add_account).
    pub fn add_account(
        &self,
        app: &mut App,
        parent: impl Into<crate::org::Parent>,
        account: Account,
    ) -> Result<AccountHandle> {
        let handle = parent.into().add_account(app, account)?;
        if let Some(b) = &self.budget {
            add_budget(app, &handle, b)?;
        }
        Ok(handle)
    }

    /// A builder for a layout named `name` (lower-case letters, digits and hyphens; it
    /// prefixes account, bucket, trail and topic names).
    pub fn builder(name: impl Into<String>) -> FiveAccountLayoutBuilder {
        FiveAccountLayoutBuilder::new(name.into())
    }

    /// The management stack.
    pub fn stack(&self) -> StackHandle {
        self.stack
    }
    /// The organization.
    pub fn organization(&self) -> OrganizationHandle {
        self.organization
    }
    /// The Security OU (identity and audit accounts).
    pub fn security_ou(&self) -> OuHandle {
        self.security
    }
    /// The Infrastructure OU (shared services).
    pub fn infrastructure_ou(&self) -> OuHandle {
        self.infrastructure
    }
    /// The Workloads OU (parent of NonProd and Prod).
    pub fn workloads_ou(&self) -> OuHandle {
        self.workloads
    }
    /// The NonProd OU.
    pub fn non_prod_ou(&self) -> OuHandle {
        self.non_prod
    }
    /// The Prod OU.
    pub fn prod_ou(&self) -> OuHandle {
        self.prod
    }
    /// The identity account.
    pub fn identity_account(&self) -> &AccountHandle {
        &self.identity
    }
    /// The audit / log-archive account.
    pub fn audit_account(&self) -> &AccountHandle {
        &self.audit
    }
    /// The shared-services account.
    pub fn shared_services_account(&self) -> &AccountHandle {
        &self.shared_services
    }
    /// The environment accounts by environment name.
    pub fn environment_accounts(&self) -> &IndexMap<String, AccountHandle> {
        &self.environments
    }
    /// The StackSet holding the identity account's groups (add to its template).
    pub fn identity_stack_set(&self) -> StackSetHandle {
        self.identity_stack_set
    }
    /// The StackSet holding the roles of every environment and shared-services account.
    pub fn roles_stack_set(&self) -> StackSetHandle {
        self.roles_stack_set
    }
    /// The StackSet holding the audit account's log bucket and auditor role.
    pub fn audit_stack_set(&self) -> StackSetHandle {
        self.audit_stack_set
    }
    /// The guardrail SCPs attached to the root.
    pub fn guardrails(&self) -> &[PolicyHandle] {
        &self.guardrails
    }
    /// The organization trail.
    pub fn trail(&self) -> ResourceHandle {
        self.trail
    }
    /// The SNS topic alerting on management-account activity.
    pub fn alert_topic(&self) -> ResourceHandle {
        self.alert_topic
    }
    /// The log archive bucket's name, as the management stack computes it.
    pub fn log_bucket_name(&self) -> &Value {
        &self.log_bucket_name
    }
}

impl FiveAccountLayoutBuilder {
    /// Adds the layout to `app`: a `Management` stack with the organization, OUs, accounts,
    /// guardrails, trail, alerting, budgets and the StackSets for member accounts.
    ///
    /// # Errors
    /// [`Error::DuplicateId`](crate::Error::DuplicateId) if the app already has the stack.
    /// Bad names, e-mails and quotas are reported at synthesis.
    pub fn build(self, app: &mut App) -> Result<FiveAccountLayout> {
        let prefix = self.prefix();
        let stack = app.stack(self.stack_name.as_str())?;
        app.set_stack_description(
            &stack,
            format!("{prefix}: organization, accounts, guardrails, audit trail and alerting (management account)"),
        )?;
        let path = app.path(&stack);
        self.report_settings(app, &path);

        let structure = self.build_structure(app, &stack)?;
        let accounts = self.add_accounts(app, &structure)?;
        let alert_email = self.alert_address();
        let budget = self.add_budgets(app, &accounts, &alert_email)?;
        let names = ArchiveNames::new(&prefix, &accounts.audit);
        let identity_stack_set =
            self.build_identity(app, &stack, &structure, &accounts.identity)?;
        let roles_stack_set =
            self.build_member_roles(app, &stack, &structure, &accounts.identity)?;
        let audit_stack_set = self.build_audit(app, &stack, &structure, &accounts, &names)?;
        let trail = build_trail(app, &stack, &audit_stack_set, &names)?;
        let alert_topic = self.build_alerting(app, &stack, &alert_email)?;
        let guardrails = self.attach_guardrails(app, structure.organization, &names)?;
        self.add_deploy_steps(app, &alert_email);

        Ok(FiveAccountLayout {
            stack,
            organization: structure.organization,
            security: structure.security,
            infrastructure: structure.infrastructure,
            workloads: structure.workloads,
            non_prod: structure.non_prod,
            prod: structure.prod,
            identity: accounts.identity,
            audit: accounts.audit,
            shared_services: accounts.shared_services,
            environments: accounts.environments,
            identity_stack_set,
            roles_stack_set,
            audit_stack_set,
            guardrails,
            trail,
            alert_topic,
            log_bucket_name: names.log_bucket_name,
            budget,
        })
    }

    /// Guardrails on the root (they never restrict the management account).
    fn attach_guardrails(
        &self,
        app: &mut App,
        organization: OrganizationHandle,
        names: &ArchiveNames,
    ) -> Result<Vec<PolicyHandle>> {
        let prefix = self.prefix();
        let mut guardrail_handles = Vec::new();
        let g = self.guardrails;
        let mut add = |app: &mut App,
                       on: bool,
                       id: &str,
                       description: &str,
                       doc: PolicyDocument|
         -> Result<()> {
            if on {
                let p = organization.add_policy(
                    app,
                    Policy::service_control(format!("{prefix}-{}", kebab(id)), doc)
                        .id(id)
                        .description(description),
                )?;
                p.attach(app, &organization)?;
                guardrail_handles.push(p);
            }
            Ok(())
        };
        add(
            app,
            g.sts_regions,
            "DenyStsOutsideAllowedRegions",
            "STS only in the allowed regions",
            guardrails::deny_sts_outside_regions(&self.allowed_regions),
        )?;
        add(
            app,
            g.deny_leave_organization,
            "DenyLeaveOrganization",
            "Accounts cannot leave the organization",
            guardrails::deny_leave_organization(),
        )?;
        add(
            app,
            g.protect_audit,
            "ProtectAuditTrail",
            "The organization trail and the log archive cannot be stopped, changed or deleted",
            guardrails::protect_audit_trail(&names.trail_name, names.log_bucket_name.clone()),
        )?;
        add(
            app,
            g.deny_root_user,
            "DenyRootUser",
            "The root user of member accounts can do nothing",
            guardrails::deny_root_user(),
        )?;
        Ok(guardrail_handles)
    }

    /// Audit account: the log archive and the auditors' role.
    fn build_audit(
        &self,
        app: &mut App,
        stack: &StackHandle,
        structure: &Structure,
        accounts: &Accounts,
        names: &ArchiveNames,
    ) -> Result<StackSetHandle> {
        let prefix = self.prefix();
        let set = StackSet::new("AuditAccount", format!("{prefix}-audit"))
            .description("Log archive and auditor role of the audit account")
            .template_description(format!(
                "{prefix}: log archive (write only) and auditor role"
            ))
            .target(&structure.security)
            .only_account(&accounts.audit)
            .retain_stacks_on_account_removal(true)
            .build(app, stack)?;
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
        let bucket = app.add_resource(&tpl, "LogArchive", bucket)?;
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
        app.add_resource(
            &tpl,
            "LogArchivePolicy",
            Resource::new("AWS::S3::BucketPolicy")
                .property("Bucket", bucket.ref_expr(63))
                .property("PolicyDocument", policy.to_value()),
        )?;
        Role::assumable_with_mfa("Auditor", accounts.identity.id())
            .name(AUDITOR)
            .description(
                "Read-only access for auditors, assumed from the identity account with MFA",
            )
            .mfa_max_age(self.mfa_max_age)
            .max_session_duration(self.max_session_duration)
            .managed_policy(ManagedPolicyRef::aws_managed("ReadOnlyAccess"))
            .build(app, &tpl)?;
        Ok(set)
    }

    fn build_alerting(
        &self,
        app: &mut App,
        stack: &StackHandle,
        email: &str,
    ) -> Result<ResourceHandle> {
        let prefix = self.prefix();
        let scope = app.add_scope(stack, "ManagementActivity")?;
        let topic = app.add_resource(
            &scope,
            "Topic",
            Resource::new("AWS::SNS::Topic")
                .property("TopicName", format!("{prefix}-management-activity"))
                .property("DisplayName", "Management account activity")
                .property(
                    "Subscription",
                    vec![obj! { "Endpoint" => email, "Protocol" => "email" }],
                )
                .metadata("checkov", checkov_skip(&[(
                    "CKV_AWS_26",
                    "EventBridge cannot publish to a topic encrypted with the AWS managed SNS key; the messages carry API call metadata only",
                )])),
        )?;
        let rule = app.add_resource(
            &scope,
            "Rule",
            Resource::new("AWS::Events::Rule")
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
                ),
        )?;
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
        app.add_resource(
            &scope,
            "TopicPolicy",
            Resource::new("AWS::SNS::TopicPolicy")
                .property("PolicyDocument", policy.to_value())
                .property("Topics", vec![topic.ref_expr(256)]),
        )?;
        Ok(topic)
    }

    fn add_deploy_steps(&self, app: &mut App, email: &str) {
        let created = self.existing.is_none();
        let note = if created {
            " The stack creates the organization: create it first with `aws organizations create-organization --feature-set ALL` and build with `.existing_organization(root id, organization id)`, or run this right after the organization exists."
        } else {
            ""
        };
        app.add_deploy_step(DeployStep {
            title: "Enable trusted access for StackSets and CloudTrail".into(),
            why: format!("Service-managed StackSets and the organization trail need it; CloudFormation cannot enable it.{note}"),
            commands: vec![
                "aws organizations enable-aws-service-access --service-principal member.org.stacksets.cloudformation.amazonaws.com".into(),
                "aws cloudformation activate-organizations-access".into(),
                "aws organizations enable-aws-service-access --service-principal cloudtrail.amazonaws.com".into(),
            ],
            before_stacks: true,
        });
        app.add_deploy_step(DeployStep {
            title: "Enable service control policies on the root".into(),
            why: "SCPs attach only once the policy type is enabled; CloudFormation cannot enable it.".into(),
            commands: vec![
                "aws organizations enable-policy-type --policy-type SERVICE_CONTROL_POLICY --root-id \"$(aws organizations list-roots --query 'Roots[0].Id' --output text)\"".into(),
            ],
            before_stacks: true,
        });
        app.add_deploy_step(DeployStep {
            title: "Confirm the alert subscription".into(),
            why: format!("SNS sends a confirmation to {email}; alerts arrive only once it is confirmed. Console sign-ins are delivered in us-east-1: deploy the stack there to see them."),
            commands: Vec::new(),
            before_stacks: false,
        });
    }
}

/// Names both sides compute: the management stack (trail, guardrails) and the audit
/// account's StackSet (bucket).
struct ArchiveNames {
    bucket_prefix: String,
    log_bucket_name: Value,
    trail_name: String,
}

impl ArchiveNames {
    fn new(prefix: &str, audit: &AccountHandle) -> Self {
        let bucket_prefix = format!("{prefix}-audit-logs");
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

/// Organization trail, after the bucket exists.
fn build_trail(
    app: &mut App,
    stack: &StackHandle,
    audit_stack_set: &StackSetHandle,
    names: &ArchiveNames,
) -> Result<ResourceHandle> {
    let trail = app.add_resource(
        stack,
        "OrganizationTrail",
        Resource::new("AWS::CloudTrail::Trail")
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
            ])),
    )?;
    app.add_dependency(&trail, audit_stack_set)?;
    Ok(trail)
}
