//! The identity account's StackSet: IAM groups whose users manage only their own
//! credentials and MFA, and switch roles into the member accounts.

use indexmap::IndexMap;

use crate::app::{App, DeployStep};
use crate::cfn::NodeId;
use crate::cfn::{Expr, Value};
use crate::error::Result;
use crate::iam::{keys, Condition, Group, GroupHandle, ManagedPolicy, PolicyDocument, Statement};
use crate::org::AccountHandle;
use crate::stackset::{StackSet, StackSetHandle};

use super::access::{switch_roles_policy, SWITCH_ROLES};
use super::naming::{same_id_as_earlier, upper_camel};
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
        app.add_deploy_step(password_policy_step(
            &format!("{prefix}-identity"),
            &self.organization_access_role,
        ));
        let tpl = set.template();
        let self_service = app.add(&tpl, ManagedPolicy::new("SelfService", self_service_policy())
            .name(format!("{prefix}-self-service"))
            .description(
                "Manage your own password, access keys and MFA device; everything else needs MFA",
            ))?;
        let mut groups = IndexMap::new();
        let clashes = same_id_as_earlier(self.groups.iter().map(|g| g.name.as_str()));
        for (g, clash) in self.groups.iter().zip(clashes) {
            if clash.is_some() {
                continue; // reported once, with both names
            }
            let doc = switch_roles_policy(app, &g.grants, structure);
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

/// The identity account's password policy: no CloudFormation resource exists for it, so
/// the plan runs `aws iam update-account-password-policy` in that account once the stacks
/// have created it, through a profile that assumes the organization access role (with MFA:
/// the guardrail denies that role everything without it).
fn password_policy_step(account_name: &str, role_name: &str) -> DeployStep {
    let profile = account_name;
    let mut commands = vec![format!(
        "IDENTITY_ID=\"$(aws organizations list-accounts --query {} --output text)\"",
        crate::shell::query(&format!(
            "Accounts[?Name=={}].Id",
            crate::shell::jmespath_literal(account_name)
        ))
    )];
    commands.extend(crate::shell::assume_role_profile(
        profile,
        "IDENTITY_ID",
        role_name,
    ));
    commands.push(format!(
        "aws iam update-account-password-policy --profile {profile} --minimum-password-length 14 \
                 --require-symbols --require-numbers --require-uppercase-characters \
                 --require-lowercase-characters --allow-users-to-change-password \
                 --password-reuse-prevention 24"
    ));
    DeployStep::new(
        format!("Set the password policy of the identity account ({account_name})"),
        format!(
            "Its IAM users sign in with passwords; the account password policy has no \
             CloudFormation resource, so it is set with the CLI in that account, {}. The \
             guardrail lets that role do nothing without MFA.",
            crate::shell::assume_role_profile_why(profile, role_name)
        ),
        commands,
        false,
    )
}

/// The identity account's self-service policy: users manage their own password, access keys
/// and MFA device, and do everything else — switching roles included — only once signed in
/// with MFA.
///
/// It follows AWS's documented example ("allows MFA-authenticated IAM users to manage their
/// own credentials"), with the hole of that example closed: what a request may do without
/// MFA depends on *how* it was signed, which `aws:MultiFactorAuthPresent` tells apart:
///
/// - **absent**: the request was signed with a long-term access key. A leaked key must get
///   nothing, so `DenyAllWithLongTermKeys` (`Null aws:MultiFactorAuthPresent "true"`)
///   denies every action: no enrolling, enabling, resyncing, deactivating or deleting an
///   MFA device, no creating, updating or deleting access keys, no password or login
///   profile change, no `sts:AssumeRole`. Enrolling is the dangerous one: a user may hold
///   up to 8 MFA devices, so a key that could enrol one would enrol the attacker's own and
///   then get an MFA session. Only `sts:GetSessionToken` is left out — it is how a CLI
///   user trades the key and an MFA code for an MFA session, and AWS does not let policies
///   control it anyway. Its credentials without an MFA code carry the key as `false`, but
///   AWS refuses every IAM call made with them, and the roles the groups switch into
///   require MFA, so they get nothing either.
/// - **`"false"`**: a console session without MFA, typically the first sign-in.
///   `DenyAllButFirstSignInWithoutMfa` (`BoolIfExists aws:MultiFactorAuthPresent
///   "false"`) denies everything but the first sign-in: change the initial password
///   (`iam:ChangePassword`, `iam:GetAccountPasswordPolicy`) and enrol one's own MFA device
///   (`iam:CreateVirtualMFADevice` on `mfa/${aws:username}` only — name the device after
///   the user —, `iam:EnableMFADevice`, `iam:ListMFADevices`, `iam:GetUser`).
///   `BoolIfExists` also matches the absent key, so the two denies overlap there; the first
///   one is what removes the first-sign-in exemptions from long-term keys.
/// - **`"true"`**: signed in with MFA: the allows apply, to the user's own
///   `user/${aws:username}` and `mfa/${aws:username}` only (not `mfa/*`: nobody deletes
///   another user's device).
pub fn self_service_policy() -> PolicyDocument {
    let user = || {
        Value::from(Expr::sub(
            "arn:${AWS::Partition}:iam::${AWS::AccountId}:user/${!aws:username}",
        ))
    };
    let own_mfa = || {
        Value::from(Expr::sub(
            "arn:${AWS::Partition}:iam::${AWS::AccountId}:mfa/${!aws:username}",
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
                .sid("ManageOwnVirtualMfaDevice")
                .actions(["iam:CreateVirtualMFADevice", "iam:DeleteVirtualMFADevice"])
                .resource(own_mfa()),
        )
        .statement(
            Statement::allow()
                .sid("ManageOwnUserMfa")
                .actions([
                    "iam:DeactivateMFADevice",
                    "iam:EnableMFADevice",
                    "iam:GetMFADevice",
                    "iam:ListMFADevices",
                    "iam:ResyncMFADevice",
                ])
                .resource(user()),
        )
        .statement(
            Statement::deny()
                .sid("DenyAllWithLongTermKeys")
                .not_action("sts:GetSessionToken")
                .resource("*")
                .condition(Condition::null(keys::MULTI_FACTOR_AUTH_PRESENT, true)),
        )
        .statement(
            Statement::deny()
                .sid("DenyAllButFirstSignInWithoutMfa")
                .not_actions([
                    "iam:ChangePassword",
                    "iam:GetAccountPasswordPolicy",
                    "iam:CreateVirtualMFADevice",
                    "iam:EnableMFADevice",
                    "iam:ListMFADevices",
                    "iam:GetUser",
                    "sts:GetSessionToken",
                ])
                .resource("*")
                .condition(Condition::bool_if_exists(
                    keys::MULTI_FACTOR_AUTH_PRESENT,
                    false,
                )),
        )
}
