//! The five-account foundation: management, identity, audit/log archive, shared services
//! and the environments, secure by default and open to extension.
//!
//! `FiveAccountLayoutBuilder::build`, below, runs one step per part of the layout, each in
//! its own file:
//! - `organization`: the organization, its OUs and the accounts;
//! - `budgets`: a monthly budget per member account;
//! - `identity`: the identity account's groups and their self-service policy;
//! - `access`: the member accounts' roles and the groups' switch-roles policies;
//! - `audit`: the log archive and the organization trail;
//! - `alerting`: the management-activity alert;
//! - `guardrails`: the SCPs attached to the root;
//! - `deploy_steps`: what the deploy plan leaves to do by hand.
//!
//! `builder` holds the settings and their checks; `naming` and `checkov` the small pieces
//! several steps use.

mod access;
mod alerting;
mod audit;
mod budgets;
mod builder;
mod checkov;
mod deploy_steps;
mod guardrails;
mod identity;
mod naming;
mod organization;

use indexmap::IndexMap;

use crate::app::{App, ResourceHandle, StackHandle};
use crate::cfn::Value;
use crate::error::Result;
use crate::org::{Account, AccountHandle, OrganizationHandle, OuHandle, PolicyHandle};
use crate::stackset::StackSetHandle;

pub use audit::ObjectLock;
pub use builder::{FiveAccountLayoutBuilder, AUDIT, IDENTITY, SHARED_SERVICES};
pub use guardrails::Guardrails;
pub use identity::self_service_policy;

use audit::{build_trail, ArchiveNames};
use budgets::{add_budget, Budget};

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
}
