//! The five-account foundation: management, identity, audit/log archive, shared services
//! and the environments, secure by default and open to extension.
//!
//! The layout's [`Construct::build`], below, runs one step per part of the layout, each in
//! its own file:
//! - `organization`: the organization, its OUs and the accounts;
//! - `budgets`: the rule that gives every account of the organization a monthly budget;
//! - `identity`: the identity account's groups and their self-service policy;
//! - `access`: the member accounts' roles and the groups' switch-roles policies;
//! - `kms`: the customer-managed key of the logs and the alerts, when it is on;
//! - `audit`: the log archive and the organization trail;
//! - `alerting`: the trail's log group and the management-activity alert on it;
//! - `guardrails`: the SCPs attached to the root;
//!
//! `builder` holds the settings and their checks (`settings` the types steps share); `naming` and `checkov` the small pieces
//! several steps use.

mod access;
mod alerting;
mod audit;
mod budgets;
mod builder;
mod checkov;
mod guardrails;
mod identity;
mod identity_center;
mod kms;
mod naming;
mod organization;
mod settings;

use indexmap::IndexMap;

use crate::app::{App, Construct, ResourceHandle, Scope, StackHandle};
use crate::cfn::Value;
use crate::error::Result;
use crate::iam::GroupHandle;
use crate::layouts::access::Grant;
use crate::org::{AccountHandle, OrganizationHandle, OuHandle, PolicyHandle};
use crate::services::IdentityCenterHandle;
use crate::stackset::StackSetHandle;

pub use builder::{
    FiveAccountLayoutBuilder, AUDIT, IDENTITY, ORGANIZATION_ACCESS_ROLE, SHARED_SERVICES,
};
pub use identity::self_service_policy;
pub use settings::{Guardrails, IdentityModel, KmsKey, ObjectLock};

use audit::build_trail;
use budgets::{AccountBudgets, Budget};
use naming::ArchiveNames;

/// The article's foundation in one call.
///
/// ```
/// use orgstack::{App, layouts::FiveAccountLayout, org::Account};
/// let mut app = App::new();
/// let management = app.stack("Management")?;
/// let layout = app.add(&management, FiveAccountLayout::builder("acme")
///     .email_domain("aws.acme.example")
///     .allowed_regions(["us-east-1", "eu-west-1"])
///     .alert_email("cloud-alerts@acme.example"))?;
/// // Handles to every part, to extend it. The new account gets the layout's budget.
/// app.add(&layout.workloads_ou(), Account::new("Sandbox", "sandbox@aws.acme.example"))?;
/// let assembly = app.synth()?;
/// assert_eq!(assembly.deploy_order(), ["Management-Bootstrap", "Management"]);
/// assert!(assembly.template_json("Management").unwrap().contains("\"BudgetName\": \"Sandbox-monthly\""));
/// # Ok::<(), orgstack::Error>(())
/// ```
#[derive(Debug)]
pub struct FiveAccountLayout {
    stack: StackHandle,
    structure: organization::Structure,
    identity: AccountHandle,
    audit: AccountHandle,
    shared_services: AccountHandle,
    environments: IndexMap<String, AccountHandle>,
    identity_stack_set: Option<StackSetHandle>,
    roles_stack_set: Option<StackSetHandle>,
    identity_center: Option<IdentityCenterHandle>,
    audit_stack_set: StackSetHandle,
    groups: IndexMap<String, GroupHandle>,
    guardrails: Vec<PolicyHandle>,
    trail: ResourceHandle,
    alert_topic: ResourceHandle,
    kms_key: Option<ResourceHandle>,
    log_bucket_name: Value,
    /// The roles grants may name: the access levels' and the auditors'.
    role_names: Vec<String>,
    /// The groups grants may name.
    group_names: Vec<String>,
}

