//! Access grants: the roles people of the identity account assume in the member accounts,
//! and the switch-roles policies that say which group may assume which role where.

use crate::app::{App, Scope};
use crate::cfn::NodeId;
use crate::cfn::{escape_sub, Expr, Value};
use crate::error::Result;
use crate::iam::GroupData;
use crate::iam::GroupHandle;
use crate::iam::{
    keys, BaseOperator, Condition, ManagedPolicyRef, Operator, PolicyDocument, Role, Statement,
};
use crate::layouts::access::{Grant, GrantTarget};
use crate::org::{AccountHandle, OrganizationHandle, OuHandle, Parent};
use crate::stackset::{StackSet, StackSetHandle};

use super::naming::{same_id_as_earlier, upper_camel};
use super::organization::Structure;
use super::FiveAccountLayoutBuilder;

impl FiveAccountLayoutBuilder {
    /// Roles in every environment and shared-services account, from one StackSet.
    pub(super) fn build_member_roles(
        &self,
        app: &mut App,
        parent: &NodeId,
        structure: &Structure,
        identity: &AccountHandle,
    ) -> Result<StackSetHandle> {
        let prefix = self.prefix();
        let roles_stack_set = app.add(
            parent,
            StackSet::new("MemberRoles", format!("{prefix}-member-roles"))
                .description("Roles people of the identity account assume with MFA")
                .template_description(format!(
                    "{prefix}: roles assumable from the identity account with MFA"
                ))
                .target(&structure.workloads)
                .target(&structure.infrastructure),
        )?;
        let clashes = same_id_as_earlier(self.access_levels.iter().map(|l| l.role_name.as_str()));
        for (level, clash) in self.access_levels.iter().zip(clashes) {
            if clash.is_some() {
                continue; // reported once, with both names
            }
            app.add(
                &roles_stack_set.template(),
                self.with_mfa_max_age(
                    Role::assumable_with_mfa(upper_camel(&level.role_name), identity)
                        .name(level.role_name.as_str())
                        .description(format!(
                            "{} access, assumed from the identity account with MFA",
                            level.role_name
                        )),
                )
                .max_session_duration(self.max_session_duration)
                .managed_policy(ManagedPolicyRef::aws_managed(&level.managed_policy)),
            )?;
        }
        Ok(roles_stack_set)
    }
}

impl Structure {
    /// Where a grant target lets the role be assumed: every account under an OU (the
    /// layout's parts name theirs), or one account.
    fn resolve(&self, target: &GrantTarget) -> Option<Where> {
        Some(match target {
            GrantTarget::NonProd => Where::Ou(self.non_prod),
            GrantTarget::Prod => Where::Ou(self.prod),
            GrantTarget::SharedServices => Where::Ou(self.infrastructure),
            GrantTarget::Audit => Where::Ou(self.security),
            GrantTarget::Ou(ou) => Where::Ou(*ou),
            GrantTarget::Account(a) => Where::Account(a.clone()),
            #[allow(unreachable_patterns)]
            _ => return None,
        })
    }
}

enum Where {
    Ou(OuHandle),
    Account(AccountHandle),
}

/// A group's `switch-roles` policy: `sts:AssumeRole` on each granted role, in the accounts
/// under the grant's OUs (by `aws:ResourceOrgPaths`) and in the accounts it names.
pub(super) fn switch_roles_policy(
    app: &App,
    grants: &[Grant],
    parts: &Structure,
) -> PolicyDocument {
    let mut doc = PolicyDocument::new();
    for grant in grants {
        for st in grant_statements(app, grant, parts) {
            doc = doc.statement(st);
        }
    }
    doc
}

