//! The layout's settings: [`FiveAccountLayoutBuilder`], its defaults and the checks
//! reported at synthesis.

use indexmap::IndexMap;

use crate::app::App;
use crate::error::{Diagnostic, Rule};
use crate::iam::Role;
use crate::layouts::access::{AccessLevel, Environment, GroupSpec, AUDITOR};

use super::naming::{same_id_as_earlier, upper_camel};
use super::settings::{
    Guardrails, IdentityModel, KmsKey, LockSetting, ObjectLock, LOG_GROUP_RETENTION_DAYS,
};

/// Builds a [`FiveAccountLayout`](super::FiveAccountLayout).
#[derive(Debug, Clone)]
#[must_use]
pub struct FiveAccountLayoutBuilder {
    name: String,
    email_domain: Option<String>,
    emails: IndexMap<String, String>,
    pub(super) existing: Option<(String, String)>,
    pub(super) full_aws_access: bool,
    pub(super) environments: Vec<Environment>,
    pub(super) allowed_regions: Vec<String>,
    alert_email: Option<String>,
    pub(super) access_levels: Vec<AccessLevel>,
    pub(super) groups: Vec<GroupSpec>,
    pub(super) mfa_max_age: i64,
    pub(super) max_session_duration: u32,
    pub(super) guardrails: Guardrails,
    pub(super) log_retention_days: u32,
    object_lock: LockSetting,
    pub(super) kms_key: KmsKey,
    pub(super) monthly_budget: Option<u64>,
    pub(super) budget_thresholds: Vec<u32>,
    pub(super) centralized_root_access: bool,
    pub(super) organization_access_role: String,
    pub(super) identity_model: IdentityModel,
}

/// Keys of the fixed accounts, for [`FiveAccountLayoutBuilder::account_email`].
pub const IDENTITY: &str = "identity";
/// The audit account's key.
pub const AUDIT: &str = "audit";
/// The shared-services account's key.
pub const SHARED_SERVICES: &str = "shared-services";
/// The role Organizations creates in a new account unless told otherwise, and the layout's
/// default for [`FiveAccountLayoutBuilder::organization_access_role`].
pub const ORGANIZATION_ACCESS_ROLE: &str = "OrganizationAccountAccessRole";

impl FiveAccountLayoutBuilder {
    pub(super) fn new(name: String) -> Self {
        FiveAccountLayoutBuilder {
            name,
            email_domain: None,
            emails: IndexMap::new(),
            existing: None,
            full_aws_access: true,
            environments: Environment::defaults(),
            allowed_regions: vec!["us-east-1".into(), "eu-west-1".into()],
            alert_email: None,
            access_levels: AccessLevel::defaults(),
            groups: GroupSpec::defaults(),
            mfa_max_age: 3600,
            max_session_duration: 14_400,
            guardrails: Guardrails::default(),
            log_retention_days: 365,
            object_lock: LockSetting::Default,
            kms_key: KmsKey::Off,
            monthly_budget: Some(100),
            budget_thresholds: vec![80, 100],
            centralized_root_access: true,
            organization_access_role: ORGANIZATION_ACCESS_ROLE.into(),
            identity_model: IdentityModel::IamUsers,
        }
    }

    /// Account e-mails default to `<key>@<domain>`: `identity@…`, `audit@…`,
    /// `shared-services@…`, `dev@…`.
    pub fn email_domain(mut self, domain: impl Into<String>) -> Self {
        self.email_domain = Some(domain.into());
        self
    }

    /// Overrides one account's e-mail; `key` is [`IDENTITY`], [`AUDIT`],
    /// [`SHARED_SERVICES`] or an environment's name (another key is reported at
    /// synthesis).
    pub fn account_email(mut self, key: impl Into<String>, email: impl Into<String>) -> Self {
        self.emails.insert(key.into(), email.into());
        self
    }

    /// Uses the organization that exists (most do) instead of creating one.
    pub fn existing_organization(
        mut self,
        root_id: impl Into<String>,
        organization_id: impl Into<String>,
    ) -> Self {
        self.existing = Some((root_id.into(), organization_id.into()));
        self
    }

    /// Declares whether AWS's `FullAWSAccess` SCP stays attached to every target of the
    /// existing organization (the default), as
    /// [`Organization::full_aws_access_attached`](crate::org::Organization::full_aws_access_attached).
    pub fn full_aws_access_attached(mut self, attached: bool) -> Self {
        self.full_aws_access = attached;
        self
    }

