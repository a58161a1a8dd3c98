//! Errors and diagnostics.

use std::fmt;
use std::path::PathBuf;

use crate::lint_id::LintId;

/// The crate-wide result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while building or synthesizing an app.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Validation found one or more problems; every one of them is listed.
    #[error("{0}")]
    Validation(Diagnostics),
    /// A template could not be rendered.
    #[error("could not render a template: {0}")]
    Render(String),
    /// Writing the assembly failed; an earlier assembly at the target is left as it was.
    #[error("could not write the assembly at `{}`", path.display())]
    Io {
        /// The file or directory being written.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The target of a write cannot hold an assembly (see [`TargetProblem`]); nothing was
    /// written or changed.
    #[error("cannot write the assembly at `{}`: {problem}", path.display())]
    Target {
        /// The target, as given.
        path: PathBuf,
        /// What is wrong with it, and what to do.
        problem: TargetProblem,
    },
}

impl Error {
    /// The diagnostics of a [`Error::Validation`]; empty for other errors.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Validation(d) => &d.0,
            _ => &[],
        }
    }
}

/// Why a directory cannot receive an assembly ([`Error::Target`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TargetProblem {
    /// The path is empty, a root, `.`, or ends in `..`: it names no directory that could
    /// be replaced.
    NoName,
    /// A file (or a symbolic link to one) is where the directory would be.
    NotADirectory,
    /// The path is a symbolic link in a chain of more than 40, or a loop.
    TooManyLinks,
    /// The directory is a mount point (a container volume, say): it cannot be renamed, so
    /// it cannot be replaced in one step.
    MountPoint,
}

impl fmt::Display for TargetProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TargetProblem::NoName => {
                "the path names no directory (it is empty, a root, `.`, or ends in `..`): \
                 name the assembly's own directory, e.g. `cdk.out`"
            }
            TargetProblem::NotADirectory => {
                "it is a file, not a directory: remove it or choose another target"
            }
            TargetProblem::TooManyLinks => {
                "it is a symbolic link in a loop or a chain of more than 40: point it at a \
                 directory"
            }
            TargetProblem::MountPoint => {
                "it is a mount point, which cannot be replaced in one step: write into a \
                 directory inside it (e.g. `cdk.out` in it)"
            }
        })
    }
}

