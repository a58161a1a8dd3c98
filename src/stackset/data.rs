//! A StackSet as the app holds it until synthesis: its checks, what it lowers to, and the
//! accounts it waits for.

use crate::app::{any_impls, App, Check, Construct, Lower, Scope, StackHandle, Typed};
use crate::cfn::hash::FastMap;
use crate::cfn::{Map, NodeId, Pseudo, Resource, Value};
use crate::error::{Result, Rule};
use crate::obj;
use crate::org::{AccountRef, Parent};

use super::{
    AccountFilter, CallAs, DeploymentTargetRef, PermissionModel, StackSet, StackSetHandle,
    STACK_SET_TYPE, TEMPLATE_ID,
};

/// Whether `parent` is, or is below, one of `targets` (sorted); `memo` remembers the
/// answer for each OU met.
fn is_under(
    app: &App,
    parent: Parent,
    targets: &[NodeId],
    memo: &mut FastMap<NodeId, bool>,
) -> bool {
    let node = parent.node();
    if let Some(&known) = memo.get(&node) {
        return known;
    }
    let answer = targets.binary_search(&node).is_ok()
        || match parent {
            Parent::Root(_) => false,
            Parent::Ou(ou) => ou
                .parent(app)
                .is_some_and(|p| is_under(app, p, targets, memo)),
        };
    memo.insert(node, answer);
    answer
}

/// A StackSet as the app holds it until synthesis.
#[derive(Debug, Clone)]
pub(crate) struct StackSetData {
    pub(super) def: StackSet,
    pub(super) member: StackHandle,
}

impl Typed for StackSetData {
    /// The accounts the StackSet deploys to, so that its instances are created once they
    /// exist: every account under a targeted OU (or the root), narrowed or widened by the
    /// account filter.
    fn waits_for(&self, app: &App, out: &mut Vec<NodeId>) {
        let s = &self.def;
        let listed: Vec<NodeId> = s.accounts.iter().filter_map(AccountRef::node).collect();
        if s.permission_model == PermissionModel::SelfManaged
            || s.filter == Some(AccountFilter::Intersection)
        {
            out.extend(listed);
            return;
        }
        let mut targets: Vec<NodeId> = s.targets.iter().map(|t| t.node()).collect();
        targets.sort();
        let mut under: FastMap<NodeId, bool> = FastMap::default();
        for account in app.accounts() {
            let Some(node) = account.handle().node() else {
                continue;
            };
            let excluded = s.filter == Some(AccountFilter::Difference) && listed.contains(&node);
            if !excluded && is_under(app, account.parent(), &targets, &mut under) {
                out.push(node);
            }
        }
        if s.filter == Some(AccountFilter::Union) {
            for n in listed {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
        }
    }

    fn validate(&self, cx: &mut Check<'_>) {
        let s = &self.def;
        let service_managed = s.permission_model == PermissionModel::ServiceManaged;
        let no_targets = if service_managed {
            s.targets.is_empty()
        } else {
            s.accounts.is_empty()
        };
        if no_targets {
            cx.report(
                Rule::StackSetTargets,
                "",
                if service_managed {
                    "a service-managed StackSet needs at least one OU or the root as target"
                } else {
                    "a self-managed StackSet needs at least one account"
                },
                "call `.target(&ou)` (or `.accounts(…)` for self-managed)",
            );
        }
        if service_managed && s.filter.is_some() && s.accounts.is_empty() {
            cx.report(
                Rule::StackSetTargets,
                "",
                "an account filter needs at least one account",
                "pass the accounts to `.accounts(…)`",
            );
        }
        for a in &s.accounts {
            a.check(cx);
        }
        for (i, r) in s.regions.iter().enumerate() {
            if let Err(e) = r.parse::<crate::aws::Region>() {
                cx.push(e.to_diagnostic(""));
            } else if s.regions[..i].contains(r) {
                cx.push(
                    crate::Diagnostic::new(
                        "",
                        Rule::Region,
                        r,
                        "the region is listed twice; the StackSet deploys to it once",
                        "list each region once",
                    )
                    .with_severity(crate::Severity::Warning),
                );
            }
        }
        if let Some(p) = &s.preferences {
            for (value, why, fix) in p.problems() {
                cx.report(Rule::PropertyValue, value, why, fix);
            }
        }
    }
    any_impls!();
}

impl Lower for StackSetData {
    fn resource_type(&self) -> &'static str {
        STACK_SET_TYPE
    }

    fn lower(&self) -> Resource {
        let s = &self.def;
        let mut res = Resource::new(STACK_SET_TYPE).property("StackSetName", s.name.as_str());
        if let Some(d) = &s.description {
            res = res.property("Description", d.as_str());
        }
        res = res.property("PermissionModel", s.permission_model.as_str());
        let service_managed = s.permission_model == PermissionModel::ServiceManaged;
        if service_managed {
            res = res.property(
                "AutoDeployment",
                obj! {
                    "Enabled" => s.auto_deployment,
                    "RetainStacksOnAccountRemoval" => s.retain_on_removal,
                },
            );
        }
        if let Some(c) = s.call_as {
            res = res.property(
                "CallAs",
                match c {
                    CallAs::SelfAccount => "SELF",
                    CallAs::DelegatedAdmin => "DELEGATED_ADMIN",
                },
            );
        }
        if let Some(p) = &s.preferences {
            res = res.property("OperationPreferences", p.to_value());
        }
        let accounts = || Value::List(s.accounts.iter().map(AccountRef::id).collect());
        let mut targets = Map::default();
        if service_managed {
            targets.insert(
                "OrganizationalUnitIds".into(),
                Value::List(s.targets.iter().map(DeploymentTargetRef::id).collect()),
            );
            if let Some(f) = s.filter {
                targets.insert("Accounts".into(), accounts());
                targets.insert("AccountFilterType".into(), f.as_str().into());
            }
        } else {
            targets.insert("Accounts".into(), accounts());
        }
        let mut regions: Vec<Value> = Vec::with_capacity(s.regions.len());
        for r in &s.regions {
            let r = Value::from(r.as_str());
            if !regions.contains(&r) {
                regions.push(r);
            }
        }
        if regions.is_empty() {
            regions.push(Value::from(Pseudo::Region));
        }
        res.property(
            "StackInstancesGroup",
            Value::List(vec![obj! {
                "DeploymentTargets" => Value::Map(targets),
                "Regions" => Value::List(regions),
            }]),
        )
    }
}

impl<P: Scope + ?Sized> Construct<P> for StackSet {
    type Handle = StackSetHandle;

    /// Adds the StackSet to `stack` and returns a handle whose
    /// [`template`](StackSetHandle::template) is the member stack to build into. A bad
    /// name or missing targets are reported at synthesis.
    fn build(self, app: &mut App, parent: &P) -> Result<StackSetHandle> {
        let parent = parent.node();
        let stack = &app.stack_of(&parent).unwrap_or(StackHandle(parent));
        let id = self.id.clone();
        let description = self.template_description.clone();
        // The member stack is known once the StackSet is in the tree.
        let data = StackSetData {
            def: self,
            member: *stack,
        };
        let carrier = app.add_typed(parent, id, data);
        let member = app.add_member_stack(carrier, TEMPLATE_ID, carrier);
        if let Some(d) = app.typed_mut::<StackSetData>(carrier, "add") {
            d.member = member;
        }
        if let Some(d) = description {
            app.set_stack_description(&member, d);
        }
        Ok(StackSetHandle { carrier, member })
    }
}
