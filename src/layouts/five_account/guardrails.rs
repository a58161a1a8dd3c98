//! The guardrail SCPs the layout attaches to the root, out of those
//! [`layouts::guardrails`](crate::layouts::guardrails) writes.

use crate::app::App;
use crate::error::Result;
use crate::iam::PolicyDocument;
use crate::layouts::guardrails;
use crate::org::{OrganizationHandle, Policy, PolicyHandle};

use super::naming::kebab;
use super::naming::ArchiveNames;
use super::FiveAccountLayoutBuilder;

impl FiveAccountLayoutBuilder {
    /// Guardrails on the root (they never restrict the management account).
    pub(super) fn attach_guardrails(
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
                let p = app.add(
                    &organization,
                    Policy::service_control(format!("{prefix}-{}", kebab(id)), doc)
                        .id(id)
                        .description(description),
                )?;
                p.attach(app, &organization);
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
            "Only the audit StackSet changes the log archive bucket or deletes its logs; the trail lives in the management account, which SCPs do not reach",
            guardrails::protect_audit_trail(&names.trail_name, names.log_bucket_name.clone()),
        )?;
        add(
            app,
            g.deny_root_user,
            "DenyRootUser",
            "The root user of member accounts can do nothing but the privileged root sessions (sts:AssumeRoot) of the management account",
            guardrails::deny_root_user(),
        )?;
        add(
            app,
            g.protect_organization_access_role,
            "ProtectOrganizationAccessRole",
            "The organization access role of member accounts can do nothing without MFA, and nobody else changes or deletes it",
            guardrails::protect_organization_access_role(&self.organization_access_role),
        )?;
        Ok(guardrail_handles)
    }
}
