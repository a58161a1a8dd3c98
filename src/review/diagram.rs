//! The organization as a Mermaid flowchart: the root, its OUs and accounts, where the
//! Organizations policies attach, and the trust arrows from the accounts people sign in to
//! into the roles StackSets deploy elsewhere — thick and labelled `MFA` when the trust
//! requires MFA, dotted and labelled `no MFA` when it does not.
//!
//! An OU with more accounts than [`COLLAPSE_OVER`] shows them as one count, and a parent
//! of more OUs than that shows them, with everything below them, as one count of OUs
//! and accounts. An organization of more than [`MAX_OUS`] OUs is drawn down to the depth at
//! which no more than that show.

use std::collections::BTreeMap;

use crate::iam::requires_mfa;
use crate::iam::Effect;
use crate::org::{Parent, PolicyTargetRef};
use crate::stackset::{AccountFilter, DeploymentTargetRef};
use crate::App;

/// At most this many OUs are drawn: a larger organization is drawn down to the depth at
/// which no more show, and what is below each OU there becomes one count.
pub const MAX_OUS: usize = 60;

/// An OU with more accounts (or a parent with more OUs) than this shows them as a count.
pub const COLLAPSE_OVER: usize = 12;

/// Node ids by construct path, handed out in order.
struct Ids {
    by_path: BTreeMap<String, String>,
    next: usize,
}

impl Ids {
    fn get(&mut self, path: &str) -> String {
        if let Some(id) = self.by_path.get(path) {
            return id.clone();
        }
        self.next += 1;
        let id = format!("n{}", self.next);
        self.by_path.insert(path.to_owned(), id.clone());
        id
    }
}

fn label(text: &str) -> String {
    text.replace('"', "#quot;")
}