    /// Replaces the environments (default dev and staging, non-production, and prod).
    pub fn environments(mut self, envs: impl IntoIterator<Item = Environment>) -> Self {
        self.environments = envs.into_iter().collect();
        self
    }

    /// Adds an environment after the others, e.g. `Environment::non_prod("qa")`.
    pub fn add_environment(mut self, env: Environment) -> Self {
        self.environments.push(env);
        self
    }

    /// The regions STS may be called in (default us-east-1 and eu-west-1).
    pub fn allowed_regions<R: Into<String>>(
        mut self,
        regions: impl IntoIterator<Item = R>,
    ) -> Self {
        self.allowed_regions = regions.into_iter().map(Into::into).collect();
        self
    }

    /// Where alerts and budget notifications go (default `alerts@<email domain>`); an
    /// address that is not one is reported at synthesis.
    pub fn alert_email(mut self, email: impl Into<String>) -> Self {
        self.alert_email = Some(email.into());
        self
    }

    /// Replaces the access levels (roles in member accounts).
    pub fn access_levels(mut self, levels: impl IntoIterator<Item = AccessLevel>) -> Self {
        self.access_levels = levels.into_iter().collect();
        self
    }

    /// Replaces the identity account's groups.
    pub fn groups(mut self, groups: impl IntoIterator<Item = GroupSpec>) -> Self {
        self.groups = groups.into_iter().collect();
        self
    }

    /// Seconds since MFA after which roles refuse to be assumed (default 3600; 0 or less
    /// is reported at synthesis: nobody could assume the roles).
    pub fn mfa_max_age(mut self, seconds: i64) -> Self {
        self.mfa_max_age = seconds;
        self
    }

    /// The roles' `MaxSessionDuration` (default 14,400 s, four hours).
    pub fn max_session_duration(mut self, seconds: u32) -> Self {
        self.max_session_duration = seconds;
        self
    }

    /// Which guardrails to attach.
    pub fn guardrails(mut self, g: Guardrails) -> Self {
        self.guardrails = g;
        self
    }

    /// Days logs are kept before they expire (default 365): only hold what you need. It is
    /// the retention of the archive's logs, of the management stack's CloudWatch Logs log
    /// group (the management-activity alert reads the trail there), and, unless
    /// [`object_lock`](Self::object_lock) says otherwise, of their Object Lock. CloudWatch
    /// Logs accepts 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096,
    /// 1827, 2192, 2557, 2922, 3288 or 3653 days; another value is reported at synthesis.
    pub fn log_retention_days(mut self, days: u32) -> Self {
        self.log_retention_days = days;
        self
    }

    /// Object Lock for the log archive, keeping every log 1 to 36,500 days (another value is
    /// reported at synthesis). On by default: [`ObjectLock::Compliance`] for the
    /// [`log_retention_days`](Self::log_retention_days); see [`ObjectLock`] for the
    /// trade-off between the modes. Noncurrent versions are kept at least as long as the
    /// lock, so an overwrite never purges the original early.
    pub fn object_lock(mut self, lock: ObjectLock) -> Self {
        self.object_lock = LockSetting::On(lock);
        self
    }

    /// Turns Object Lock off: the bucket policy alone keeps logs from being deleted, and
    /// whoever can change that policy (the audit StackSet, or the audit account's root user,
    /// whom S3 always lets change a bucket policy) can then delete them.
    pub fn without_object_lock(mut self) -> Self {
        self.object_lock = LockSetting::Off;
        self
    }

    /// How logs and alerts are encrypted at rest (default [`KmsKey::Off`], the services'
    /// own encryption); [`KmsKey::CustomerManaged`] adds a key to the management stack for
    /// the trail, its log group, the alert topic and the archive. See [`KmsKey`] for why it
    /// is off by default and what the key policy allows.
    pub fn kms_key(mut self, key: KmsKey) -> Self {
        self.kms_key = key;
        self
    }

    /// The name of the log group the organization trail delivers to.
    pub(super) fn trail_log_group_name(&self) -> String {
        format!("/{}/organization-trail", self.prefix())
    }

    /// The name of the management-activity alarm (and of its topic).
    pub(super) fn alert_name(&self) -> String {
        format!("{}-management-activity", self.prefix())
    }

    /// The Object Lock the archive gets, if any.
    pub(super) fn effective_object_lock(&self) -> Option<ObjectLock> {
        match self.object_lock {
            LockSetting::Default => Some(ObjectLock::Compliance(self.log_retention_days)),
            LockSetting::Off => None,
            LockSetting::On(lock) => Some(lock),
        }
    }

