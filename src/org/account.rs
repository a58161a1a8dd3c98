//! Member accounts: created (and never deleted by a refactor), or existing ones referenced
//! by id.

use crate::app::{any_impls, App, Check, Construct, Lower, Scope, Subtree, Typed, View};
use crate::cfn::hash::FastMap;
use crate::cfn::{Expr, NodeId, Resource, Value};
use crate::error::{Diagnostic, Result, Rule};

use super::ou::Parent;

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
/// let org = app.add(&stack, Organization::create())?;
/// let sandbox = app.add(&org, Account::new("Sandbox", "sandbox@aws.acme.example"))?;
/// assert_eq!(app.path(&sandbox.node().unwrap()), "Management/Accounts/Sandbox");
/// assert_eq!(app.accounts().next().unwrap().email(), "sandbox@aws.acme.example");
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
    adopted: Option<String>,
}

impl Account {
    /// An account with its name (1–50 printable ASCII characters) and the e-mail address of
    /// its root user (unique across the organization). Bad values are reported at
    /// synthesis with the account's path.
    pub fn new(name: impl Into<String>, email: impl Into<String>) -> Self {
        Account {
            id: None,
            name: name.into(),
            email: email.into(),
            role_name: None,
            tags: Vec::new(),
            adopted: None,
        }
    }

    /// Adopts the account that exists with this id (12 digits) into CloudFormation
    /// management: it renders like a new account (with `Retain`, as every account) and the
    /// deploy plan imports it (resource import, by its `AccountId`) before the first deploy
    /// instead of creating it. Its name, e-mail, parent and tags must be what exists; it
    /// is never in the chain of accounts created one after another. A bad id is reported
    /// at synthesis. For an account that is only referenced, use [`Account::existing`].
    ///
    /// ```
    /// use orgstack::{App, org::{Account, Organization}};
    /// let mut app = App::new();
    /// let stack = app.stack("Management")?;
    /// let org = app.add(&stack, Organization::existing("r-ab12", "o-abcdef1234"))?;
    /// app.add(&org, Account::new("Prod", "aws+prod@acme.example").adopt("123456789012"))?;
    /// let assembly = app.synth()?;
    /// let import = assembly.artifact("Management.import").unwrap();
    /// assert!(import.body.contains("\"AccountName\": \"Prod\""));
    /// assert!(assembly.deploy_plan().contains("--change-set-type IMPORT"));
    /// # Ok::<(), orgstack::Error>(())
    /// ```
    pub fn adopt(mut self, id: impl Into<String>) -> Self {
        self.adopted = Some(id.into());
        self
    }

    /// An account that already exists, by its 12-digit id: it can be targeted by policies
    /// and StackSets and trusted by roles, and is never created. An id that is not 12
    /// digits is reported at synthesis by every construct that uses it, like any other
    /// bad value; parse an [`AccountId`](crate::aws::AccountId) first to fail at once.
    pub fn existing(id: impl Into<AccountRef>) -> AccountHandle {
        AccountHandle(id.into())
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
}

/// An account as the app holds it until synthesis.
#[derive(Debug, Clone)]
pub(crate) struct AccountData {
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) parent: Parent,
    pub(crate) role_name: Option<String>,
    pub(crate) tags: Vec<(String, String)>,
    /// The id of the account this one adopts.
    pub(crate) adopted: Option<String>,
}

impl Typed for AccountData {
    fn adopted(&self) -> Option<(&'static str, &str)> {
        self.adopted.as_deref().map(|id| ("AccountId", id))
    }

    fn validate(&self, cx: &mut Check<'_>) {
        if let Some(id) = &self.adopted {
            if let Err(e) = id.parse::<crate::aws::AccountId>() {
                cx.push(e.to_diagnostic(""));
            }
        }
    }

    fn check_all(&self) -> Option<fn(&dyn View, &mut Vec<Diagnostic>)> {
        Some(unique_emails)
    }
    any_impls!();
}

impl Lower for AccountData {
    fn resource_type(&self) -> &'static str {
        ACCOUNT_TYPE
    }

    fn lower(&self) -> Resource {
        let mut res = Resource::new(ACCOUNT_TYPE)
            .property("AccountName", self.name.as_str())
            .property("Email", self.email.as_str())
            .property(
                "ParentIds",
                Value::List(vec![Value::from(self.parent.id())]),
            );
        if let Some(role) = &self.role_name {
            res = res.property("RoleName", role.as_str());
        }
        if !self.tags.is_empty() {
            res = res.property("Tags", crate::cfn::tags(&self.tags));
        }
        res.retain()
    }
}

impl<P: Into<Parent> + Copy> Construct<P> for Account {
    type Handle = AccountHandle;

