//! What the constructs of the library are to the app: typed data kept in the tree until
//! synthesis ([`Typed`], [`Lower`]), rules that derive resources from the whole model
//! ([`Aspect`]), and what their checks see ([`View`], [`Check`]). Below the tree and the
//! steps of synthesis, so both can name them.

use std::any::Any;
use std::borrow::Cow;
use std::fmt::Debug;

use super::App;
use crate::cfn::{NodeId, Resource, Value};
use crate::error::{Diagnostic, Rule};
use crate::quotas::Quotas;

/// What a construct of the library means, kept typed in the tree until synthesis.
pub(crate) trait Typed: Any + Debug + Send + Sync {
    /// Problems of its typed data that the resource schema does not catch (property values
    /// are checked on the lowered resource).
    fn validate(&self, _cx: &mut Check<'_>) {}

    /// Constructs it must be created after although it does not reference them (a
    /// StackSet waits for the accounts it deploys to), found in the typed model at
    /// synthesis so that constructs added later count too.
    fn waits_for(&self, _app: &App, _out: &mut Vec<NodeId>) {}

    /// What CloudFormation cannot do for it (trusted access, a delegated administrator),
    /// found in the typed model at synthesis; the deploy plan derives its steps from them.
    fn needs(&self, _app: &App, _out: &mut Vec<crate::cfn::needs::Need>) {}
    /// Calls `f` on every template value of its typed data that came from the user (policy
    /// documents' resources, principals and condition values, policy contents, ARNs),
    /// with the name of what holds it: synthesis checks their nesting before it lowers
    /// anything.
    fn values(&self, _f: &mut dyn FnMut(&str, &Value)) {}

    /// A check over every construct of this type at once, run once per synthesis.
    fn check_all(&self) -> Option<fn(&dyn View, &mut Vec<Diagnostic>)> {
        None
    }

    /// For a construct that stands for something that exists already and is adopted into
    /// CloudFormation management by resource import: the property of its primary
    /// identifier (`AccountId`, `Id`) and its value.
    fn adopted(&self) -> Option<(&'static str, &str)> {
        None
    }

    /// For an adopted construct: the properties its import template holds instead of what
    /// it lowers to, as what exists differs from what the app declares (`None` removes
    /// one). Empty when they are the same.
    fn import_overrides(&self) -> Vec<(&'static str, Option<crate::cfn::Value>)> {
        Vec::new()
    }

    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

/// A typed construct that stands for one resource.
pub(crate) trait Lower: Typed {
    /// The CloudFormation type it lowers to.
    fn resource_type(&self) -> &'static str;

    /// The resource it stands for; references to other constructs stay references.
    fn lower(&self) -> Resource;
}

/// Implements `as_any`/`as_any_mut` for a [`Typed`] type.
macro_rules! any_impls {
    () => {
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
        fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
            self
        }
    };
}
pub(crate) use any_impls;

/// A rule over the whole app that derives resources at synthesis: what the model implies
/// for every construct of a kind, whichever path added it (a budget for every account).
pub(crate) trait Aspect: Debug + Send + Sync + 'static {
    /// Derives part `part` of `parts` of what the aspect derives (e.g. for the `part`-th
    /// contiguous share of the accounts): the parts run side by side, and their results,
    /// in part order, are the same as one part's would be.
    fn derive(&self, app: &App, part: usize, parts: usize, out: &mut Derived);
}

/// The `part`-th of `parts` contiguous shares of `items`, in order.
pub(crate) fn share<T>(items: &[T], part: usize, parts: usize) -> &[T] {
    let parts = parts.max(1);
    let per = items.len().div_ceil(parts);
    let start = (part * per).min(items.len());
    &items[start..(start + per).min(items.len())]
}

/// Resources an aspect derives, each under an existing construct.
#[derive(Debug, Default)]
pub(crate) struct Derived {
    pub(super) nodes: Vec<DerivedNode>,
}

