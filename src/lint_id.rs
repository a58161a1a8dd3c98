//! The lint rules' ids, severities and rationales. Below the diagnostics, so that a
//! [`Rule::Lint`](crate::Rule::Lint) names its lint rule; public as
//! [`review::lint::LintId`](crate::review::lint::LintId) and [`LintId`](crate::LintId).

/// How much a lint finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum LintSeverity {
    /// Fails synthesis (unless suppressed).
    Error,
    /// Reported, and recorded in the manifest.
    Warning,
}

impl LintSeverity {
    /// The severity in words.
    pub fn as_str(self) -> &'static str {
        match self {
            LintSeverity::Error => "error",
            LintSeverity::Warning => "warning",
        }
    }
}

macro_rules! lint_rules {
    ($( $(#[$doc:meta])* $variant:ident = $id:literal, $severity:ident, $rationale:literal; )*) => {
        /// A lint rule.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum LintId {
            $( $(#[$doc])* $variant, )*
        }

        impl LintId {
            /// Every rule, in the order of the docs' table.
            pub const ALL: &'static [LintId] = &[$(LintId::$variant),*];

            /// The rule's stable, kebab-case id.
            pub fn as_str(self) -> &'static str {
                match self { $(LintId::$variant => $id,)* }
            }

            /// How much a finding of this rule matters.
            pub fn severity(self) -> LintSeverity {
                match self { $(LintId::$variant => LintSeverity::$severity,)* }
            }

            /// Why the rule exists.
            pub fn rationale(self) -> &'static str {
                match self { $(LintId::$variant => $rationale,)* }
            }
        }
    };
}

lint_rules! {
    /// `BoolIfExists aws:MultiFactorAuthPresent "true"` in an Allow.
    MfaIfExistsInAllow = "mfa-if-exists-in-allow", Error,
        "A request signed with a long-term access key carries no aws:MultiFactorAuthPresent at all, so BoolIfExists lets it through: in an Allow, test MFA with Bool \"true\" (BoolIfExists belongs in a Deny).";
    /// An Allow whose principal is `*`.
    WildcardPrincipal = "wildcard-principal", Warning,
        "An Allow for the principal * without a condition lets anyone, in any AWS account, make the request.";
    /// A role with administrator access that people assume without MFA.
    AdminWithoutMfa = "admin-without-mfa", Error,
        "A role with AdministratorAccess (or Allow *:*) that an AWS principal assumes without MFA hands the whole account to anyone holding a leaked access key.";
    /// `Allow` of every action on every resource in an IAM policy.
    AllowAll = "allow-all", Warning,
        "An IAM policy that allows *:* grants everything, present and future; name the actions the identity needs (SCPs and RCPs are exempt: FullAWSAccess is an Allow *:* by design).";
    /// An account whose `DeletionPolicy` or `UpdateReplacePolicy` is not `Retain`.
    AccountWithoutRetain = "account-without-retain", Warning,
        "Without Retain, removing an account from the template, or a replacement, closes the account; closing is limited to 10 % of the accounts per 30 days and its data is lost.";
    /// An SCP or RCP attached to the management account, where it has no effect.
    ScpOnManagementAccount = "scp-on-management-account", Warning,
        "SCPs and RCPs never restrict the management account: attached there, a guardrail only looks as if it held. Keep people out of the management account and watch its activity instead.";
    /// An Organizations policy attached to nothing.
    UnusedPolicy = "unused-policy", Warning,
        "A policy attached to no target has no effect: attach it, or remove it so that readers are not misled.";
    /// A service-managed StackSet whose targets hold no account of the app.
    StackSetWithoutAccounts = "stackset-without-accounts", Warning,
        "A service-managed StackSet deploys to the accounts of its target OUs (kept or dropped by its account filter); when no account is left, what its template holds exists nowhere. StackSets that target the root are not judged: the root holds accounts the app may not describe.";
    /// An OU that holds no account, no OU, and that nothing attaches or deploys to.
    UnusedOu = "unused-ou", Warning,
        "An empty OU that no policy or StackSet targets does nothing, and counts against the OU quotas.";
    /// An Organizations policy, or a trust policy, at 90 % or more of its size quota; a
    /// target with 90 % or more of the policies of one type it may take; a template with
    /// 90 % or more of the resources it may hold.
    QuotaNearLimit = "quota-near-limit", Warning,
        "A policy at 90 % of its size quota, a target holding 90 % of the policies of one type it may take (AWS's own FullAWSAccess or RCPFullAWSAccess counted), or a template at 90 % of its resources leaves little room for the next change; split or merge before a change fails at deploy. Overflow stacks, filled up to the quota by design, are not judged.";
    /// An action its service does not have (for the services of the built-in catalogue).
    UnknownAction = "unknown-action", Warning,
        "IAM ignores an action it does not know: an Allow of it grants nothing and a Deny of it protects nothing. Checked against the actions of account, budgets, cloudformation, cloudtrail, cloudwatch, config, ec2, events, guardduty, iam, kms, logs, organizations, s3, securityhub, sns, sso and sts (the AWS Service Authorization Reference); other services are not checked.";
    /// A deny-root SCP without the exemption of privileged root sessions, in an app whose
    /// deploy plan turns root sessions on.
    DenyRootWithoutExemption = "deny-root-without-exemption", Warning,
        "Centralized root access with root sessions on (a deploy step runs aws iam enable-organizations-root-sessions, as the five-account layout does by default) runs short root sessions (sts:AssumeRoot) in member accounts; an SCP that denies the root user blocks them too unless it exempts them with Null aws:AssumedRoot \"true\". Without root sessions the rule is silent.";
}

impl LintId {
    /// A lint rule by its id.
    pub fn from_id(id: &str) -> Option<LintId> {
        LintId::ALL.iter().copied().find(|l| l.as_str() == id)
    }
}

impl std::fmt::Display for LintId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
