//! The organization, its OUs and the layout's accounts in them.

use indexmap::IndexMap;

use crate::app::{App, DeployStep};
use crate::cfn::NodeId;
use crate::error::Result;
use crate::org::{
    Account, AccountHandle, Organization, OrganizationHandle, OrganizationalUnit, OuHandle,
};

use super::builder::{AUDIT, IDENTITY, ORGANIZATION_ACCESS_ROLE, SHARED_SERVICES};
use super::naming::{same_id_as_earlier, upper_camel};
use super::FiveAccountLayoutBuilder;

/// The organization and its OUs.
#[derive(Debug, Clone, Copy)]
pub(super) struct Structure {
    pub(super) organization: OrganizationHandle,
    pub(super) security: OuHandle,
    pub(super) infrastructure: OuHandle,
    pub(super) workloads: OuHandle,
    pub(super) non_prod: OuHandle,
    pub(super) prod: OuHandle,
}

/// The layout's accounts.
pub(super) struct Accounts {
    pub(super) identity: AccountHandle,
    pub(super) audit: AccountHandle,
    pub(super) shared_services: AccountHandle,
    pub(super) environments: IndexMap<String, AccountHandle>,
}

impl FiveAccountLayoutBuilder {
    /// The organization (created, or the one that exists) and its OUs.
    pub(super) fn build_structure(&self, app: &mut App, parent: NodeId) -> Result<Structure> {
        let organization = match &self.existing {
            Some((root, org)) => {
                Organization::existing(root, org).full_aws_access_attached(self.full_aws_access)
            }
            None => Organization::create(),
        };
        let organization = app.add(&parent, organization)?;

        let security = app.add(&organization, OrganizationalUnit::new("Security"))?;
        let infrastructure = app.add(&organization, OrganizationalUnit::new("Infrastructure"))?;
        let workloads = app.add(&organization, OrganizationalUnit::new("Workloads"))?;
        let non_prod = app.add(&workloads, OrganizationalUnit::new("NonProd"))?;
        let prod = app.add(&workloads, OrganizationalUnit::new("Prod"))?;
        Ok(Structure {
            organization,
            security,
            infrastructure,
            workloads,
            non_prod,
            prod,
        })
    }

    /// The identity, audit and shared-services accounts, and one account per environment
    /// under NonProd or Prod.
    pub(super) fn add_accounts(&self, app: &mut App, structure: &Structure) -> Result<Accounts> {
        if self.centralized_root_access {
            app.add_deploy_step(centralized_root_access_step());
        }
        let prefix = self.prefix();
        let account = |key: &str, id: &str| {
            let account = Account::new(format!("{prefix}-{key}"), self.email(key)).id(id);
            // `RoleName` cannot be updated (the update and its rollback both fail), so the
            // default name, which Organizations uses anyway, is left out: adding it to an
            // account deployed without it would be such an update.
            if self.organization_access_role == ORGANIZATION_ACCESS_ROLE {
                account
            } else {
                account.role_name(&self.organization_access_role)
            }
        };
        let identity = app.add(&structure.security, account(IDENTITY, "Identity"))?;
        let audit = app.add(&structure.security, account(AUDIT, "Audit"))?;
        let shared_services = app.add(
            &structure.infrastructure,
            account(SHARED_SERVICES, "SharedServices"),
        )?;
        let mut environments = IndexMap::new();
        // An environment whose id another already has is reported once, and left out.
        let clashes = same_id_as_earlier(self.environments.iter().map(|e| e.name.as_str()));
        for (env, clash) in self.environments.iter().zip(clashes) {
            if clash.is_some() {
                continue;
            }
            let ou = if env.production {
                structure.prod
            } else {
                structure.non_prod
            };
            let handle = app.add(&ou, account(&env.name, &upper_camel(&env.name)))?;
            environments.insert(env.name.clone(), handle);
        }
        Ok(Accounts {
            identity,
            audit,
            shared_services,
            environments,
        })
    }
}

/// Centralized root access: no CloudFormation resource exists for it. It runs before the
/// stacks so that the accounts they create are created without root credentials.
fn centralized_root_access_step() -> DeployStep {
    DeployStep::new(
        "Enable centralized root access for member accounts",
        "Member accounts then have no root credentials (the accounts the stacks create are \
         created without them, so none needs a root password reset), and the management \
         account runs the few tasks that need root as short privileged sessions \
         (`aws sts assume-root`, at most 900 s), which the deny-root guardrail lets through. \
         CloudFormation cannot enable it.",
        [
            "aws organizations enable-aws-service-access --service-principal iam.amazonaws.com"
                .to_owned(),
            "aws iam enable-organizations-root-credentials-management".to_owned(),
            "aws iam enable-organizations-root-sessions".to_owned(),
        ],
        true,
    )
}