/// The rule a [`Diagnostic`] reports as broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Rule {
    /// A construct id that a sibling already has (or a stack name already taken).
    DuplicateId,
    /// A construct id that is empty or holds `/`, or a parent that cannot hold children.
    InvalidId,
    /// A handle of another [`App`](crate::App).
    ForeignHandle,
    /// A logical ID is not `[A-Za-z0-9]{1,255}`.
    LogicalIdPattern,
    /// Two constructs of one template resolve to the same logical ID.
    LogicalIdCollision,
    /// A stack name is not `[A-Za-z][A-Za-z0-9-]{0,127}`.
    StackName,
    /// An account name is not 1–50 printable ASCII characters.
    AccountName,
    /// An e-mail address is not a valid address of 6–64 characters.
    AccountEmail,
    /// Two accounts of the organization share an e-mail address.
    DuplicateEmail,
    /// An account id is not 12 digits.
    AccountId,
    /// An account's IAM role name breaks `[\w+=,.@-]{1,64}`.
    AccountRoleName,
    /// An organizational unit's name is not 1–128 characters.
    OuName,
    /// Organizational units are nested deeper than the quota allows.
    OuDepth,
    /// A root id does not match `^r-[0-9a-z]{4,32}$`.
    RootId,
    /// An organization id does not match `^o-[a-z0-9]{10,32}$`.
    OrganizationId,
    /// An organizational unit id does not match `^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`.
    OuId,
    /// A policy name or description breaks its schema.
    PolicyName,
    /// An Organizations policy is larger than its quota.
    PolicySize,
    /// More policies of one type are attached to a target than the quota allows.
    PoliciesPerTarget,
    /// A service control policy breaks the SCP grammar.
    ScpGrammar,
    /// An IAM action is not `service:Action`.
    Action,
    /// A policy document or statement is malformed.
    PolicyDocument,
    /// A condition is malformed.
    Condition,
    /// A role's trust policy is larger than its quota.
    TrustPolicySize,
    /// A trust policy lets people in without MFA.
    TrustWithoutMfa,
    /// A managed policy is larger than its quota.
    ManagedPolicySize,
    /// Inline policies of one identity are larger than the quota together.
    InlinePolicySize,
    /// Too many managed policies are attached to one role or group.
    ManagedPoliciesPerIdentity,
    /// An IAM name (role, group, policy) breaks its schema.
    IamName,
    /// An IAM path breaks its schema.
    IamPath,
    /// `MaxSessionDuration` is outside 3600–43200.
    MaxSessionDuration,
    /// A StackSet name breaks `^[a-zA-Z][a-zA-Z0-9-]{0,127}$`.
    StackSetName,
    /// A StackSet's member template is larger than `TemplateBody` accepts.
    TemplateBodySize,
    /// A StackSet has no deployment target or no region.
    StackSetTargets,
    /// A reference crosses a boundary the platform cannot cross.
    CrossBoundaryReference,
    /// A template has more resources than the quota allows.
    ResourceCount,
    /// A rendered template is larger than the quota allows.
    TemplateSize,
    /// A template has more parameters or outputs than allowed.
    TemplateSections,
    /// A value breaks a property's schema (length, pattern, range).
    PropertyValue,
    /// A region name is not a region, or a list of regions names one twice.
    Region,
    /// An output name is not `[A-Za-z0-9]{1,255}`, or is one synthesis keeps for the
    /// outputs that export values between stacks (`Export…`).
    OutputName,
    /// An export name is declared twice among the stacks of one account (exports are unique
    /// per account and region), or takes a name synthesis gives its own exports.
    DuplicateExport,
    /// A description is longer than the resource or template accepts, or holds characters
    /// it refuses.
    Description,
    /// A tag has an empty, reserved or overlong key, an overlong value, characters the
    /// resource refuses (control characters among them), a key used twice, or a resource
    /// has more tags than it takes.
    Tag,
    /// Two resources of one account share a name that must be unique there (IAM roles,
    /// groups, users and managed policies, whose names ignore case; budgets; StackSets;
    /// Organizations policies), an identity has two inline policies of one name, or a named
    /// global resource is deployed to several regions by one StackSet.
    DuplicateName,
    /// A managed policy ARN (attached, or a permissions boundary) is not
    /// `arn:<partition>:iam::<account or aws>:policy/<path and name>`, or an AWS managed
    /// policy's name holds characters no policy name has.
    ManagedPolicyArn,
    /// A budget notification threshold is not above 0 % and at most the Budgets maximum, is
    /// given twice, or a budget has more notifications than Budgets allows.
    BudgetThreshold,
    /// Object Lock retention is not 1 to 36,500 days (100 years).
    ObjectLockRetention,
    /// An MFA maximum age is 0 or negative seconds: nobody could ever assume the role.
    MfaMaxAge,
    /// A key of a settings map names nothing the layout has (e.g. an account e-mail for an
    /// account the layout does not create).
    UnknownKey,
    /// An address that alerts or notifications are sent to is not an e-mail address.
    AlertEmail,
    /// A name in a configuration file (an [`OrgSpec`](crate::spec::OrgSpec)) refers to
    /// nothing it defines: an OU, an account, a group, a role or a managed policy.
    UnresolvedReference,
    /// A rule of your own, for the problems your constructs report: its id is shown like the
    /// library's (`[acme-cost-center]`). Prefix it with your organization's name so it
    /// never reads like one of the library's rules.
    ///
    /// ```
    /// use orgstack::{App, Diagnostic, Rule, Severity};
    /// let mut app = App::new();
    /// let stack = app.stack("Main")?;
    /// app.report(Diagnostic::new(
    ///     app.path(&stack),
    ///     Rule::Custom("acme-cost-center"),
    ///     "",
    ///     "every stack names its cost center",
    ///     "set the CostCenter tag",
    /// ).with_severity(Severity::Warning));
    /// let assembly = app.synth()?; // a warning: synthesis goes on
    /// let warning = &assembly.warnings()[0];
    /// assert_eq!(warning.rule.as_str(), "acme-cost-center");
    /// assert!(warning.to_string().starts_with("Main: [acme-cost-center] every stack names"));
    /// # Ok::<(), orgstack::Error>(())
    /// ```
    Custom(&'static str),
    /// An Organizations policy id does not match `^p-[0-9a-zA-Z_]{8,128}$`.
    PolicyId,
    /// A construct adopted by resource import refers to something that does not exist yet
    /// (a new OU, account or organization), or is adopted inside a StackSet's template: an
    /// import may only add the resources being imported.
    AdoptedReference,
    /// A service's administrator account is created in the stack that needs it as
    /// administrator: the plan registers it between stacks, so it must exist before.
    AdministratorOrder,
    /// A template value nests deeper than [`cfn::MAX_DEPTH`](crate::cfn::MAX_DEPTH) levels.
    NestingDepth,
    /// A finding of a lint rule ([`review::lint`](crate::review::lint)); its id is the
    /// lint rule's own ([`LintId::as_str`]).
    Lint(LintId),
}