/// The organization of `app` as a Mermaid flowchart (`flowchart TB`), ending with a newline.
pub fn mermaid(app: &App) -> String {
    let mut ids = Ids {
        by_path: BTreeMap::new(),
        next: 0,
    };
    let mut lines: Vec<String> = vec!["flowchart TB".to_owned()];
    let mut edges: Vec<String> = Vec::new();
    let parent_path = |p: &Parent| match p {
        Parent::Root(o) => app.path(o),
        Parent::Ou(o) => app.path(o),
    };

    // Roots: one per organization that something hangs under.
    let mut roots: Vec<String> = Vec::new();
    let mut note_root = |path: String, lines: &mut Vec<String>, ids: &mut Ids| {
        if !roots.contains(&path) {
            lines.push(format!("  {}((\"Root\"))", ids.get(&path)));
            roots.push(path);
        }
    };
    for ou in app.ous() {
        if let Parent::Root(o) = ou.parent() {
            note_root(app.path(&o), &mut lines, &mut ids);
        }
    }
    for a in app.accounts() {
        if let Parent::Root(o) = a.parent() {
            note_root(app.path(&o), &mut lines, &mut ids);
        }
    }

    // A parent of more than COLLAPSE_OVER OUs shows them, and all below them, as one count.
    let mut children: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for ou in app.ous() {
        children
            .entry(parent_path(&ou.parent()))
            .or_default()
            .push(app.path(&ou.handle()));
    }
    let mut hidden: std::collections::BTreeSet<String> = Default::default();
    let mut summaries: Vec<(String, Vec<String>)> = Vec::new();
    let mut parents: Vec<&String> = children.keys().collect();
    parents.sort();
    for parent in parents {
        let kids = &children[parent];
        if kids.len() <= COLLAPSE_OVER || hidden.contains(parent) {
            continue;
        }
        // Everything below: the children and their descendants.
        let mut below: Vec<String> = kids.clone();
        let mut i = 0;
        while i < below.len() {
            if let Some(more) = children.get(&below[i]) {
                below.extend(more.iter().cloned());
            }
            i += 1;
        }
        hidden.extend(below.iter().cloned());
        summaries.push((parent.clone(), below));
    }
    // A large organization is drawn down to the depth at which at most MAX_OUS OUs show;
    // what is below each OU at that depth becomes one count.
    let mut depth: BTreeMap<String, usize> = BTreeMap::new();
    for ou in app.ous() {
        let d = match ou.parent() {
            Parent::Root(_) => 1,
            Parent::Ou(p) => depth.get(&app.path(&p)).map_or(1, |d| d + 1),
        };
        depth.insert(app.path(&ou.handle()), d);
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
        let cut: Vec<String> = depth
            .iter()
            .filter(|(p, &d)| d == shown_depth && !hidden.contains(*p))
            .map(|(p, _)| p.clone())
            .collect();
        for parent in cut {
            let Some(kids) = children.get(&parent) else {
                continue;
            };
            let mut below: Vec<String> = kids.clone();
            let mut i = 0;
            while i < below.len() {
                if let Some(more) = children.get(&below[i]) {
                    below.extend(more.iter().cloned());
                }
                i += 1;
            }
            hidden.extend(below.iter().cloned());
            summaries.push((parent, below));
        }
        // A root-level cut (depth 0) leaves the summaries above.
    }
    for ou in app.ous() {
        let path = app.path(&ou.handle());
        if hidden.contains(&path) {
            continue;
        }
        let id = ids.get(&path);
        lines.push(format!("  {id}[\"{}\"]", label(ou.name())));
        let parent = ids.get(&parent_path(&ou.parent()));
        edges.push(format!("  {parent} --> {id}"));
    }

    // Accounts, or a count where an OU holds many.
    let mut per_parent: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for a in app.accounts() {
        let parent = parent_path(&a.parent());
        if !per_parent.contains_key(&parent) {
            order.push(parent.clone());
        }
        per_parent.entry(parent).or_default().push((
            a.handle().node().map(|n| app.path(&n)).unwrap_or_default(),
            a.name().to_owned(),
        ));
    }
    let accounts: std::collections::BTreeSet<String> = per_parent
        .values()
        .flatten()
        .map(|(path, _)| path.clone())
        .collect();
    for (parent, below) in &summaries {
        if hidden.contains(parent) {
            continue;
        }
        let accounts: usize = below
            .iter()
            .map(|ou| per_parent.get(ou).map_or(0, Vec::len))
            .sum();
        let pid = ids.get(parent);
        let id = ids.get(&format!("{parent}#ous"));
        lines.push(format!(
            "  {id}[/\"{} OUs, {accounts} accounts\"/]",
            below.len()
        ));
        edges.push(format!("  {pid} --> {id}"));
    }
    for parent in order {
        if hidden.contains(&parent) {
            continue;
        }
        let accounts = &per_parent[&parent];
        let pid = ids.get(&parent);
        if accounts.len() > COLLAPSE_OVER {
            let id = ids.get(&format!("{parent}#accounts"));
            lines.push(format!("  {id}[/\"{} accounts\"/]", accounts.len()));
            edges.push(format!("  {pid} --> {id}"));
            continue;
        }
        for (path, name) in accounts {
            let id = ids.get(path);
            lines.push(format!("  {id}([\"{}\"])", label(name)));
            edges.push(format!("  {pid} --> {id}"));
        }
    }

    // Organizations policies and what they attach to.
    for p in app.policies() {
        let id = ids.get(&app.path(&p.handle()));
        lines.push(format!(
            "  {id}{{{{\"{} {}\"}}}}",
            label(short_type(p.policy_type().as_str())),
            label(p.name())
        ));
        for t in p.targets() {
            let target = match t {
                PolicyTargetRef::Root(o) => Some(app.path(o)),
                PolicyTargetRef::Ou(o) => Some(app.path(o)),
                PolicyTargetRef::Account(a) => a.node().map(|n| app.path(&n)),
            };
            if let Some(target) = target.filter(|t| ids.by_path.contains_key(t)) {
                edges.push(format!("  {id} -.-> {}", ids.get(&target)));
            }
        }
    }

    // Roles deployed by StackSets, trusted from an account of the organization.
    let sets: Vec<_> = app.stack_sets().collect();
    for role in app.roles() {
        // The account it trusts: the one it was made assumable from, else an account of
        // the app its trust policy's principals refer to.
        let mut nodes: Vec<crate::cfn::NodeId> = role
            .trusted_account()
            .and_then(|a| a.node())
            .into_iter()
            .collect();
        for st in role.trust().get_statements() {
            for p in st.get_principals() {
                p.value().visit_refs(|r| {
                    if let crate::cfn::Target::Node(n) = r.target {
                        nodes.push(n);
                    }
                });
            }
        }
        let Some(trusted) = nodes
            .iter()
            .map(|n| app.path(n))
            .find(|p| accounts.contains(p) && ids.by_path.contains_key(p))
        else {
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
        let id = ids.get(&app.path(&handle));
        lines.push(format!(
            "  {id}[[\"{} role ({})\"]]",
            label(app.id_of(&handle).unwrap_or("role")),
            label(set.name())
        ));
        let from = ids.get(&trusted);
        edges.push(if mfa {
            format!("  {from} ==>|MFA| {id}")
        } else {
            format!("  {from} -.->|no MFA| {id}")
        });
        // Where it is deployed: the listed accounts when the StackSet keeps only those,
        // else the OUs (or root) it targets.
        let (filter, listed) = set.accounts();
        let mut targets: Vec<String> = if filter == Some(AccountFilter::Intersection) {
            listed
                .iter()
                .filter_map(|a| a.node().map(|n| app.path(&n)))
                .collect()
        } else {
            Vec::new()
        };
        if targets.is_empty() {
            targets = set
                .targets()
                .iter()
                .map(|t| match t {
                    DeploymentTargetRef::Root(o) => app.path(o),
                    DeploymentTargetRef::Ou(o) => app.path(o),
                })
                .collect();
        }
        for target in targets {
            if ids.by_path.contains_key(&target) {
                edges.push(format!("  {id} --- {}", ids.get(&target)));
            }
        }
    }
    lines.extend(edges);
    let mut out = lines.join("\n");
    out.push('\n');
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
