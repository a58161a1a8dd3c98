//! The identity account's StackSet: IAM groups whose users manage only their own
//! credentials and MFA, and switch roles into the member accounts.

use crate::app::{App, StackHandle};
use crate::cfn::{Expr, Value};
use crate::error::Result;
use crate::iam::{keys, Condition, Group, ManagedPolicy, PolicyDocument, Statement};
use crate::org::AccountHandle;
use crate::stackset::{StackSet, StackSetHandle};

use super::access::{grant_scopes, switch_roles_policy};
use super::naming::upper_camel;
use super::organization::Structure;
use super::FiveAccountLayoutBuilder;

impl FiveAccountLayoutBuilder {
    /// Identity account: groups that can only manage their own credentials and switch roles.
    pub(super) fn build_identity(
        &self,
        app: &mut App,
        stack: &StackHandle,
        structure: &Structure,
        identity: &AccountHandle,
    ) -> Result<StackSetHandle> {
        let prefix = self.prefix();
        let set = StackSet::new("IdentityAccount", format!("{prefix}-identity"))
            .description("IAM groups of the identity account")
            .template_description(format!("{prefix}: IAM groups of the identity account"))
            .target(&structure.security)
            .only_account(identity)
            .build(app, stack)?;
        let scopes = grant_scopes(structure);
        let tpl = set.template();
        let self_service = ManagedPolicy::new("SelfService", self_service_policy())
            .name(format!("{prefix}-self-service"))
            .description(
                "Manage your own password, access keys and MFA device; everything else needs MFA",
            )
            .build(app, &tpl)?;
        for g in &self.groups {
            let doc = switch_roles_policy(
                &g.grants,
                &scopes,
                &structure.organization,
                &structure.workloads,
            );
            let mut group = Group::new(upper_camel(&g.name))
                .name(format!("{prefix}-{}", g.name))
                .managed_policy(self_service);
            if !doc.is_empty() {
                group = group.inline_policy("switch-roles", doc);
            }
            group.build(app, &tpl)?;
        }
        Ok(set)
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
