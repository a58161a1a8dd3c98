//! The organization as a Mermaid flowchart: the root, its OUs and accounts, where the
//! Organizations policies attach, and the trust arrows into the roles StackSets deploy
//! elsewhere — thick and labelled `MFA` when the trust requires MFA, dotted and labelled
//! `no MFA` when it does not. An arrow starts at the IAM group whose policies let its
//! members assume the role (labelled with where, when the policy narrows it to OUs or
//! accounts), or at the trusted account when no group of it is granted the role. IAM
//! Identity Center's groups hang off an `Identity Center` node, with a thick arrow per
//! permission set to each OU, account or root the assignment matrix gives it.
//!
//! An OU with more accounts than [`COLLAPSE_OVER`] shows them as one count, and a parent
//! of more OUs than that shows them, with everything below them, as one count of OUs
//! and accounts. An organization of more than [`MAX_OUS`] OUs is drawn down to the depth at
//! which no more than that show.

use std::collections::{HashMap, HashSet};

use crate::app::Scope;
use crate::cfn::{sub_pieces, Expr, NodeId, SubPiece, Target, Value};
use crate::iam::policy::wildcard_match;
use crate::iam::requires_mfa;
use crate::iam::{keys, Effect, GroupData, ManagedPolicyData, ManagedPolicyRef, PolicyDocument};
use crate::org::{Parent, PolicyTargetRef};
use crate::services::{AssignmentTarget, CenterData};
use crate::stackset::{AccountFilter, DeploymentTargetRef, StackSetView};
use crate::App;

/// At most this many OUs are drawn: a larger organization is drawn down to the depth at
/// which no more show, and what is below each OU there becomes one count.
pub const MAX_OUS: usize = 60;

/// An OU with more accounts (or a parent with more OUs) than this shows them as a count.
pub const COLLAPSE_OVER: usize = 12;

/// What a diagram node stands for: a construct, or the count that replaces what is below one.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Node(NodeId),
    /// The OUs (and their accounts) below a parent, collapsed.
    Ous(NodeId),
    /// The accounts of a parent, collapsed.
    Accounts(NodeId),
    /// An account the app holds no node for, by its place in the app.
    Unnamed(usize),
    /// A group of an Identity Center, by its place among the center's groups.
    Group(NodeId, usize),
}

/// Node ids, handed out in order of first use.
struct Ids {
    by_key: HashMap<Key, usize>,
}

impl Ids {
    fn get(&mut self, key: Key) -> String {
        let next = self.by_key.len() + 1;
        format!("n{}", self.by_key.entry(key).or_insert(next))
    }

    fn has(&self, key: Key) -> bool {
        self.by_key.contains_key(&key)
    }
}

/// `text` as the inside of a quoted Mermaid label: what Mermaid would read as markup or
/// as the end of the label (`#`, `"`, `<`, `>`) as its entity code, and line breaks
/// and other control characters (an OU name may hold any) as spaces.
fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn parent_node(p: &Parent) -> NodeId {
    match p {
        Parent::Root(o) => o.node(),
        Parent::Ou(o) => o.node(),
    }
}

/// `kids` and everything below them.
fn below(children: &HashMap<NodeId, Vec<NodeId>>, kids: &[NodeId]) -> Vec<NodeId> {
    let mut all: Vec<NodeId> = kids.to_vec();
    let mut i = 0;
    while i < all.len() {
        if let Some(more) = children.get(&all[i]) {
            all.extend(more.iter().copied());
        }
        i += 1;
    }
    all
}

