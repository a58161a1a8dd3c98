//! The identity account's StackSet: IAM groups whose users manage only their own
//! credentials and MFA, and switch roles into the member accounts.

use indexmap::IndexMap;

use crate::app::App;
use crate::cfn::NodeId;
use crate::cfn::{Expr, Value};
use crate::error::Result;
use crate::iam::{keys, Condition, Group, GroupHandle, ManagedPolicy, PolicyDocument, Statement};
use crate::org::AccountHandle;
use crate::stackset::{StackSet, StackSetHandle};

use super::access::{switch_roles_policy, Parts, SWITCH_ROLES};
use super::naming::upper_camel;
use super::organization::Structure;
use super::FiveAccountLayoutBuilder;

impl FiveAccountLayoutBuilder {
    /// Identity account: groups that can only manage their own credentials and switch roles.
    pub(super) fn build_identity(
        &self,
        app: &mut App,
        parent: &NodeId,
        structure: &Structure,
        identity: &AccountHandle,
    ) -> Result<(StackSetHandle, IndexMap<String, GroupHandle>)> {
        let prefix = self.prefix();
        let set = app.add(
            parent,
            StackSet::new("IdentityAccount", format!("{prefix}-identity"))
                .description("IAM groups of the identity account")
                .template_description(format!("{prefix}: IAM groups of the identity account"))
                .target(&structure.security)
                .only_account(identity),
        )?;
        let parts = Parts::new(structure);
        let tpl = set.template();
        let self_service = app.add(&tpl, ManagedPolicy::new("SelfService", self_service_policy())
            .name(format!("{prefix}-self-service"))
            .description(
                "Manage your own password, access keys and MFA device; everything else needs MFA",
            ))?;
        let mut groups = IndexMap::new();
        for g in &self.groups {
            let doc = switch_roles_policy(app, &g.grants, &parts);
            let mut group = Group::new(upper_camel(&g.name))
                .name(format!("{prefix}-{}", g.name))
                .managed_policy(self_service);
            if !doc.is_empty() {
                group = group.inline_policy(SWITCH_ROLES, doc);
            }
            groups.insert(g.name.clone(), app.add(&tpl, group)?);
        }
        Ok((set, groups))
    }
}

/// The identity account's self-service policy: users manage their own password, access keys
/// and MFA device; every other action is denied until they sign in with MFA.
pub fn self_service_policy() -> PolicyDocument {
    let user = || {
        Value::from(Expr::sub(
            "arn:${AWS::Partition}:iam::${AWS::AccountId}:user/${!aws:username}",
        ))
    };
    let mfa = || {
        Value::from(Expr::sub(
            "arn:${AWS::Partition}:iam::${AWS::AccountId}:mfa/*",
        ))
    };
    PolicyDocument::new()
        .statement(
            Statement::allow()
                .sid("ViewAccountInfo")
                .actions(["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"])
                .resource("*"),
        )
        .statement(
            Statement::allow()
                .sid("ManageOwnCredentials")
                .actions([
                    "iam:ChangePassword",
                    "iam:GetUser",
                    "iam:GetLoginProfile",
                    "iam:CreateAccessKey",
                    "iam:DeleteAccessKey",
                    "iam:ListAccessKeys",
                    "iam:UpdateAccessKey",
                    "iam:GetAccessKeyLastUsed",
                    "iam:ListSSHPublicKeys",
                    "iam:ListServiceSpecificCredentials",
                    "iam:ListSigningCertificates",
                ])
                .resource(user()),
        )
        .statement(
            Statement::allow()
                .sid("ManageOwnMfa")
                .actions([
                    "iam:CreateVirtualMFADevice",
                    "iam:DeleteVirtualMFADevice",
                    "iam:EnableMFADevice",
                    "iam:ListMFADevices",
                    "iam:ResyncMFADevice",
                    "iam:DeactivateMFADevice",
                ])
                .resources([user(), mfa()]),
        )
        .statement(
            Statement::deny()
                .sid("DenyAllButMfaSetupWithoutMfa")
                .not_actions([
                    "iam:CreateVirtualMFADevice",
                    "iam:EnableMFADevice",
                    "iam:GetUser",
                    "iam:ListMFADevices",
                    "iam:ListVirtualMFADevices",
                    "iam:ResyncMFADevice",
                    "iam:ChangePassword",
                    "iam:GetAccountPasswordPolicy",
                    "sts:GetSessionToken",
                ])
                .resource("*")
                .condition(Condition::bool_if_exists(
                    keys::MULTI_FACTOR_AUTH_PRESENT,
                    false,
                )),
        )
}
