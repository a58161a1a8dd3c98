//! The settings of the layout that its steps share: which guardrails, Object Lock on the
//! log archive, and the KMS key of the logs and the alerts.

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

/// Object Lock on the log archive bucket: the default retention of every log, in days
/// (1 to 36,500).
///
/// The layout turns it on by default, in [`ObjectLock::Compliance`] mode for the layout's
/// `log_retention_days`: the archive is then write-once — no principal of the audit account,
/// its root user included, can delete or overwrite a log version before its retention ends,
/// whatever the bucket policy says later. The cost of that guarantee is that a retention
/// chosen too long cannot be shortened: the logs (and their storage bill) stay until it ends,
/// or until the account is closed. [`ObjectLock::Governance`] lets a principal holding
/// `s3:BypassGovernanceRetention` remove a version early (the layout's bucket policy denies
/// that permission to everyone but the audit StackSet's execution role), for teams that
/// must be able to erase personal data before the retention ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ObjectLock {
    /// Privileged users (`s3:BypassGovernanceRetention`) can shorten retention or delete.
    Governance(u32),
    /// Nobody, root included, can delete a log before its retention ends.
    Compliance(u32),
}

impl ObjectLock {
    /// The retention in days.
    pub fn days(self) -> u32 {
        match self {
            ObjectLock::Governance(d) | ObjectLock::Compliance(d) => d,
        }
    }

    /// S3's name of the mode: `GOVERNANCE` or `COMPLIANCE`.
    pub fn mode(self) -> &'static str {
        match self {
            ObjectLock::Governance(_) => "GOVERNANCE",
            ObjectLock::Compliance(_) => "COMPLIANCE",
        }
    }
}

/// How the layout encrypts the logs and the alerts at rest: the archive's objects, the
/// organization trail's log files, the trail's CloudWatch Logs log group and the alert topic.
///
/// Off by default ([`KmsKey::Off`]): the archive is encrypted with SSE-S3, the log group
/// with CloudWatch Logs' own encryption, and the topic carries alarm metadata only. A
/// customer-managed key costs money (a monthly fee per key, and its requests: every log
/// file CloudTrail writes asks for a data key), must be readable by every reader of the
/// archive (the key policy and the reader's IAM policy both grant `kms:Decrypt`), and is a
/// new way to lose the logs: the key lives in the management account, which SCPs never
/// reach, and a key scheduled for deletion there takes every log encrypted with it along,
/// whatever Object Lock keeps. Many teams want it all the same — to revoke reading in one
/// place, to see every decryption in CloudTrail, because a benchmark or checkov asks for it —
/// and [`KmsKey::CustomerManaged`] is one setting away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum KmsKey {
    /// The services' own encryption (the default); the checkov checks asking for a KMS key
    /// are skipped with the reason.
    #[default]
    Off,
    /// One customer-managed key in the management stack (rotated yearly, retained when the
    /// stack lets it go, aliased `alias/<prefix>-logs`) for the trail's log files, the
    /// trail's log group, the alert topic and the archive's default encryption.
    ///
    /// The archive (in the audit account) uses the management stack's key rather than a
    /// key of its own: CloudTrail encrypts its log files with the trail's key whatever the
    /// bucket's default says, so readers of the archive need `kms:Decrypt` on that key in
    /// any case, and a second key in the audit account would only add a second key policy
    /// for them (for AWS Config's deliveries alone). The price is that the audit account's
    /// bucket depends on a key it does not own: the management account controls it, and
    /// the protect-audit guardrail cannot protect it.
    ///
    /// The key policy follows the services' documented key policies:
    /// - the management account's root, so that IAM policies there delegate the key;
    /// - CloudTrail: `kms:GenerateDataKey*` for the organization trail only (`aws:SourceArn`,
    ///   and `kms:EncryptionContext:aws:cloudtrail:arn` on the management account's trails),
    ///   `kms:DescribeKey` for it too;
    /// - CloudWatch: `kms:Decrypt` and `kms:GenerateDataKey*` for the alarm publishing to
    ///   the encrypted topic (`aws:SourceArn` of the alarm);
    /// - CloudWatch Logs (`logs.<region>.amazonaws.com`): the log group's encryption, for
    ///   that group only (`kms:EncryptionContext:aws:logs:arn`);
    /// - AWS Config: `kms:GenerateDataKey` and `kms:Decrypt` for the organization's
    ///   deliveries into the archive (`aws:SourceOrgID`);
    /// - the audit account: `kms:Decrypt` through S3 only (`kms:ViaService`), to read the
    ///   archive; the auditors' role gets the matching IAM permission.
    ///
    /// There is no EventBridge statement: the layout has no rule publishing to the topic
    /// (the alarm is its one publisher).
    CustomerManaged,
}

/// Object Lock as the layout's builder holds it: the default follows the log retention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LockSetting {
    /// Compliance mode for the layout's `log_retention_days`.
    Default,
    /// Turned off.
    Off,
    /// As given.
    On(ObjectLock),
}

/// The retention periods CloudWatch Logs accepts (`AWS::Logs::LogGroup.RetentionInDays`).
pub(super) const LOG_GROUP_RETENTION_DAYS: [u32; 22] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/// Who people are and how they reach the member accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum IdentityModel {
    /// IAM users in the identity account, in groups that may only manage their own
    /// credentials and switch, with MFA, into the member accounts' roles (the default,
    /// the article's model).
    #[default]
    IamUsers,
    /// IAM Identity Center: the groups of its identity store get the access levels as
    /// permission sets, assigned where the groups' grants say
    /// ([`IdentityCenter`](crate::services::IdentityCenter), in the layout's stack). The
    /// identity account's IAM groups, the member accounts' roles and the audit account's
    /// auditor role are left out (the auditor permission set decrypts the archive when
    /// [`KmsKey::CustomerManaged`] encrypts it); the
    /// identity account stays, for what you put there (Identity Center's delegated
    /// administrator, for instance). MFA is a setting of the instance: the plan says how
    /// to require it.
    IdentityCenter,
}