    /// Adds the account under the root or an OU. Invalid names and e-mails are reported
    /// at synthesis.
    fn build(self, app: &mut App, parent: &P) -> Result<AccountHandle> {
        let parent: Parent = (*parent).into();
        let id = self.id.unwrap_or_else(|| self.name.clone());
        let data = AccountData {
            name: self.name,
            email: self.email,
            parent,
            role_name: self.role_name,
            tags: self.tags,
            adopted: self.adopted,
        };
        let new = data.adopted.is_none();
        let stack = parent.organization().stack();
        let scope = match app.child(&stack, ACCOUNTS_SCOPE) {
            Some(s) => s,
            // A parent of another app: added under it, reported and left out.
            None if app.stack_of(&stack).is_none() => parent.node(),
            None => app.add(&stack, Subtree::new(ACCOUNTS_SCOPE))?.node(),
        };
        let node = app.add_typed(scope, id, data);
        // What exists is never created: only new accounts wait for one another.
        if new {
            app.set_serial_group(&node, ACCOUNT_SERIAL_GROUP);
        }
        app.set_movable(&node, crate::Spill::Leaf { group: "Accounts" });
        Ok(AccountHandle(AccountRef(Inner::Created(node))))
    }
}

/// E-mails are unique across the organization (compared case-insensitively), as rendered.
fn unique_emails(model: &dyn View, out: &mut Vec<Diagnostic>) {
    let mut seen: FastMap<String, NodeId> = FastMap::default();
    for (node, _) in model.app().each::<AccountData>() {
        let Some(email) = model
            .resource(node)
            .and_then(|r| r.properties.get("Email"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        if let Some(first) = seen.insert(email.to_ascii_lowercase(), node) {
            out.push(Diagnostic::new(
                model.path(node),
                Rule::DuplicateEmail,
                email,
                format!("`{}` already uses this e-mail address", model.path(first)),
                "give every account its own address (plus-addressing works: aws+prod@example.com)",
            ));
            seen.insert(email.to_ascii_lowercase(), first);
        }
    }
}

/// An account as constructs take it: one the app creates (its handle), or an existing
/// one by id (an [`AccountId`](crate::aws::AccountId), or a string checked at synthesis).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccountRef(Inner);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Inner {
    Created(NodeId),
    Existing(String),
}

impl From<&str> for AccountRef {
    fn from(id: &str) -> Self {
        AccountRef(Inner::Existing(id.to_owned()))
    }
}

impl From<String> for AccountRef {
    fn from(id: String) -> Self {
        AccountRef(Inner::Existing(id))
    }
}

impl From<crate::aws::AccountId> for AccountRef {
    fn from(id: crate::aws::AccountId) -> Self {
        AccountRef(Inner::Existing(id.into_string()))
    }
}

impl From<AccountHandle> for AccountRef {
    fn from(h: AccountHandle) -> Self {
        h.0
    }
}

impl From<&AccountHandle> for AccountRef {
    fn from(h: &AccountHandle) -> Self {
        h.0.clone()
    }
}

impl AccountRef {
    /// The account id (12 digits).
    pub fn id(&self) -> Value {
        match &self.0 {
            Inner::Created(n) => Value::from(Expr::node_get_att(*n, "AccountId", 12)),
            Inner::Existing(id) => Value::from(id.as_str()),
        }
    }

    /// The node of an account the app creates (`None` for an existing one).
    pub fn node(&self) -> Option<NodeId> {
        match &self.0 {
            Inner::Created(n) => Some(*n),
            Inner::Existing(_) => None,
        }
    }

    /// Reports an existing account's id that is not 12 digits as a problem of the
    /// construct being checked. (A handle of another app is reported where its id is
    /// rendered, as every reference is.)
    pub(crate) fn check(&self, cx: &mut Check<'_>) {
        if let Inner::Existing(id) = &self.0 {
            if let Err(e) = id.parse::<crate::aws::AccountId>() {
                cx.push(e.to_diagnostic(""));
            }
        }
    }
}

/// An account: created by the app, or existing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccountHandle(AccountRef);

impl AccountHandle {
    /// The account id (12 digits).
    pub fn id(&self) -> Value {
        self.0.id()
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
        self.0.node()
    }
}

/// An account of the app, as the typed model holds it.
#[derive(Debug, Clone, Copy)]
pub struct AccountView<'a> {
    node: NodeId,
    data: &'a AccountData,
}

impl<'a> AccountView<'a> {
    /// The account's handle.
    pub fn handle(&self) -> AccountHandle {
        AccountHandle(AccountRef(Inner::Created(self.node)))
    }

    /// Its name, as given.
    pub fn name(&self) -> &'a str {
        &self.data.name
    }

    /// The e-mail of its root user, as given.
    pub fn email(&self) -> &'a str {
        &self.data.email
    }

    /// Where it sits.
    pub fn parent(&self) -> Parent {
        self.data.parent
    }

    /// Its tags.
    pub fn tags(&self) -> &'a [(String, String)] {
        &self.data.tags
    }

    /// The id of the existing account it adopts ([`Account::adopt`]).
    pub fn adopted_id(&self) -> Option<&'a str> {
        self.data.adopted.as_deref()
    }
}

impl App {
    /// Every account the app renders (created or adopted; not those only referenced), in
    /// declaration order.
    pub fn accounts(&self) -> impl Iterator<Item = AccountView<'_>> + '_ {
        self.each::<AccountData>()
            .map(|(node, data)| AccountView { node, data })
    }
}