/// One derived resource.
#[derive(Debug)]
pub(super) struct DerivedNode {
    pub(super) parent: NodeId,
    pub(super) id: Cow<'static, str>,
    pub(super) resource: Resource,
    /// A unit of its own that stack splitting may place in an overflow stack.
    pub(super) movable: Option<crate::app::Spill>,
    /// Created at most `width` of `group` at a time in its template.
    pub(super) serial_group: Option<(&'static str, u16)>,
}

impl Derived {
    /// Makes room for `n` more resources.
    pub(crate) fn reserve(&mut self, n: usize) {
        self.nodes.reserve(n);
    }

    /// Adds `resource` under `parent` with construct id `id`.
    pub(crate) fn add(
        &mut self,
        parent: NodeId,
        id: impl Into<Cow<'static, str>>,
        resource: Resource,
    ) {
        self.nodes.push(DerivedNode {
            parent,
            id: id.into(),
            resource,
            movable: None,
            serial_group: None,
        });
    }

    /// Adds `resource` under `parent` with construct id `id`, as a unit stack splitting
    /// places on its own (`spill`), created at most `width` of `group` at a time in its
    /// template (see [`App::set_bounded_group`](crate::App::set_bounded_group)).
    pub(crate) fn add_unit(
        &mut self,
        parent: NodeId,
        id: impl Into<Cow<'static, str>>,
        resource: Resource,
        spill: crate::app::Spill,
        (group, width): (&'static str, u16),
    ) {
        self.nodes.push(DerivedNode {
            parent,
            id: id.into(),
            resource,
            movable: Some(spill),
            serial_group: Some((group, width.max(1))),
        });
    }
}

/// What checks read of the app once it is lowered: every resource as it will be rendered.
pub(crate) trait View {
    /// The app.
    fn app(&self) -> &App;
    /// The resource a node renders, if it is one.
    fn resource(&self, n: NodeId) -> Option<&Resource>;
    /// The construct's path.
    fn path(&self, n: NodeId) -> String;
    /// The quotas checked against.
    fn quotas(&self) -> &Quotas;
}

/// What a construct's validation sees: the model, its own node, and where problems go.
pub(crate) struct Check<'m> {
    pub(crate) model: &'m dyn View,
    pub(crate) node: NodeId,
    path: Option<String>,
    out: &'m mut Vec<Diagnostic>,
}

impl<'m> Check<'m> {
    pub(crate) fn new(model: &'m dyn View, node: NodeId, out: &'m mut Vec<Diagnostic>) -> Self {
        Check {
            model,
            node,
            path: None,
            out,
        }
    }

    /// The construct's path, computed once and only when a problem is reported.
    pub(crate) fn path(&mut self) -> &str {
        let (model, node) = (self.model, self.node);
        self.path.get_or_insert_with(|| model.path(node))
    }

    /// Reports a problem of this construct.
    pub(crate) fn report(
        &mut self,
        rule: Rule,
        value: impl AsRef<str>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let path = self.path().to_owned();
        self.out
            .push(Diagnostic::new(path, rule, value, message, hint));
    }

    /// Reports a ready-made diagnostic at this construct's path.
    pub(crate) fn push(&mut self, mut d: Diagnostic) {
        d.path = self.path().to_owned();
        self.out.push(d);
    }

    pub(crate) fn quotas(&self) -> &Quotas {
        self.model.quotas()
    }
}

#[cfg(test)]
mod tests {
    use super::share;

    #[test]
    fn shares_are_contiguous_in_order_and_cover_everything() {
        let items: Vec<u32> = (0..7).collect();
        let parts: Vec<&[u32]> = (0..3).map(|p| share(&items, p, 3)).collect();
        assert_eq!(parts, [&[0, 1, 2][..], &[3, 4, 5], &[6]]);
        assert_eq!(share(&items, 0, 1), &items[..]);
        assert!(share(&[] as &[u32], 1, 2).is_empty());
        assert!(share(&items, 5, 3).is_empty());
    }
}
