//! Member accounts: created (and never deleted by a refactor), or existing ones referenced
//! by id.

use crate::app::{App, Construct};
use crate::cfn::hash::FastMap;
use crate::cfn::{Expr, NodeId, Resource, Value};
use crate::error::{Diagnostic, Result, Rule};

use super::checks::{email_problem, is_account_id, is_valid_account_name};
use super::ou::{report_tags, Parent};
use super::policy::PolicyTarget;
use crate::iam::is_iam_name;

/// Type of the account resource.
pub const ACCOUNT_TYPE: &str = "AWS::Organizations::Account";
/// Serial group chaining account creation within a template.
pub(crate) const ACCOUNT_SERIAL_GROUP: &str = "aws-organizations-account";
/// The scope under each stack that holds its accounts.
pub(crate) const ACCOUNTS_SCOPE: &str = "Accounts";

/// A member account to create.
///
/// The account's construct id is its name unless set with [`Account::id`]. Accounts live
/// under one `Accounts` scope per stack, not under their OU, so moving an account to
/// another OU changes its `ParentIds` and never its logical ID: CloudFormation moves the
/// account instead of creating a new one. Every account carries `DeletionPolicy` and
/// `UpdateReplacePolicy` `Retain`, and accounts of one template are created one after
/// another (`DependsOn` in declaration order), as Organizations requires.
///
/// ```
/// use orgstack::{App, org::{Account, Organization}};
/// let mut app = App::new();
/// let stack = app.stack("Management")?;
/// let org = Organization::create().build(&mut app, &stack)?;
/// let sandbox = org.add_account(&mut app, Account::new("Sandbox", "sandbox@aws.acme.example"))?;
/// assert_eq!(app.path(&sandbox.node().unwrap()), "Management/Accounts/Sandbox");
/// # Ok::<(), orgstack::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Account {
    id: Option<String>,
    name: String,
    email: String,
    role_name: Option<String>,
    tags: Vec<(String, String)>,
}

impl Account {
    /// An account with its name (1–50 printable ASCII characters) and the e-mail address of
    /// its root user (unique across the organization).
    pub fn new(name: impl Into<String>, email: impl Into<String>) -> Self {
        Account {
            id: None,
            name: name.into(),
            email: email.into(),
            role_name: None,
            tags: Vec::new(),
        }
    }

    /// An account that already exists, by its 12-digit id: it can be targeted by policies
    /// and StackSets and trusted by roles, and is never created.
    ///
    /// # Errors
    /// [`Error::Validation`](crate::Error::Validation) with [`Rule::AccountId`] if `id` is
    /// not 12 digits.
    pub fn existing(id: impl Into<String>) -> Result<AccountHandle> {
        let id = id.into();
        if !is_account_id(&id) {
            return Err(crate::Error::Validation(crate::Diagnostics(vec![
                Diagnostic::new(
                    "(existing account)",
                    Rule::AccountId,
                    &id,
                    "an account id is 12 digits",
                    "copy the id from `aws organizations list-accounts`",
                ),
            ])));
        }
        Ok(AccountHandle {
            inner: AccountRef::Existing(id),
        })
    }

