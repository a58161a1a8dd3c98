//! Organizational units and the parents accounts and OUs hang from.

use crate::app::{App, Construct};
use crate::cfn::{Expr, NodeId, Resource, Value};
use crate::error::{Diagnostic, Result, Rule};

use super::account::{Account, AccountHandle};
use super::checks::tag_problem;
use super::organization::OrganizationHandle;
use super::policy::PolicyTarget;

/// Longest OU id (`ou-` and up to 65 characters).
pub(crate) const OU_ID_MAX: usize = 68;

/// An organizational unit to add under the root or another OU.
///
/// Its name is also its construct id: names are unique among siblings, and the OU's
/// logical ID follows from its place in the tree.
#[derive(Debug, Clone)]
#[must_use]
pub struct OrganizationalUnit {
    name: String,
    tags: Vec<(String, String)>,
}

impl OrganizationalUnit {
    /// An OU named `name` (1–128 characters).
    pub fn new(name: impl Into<String>) -> Self {
        OrganizationalUnit {
            name: name.into(),
            tags: Vec::new(),
        }
    }

    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }
}

/// Where an OU or an account sits: the root or an OU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Parent {
    /// The organization's root.
    Root(OrganizationHandle),
    /// An organizational unit.
    Ou(OuHandle),
}

impl From<OrganizationHandle> for Parent {
    fn from(o: OrganizationHandle) -> Self {
        Parent::Root(o)
    }
}

impl From<OuHandle> for Parent {
    fn from(o: OuHandle) -> Self {
        Parent::Ou(o)
    }
}

impl Parent {
    /// The parent's id (`r-…` or `ou-…`).
    pub fn id(&self) -> Expr {
        match self {
            Parent::Root(o) => o.root_id(),
            Parent::Ou(ou) => ou.id(),
        }
    }

    /// The organization the parent belongs to.
    pub fn organization(&self) -> OrganizationHandle {
        match self {
            Parent::Root(o) => *o,
            Parent::Ou(ou) => ou.org,
        }
    }

    /// Depth under the root: 0 for the root, 1 for a top-level OU.
    pub fn depth(&self) -> usize {
        match self {
            Parent::Root(_) => 0,
            Parent::Ou(ou) => ou.depth,
        }
    }

    fn tree_node(&self) -> NodeId {
        match self {
            Parent::Root(o) => o.node(),
            Parent::Ou(ou) => ou.node,
        }
    }

    /// Adds an OU under this parent.
    ///
    /// # Errors
    /// [`Error::DuplicateId`](crate::Error::DuplicateId) if the parent already has an OU
    /// of that name. A bad name and a depth past the quota are reported at synthesis.
    pub fn add_ou(&self, app: &mut App, ou: OrganizationalUnit) -> Result<OuHandle> {
        let depth = self.depth() + 1;
        let org = self.organization();
        let mut res = Resource::new("AWS::Organizations::OrganizationalUnit")
            .property("Name", ou.name.as_str())
            .property("ParentId", self.id());
        if !ou.tags.is_empty() {
            res = res.property("Tags", crate::cfn::tags(&ou.tags));
        }
        let handle = app.add_resource(&self.tree_node(), ou.name.as_str(), res)?;
        app.set_movable(&handle, crate::Spill::Shared { group: "Units" })?;
        let path = app.path(&handle);
        if !(1..=128).contains(&ou.name.chars().count()) {
            app.report(Diagnostic::new(
                &path,
                Rule::OuName,
                &ou.name,
                "an OU name must be 1 to 128 characters",
                "shorten the name",
            ));
        }
        let max = app.quotas().ou_depth;
        if depth > max {
            app.report(Diagnostic::new(
                &path,
                Rule::OuDepth,
                depth.to_string(),
                format!(
                    "OUs nest at most {max} levels under the root; this one is at level {depth}"
                ),
                "flatten the hierarchy: group by tags or by name instead of another level",
            ));
        }
        report_tags(app, &path, &ou.tags);
        Ok(OuHandle {
            node: handle.node(),
            org,
            depth,
        })
    }

    /// Adds an account under this parent.
    ///
    /// # Errors
    /// As [`Account`]'s build; see [`OrganizationHandle::add_account`].
    pub fn add_account(&self, app: &mut App, account: Account) -> Result<AccountHandle> {
        account.build(app, *self)
    }
}

/// An organizational unit in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OuHandle {
    node: NodeId,
    org: OrganizationHandle,
    depth: usize,
}

impl Construct for OuHandle {
    fn node(&self) -> NodeId {
        self.node
    }
}

impl OuHandle {
    /// The OU's id (`ou-…`).
    pub fn id(&self) -> Expr {
        Expr::node_ref(self.node, OU_ID_MAX)
    }

    /// The OU's ARN.
    pub fn arn(&self) -> Expr {
        Expr::node_get_att(self.node, "Arn", 160)
    }

    /// Depth under the root (1 for a top-level OU).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The organization.
    pub fn organization(&self) -> OrganizationHandle {
        self.org
    }

    /// Adds an OU under this one.
    ///
    /// # Errors
    /// As [`Parent::add_ou`].
    pub fn add_ou(&self, app: &mut App, ou: OrganizationalUnit) -> Result<OuHandle> {
        Parent::Ou(*self).add_ou(app, ou)
    }

    /// Adds an account to this OU.
    ///
    /// # Errors
    /// As [`Parent::add_account`].
    pub fn add_account(&self, app: &mut App, account: Account) -> Result<AccountHandle> {
        Parent::Ou(*self).add_account(app, account)
    }
}

impl OrganizationHandle {
    /// Adds an OU under the root.
    ///
    /// # Errors
    /// As [`Parent::add_ou`].
    pub fn add_ou(&self, app: &mut App, ou: OrganizationalUnit) -> Result<OuHandle> {
        Parent::Root(*self).add_ou(app, ou)
    }

    /// Adds an account under the root.
    ///
    /// # Errors
    /// [`Error::DuplicateId`](crate::Error::DuplicateId) if an account with that id
    /// exists in the stack. Invalid names and e-mails are reported at synthesis.
    pub fn add_account(&self, app: &mut App, account: Account) -> Result<AccountHandle> {
        Parent::Root(*self).add_account(app, account)
    }
}

impl PolicyTarget for OuHandle {
    fn target_id(&self) -> Value {
        Value::from(self.id())
    }
}

pub(crate) fn report_tags(app: &mut App, path: &str, tags: &[(String, String)]) {
    for (k, v) in tags {
        if let Some(why) = tag_problem(k, v) {
            app.report(Diagnostic::new(
                path,
                Rule::PropertyValue,
                format!("{k}={v}"),
                why,
                "fix the tag",
            ));
        }
    }
}
