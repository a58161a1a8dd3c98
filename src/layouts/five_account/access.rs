//! Access grants: the roles people of the identity account assume in the member accounts,
//! and the switch-roles policies that say which group may assume which role where.

use crate::app::{App, StackHandle};
use crate::cfn::{Expr, Value};
use crate::error::Result;
use crate::iam::{
    keys, BaseOperator, Condition, ManagedPolicyRef, Operator, PolicyDocument, Role, Statement,
};
use crate::layouts::access::{Grant, Scope};
use crate::org::{AccountHandle, OrganizationHandle, OuHandle};
use crate::stackset::{StackSet, StackSetHandle};

use super::naming::upper_camel;
use super::organization::Structure;
use super::FiveAccountLayoutBuilder;

impl FiveAccountLayoutBuilder {
    /// Roles in every environment and shared-services account, from one StackSet.
    pub(super) fn build_member_roles(
        &self,
        app: &mut App,
        stack: &StackHandle,
        structure: &Structure,
        identity: &AccountHandle,
    ) -> Result<StackSetHandle> {
        let prefix = self.prefix();
        let roles_stack_set = StackSet::new("MemberRoles", format!("{prefix}-member-roles"))
            .description("Roles people of the identity account assume with MFA")
            .template_description(format!(
                "{prefix}: roles assumable from the identity account with MFA"
            ))
            .target(&structure.workloads)
            .target(&structure.infrastructure)
            .build(app, stack)?;
        for level in &self.access_levels {
            Role::assumable_with_mfa(upper_camel(&level.role_name), identity.id())
                .name(level.role_name.as_str())
                .description(format!(
                    "{} access, assumed from the identity account with MFA",
                    level.role_name
                ))
                .mfa_max_age(self.mfa_max_age)
                .max_session_duration(self.max_session_duration)
                .managed_policy(ManagedPolicyRef::aws_managed(&level.managed_policy))
                .build(app, &roles_stack_set.template())?;
        }
        Ok(roles_stack_set)
    }
}

/// The OU each grant scope covers.
pub(super) fn grant_scopes(structure: &Structure) -> [(Scope, OuHandle); 4] {
    [
        (Scope::NonProd, structure.non_prod),
        (Scope::Prod, structure.prod),
        (Scope::SharedServices, structure.infrastructure),
        (Scope::Audit, structure.security),
    ]
}

/// A group's `switch-roles` policy: `sts:AssumeRole` on each granted role, in the accounts
/// under the grant's scopes.
pub(super) fn switch_roles_policy(
    grants: &[Grant],
    scopes: &[(Scope, OuHandle)],
    org: &OrganizationHandle,
    workloads: &OuHandle,
) -> PolicyDocument {
    let mut doc = PolicyDocument::new();
    for grant in grants {
        let paths: Vec<Value> = grant
            .scopes
            .iter()
            .filter_map(|s| scopes.iter().find(|(k, _)| k == s))
            .map(|(scope, ou)| org_path(org, *scope, ou, workloads))
            .collect();
        doc = doc.statement(
            Statement::allow()
                .sid(format!("Assume{}", upper_camel(&grant.role_name)))
                .action("sts:AssumeRole")
                .resource(Expr::sub(format!(
                    "arn:${{AWS::Partition}}:iam::*:role/{}",
                    grant.role_name
                )))
                .condition(Condition::new(
                    Operator::new(BaseOperator::StringLike).for_any_value(),
                    keys::RESOURCE_ORG_PATHS,
                    paths,
                )),
        );
    }
    doc
}

/// `o-…/r-…/ou-…/` paths matching every account under `ou`, for `aws:ResourceOrgPaths`.
fn org_path(org: &OrganizationHandle, scope: Scope, ou: &OuHandle, workloads: &OuHandle) -> Value {
    let mut vars: Vec<(&str, Value)> = vec![
        ("OrgId", Value::from(org.id())),
        ("RootId", Value::from(org.root_id())),
    ];
    let template = match scope {
        Scope::NonProd | Scope::Prod => {
            vars.push(("ParentOu", Value::from(workloads.id())));
            vars.push(("Ou", Value::from(ou.id())));
            "${OrgId}/${RootId}/${ParentOu}/${Ou}/*"
        }
        Scope::SharedServices | Scope::Audit => {
            vars.push(("Ou", Value::from(ou.id())));
            "${OrgId}/${RootId}/${Ou}/*"
        }
    };
    Value::from(Expr::sub_with(template, vars))
}