    /// Sets the construct id (defaults to the name). The logical ID follows from it: keep
    /// it once the account exists.
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// The IAM role Organizations creates in the account for the management account
    /// (default `OrganizationAccountAccessRole`).
    pub fn role_name(mut self, name: impl Into<String>) -> Self {
        self.role_name = Some(name.into());
        self
    }

    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }

    pub(crate) fn build(self, app: &mut App, parent: Parent) -> Result<AccountHandle> {
        let stack = parent.organization().stack();
        let scope = match app.child(&stack, ACCOUNTS_SCOPE) {
            Some(s) => s,
            None => app.add_scope(&stack, ACCOUNTS_SCOPE)?,
        };
        let mut res = Resource::new(ACCOUNT_TYPE)
            .property("AccountName", self.name.as_str())
            .property("Email", self.email.as_str())
            .property("ParentIds", Value::List(vec![Value::from(parent.id())]));
        if let Some(role) = &self.role_name {
            res = res.property("RoleName", role.as_str());
        }
        if !self.tags.is_empty() {
            res = res.property("Tags", crate::cfn::tags(&self.tags));
        }
        let res = res.retain();
        let id = self.id.clone().unwrap_or_else(|| self.name.clone());
        let handle = app.add_resource(&scope, id, res)?;
        app.set_serial_group(&handle, ACCOUNT_SERIAL_GROUP)?;
        app.set_movable(&handle, crate::Spill::Leaf { group: "Accounts" })?;
        let path = || app.path(&handle);
        let mut problems = Vec::new();
        if !is_valid_account_name(&self.name) {
            problems.push(Diagnostic::new(
                path(),
                Rule::AccountName,
                &self.name,
                format!(
                    "an account name must be 1 to 50 printable ASCII characters; this one has {}",
                    self.name.chars().count()
                ),
                "shorten the name or drop the characters outside ASCII",
            ));
        }
        if let Some(why) = email_problem(&self.email) {
            problems.push(Diagnostic::new(
                path(),
                Rule::AccountEmail,
                &self.email,
                why,
                "give the address of a mailbox you control, e.g. aws+prod@example.com",
            ));
        }
        if let Some(role) = &self.role_name {
            if !is_iam_name(role, 64) {
                problems.push(Diagnostic::new(
                    path(),
                    Rule::AccountRoleName,
                    role,
                    "a role name is 1 to 64 of letters, digits and _+=,.@-",
                    "rename the role",
                ));
            }
        }
        if !self.tags.is_empty() {
            let p = path();
            report_tags(app, &p, &self.tags);
        }
        for d in problems {
            app.report(d);
        }
        app.add_check("org.unique-emails", unique_emails);
        Ok(AccountHandle {
            inner: AccountRef::Created(handle.node()),
        })
    }
}

/// E-mails are unique across the organization (compared case-insensitively).
fn unique_emails(app: &App, out: &mut Vec<Diagnostic>) {
    let mut seen: FastMap<String, NodeId> = FastMap::default();
    for (node, res) in app.resources_of_type(ACCOUNT_TYPE) {
        let Some(email) = res.properties.get("Email").and_then(Value::as_str) else {
            continue;
        };
        if let Some(first) = seen.insert(email.to_ascii_lowercase(), node) {
            out.push(Diagnostic::new(
                app.path(&node),
                Rule::DuplicateEmail,
                email,
                format!("`{}` already uses this e-mail address", app.path(&first)),
                "give every account its own address (plus-addressing works: aws+prod@example.com)",
            ));
            seen.insert(email.to_ascii_lowercase(), first);
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum AccountRef {
    Created(NodeId),
    Existing(String),
}

/// An account: created by the app, or existing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccountHandle {
    inner: AccountRef,
}

impl AccountHandle {
    /// The account id (12 digits).
    pub fn id(&self) -> Value {
        match &self.inner {
            AccountRef::Created(n) => Value::from(Expr::node_get_att(*n, "AccountId", 12)),
            AccountRef::Existing(id) => Value::from(id.as_str()),
        }
    }

    /// The ARN that names the whole account as a principal:
    /// `arn:${AWS::Partition}:iam::<id>:root`.
    pub fn root_principal_arn(&self) -> Value {
        Value::from(Expr::sub_with(
            "arn:${AWS::Partition}:iam::${AccountId}:root",
            [("AccountId", self.id())],
        ))
    }

    /// The node of a created account (`None` for an existing one).
    pub fn node(&self) -> Option<NodeId> {
        match &self.inner {
            AccountRef::Created(n) => Some(*n),
            AccountRef::Existing(_) => None,
        }
    }
}

impl PolicyTarget for AccountHandle {
    fn target_id(&self) -> Value {
        self.id()
    }
}