/// The organization of `app` as a Mermaid flowchart (`flowchart TB`), ending with a newline.
pub fn mermaid(app: &App) -> String {
    let mut ids = Ids {
        by_key: HashMap::new(),
    };
    let mut lines: Vec<String> = vec!["flowchart TB".to_owned()];
    let mut edges: Vec<String> = Vec::new();

    // Each walk over the app visits every node: the OUs and accounts are read once.
    let all_ous: Vec<_> = app.ous().collect();
    let all_accounts: Vec<_> = app.accounts().collect();

    // Roots: one per organization that something hangs under.
    let mut roots: Vec<NodeId> = Vec::new();
    let parents = all_ous
        .iter()
        .map(|ou| ou.parent())
        .chain(all_accounts.iter().map(|a| a.parent()));
    for p in parents {
        if let Parent::Root(o) = p {
            if !roots.contains(&o.node()) {
                lines.push(format!("  {}((\"Root\"))", ids.get(Key::Node(o.node()))));
                roots.push(o.node());
            }
        }
    }

    // Paths only order the OUs (as the construct tree names them); accounts go by node.
    let mut paths: HashMap<NodeId, String> = HashMap::new();
    for ou in &all_ous {
        let parent = parent_node(&ou.parent());
        paths.entry(parent).or_insert_with(|| app.path(&parent));
        paths.insert(ou.handle().node(), app.path(&ou.handle()));
    }

    // A parent of more than COLLAPSE_OVER OUs shows them, and all below them, as one count.
    let mut children: HashMap<NodeId, Vec<NodeId>> = HashMap::new();
    for ou in &all_ous {
        children
            .entry(parent_node(&ou.parent()))
            .or_default()
            .push(ou.handle().node());
    }
    let mut hidden: HashSet<NodeId> = HashSet::new();
    let mut summaries: Vec<(NodeId, Vec<NodeId>)> = Vec::new();
    let mut by_path: Vec<NodeId> = children.keys().copied().collect();
    by_path.sort_by(|a, b| paths[a].cmp(&paths[b]));
    for parent in by_path {
        let kids = &children[&parent];
        if kids.len() <= COLLAPSE_OVER || hidden.contains(&parent) {
            continue;
        }
        let all = below(&children, kids);
        hidden.extend(all.iter().copied());
        summaries.push((parent, all));
    }
    // A large organization is drawn down to the depth at which at most MAX_OUS OUs show;
    // what is below each OU at that depth becomes one count.
    let mut depth: HashMap<NodeId, usize> = HashMap::new();
    for ou in &all_ous {
        let d = match ou.parent() {
            Parent::Root(_) => 1,
            Parent::Ou(p) => depth.get(&p.node()).map_or(1, |d| d + 1),
        };
        depth.insert(ou.handle().node(), d);
    }
    if depth.len() > MAX_OUS {
        let mut shown_depth = 0;
        for d in 1.. {
            let n = depth.values().filter(|&&x| x <= d).count();
            if n > MAX_OUS || n == depth.len() {
                break;
            }
            shown_depth = d;
        }
        let mut cut: Vec<NodeId> = depth
            .iter()
            .filter(|(p, &d)| d == shown_depth && !hidden.contains(*p))
            .map(|(p, _)| *p)
            .collect();
        cut.sort_by(|a, b| paths[a].cmp(&paths[b]));
        for parent in cut {
            let Some(kids) = children.get(&parent) else {
                continue;
            };
            let all = below(&children, kids);
            hidden.extend(all.iter().copied());
            summaries.push((parent, all));
        }
        // A root-level cut (depth 0) leaves the summaries above.
    }
    let mut ou_names: HashMap<NodeId, String> = HashMap::new();
    for ou in &all_ous {
        let node = ou.handle().node();
        ou_names.insert(node, ou.name().to_owned());
        if hidden.contains(&node) {
            continue;
        }
        let id = ids.get(Key::Node(node));
        lines.push(format!("  {id}[\"{}\"]", label(ou.name())));
        let parent = ids.get(Key::Node(parent_node(&ou.parent())));
        edges.push(format!("  {parent} --> {id}"));
    }

    // Accounts, or a count where an OU holds many.
    let mut per_parent: HashMap<NodeId, Vec<(Key, &str)>> = HashMap::new();
    let mut order: Vec<NodeId> = Vec::new();
    let mut account_names: HashMap<NodeId, &str> = HashMap::new();
    for (i, a) in all_accounts.iter().enumerate() {
        let parent = parent_node(&a.parent());
        let kids = per_parent.entry(parent).or_insert_with(|| {
            order.push(parent);
            Vec::new()
        });
        let key = match a.handle().node() {
            Some(n) => {
                account_names.insert(n, a.name());
                Key::Node(n)
            }
            None => Key::Unnamed(i),
        };
        kids.push((key, a.name()));
    }
    for (parent, all) in &summaries {
        if hidden.contains(parent) {
            continue;
        }
        let accounts: usize = all
            .iter()
            .map(|ou| per_parent.get(ou).map_or(0, Vec::len))
            .sum();
        let pid = ids.get(Key::Node(*parent));
        let id = ids.get(Key::Ous(*parent));
        lines.push(format!(
            "  {id}[/\"{} OUs, {accounts} accounts\"/]",
            all.len()
        ));
        edges.push(format!("  {pid} --> {id}"));
    }
    for parent in order {
        if hidden.contains(&parent) {
            continue;
        }
        let accounts = &per_parent[&parent];
        let pid = ids.get(Key::Node(parent));
        if accounts.len() > COLLAPSE_OVER {
            let id = ids.get(Key::Accounts(parent));
            lines.push(format!("  {id}[/\"{} accounts\"/]", accounts.len()));
            edges.push(format!("  {pid} --> {id}"));
            continue;
        }
        for (key, name) in accounts {
            let id = ids.get(*key);
            lines.push(format!("  {id}([\"{}\"])", label(name)));
            edges.push(format!("  {pid} --> {id}"));
        }
    }
    let drawn_account =
        |ids: &Ids, n: NodeId| account_names.contains_key(&n) && ids.has(Key::Node(n));

    // Organizations policies and what they attach to.
    for p in app.policies() {
        let id = ids.get(Key::Node(p.handle().node()));
        lines.push(format!(
            "  {id}{{{{\"{} {}\"}}}}",
            label(short_type(p.policy_type().as_str())),
            label(p.name())
        ));
        for t in p.targets() {
            let target = match t {
                PolicyTargetRef::Root(o) => Some(o.node()),
                PolicyTargetRef::Ou(o) => Some(o.node()),
                PolicyTargetRef::Account(a) => a.node(),
            };
            if let Some(target) = target.filter(|t| ids.has(Key::Node(*t))) {
                edges.push(format!("  {id} -.-> {}", ids.get(Key::Node(target))));
            }
        }
    }

    // IAM groups of a drawn account, with what their policies let them assume.
    let sets: Vec<StackSetView<'_>> = app.stack_sets().collect();
    let groups: Vec<Group> = app
        .each::<GroupData>()
        .filter_map(|(node, data)| {
            let account = deployed_to(app, &sets, node)
                .into_iter()
                .find(|&a| drawn_account(&ids, a))?;
            Some(Group {
                node,
                account,
                name: data
                    .name
                    .clone()
                    .unwrap_or_else(|| app.id_of(&node).unwrap_or("group").to_owned()),
                grants: assume_grants(app, data, &ou_names),
            })
        })
        .collect();
    let mut drawn_groups: HashSet<NodeId> = HashSet::new();

    // Roles deployed by StackSets, trusted from an account of the organization.
    for role in app.roles() {
        // The account it trusts: the one it was made assumable from, else an account of
        // the app its trust policy's principals refer to.
        let mut nodes: Vec<NodeId> = role
            .trusted_account()
            .and_then(|a| a.node())
            .into_iter()
            .collect();
        for st in role.trust().get_statements() {
            for p in st.get_principals() {
                p.value().visit_refs(|r| {
                    if let Target::Node(n) = r.target {
                        nodes.push(n);
                    }
                });
            }
        }
        let Some(trusted) = nodes.into_iter().find(|&n| drawn_account(&ids, n)) else {
            continue;
        };
        let handle = role.handle();
        let Some(stack) = app.stack_of(&handle) else {
            continue;
        };
        let Some(set) = sets.iter().find(|s| s.template() == stack) else {
            continue;
        };
        let mfa = role
            .trust()
            .get_statements()
            .iter()
            .filter(|st| st.effect() == Effect::Allow)
            .all(requires_mfa);
        let role_node = handle.node();
        let id = ids.get(Key::Node(role_node));
        lines.push(format!(
            "  {id}[[\"{} role ({})\"]]",
            label(app.id_of(&handle).unwrap_or("role")),
            label(set.name())
        ));
        let role_name = role.name();
        let arrow = |from: &str, scope: &str| {
            let text = if mfa { "MFA" } else { "no MFA" };
            let text = if scope.is_empty() {
                text.to_owned()
            } else {
                format!("\"{text}: {}\"", label(scope))
            };
            if mfa {
                format!("  {from} ==>|{text}| {id}")
            } else {
                format!("  {from} -.->|{text}| {id}")
            }
        };
        let mut from_group = false;
        for g in groups.iter().filter(|g| g.account == trusted) {
            let Some(scope) = g.scope_for(role_node, role_name) else {
                continue;
            };
            from_group = true;
            let gid = ids.get(Key::Node(g.node));
            if drawn_groups.insert(g.node) {
                lines.push(format!("  {gid}>\"{} group\"]", label(&g.name)));
                edges.push(format!("  {} --- {gid}", ids.get(Key::Node(g.account))));
            }
            let names: Vec<&str> = scope
                .iter()
                .filter_map(|n| {
                    ou_names
                        .get(n)
                        .map(String::as_str)
                        .or_else(|| account_names.get(n).copied())
                })
                .collect();
            edges.push(arrow(&gid, &names.join(", ")));
        }
        if !from_group {
            let from = ids.get(Key::Node(trusted));
            edges.push(arrow(&from, ""));
        }
        // Where it is deployed: the listed accounts when the StackSet keeps only those,
        // else the OUs (or root) it targets.
        for target in deployment(set) {
            if ids.has(Key::Node(target)) {
                edges.push(format!("  {id} --- {}", ids.get(Key::Node(target))));
            }
        }
    }
    identity_center(app, &mut ids, &mut lines, &mut edges);
    lines.extend(edges);
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// IAM Identity Center: its groups, each with a thick arrow per permission set to where the
/// matrix assigns it (the root, an OU, an account), labelled with the permission set.
fn identity_center(app: &App, ids: &mut Ids, lines: &mut Vec<String>, edges: &mut Vec<String>) {
    for (center, data) in app.each::<CenterData>() {
        if data.rows.is_empty() {
            continue;
        }
        let cid = ids.get(Key::Node(center));
        lines.push(format!("  {cid}[(\"Identity Center\")]"));
        let mut drawn: Vec<&str> = Vec::new();
        for row in &data.rows {
            let target = match &row.target {
                AssignmentTarget::Organization(o) => Some(o.node()),
                AssignmentTarget::Ou(o) => Some(o.node()),
                AssignmentTarget::Account(a) => a.node(),
            };
            let Some(target) = target.filter(|t| ids.has(Key::Node(*t))) else {
                continue;
            };
            let gid = ids.get(Key::Group(center, group_index(data, &row.group)));
            if !drawn.contains(&row.group.as_str()) {
                drawn.push(&row.group);
                let name = data
                    .groups
                    .iter()
                    .find(|(key, _)| *key == row.group)
                    .map_or(row.group.as_str(), |(_, name)| name.as_str());
                lines.push(format!("  {gid}>\"{} group\"]", label(name)));
                edges.push(format!("  {cid} --- {gid}"));
            }
            let to = ids.get(Key::Node(target));
            edges.push(format!("  {gid} ==>|\"{}\"| {to}", label(&row.set)));
        }
    }
}

fn group_index(data: &CenterData, key: &str) -> usize {
    data.groups
        .iter()
        .position(|(k, _)| k == key)
        .unwrap_or(data.groups.len())
}

/// Where a StackSet deploys, as nodes: the listed accounts when it keeps only those, else
/// the OUs (or root) it targets.
fn deployment(set: &StackSetView<'_>) -> Vec<NodeId> {
    let (filter, listed) = set.accounts();
    let accounts: Vec<NodeId> = if filter == Some(AccountFilter::Intersection) {
        listed.iter().filter_map(|a| a.node()).collect()
    } else {
        Vec::new()
    };
    if !accounts.is_empty() {
        return accounts;
    }
    set.targets()
        .iter()
        .map(|t| match t {
            DeploymentTargetRef::Root(o) => o.node(),
            DeploymentTargetRef::Ou(o) => o.node(),
        })
        .collect()
}

/// The accounts a construct is deployed to, when its stack is a StackSet's template that
/// lists them.
fn deployed_to(app: &App, sets: &[StackSetView<'_>], node: NodeId) -> Vec<NodeId> {
    let Some(stack) = app.stack_of(&node) else {
        return Vec::new();
    };
    let Some(set) = sets.iter().find(|s| s.template() == stack) else {
        return Vec::new();
    };
    match set.accounts() {
        (Some(AccountFilter::Intersection | AccountFilter::Union), listed) => {
            listed.iter().filter_map(|a| a.node()).collect()
        }
        _ => Vec::new(),
    }
}

/// A group drawn in its account, with the roles it may assume.
struct Group {
    node: NodeId,
    account: NodeId,
    name: String,
    grants: Vec<Grant>,
}

/// An `Allow` of `sts:AssumeRole`: on the role with this node, or on roles whose name
/// matches the pattern after `:role/`, narrowed to the OUs and accounts it refers to.
struct Grant {
    role: RoleMatch,
    scope: Vec<NodeId>,
}

enum RoleMatch {
    Node(NodeId),
    Name(String),
}

impl Group {
    /// Where the group may assume the role (empty: wherever it is), or `None` when its
    /// policies do not grant it.
    fn scope_for(&self, role: NodeId, name: Option<&str>) -> Option<Vec<NodeId>> {
        let mut scope: Option<Vec<NodeId>> = None;
        for g in &self.grants {
            let granted = match &g.role {
                RoleMatch::Node(n) => *n == role,
                RoleMatch::Name(pattern) => {
                    name.is_some_and(|name| wildcard_match(pattern, name, true))
                }
            };
            if !granted {
                continue;
            }
            let s = scope.get_or_insert_with(Vec::new);
            for n in &g.scope {
                if !s.contains(n) {
                    s.push(*n);
                }
            }
        }
        scope
    }
}

/// The `sts:AssumeRole` grants of a group's inline policies and of the managed policies the
/// app creates for it.
fn assume_grants(app: &App, data: &GroupData, ous: &HashMap<NodeId, String>) -> Vec<Grant> {
    let mut docs: Vec<&PolicyDocument> = data.attachments.inline.iter().map(|(_, d)| d).collect();
    for m in &data.attachments.managed {
        if let ManagedPolicyRef::Created(h) = m {
            if let Some(p) = app.typed::<ManagedPolicyData>(h.node()) {
                docs.push(&p.document);
            }
        }
    }
    let mut out = Vec::new();
    for st in docs.iter().flat_map(|d| d.get_statements()) {
        if st.effect() != Effect::Allow
            || !st.get_not_actions().is_empty()
            || !st.get_actions().iter().any(|a| a.matches("sts:AssumeRole"))
        {
            continue;
        }
        // Narrowed to OUs by `aws:ResourceOrgPaths`: the deepest OU each path names.
        let mut scope: Vec<NodeId> = Vec::new();
        for c in st.get_conditions() {
            if c.key.as_str() != keys::RESOURCE_ORG_PATHS.as_str() {
                continue;
            }
            for v in &c.values {
                let mut named: Vec<NodeId> = Vec::new();
                v.visit_refs(|r| {
                    if let Target::Node(n) = r.target {
                        if ous.contains_key(&n) {
                            named.push(n);
                        }
                    }
                });
                if let Some(last) = named.last() {
                    scope.push(*last);
                }
            }
        }
        for r in st.get_resources() {
            let (role, accounts) = role_of(r);
            let Some(role) = role else { continue };
            let mut scope = scope.clone();
            scope.extend(accounts);
            out.push(Grant { role, scope });
        }
    }
    out
}

/// What a `Resource` of an `sts:AssumeRole` grant names: the role (by node, or by a pattern
/// of its name) and the accounts of the app it refers to.
fn role_of(v: &Value) -> (Option<RoleMatch>, Vec<NodeId>) {
    let mut accounts = Vec::new();
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Expr(e) => match &**e {
            Expr::Ref(r) => {
                return match r.target {
                    Target::Node(n) => (Some(RoleMatch::Node(n)), accounts),
                    Target::Logical(_) => (None, accounts),
                };
            }
            Expr::Sub(template, vars) => {
                for var in vars.values() {
                    var.visit_refs(|r| {
                        if let Target::Node(n) = r.target {
                            accounts.push(n);
                        }
                    });
                }
                sub_pattern(template)
            }
            _ => return (None, accounts),
        },
        Value::Shared(inner) => return role_of(inner),
        _ => return (None, accounts),
    };
    let role = if text == "*" {
        Some(RoleMatch::Name("*".to_owned()))
    } else {
        text.split_once(":role/")
            .map(|(_, name)| RoleMatch::Name(name.rsplit('/').next().unwrap_or(name).to_owned()))
    };
    (role, accounts)
}

/// An `Fn::Sub` template as a pattern: `${AWS::Partition}` is `aws`, any other variable
/// matches anything, and `${!…}` is the literal it escapes.
fn sub_pattern(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    for piece in sub_pieces(template) {
        match piece {
            SubPiece::Text(t) | SubPiece::Unclosed(t) => out.push_str(t),
            SubPiece::Escaped(literal) => {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
            }
            SubPiece::Var("AWS::Partition") => out.push_str("aws"),
            SubPiece::Var(_) => out.push('*'),
        }
    }
    out
}

fn short_type(t: &str) -> &str {
    match t {
        "SERVICE_CONTROL_POLICY" => "SCP",
        "RESOURCE_CONTROL_POLICY" => "RCP",
        "TAG_POLICY" => "tag policy",
        "BACKUP_POLICY" => "backup policy",
        "AISERVICES_OPT_OUT_POLICY" => "AI opt-out policy",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::label;

    #[test]
    fn labels_keep_markup_and_line_breaks_out_of_the_diagram() {
        assert_eq!(label("Prod"), "Prod");
        assert_eq!(
            label("a\"b#c<i>d</i>\ne\tf"),
            "a#quot;b#35;c#lt;i#gt;d#lt;/i#gt; e f"
        );
    }
}
