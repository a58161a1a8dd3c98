//! The layout's identity through IAM Identity Center, instead of IAM users: the access
//! levels become permission sets, the groups' grants rows of the assignment matrix.

use crate::app::{App, ResourceHandle};
use crate::cfn::NodeId;
use crate::error::Result;
use crate::layouts::access::{GrantTarget, AUDITOR};
use crate::org::AccountHandle;
use crate::services::{AssignmentTarget, IdentityCenter, IdentityCenterHandle, PermissionSet};

use super::kms::decrypt_archive;
use super::organization::Structure;
use super::FiveAccountLayoutBuilder;

impl Structure {
    /// Where a grant target assigns: the layout's parts name their OU (the audit account
    /// alone for the auditors), others are as given.
    pub(super) fn assignment_target(
        &self,
        target: &GrantTarget,
        audit: &AccountHandle,
    ) -> Option<AssignmentTarget> {
        Some(match target {
            GrantTarget::NonProd => AssignmentTarget::Ou(self.non_prod),
            GrantTarget::Prod => AssignmentTarget::Ou(self.prod),
            GrantTarget::SharedServices => AssignmentTarget::Ou(self.infrastructure),
            GrantTarget::Audit => AssignmentTarget::Account(audit.clone()),
            GrantTarget::Ou(ou) => AssignmentTarget::Ou(*ou),
            GrantTarget::Account(a) => AssignmentTarget::Account(a.clone()),
            #[allow(unreachable_patterns)]
            _ => return None,
        })
    }
}

impl FiveAccountLayoutBuilder {
    /// Identity Center in the layout's stack: a permission set per access level (and the
    /// auditors'), a group per layout group, assigned as the grants say.
    pub(super) fn build_identity_center(
        &self,
        app: &mut App,
        parent: &NodeId,
        structure: &Structure,
        audit: &AccountHandle,
        key: Option<&ResourceHandle>,
    ) -> Result<IdentityCenterHandle> {
        let hours =
            u8::try_from(self.max_session_duration.div_ceil(3600).clamp(1, 12)).unwrap_or(1);
        let mut center = IdentityCenter::new();
        for level in &self.access_levels {
            center = center.permission_set(
                PermissionSet::new(level.role_name.as_str())
                    .description(format!("{} access", level.role_name))
                    .session_hours(hours)
                    .aws_managed_policy(level.managed_policy.as_str()),
            );
        }
        let mut auditor = PermissionSet::new(AUDITOR)
            .description("Read-only access for auditors")
            .session_hours(hours)
            .aws_managed_policy("ReadOnlyAccess");
        if let Some(key) = key {
            // Assigned in the audit account, to which the key policy delegates decrypting.
            auditor = auditor.inline_policy(decrypt_archive(key));
        }
        center = center.permission_set(auditor);
        for g in &self.groups {
            center = center.group(g.name.as_str(), format!("{}-{}", self.prefix(), g.name));
        }
        for g in &self.groups {
            for grant in &g.grants {
                for t in &grant.targets {
                    if let Some(target) = structure.assignment_target(t, audit) {
                        center = center.assign(g.name.as_str(), grant.role_name.as_str(), target);
                    }
                }
            }
        }
        app.add(parent, center)
    }
}
