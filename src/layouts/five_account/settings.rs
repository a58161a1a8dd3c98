//! The settings of the layout that its steps share: which guardrails, and Object Lock on
//! the log archive.

/// Which guardrail SCPs the layout attaches to the root (all on by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Guardrails {
    /// STS only in the allowed regions.
    pub sts_regions: bool,
    /// No leaving the organization.
    pub deny_leave_organization: bool,
    /// Only the audit StackSet changes the log archive bucket (in the audit account) or
    /// deletes its logs. It cannot protect the organization trail: that lives in the
    /// management account, which SCPs never reach (the management-activity alert watches
    /// it instead).
    pub protect_audit: bool,
    /// The root user of member accounts can do nothing, except the management account's
    /// privileged root sessions (`sts:AssumeRoot`).
    pub deny_root_user: bool,
    /// The organization access role of member accounts can do nothing without MFA, and
    /// nobody else changes or deletes it.
    pub protect_organization_access_role: bool,
}

impl Guardrails {
    /// Every guardrail on (the default).
    pub fn all() -> Self {
        Guardrails::default()
    }

    /// Sets whether STS is denied outside the allowed regions.
    #[must_use]
    pub fn with_sts_regions(mut self, on: bool) -> Self {
        self.sts_regions = on;
        self
    }

    /// Sets whether accounts are kept from leaving the organization.
    #[must_use]
    pub fn with_deny_leave_organization(mut self, on: bool) -> Self {
        self.deny_leave_organization = on;
        self
    }

    /// Sets whether the log archive is protected (see [`Guardrails::protect_audit`]).
    #[must_use]
    pub fn with_protect_audit(mut self, on: bool) -> Self {
        self.protect_audit = on;
        self
    }

    /// Sets whether the root user of member accounts is denied everything.
    #[must_use]
    pub fn with_deny_root_user(mut self, on: bool) -> Self {
        self.deny_root_user = on;
        self
    }

    /// Sets whether the organization access role needs MFA and is protected.
    #[must_use]
    pub fn with_protect_organization_access_role(mut self, on: bool) -> Self {
        self.protect_organization_access_role = on;
        self
    }
}

impl Default for Guardrails {
    fn default() -> Self {
        Guardrails {
            sts_regions: true,
            deny_leave_organization: true,
            protect_audit: true,
            deny_root_user: true,
            protect_organization_access_role: true,
        }
    }
}

/// Object Lock on the log archive bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ObjectLock {
    /// Privileged users can shorten retention or delete.
    Governance(u32),
    /// Nobody, root included, can delete a log before its retention ends.
    Compliance(u32),
}
