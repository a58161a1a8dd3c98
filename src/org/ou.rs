//! Organizational units and the parents accounts and OUs hang from.

use crate::app::{any_impls, App, Check, Construct, Lower, Scope, Typed};
use crate::cfn::{Expr, NodeId, Resource};
use crate::error::{Result, Rule};

use super::organization::OrganizationHandle;

/// How many OUs of one template Organizations is asked to create at once. OU creation is
/// throttled; five keeps a burst well under the throttle while a template of five OUs or
/// fewer gets no extra `DependsOn`. (Nested OUs wait for their parent anyway, through
/// `ParentId`.)
pub const OUS_AT_ONCE: u16 = 5;
const OU_GROUP: &str = "aws-organizations-ou";

/// Longest OU id (`ou-` and up to 65 characters).
pub(crate) const OU_ID_MAX: usize = 68;

/// An organizational unit to add under the root or another OU.
///
/// Its name is also its construct id: names are unique among siblings, and the OU's
/// logical ID follows from its place in the tree.
///
/// ```
/// use orgstack::{App, org::{Organization, OrganizationalUnit}};
/// let mut app = App::new();
/// let stack = app.stack("Management")?;
/// let org = app.add(&stack, Organization::create())?;
/// let workloads = app.add(&org, OrganizationalUnit::new("Workloads"))?;
/// let prod = app.add(&workloads, OrganizationalUnit::new("Prod"))?;
/// assert_eq!(prod.depth(), 2);
/// assert_eq!(app.ous().count(), 2);
/// # Ok::<(), orgstack::Error>(())
/// ```
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
#[non_exhaustive]
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

impl From<&OrganizationHandle> for Parent {
    fn from(o: &OrganizationHandle) -> Self {
        Parent::Root(*o)
    }
}

impl From<OuHandle> for Parent {
    fn from(o: OuHandle) -> Self {
        Parent::Ou(o)
    }
}

impl From<&OuHandle> for Parent {
    fn from(o: &OuHandle) -> Self {
        Parent::Ou(*o)
    }
}

impl Scope for Parent {
    fn node(&self) -> NodeId {
        match self {
            Parent::Root(o) => o.node(),
            Parent::Ou(ou) => ou.node,
        }
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

    /// The node of the organization the parent belongs to.
    pub(crate) fn organization_node(&self) -> NodeId {
        self.organization().node()
    }

    /// Depth under the root: 0 for the root, 1 for a top-level OU.
    pub fn depth(&self) -> usize {
        match self {
            Parent::Root(_) => 0,
            Parent::Ou(ou) => ou.depth,
        }
    }
}

/// An OU as the app holds it until synthesis.
#[derive(Debug, Clone)]
pub(crate) struct OuData {
    pub(crate) name: String,
    pub(crate) parent: Parent,
    pub(crate) tags: Vec<(String, String)>,
    depth: usize,
}

impl Typed for OuData {
    fn validate(&self, cx: &mut Check<'_>) {
        let max = cx.quotas().ou_depth;
        if self.depth > max {
            cx.report(
                Rule::OuDepth,
                self.depth.to_string(),
                format!(
                    "OUs nest at most {max} levels under the root; this one is at level {}",
                    self.depth
                ),
                "flatten the hierarchy: group by tags or by name instead of another level",
            );
        }
    }
    any_impls!();
}

impl Lower for OuData {
    fn resource_type(&self) -> &'static str {
        "AWS::Organizations::OrganizationalUnit"
    }

    fn lower(&self) -> Resource {
        let mut res = Resource::new(self.resource_type())
            .property("Name", self.name.as_str())
            .property("ParentId", self.parent.id());
        if !self.tags.is_empty() {
            res = res.property("Tags", crate::cfn::tags(&self.tags));
        }
        res
    }
}

impl<P: Into<Parent> + Copy> Construct<P> for OrganizationalUnit {
    type Handle = OuHandle;

    /// Adds the OU under the root or an OU; a bad name and a depth past the quota are
    /// reported at synthesis.
    fn build(self, app: &mut App, parent: &P) -> Result<OuHandle> {
        let parent: Parent = (*parent).into();
        let depth = parent.depth() + 1;
        let data = OuData {
            name: self.name.clone(),
            parent,
            tags: self.tags,
            depth,
        };
        let node = app.add_typed(parent.node(), self.name, data);
        app.set_movable(&node, crate::Spill::Shared { group: "Units" });
        app.set_bounded_group(&node, OU_GROUP, OUS_AT_ONCE);
        Ok(OuHandle {
            node,
            org: parent.organization(),
            depth,
        })
    }
}

/// An organizational unit in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OuHandle {
    node: NodeId,
    org: OrganizationHandle,
    depth: usize,
}

impl Scope for OuHandle {
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

    /// Where the OU sits, as `app` holds it (`None` for an OU of another app).
    pub fn parent(&self, app: &App) -> Option<Parent> {
        app.typed::<OuData>(self.node).map(|d| d.parent)
    }
}

/// An OU of the app, as the typed model holds it.
#[derive(Debug, Clone, Copy)]
pub struct OuView<'a> {
    handle: OuHandle,
    data: &'a OuData,
}

impl<'a> OuView<'a> {
    /// The OU's handle.
    pub fn handle(&self) -> OuHandle {
        self.handle
    }

    /// Its name.
    pub fn name(&self) -> &'a str {
        &self.data.name
    }

    /// Where it sits.
    pub fn parent(&self) -> Parent {
        self.data.parent
    }

    /// Its tags.
    pub fn tags(&self) -> &'a [(String, String)] {
        &self.data.tags
    }
}

impl App {
    /// Every OU of the app, in declaration order.
    pub fn ous(&self) -> impl Iterator<Item = OuView<'_>> + '_ {
        self.each::<OuData>().map(|(node, data)| OuView {
            handle: OuHandle {
                node,
                org: data.parent.organization(),
                depth: data.depth,
            },
            data,
        })
    }
}