// Here, not beside the lint rules: the rules' ids import nothing of the diagnostics.
impl crate::lint_id::LintId {
    /// The lint rule of a diagnostic of [`Rule::Lint`]; `None` for any other rule.
    pub fn of(diagnostic: &Diagnostic) -> Option<crate::lint_id::LintId> {
        match diagnostic.rule {
            Rule::Lint(lint) => Some(lint),
            _ => None,
        }
    }
}

impl Rule {
    /// A short, stable, kebab-case identifier of the rule.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::DuplicateId => "duplicate-id",
            Rule::InvalidId => "invalid-id",
            Rule::ForeignHandle => "foreign-handle",
            Rule::LogicalIdPattern => "logical-id-pattern",
            Rule::LogicalIdCollision => "logical-id-collision",
            Rule::StackName => "stack-name",
            Rule::AccountName => "account-name",
            Rule::AccountEmail => "account-email",
            Rule::DuplicateEmail => "duplicate-email",
            Rule::AccountId => "account-id",
            Rule::AccountRoleName => "account-role-name",
            Rule::OuName => "ou-name",
            Rule::OuDepth => "ou-depth",
            Rule::RootId => "root-id",
            Rule::OrganizationId => "organization-id",
            Rule::OuId => "ou-id",
            Rule::PolicyName => "policy-name",
            Rule::PolicySize => "policy-size",
            Rule::PoliciesPerTarget => "policies-per-target",
            Rule::ScpGrammar => "scp-grammar",
            Rule::Action => "action",
            Rule::PolicyDocument => "policy-document",
            Rule::Condition => "condition",
            Rule::TrustPolicySize => "trust-policy-size",
            Rule::TrustWithoutMfa => "trust-without-mfa",
            Rule::ManagedPolicySize => "managed-policy-size",
            Rule::InlinePolicySize => "inline-policy-size",
            Rule::ManagedPoliciesPerIdentity => "managed-policies-per-identity",
            Rule::IamName => "iam-name",
            Rule::IamPath => "iam-path",
            Rule::MaxSessionDuration => "max-session-duration",
            Rule::StackSetName => "stackset-name",
            Rule::TemplateBodySize => "template-body-size",
            Rule::StackSetTargets => "stackset-targets",
            Rule::CrossBoundaryReference => "cross-boundary-reference",
            Rule::ResourceCount => "resource-count",
            Rule::TemplateSize => "template-size",
            Rule::TemplateSections => "template-sections",
            Rule::PropertyValue => "property-value",
            Rule::Region => "region",
            Rule::OutputName => "output-name",
            Rule::DuplicateExport => "duplicate-export",
            Rule::Description => "description",
            Rule::Tag => "tag",
            Rule::DuplicateName => "duplicate-name",
            Rule::ManagedPolicyArn => "managed-policy-arn",
            Rule::BudgetThreshold => "budget-threshold",
            Rule::ObjectLockRetention => "object-lock-retention",
            Rule::MfaMaxAge => "mfa-max-age",
            Rule::UnknownKey => "unknown-key",
            Rule::AlertEmail => "alert-email",
            Rule::UnresolvedReference => "unresolved-reference",
            Rule::Custom(id) => id,
            Rule::PolicyId => "policy-id",
            Rule::AdoptedReference => "adopted-reference",
            Rule::AdministratorOrder => "administrator-order",
            Rule::NestingDepth => "nesting-depth",
            Rule::Lint(lint) => lint.as_str(),
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a diagnostic matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[non_exhaustive]
pub enum Severity {
    /// Synthesis fails: CloudFormation or AWS would refuse the result, or it would not do
    /// what it says.
    #[default]
    Error,
    /// Reported, but synthesis goes on.
    Warning,
}

/// One problem found in an app: where, which rule, the offending value, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Diagnostic {
    /// The construct path, e.g. `Management/Organization/Workloads/Prod`.
    pub path: String,
    /// The rule broken.
    pub rule: Rule,
    /// The offending value (shortened when very long).
    pub value: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
    /// How much it matters.
    pub severity: Severity,
    /// Where the value came from outside the program, when it did: e.g. the JSON path of
    /// a field of a configuration file.
    pub source: Option<String>,
}