    /// The monthly cost budget of every member account in USD (default 100); `None` turns
    /// budgets off.
    pub fn monthly_budget(mut self, usd: Option<u64>) -> Self {
        self.monthly_budget = usd;
        self
    }

    /// Budget notification thresholds in percent of the budget (default 80 and 100): at
    /// most ten, each above 0 and at most 1,000,000 (Budgets' limits); the last of several
    /// is on the forecast.
    pub fn budget_thresholds(mut self, percents: impl IntoIterator<Item = u32>) -> Self {
        self.budget_thresholds = percents.into_iter().collect();
        self
    }

    /// Centralized root access for member accounts (default on): the deploy plan enables
    /// it before the stacks, so the accounts the layout creates have no root credentials —
    /// no root password reset and root MFA per new account, as the article needed — and
    /// the deny-root guardrail lets the management account's privileged root sessions
    /// through. A privileged root task runs from the management account, on a regional STS
    /// endpoint, for at most 900 seconds, with one of AWS's task policies
    /// (`IAMAuditRootUserCredentials`, `IAMCreateRootUserPassword`,
    /// `IAMDeleteRootUserCredentials`, `S3UnlockBucketPolicy`, `SQSUnlockQueuePolicy`):
    ///
    /// ```text
    /// aws sts assume-root --region us-east-1 --target-principal 222222222222 \
    ///     --task-policy-arn arn=arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy
    /// # then, with the returned credentials: aws s3api delete-bucket-policy --bucket …
    /// ```
    ///
    /// `false` leaves root credentials as Organizations creates them (reset each new
    /// account's root password to use it); the deny-root guardrail still exempts
    /// `sts:AssumeRoot` sessions, which then cannot exist.
    pub fn centralized_root_access(mut self, on: bool) -> Self {
        self.centralized_root_access = on;
        self
    }

    /// Chooses who people are: IAM users in the identity account (the default) or IAM
    /// Identity Center ([`IdentityModel`]).
    pub fn identity_model(mut self, model: IdentityModel) -> Self {
        self.identity_model = model;
        self
    }

    /// The name of the role Organizations creates in each account the layout creates, for
    /// the management account (default [`ORGANIZATION_ACCESS_ROLE`], Organizations' own
    /// default, so accounts that exist keep theirs). The accounts name it explicitly, and
    /// the `protect_organization_access_role` guardrail denies it everything without MFA.
    /// Choose it before the accounts exist: `RoleName` cannot be updated.
    pub fn organization_access_role(mut self, name: impl Into<String>) -> Self {
        self.organization_access_role = name.into();
        self
    }

    /// The layout's name in lower case; it prefixes account, bucket, trail and topic names.
    pub(super) fn prefix(&self) -> String {
        self.name.to_ascii_lowercase()
    }

    /// The e-mail of the account `key`: its override, or `<key>@<email domain>`.
    pub(super) fn email(&self, key: &str) -> String {
        if let Some(e) = self.emails.get(key) {
            return e.clone();
        }
        match &self.email_domain {
            Some(d) => format!("{key}@{d}"),
            // Reported once for the whole layout by `report_settings`; a placeholder keeps
            // every account from repeating the same problem.
            None => format!("{key}@missing-email-domain.invalid"),
        }
    }

    /// `role` with the layout's MFA maximum age; a maximum age that is not above 0 is
    /// reported once for the layout by `report_settings`, so its roles do not repeat it.
    pub(super) fn with_mfa_max_age(&self, role: Role) -> Role {
        if self.mfa_max_age > 0 {
            role.mfa_max_age(self.mfa_max_age)
        } else {
            role
        }
    }

    /// Where alerts and budget notifications go: the alert e-mail, or
    /// `alerts@<email domain>`.
    pub(super) fn alert_address(&self) -> String {
        self.alert_email
            .clone()
            .unwrap_or_else(|| format!("alerts@{}", self.email_domain.as_deref().unwrap_or("")))
    }