/// Adds `grant` to the switch-roles policy of the group at `group`.
pub(super) fn add_grant(app: &mut App, group: &GroupHandle, grant: &Grant, parts: &Structure) {
    let statements = grant_statements(app, grant, parts);
    let Some(data) = app.typed_mut::<GroupData>(group.node(), "grant") else {
        return;
    };
    let inline = &mut data.attachments.inline;
    match inline.iter_mut().find(|(name, _)| name == SWITCH_ROLES) {
        Some((_, doc)) => {
            for st in statements {
                // Sids are unique within a document: a second grant of one role is
                // `Assume<Role>2`, and so on.
                let base = st.get_sid().unwrap_or_default().to_owned();
                let taken = |sid: &str| {
                    doc.get_statements()
                        .iter()
                        .any(|s| s.get_sid() == Some(sid))
                };
                let mut sid = base.clone();
                let mut n = 1;
                while taken(&sid) {
                    n += 1;
                    sid = format!("{base}{n}");
                }
                doc.push(st.sid(sid));
            }
        }
        None => inline.push((
            SWITCH_ROLES.to_owned(),
            PolicyDocument::new().statements(statements),
        )),
    }
}

/// Name of the groups' inline policy that lets them switch roles.
pub(super) const SWITCH_ROLES: &str = "switch-roles";

fn grant_statements(app: &App, grant: &Grant, parts: &Structure) -> Vec<Statement> {
    // The role name is a setting: made literal inside the `Fn::Sub`.
    let role_name = escape_sub(&grant.role_name);
    let role = |account: &str| {
        Value::from(Expr::sub(format!(
            "arn:${{AWS::Partition}}:iam::{account}:role/{role_name}"
        )))
    };
    let sid = format!("Assume{}", upper_camel(&grant.role_name));
    let mut paths: Vec<Value> = Vec::new();
    let mut accounts: Vec<Value> = Vec::new();
    for t in &grant.targets {
        match parts.resolve(t) {
            Some(Where::Ou(ou)) => paths.push(org_path(app, &parts.organization, &ou)),
            Some(Where::Account(a)) => accounts.push(Value::from(Expr::sub_with(
                format!("arn:${{AWS::Partition}}:iam::${{AccountId}}:role/{role_name}"),
                [("AccountId", a.id())],
            ))),
            None => {}
        }
    }
    let mut out = Vec::new();
    if !paths.is_empty() {
        out.push(
            Statement::allow()
                .sid(sid.clone())
                .action("sts:AssumeRole")
                .resource(role("*"))
                .condition(Condition::new(
                    Operator::new(BaseOperator::StringLike).for_any_value(),
                    keys::RESOURCE_ORG_PATHS,
                    paths,
                )),
        );
    }
    if !accounts.is_empty() {
        out.push(
            Statement::allow()
                .sid(format!("{sid}InAccounts"))
                .action("sts:AssumeRole")
                .resources(accounts),
        );
    }
    out
}

/// `o-…/r-…/ou-…/…/` paths matching every account under `ou`, for `aws:ResourceOrgPaths`:
/// the organization, the root and each OU from the top down to `ou`.
fn org_path(app: &App, org: &OrganizationHandle, ou: &OuHandle) -> Value {
    let mut chain = vec![*ou];
    while let Some(Parent::Ou(up)) = chain[0].parent(app) {
        chain.insert(0, up);
    }
    let n = chain.len();
    let mut vars: Vec<(String, Value)> = vec![
        ("OrgId".into(), Value::from(org.id())),
        ("RootId".into(), Value::from(org.root_id())),
    ];
    let mut template = String::from("${OrgId}/${RootId}/");
    for (i, o) in chain.iter().enumerate() {
        // The innermost OU is `Ou`, its parent `ParentOu`, those above `Ou1`, `Ou2`…
        let name = match n - 1 - i {
            0 => "Ou".to_owned(),
            1 => "ParentOu".to_owned(),
            _ => format!("Ou{}", i + 1),
        };
        template.push_str(&format!("${{{name}}}/"));
        vars.push((name, Value::from(o.id())));
    }
    template.push('*');
    Value::from(Expr::sub_with(template, vars))
}
