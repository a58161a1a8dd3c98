//! The five-account layout's builder from a spec's `layout`: each setting the spec gives,
//! the builder's default for the others.

use crate::layouts::{
    AccessLevel, Environment, FiveAccountLayout, FiveAccountLayoutBuilder, Grant, GrantTarget,
    Guardrails, KmsKey, ObjectLock,
};

use super::types::{KmsKeySpec, LayoutPart, LayoutSpec, ObjectLockSpec, OrganizationSpec};

/// The layout's builder with the settings the spec gives; the others keep the defaults.
pub(crate) fn builder(
    l: &LayoutSpec,
    organization: Option<&OrganizationSpec>,
) -> FiveAccountLayoutBuilder {
    let mut b = FiveAccountLayout::builder(&l.name);
    if let Some(d) = &l.email_domain {
        b = b.email_domain(d);
    }
    for (key, email) in &l.account_emails {
        b = b.account_email(key, email);
    }
    if let Some(OrganizationSpec::Existing {
        root_id,
        organization_id,
        full_aws_access_attached,
    }) = organization
    {
        b = b.existing_organization(root_id, organization_id);
        if let Some(attached) = full_aws_access_attached {
            b = b.full_aws_access_attached(*attached);
        }
    }
    if let Some(envs) = &l.environments {
        b = b.environments(envs.iter().map(|e| {
            if e.production {
                Environment::prod(&e.name)
            } else {
                Environment::non_prod(&e.name)
            }
        }));
    }
    if let Some(r) = &l.allowed_regions {
        b = b.allowed_regions(r.iter().map(String::as_str));
    }
    if let Some(e) = &l.alert_email {
        b = b.alert_email(e);
    }
    if let Some(levels) = &l.access_levels {
        b = b.access_levels(
            levels
                .iter()
                .map(|a| AccessLevel::new(&a.role, &a.managed_policy)),
        );
    }
    if let Some(groups) = &l.groups {
        b = b.groups(groups.iter().map(|g| {
            crate::layouts::GroupSpec::new(
                &g.name,
                g.grants.iter().map(|grant| {
                    Grant::new(
                        &grant.role,
                        grant.targets.iter().map(|t| match t {
                            LayoutPart::NonProd => GrantTarget::NonProd,
                            LayoutPart::Prod => GrantTarget::Prod,
                            LayoutPart::SharedServices => GrantTarget::SharedServices,
                            LayoutPart::Audit => GrantTarget::Audit,
                        }),
                    )
                }),
            )
        }));
    }
    if let Some(s) = l.mfa_max_age {
        b = b.mfa_max_age(s);
    }
    if let Some(s) = l.max_session_duration {
        b = b.max_session_duration(s);
    }
    if let Some(g) = &l.guardrails {
        let all = Guardrails::all();
        b = b.guardrails(
            all.with_sts_regions(g.sts_regions.unwrap_or(all.sts_regions))
                .with_deny_leave_organization(
                    g.deny_leave_organization
                        .unwrap_or(all.deny_leave_organization),
                )
                .with_protect_audit(g.protect_audit.unwrap_or(all.protect_audit))
                .with_deny_root_user(g.deny_root_user.unwrap_or(all.deny_root_user))
                .with_protect_organization_access_role(
                    g.protect_organization_access_role
                        .unwrap_or(all.protect_organization_access_role),
                ),
        );
    }
    if let Some(days) = l.log_retention_days {
        b = b.log_retention_days(days);
    }
    match l.object_lock {
        Some(ObjectLockSpec::Off) => b = b.without_object_lock(),
        Some(ObjectLockSpec::Compliance { days }) => {
            b = b.object_lock(ObjectLock::Compliance(days))
        }
        Some(ObjectLockSpec::Governance { days }) => {
            b = b.object_lock(ObjectLock::Governance(days))
        }
        None => {}
    }
    match l.kms_key {
        Some(KmsKeySpec::Off) => b = b.kms_key(KmsKey::Off),
        Some(KmsKeySpec::CustomerManaged) => b = b.kms_key(KmsKey::CustomerManaged),
        None => {}
    }
    if let Some(budget) = l.monthly_budget {
        b = b.monthly_budget(budget);
    }
    if let Some(t) = &l.budget_thresholds {
        b = b.budget_thresholds(t.iter().copied());
    }
    if let Some(on) = l.centralized_root_access {
        b = b.centralized_root_access(on);
    }
    if let Some(role) = &l.organization_access_role {
        b = b.organization_access_role(role);
    }
    b
}