    /// Reports environments, access levels and groups whose names become the same
    /// construct id: the later one is left out, and the problem names both.
    fn report_id_collisions(&self, app: &mut App, path: &str) {
        let envs: Vec<&str> = self.environments.iter().map(|e| e.name.as_str()).collect();
        let levels: Vec<&str> = self
            .access_levels
            .iter()
            .map(|l| l.role_name.as_str())
            .collect();
        let groups: Vec<&str> = self.groups.iter().map(|g| g.name.as_str()).collect();
        for (what, names) in [
            ("environments", envs),
            ("access levels", levels),
            ("groups", groups),
        ] {
            for (i, earlier) in same_id_as_earlier(names.iter().copied())
                .into_iter()
                .enumerate()
            {
                let Some(j) = earlier else { continue };
                if names[i] == names[j] {
                    continue; // the same name twice is reported with the names' own rule
                }
                app.report(Diagnostic::new(
                    path,
                    Rule::DuplicateId,
                    names[i],
                    format!(
                        "the {what} `{}` and `{}` both become the construct id `{}` (ids keep letters and digits, and capitalize each word); the later one is left out",
                        names[j],
                        names[i],
                        upper_camel(names[i])
                    ),
                    format!("rename one of `{}` and `{}`", names[j], names[i]),
                ));
            }
        }
    }