impl Diagnostic {
    /// A diagnostic; `value` is shortened to 120 characters.
    pub fn new(
        path: impl Into<String>,
        rule: Rule,
        value: impl AsRef<str>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            rule,
            value: shorten(value.as_ref()),
            message: message.into(),
            hint: hint.into(),
            severity: Severity::Error,
            source: None,
        }
    }

    /// The same diagnostic with another severity.
    #[must_use]
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// The same diagnostic, naming where its value came from (e.g. a JSON path).
    #[must_use]
    pub fn with_source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }
}

fn shorten(v: &str) -> String {
    const MAX: usize = 120;
    if v.chars().count() <= MAX {
        v.to_owned()
    } else {
        let head: String = v.chars().take(MAX).collect();
        format!("{head}… ({} characters)", v.chars().count())
    }
}

impl fmt::Display for Diagnostic {
    /// One line: a line break or other control character in the path (an OU name may hold
    /// any), the value or the message is written as its escape (`\n`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: [{}] {} (value: `{}`); hint: {}",
            one_line(&self.path),
            self.rule,
            one_line(&self.message),
            one_line(&self.value),
            one_line(&self.hint)
        )
    }
}

/// `s` with every control character (line breaks, tabs, escapes) written as its Rust
/// escape, so that a report keeps one problem to a line.
pub(crate) fn one_line(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Every diagnostic of a failed validation, in the order they were found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// The diagnostics.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "validation failed with {n} problem{}",
            if n == 1 { "" } else { "s" }
        )?;
        for d in &self.0 {
            write!(f, "\n  - {d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_send_sync() {
        fn check<T: Send + Sync + std::error::Error>() {}
        check::<Error>();
    }

    #[test]
    fn validation_lists_every_problem() {
        let e = Error::Validation(Diagnostics(vec![
            Diagnostic::new("A/B", Rule::AccountEmail, "x", "bad e-mail", "fix it"),
            Diagnostic::new("A/C", Rule::AccountName, "y", "bad name", "rename"),
        ]));
        let s = e.to_string();
        assert!(s.starts_with("validation failed with 2 problems"), "{s}");
        assert!(s.contains("A/B: [account-email] bad e-mail (value: `x`); hint: fix it"));
        assert!(s.contains("A/C: [account-name]"));
    }

    #[test]
    fn long_values_are_shortened() {
        let d = Diagnostic::new("P", Rule::PolicySize, "x".repeat(500), "m", "h");
        assert!(d.value.ends_with("(500 characters)"));
        assert!(d.value.len() < 200);
    }
}