impl FiveAccountLayout {
    /// Lets the identity account's group `group` switch into `grant`'s role wherever the
    /// grant says: the layout's parts, or any OU or account of the organization — ones
    /// added after the layout too. An unknown group, or a role no access level defines, is
    /// reported at synthesis.
    ///
    /// ```
    /// use orgstack::{App, layouts::{FiveAccountLayout, Grant, GrantTarget, DEVELOPER}};
    /// use orgstack::org::OrganizationalUnit;
    /// let mut app = App::new();
    /// let management = app.stack("Management")?;
    /// let layout = app.add(&management, FiveAccountLayout::builder("acme").email_domain("acme.example"))?;
    /// let sandbox = app.add(&layout.workloads_ou(), OrganizationalUnit::new("Sandbox"))?;
    /// layout.grant(&mut app, "developers", Grant::new(DEVELOPER, [GrantTarget::from(sandbox)]));
    /// let assembly = app.synth()?;
    /// let identity = assembly.template_json("Management.IdentityAccount.Template").unwrap();
    /// assert!(identity.contains("WorkloadsSandbox"));
    /// # Ok::<(), orgstack::Error>(())
    /// ```
    pub fn grant(&self, app: &mut App, group: &str, grant: Grant) {
        let known = match &self.identity_center {
            Some(center) => center.group(group).is_some(),
            None => self.groups.contains_key(group),
        };
        let at = match (&self.identity_center, self.groups.get(group)) {
            (Some(center), _) => app.path(center),
            (None, Some(handle)) => app.path(handle),
            (None, None) => self
                .identity_stack_set
                .map_or_else(|| app.path(&self.stack), |s| app.path(&s.template())),
        };
        if !known {
            app.report(crate::Diagnostic::new(
                at,
                crate::Rule::PropertyValue,
                group,
                "the layout has no group of that name",
                format!(
                    "grant to one of the layout's groups: {}",
                    self.group_names.join(", ")
                ),
            ));
        } else if !self.role_names.contains(&grant.role_name) {
            app.report(crate::Diagnostic::new(
                at,
                crate::Rule::PropertyValue,
                &grant.role_name,
                format!("group `{group}` is granted a role no access level defines"),
                format!(
                    "grant one of the layout's roles: {}",
                    self.role_names.join(", ")
                ),
            ));
        } else if let Some(center) = &self.identity_center {
            for t in &grant.targets {
                if let Some(target) = self.structure.assignment_target(t, &self.audit) {
                    center.assign(app, group, grant.role_name.as_str(), target);
                }
            }
        } else if let Some(handle) = self.groups.get(group) {
            access::add_grant(app, handle, &grant, &self.structure);
        }
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
        self.structure.organization
    }
    /// The Security OU (identity and audit accounts).
    pub fn security_ou(&self) -> OuHandle {
        self.structure.security
    }
    /// The Infrastructure OU (shared services).
    pub fn infrastructure_ou(&self) -> OuHandle {
        self.structure.infrastructure
    }
    /// The Workloads OU (parent of NonProd and Prod).
    pub fn workloads_ou(&self) -> OuHandle {
        self.structure.workloads
    }
    /// The NonProd OU.
    pub fn non_prod_ou(&self) -> OuHandle {
        self.structure.non_prod
    }
    /// The Prod OU.
    pub fn prod_ou(&self) -> OuHandle {
        self.structure.prod
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
    /// The StackSet holding the identity account's groups (add to its template); `None`
    /// with [`IdentityModel::IdentityCenter`].
    pub fn identity_stack_set(&self) -> Option<StackSetHandle> {
        self.identity_stack_set
    }
    /// The StackSet holding the roles of every environment and shared-services account;
    /// `None` with [`IdentityModel::IdentityCenter`].
    pub fn roles_stack_set(&self) -> Option<StackSetHandle> {
        self.roles_stack_set
    }
    /// IAM Identity Center's permission sets and assignments, with
    /// [`IdentityModel::IdentityCenter`] (add rows with
    /// [`IdentityCenterHandle::assign`], or through [`grant`](Self::grant)).
    pub fn identity_center(&self) -> Option<&IdentityCenterHandle> {
        self.identity_center.as_ref()
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
    /// The customer-managed key of the logs and the alert topic, with
    /// [`KmsKey::CustomerManaged`]; `None` when the key is off.
    pub fn kms_key(&self) -> Option<ResourceHandle> {
        self.kms_key
    }
    /// The identity account's groups, by name.
    pub fn groups(&self) -> &IndexMap<String, GroupHandle> {
        &self.groups
    }

    /// The log archive bucket's name, as the management stack computes it.
    pub fn log_bucket_name(&self) -> &Value {
        &self.log_bucket_name
    }
}

impl<P: Scope + ?Sized> Construct<P> for FiveAccountLayoutBuilder {
    type Handle = FiveAccountLayout;

    /// Adds the layout under `parent` — the management account's stack, or a construct of
    /// yours in it: the organization, OUs, accounts, guardrails, trail, alerting, budgets
    /// and the StackSets for member accounts. Bad names, e-mails and quotas are reported
    /// at synthesis.
    fn build(self, app: &mut App, parent: &P) -> Result<FiveAccountLayout> {
        let parent = parent.node();
        let prefix = self.prefix();
        let stack = app.stack_of(&parent).unwrap_or(StackHandle(parent));
        app.set_stack_description(
            &stack,
            format!("{prefix}: organization, accounts, guardrails, audit trail and alerting (management account)"),
        );
        let structure = self.build_structure(app, parent)?;
        // The layout's settings are reported at its root construct, the organization.
        let path = app.path(&structure.organization);
        self.report_settings(app, &path);

        let accounts = self.add_accounts(app, &structure)?;
        let alert_email = self.alert_address();
        if let Some(amount) = self.monthly_budget {
            app.add_aspect(AccountBudgets {
                organization: structure.organization.node(),
                budget: Budget::new(amount, &self.notified_thresholds(), &alert_email),
            });
        }
        let names = ArchiveNames::new(&prefix, &accounts.audit);
        // Built before the identity: Identity Center's auditors read the archive with it.
        let key = self.build_key(
            app,
            &parent,
            &names,
            Value::from(structure.organization.id()),
            accounts.audit.id(),
        )?;
        let (identity_stack_set, groups, roles_stack_set, identity_center) =
            match self.identity_model {
                IdentityModel::IamUsers => {
                    let (set, groups) =
                        self.build_identity(app, &parent, &structure, &accounts.identity)?;
                    let roles =
                        self.build_member_roles(app, &parent, &structure, &accounts.identity)?;
                    (Some(set), groups, Some(roles), None)
                }
                IdentityModel::IdentityCenter => {
                    let center = self.build_identity_center(
                        app,
                        &parent,
                        &structure,
                        &accounts.audit,
                        key.as_ref(),
                    )?;
                    (None, IndexMap::new(), None, Some(center))
                }
            };
        let delivery = self.build_trail_delivery(app, &parent, &names, key.as_ref())?;
        let audit_stack_set =
            self.build_audit(app, &parent, &structure, &accounts, &names, &delivery)?;
        let trail = build_trail(
            app,
            &parent,
            &audit_stack_set,
            &names,
            &delivery,
            key.as_ref(),
        )?;
        let alert_topic =
            self.build_alerting(app, &parent, &alert_email, &delivery, key.as_ref())?;
        let guardrails = self.attach_guardrails(app, structure.organization, &names)?;

        Ok(FiveAccountLayout {
            stack,
            structure,
            identity: accounts.identity,
            audit: accounts.audit,
            shared_services: accounts.shared_services,
            environments: accounts.environments,
            identity_stack_set,
            roles_stack_set,
            identity_center,
            audit_stack_set,
            groups,
            guardrails,
            trail,
            alert_topic,
            kms_key: key,
            log_bucket_name: names.log_bucket_name,
            role_names: self
                .access_levels
                .iter()
                .map(|l| l.role_name.clone())
                .chain([crate::layouts::access::AUDITOR.to_owned()])
                .collect(),
            group_names: self.groups.iter().map(|g| g.name.clone()).collect(),
        })
    }
}