    /// Reports bad settings (name, e-mails, regions, environments, log retention, Object
    /// Lock, MFA age, budgets, grants) at `path`, once for the whole layout.
    pub(super) fn report_settings(&self, app: &mut App, path: &str) {
        self.report_keys_and_addresses(app, path);
        self.report_numbers(app, path);
        let prefix = self.prefix();
        let ok_prefix = !prefix.is_empty()
            && prefix.len() <= 26
            && prefix
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !prefix.starts_with('-')
            && !prefix.ends_with('-');
        if !ok_prefix {
            app.report(Diagnostic::new(
                path,
                Rule::PropertyValue,
                &self.name,
                "the layout's name prefixes bucket, trail and account names: 1 to 26 lower-case letters, digits or inner hyphens",
                "use a short name such as `acme`",
            ));
        }
        if self.email_domain.is_none() {
            let missing: Vec<&str> = self
                .account_keys()
                .filter(|k| !self.emails.contains_key(*k))
                .collect();
            if !missing.is_empty() {
                app.report(Diagnostic::new(
                    path,
                    Rule::AccountEmail,
                    missing.join(", "),
                    "these accounts have no e-mail: no e-mail domain was given",
                    "call `.email_domain(\"aws.example.com\")` or `.account_email(key, address)`",
                ));
            }
        }
        if self.allowed_regions.is_empty() {
            app.report(Diagnostic::new(
                path,
                Rule::Region,
                "",
                "STS needs at least one allowed region",
                "call `.allowed_regions([\"us-east-1\"])`",
            ));
        }
        for r in &self.allowed_regions {
            // A misspelt region would leave STS allowed nowhere it is used.
            if let Err(e) = r.parse::<crate::aws::Region>() {
                app.report(e.to_diagnostic(path));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for env in &self.environments {
            let ok = !env.name.is_empty()
                && env
                    .name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            let reserved = [IDENTITY, AUDIT, SHARED_SERVICES].contains(&env.name.as_str());
            let twice = !seen.insert(env.name.as_str());
            let why = if env.name.is_empty() {
                Some((
                    "an environment's name is empty",
                    "name the environment, e.g. `staging`",
                ))
            } else if !ok {
                Some((
                    "an environment's name is lower-case letters, digits and hyphens (it names the account, its e-mail and its budget)",
                    "write the name in lower case with hyphens, e.g. `read-only`",
                ))
            } else if reserved {
                Some((
                    "identity, audit and shared-services are the layout's own accounts, not environments",
                    "give the environment another name, e.g. `staging`",
                ))
            } else if twice {
                Some((
                    "the environment is listed twice",
                    "list each environment once",
                ))
            } else {
                None
            };
            if let Some((message, hint)) = why {
                app.report(Diagnostic::new(
                    path,
                    Rule::PropertyValue,
                    &env.name,
                    message,
                    hint,
                ));
            }
        }
        self.report_id_collisions(app, path);
        if !LOG_GROUP_RETENTION_DAYS.contains(&self.log_retention_days) {
            app.report(Diagnostic::new(
                path,
                Rule::PropertyValue,
                self.log_retention_days.to_string(),
                "log retention is also the CloudWatch Logs log group's, which accepts 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653 days",
                "choose the accepted value closest to how long you need the logs, e.g. 365",
            ));
        }
        for g in &self.groups {
            for grant in &g.grants {
                let known = grant.role_name == AUDITOR
                    || self
                        .access_levels
                        .iter()
                        .any(|l| l.role_name == grant.role_name);
                if !known {
                    app.report(Diagnostic::new(
                        path,
                        Rule::PropertyValue,
                        &grant.role_name,
                        format!(
                            "group `{}` is granted a role no access level defines",
                            g.name
                        ),
                        "grant one of the access levels' roles, or add the access level",
                    ));
                }
            }
        }
    }
}

/// The highest budget threshold, in percent of the budget (the Budgets documentation).
const MAX_PERCENT: u32 = 1_000_000;

impl FiveAccountLayoutBuilder {
    /// The keys of the accounts the layout creates: the fixed ones and the environments.
    pub(super) fn account_keys(&self) -> impl Iterator<Item = &str> {
        [IDENTITY, AUDIT, SHARED_SERVICES]
            .into_iter()
            .chain(self.environments.iter().map(|e| e.name.as_str()))
    }

    /// Keys of the e-mail map that name no account, and an alert address that is none.
    fn report_keys_and_addresses(&self, app: &mut App, path: &str) {
        for key in self.emails.keys() {
            if !self.account_keys().any(|k| k == key) {
                app.report(Diagnostic::new(
                    path,
                    Rule::UnknownKey,
                    key,
                    "`account_email` names an account the layout does not create, so the address would go unused",
                    format!(
                        "use one of the layout's account keys: {}",
                        self.account_keys().collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        }
        // Without an e-mail domain, the missing domain is reported instead.
        if self.alert_email.is_some() || self.email_domain.is_some() {
            let address = self.alert_address();
            if let Some(why) = crate::aws::notification_email_problem(&address) {
                app.report(Diagnostic::new(
                    path,
                    Rule::AlertEmail,
                    &address,
                    format!("alerts and budget notifications cannot be sent to it: {why}"),
                    "call `.alert_email(\"cloud-alerts@example.com\")` with a mailbox your team reads",
                ));
            }
        }
    }

    /// MFA age, Object Lock retention and budget thresholds.
    fn report_numbers(&self, app: &mut App, path: &str) {
        if self.mfa_max_age <= 0 {
            app.report(Diagnostic::new(
                path,
                Rule::MfaMaxAge,
                self.mfa_max_age.to_string(),
                "the MFA maximum age must be above 0 seconds: roles that require MFA used less than 0 seconds ago can never be assumed",
                "use e.g. `.mfa_max_age(3600)` (one hour)",
            ));
        }
        // The default follows the log retention, which is checked on its own.
        if let LockSetting::On(lock) = self.object_lock {
            let days = lock.days();
            if !(1..=36_500).contains(&days) {
                app.report(Diagnostic::new(
                    path,
                    Rule::ObjectLockRetention,
                    days.to_string(),
                    "Object Lock keeps objects 1 to 36,500 days (100 years); S3 refuses other retention periods",
                    "choose how long logs must be kept, e.g. `ObjectLock::Compliance(365)`",
                ));
            }
        }
        if self.monthly_budget.is_some() {
            self.report_thresholds(app, path);
        }
    }

    /// The thresholds the budgets notify at: those out of range are left out, as
    /// `report_thresholds` reports them once for the layout (and synthesis fails), so that
    /// every account's budget does not repeat them.
    pub(super) fn notified_thresholds(&self) -> Vec<u32> {
        self.budget_thresholds
            .iter()
            .copied()
            .filter(|p| (1..=MAX_PERCENT).contains(p))
            .collect()
    }

    /// At most ten notifications, each above 0 % and at most 1,000,000 %, and no two
    /// alike (the last of several is on the forecast, the others on actual spend).
    fn report_thresholds(&self, app: &mut App, path: &str) {
        const MAX_NOTIFICATIONS: usize = 10;
        let t = &self.budget_thresholds;
        if t.len() > MAX_NOTIFICATIONS {
            app.report(Diagnostic::new(
                path,
                Rule::BudgetThreshold,
                format!("{} thresholds", t.len()),
                format!("a budget has at most {MAX_NOTIFICATIONS} notifications; the layout's budgets would have {}", t.len()),
                "keep the thresholds that someone acts on",
            ));
        }
        let actual = if t.len() > 1 {
            &t[..t.len() - 1]
        } else {
            &t[..]
        };
        for (i, &p) in t.iter().enumerate() {
            if p == 0 || p > MAX_PERCENT {
                app.report(Diagnostic::new(
                    path,
                    Rule::BudgetThreshold,
                    p.to_string(),
                    format!("a budget threshold is a percentage of the budget above 0 and at most {MAX_PERCENT}"),
                    "use e.g. `.budget_thresholds([80, 100])`",
                ));
            } else if i < actual.len() && actual[..i].contains(&p) {
                app.report(Diagnostic::new(
                    path,
                    Rule::BudgetThreshold,
                    p.to_string(),
                    "the threshold is given twice: Budgets refuses two notifications alike",
                    "give each threshold once",
                ));
            }
        }
    }
}
