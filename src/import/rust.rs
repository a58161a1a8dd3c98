//! Writing the Rust program that adopts an inventory, as [`adopt`](super::adopt) does.

use std::collections::HashSet;
use std::fmt::Write as _;

use super::adopt::{
    account_ids, adopted_policies, full_aws_access, is_adopted, missing_targets, policy_ids,
};
use super::inventory::{Inventory, ParentId, TargetId};
use crate::cfn::Value;

/// What the program uses, to import only that.
#[derive(Default)]
struct Uses {
    value: bool,
    obj: bool,
}

/// Variable names, unique in the program.
struct Names {
    taken: HashSet<String>,
}

impl Names {
    fn new() -> Self {
        let taken = ["app", "org", "management", "main", "out", "assembly"]
            .into_iter()
            .map(String::from)
            .collect();
        Names { taken }
    }

    /// `prefix_name` in snake case, numbered if taken.
    fn fresh(&mut self, prefix: &str, name: &str) -> String {
        let mut snake = String::with_capacity(prefix.len() + name.len() + 1);
        snake.push_str(prefix);
        let mut gap = true;
        let mut prev_lower = false;
        for c in name.chars() {
            if c.is_ascii_alphanumeric() {
                if c.is_ascii_uppercase() && prev_lower && !gap {
                    snake.push('_');
                }
                if gap && !snake.is_empty() && !snake.ends_with('_') {
                    snake.push('_');
                }
                snake.push(c.to_ascii_lowercase());
                prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
                gap = false;
            } else {
                gap = true;
                prev_lower = false;
            }
        }
        let mut candidate = snake.clone();
        let mut n = 2;
        while !self.taken.insert(candidate.clone()) {
            candidate = format!("{snake}_{n}");
            n += 1;
        }
        candidate
    }
}

/// The Rust program that adds the organization of `inventory` to an app under a stack
/// named `stack`, adopted exactly as [`adopt`](super::adopt) adds it, and synthesizes it
/// to the directory its first argument names (`cdk.out` by default): a `main.rs` to commit
/// and extend. It defines `app()`, which returns the app, and `main()`; the header is
/// plain comments, so the file can also be `include!`d. What it writes is deterministic
/// and `cargo fmt` leaves the structure as is.
///
/// ```
/// use orgstack::import::{write_rust, Inventory};
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/moto");
/// let code = write_rust(&Inventory::read_dir(dir)?, "Management");
/// assert!(code.contains("OrganizationalUnit::new(\"Security\").adopt(\"ou-"));
/// # Ok::<(), orgstack::import::ImportError>(())
/// ```
pub fn write_rust(inventory: &Inventory, stack: &str) -> String {
    let mut names = Names::new();
    let mut uses = Uses::default();
    let mut body = String::new();
    let org = &inventory.organization;
    let _ = writeln!(body, "    let mut app = App::new();");
    let _ = writeln!(body, "    let management = app.stack({stack:?})?;");
    let attached = match full_aws_access(inventory) {
        Some(false) => ".full_aws_access_attached(false)",
        _ => "",
    };
    let _ = writeln!(
        body,
        "    let org = app.add(\n        &management,\n        Organization::existing({:?}, {:?}){attached},\n    )?;",
        inventory.root.id.as_str(),
        org.id.as_str(),
    );

    // OUs: a variable each, named after the OU.
    let mut ou_vars: Vec<(&str, String)> = Vec::with_capacity(inventory.ous.len());
    let var_of = |ou_vars: &[(&str, String)], parent: &ParentId| -> String {
        match parent {
            ParentId::Ou(id) => ou_vars
                .iter()
                .find(|(i, _)| *i == id.as_str())
                .map_or_else(|| "org".to_owned(), |(_, v)| v.clone()),
            _ => "org".to_owned(),
        }
    };
    // A variable only for the OUs something goes under or is attached to.
    let mut used: HashSet<&str> = HashSet::new();
    for parent in inventory.ous.iter().map(|o| &o.parent).chain(
        inventory
            .accounts
            .iter()
            .filter(|a| is_adopted(inventory, a))
            .map(|a| &a.parent),
    ) {
        if let ParentId::Ou(id) = parent {
            used.insert(id.as_str());
        }
    }
    for p in adopted_policies(inventory) {
        for t in &p.targets {
            if let TargetId::Ou(id) = t {
                used.insert(id.as_str());
            }
        }
    }
    if !inventory.ous.is_empty() {
        body.push_str("\n    // Organizational units, adopted.\n");
    }
    for ou in &inventory.ous {
        let parent = var_of(&ou_vars, &ou.parent);
        let lhs = if used.contains(ou.id.as_str()) {
            let var = names.fresh("ou", &ou.name);
            let lhs = format!("let {var} = ");
            ou_vars.push((ou.id.as_str(), var));
            lhs
        } else {
            String::new()
        };
        let _ = writeln!(
            body,
            "    {lhs}app.add(\n        &{parent},\n        OrganizationalUnit::new({:?}).adopt({:?}),\n    )?;",
            ou.name,
            ou.id.as_str()
        );
    }
    for ou in missing_targets(inventory) {
        let var = names.fresh("ou", ou.as_str());
        let _ = writeln!(
            body,
            "    // Targeted by a policy, but not listed: referenced, not adopted.\n    let {var} = app.add(\n        &org,\n        OrganizationalUnit::existing({:?}, {:?}),\n    )?;",
            ou.as_str(),
            ou.as_str()
        );
        ou_vars.push((ou.as_str(), var));
    }

    // Accounts: a variable only for those a policy is attached to.
    let targeted: HashSet<&str> = adopted_policies(inventory)
        .flat_map(|p| p.targets.iter())
        .filter_map(|t| match t {
            TargetId::Account(a) => Some(a.as_str()),
            _ => None,
        })
        .collect();
    let mut account_vars: Vec<(&str, String)> = Vec::new();
    if !inventory.accounts.is_empty() {
        body.push_str("\n    // Accounts: the active member accounts adopted.\n");
    }
    for (a, id) in inventory.accounts.iter().zip(account_ids(inventory)) {
        let bind = if targeted.contains(a.id.as_str()) {
            let var = names.fresh("account", &a.name);
            account_vars.push((a.id.as_str(), var.clone()));
            Some(var)
        } else {
            None
        };
        if is_adopted(inventory, a) {
            let parent = var_of(&ou_vars, &a.parent);
            let id = id.map_or_else(String::new, |id| format!(".id({id:?})"));
            let lhs = bind.map_or_else(String::new, |v| format!("let {v} = "));
            let _ = writeln!(
                body,
                "    {lhs}app.add(\n        &{parent},\n        Account::new({:?}, {:?}){id}.adopt({:?}),\n    )?;",
                a.name,
                a.email.as_str(),
                a.id.as_str()
            );
        } else {
            let why = if a.id == org.management_account_id {
                "the management account"
            } else {
                "not active"
            };
            match bind {
                Some(v) => {
                    let _ = writeln!(
                        body,
                        "    // {:?}, {why}: referenced, not adopted.\n    let {v} = Account::existing({:?});",
                        a.name,
                        a.id.as_str()
                    );
                }
                None => {
                    let _ = writeln!(
                        body,
                        "    // {:?} ({}), {why}: not adopted.",
                        a.name,
                        a.id.as_str()
                    );
                }
            }
        }
    }

    // Policies, with their content as it is, attached where they are.
    let mut any_policy = false;
    for (p, id) in adopted_policies(inventory).zip(policy_ids(inventory)) {
        if !any_policy {
            body.push_str("\n    // Policies, adopted, attached where they are.\n");
            any_policy = true;
        }
        let var = names.fresh("policy", &p.name);
        let mut content = String::new();
        value(&p.content, 12, &mut content, &mut uses);
        let mut setters = String::new();
        if !p.description.is_empty() {
            let _ = write!(setters, "\n        .description({:?})", p.description);
        }
        if let Some(id) = id {
            let _ = write!(setters, "\n        .id({id:?})");
        }
        let _ = writeln!(
            body,
            "    let {var} = app.add(\n        &org,\n        Policy::json(\n            {:?},\n            {},\n            {content},\n        ){setters}\n        .adopt({:?}),\n    )?;",
            p.name,
            policy_type(&p.policy_type),
            p.id.as_str()
        );
        for t in &p.targets {
            let target = match t {
                TargetId::Root(_) => "org".to_owned(),
                TargetId::Ou(ou) => ou_vars
                    .iter()
                    .find(|(i, _)| *i == ou.as_str())
                    .map_or_else(|| "org".to_owned(), |(_, v)| v.clone()),
                TargetId::Account(acc) => account_vars
                    .iter()
                    .find(|(i, _)| *i == acc.as_str())
                    .map_or_else(
                        || format!("Account::existing({:?})", acc.as_str()),
                        |(_, v)| v.clone(),
                    ),
            };
            let _ = writeln!(body, "    {var}.adopt_attachment(&mut app, &{target});");
        }
    }
    body.push_str("    Ok(app)\n");

    // Only what the program uses, so that it compiles without warnings.
    let mut org_items = Vec::with_capacity(5);
    if body.contains("Account::") {
        org_items.push("Account");
    }
    org_items.push("Organization");
    if body.contains("OrganizationalUnit::") {
        org_items.push("OrganizationalUnit");
    }
    if any_policy {
        org_items.extend(["Policy", "PolicyType"]);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// The organization {} as it exists, adopted into CloudFormation management: every OU,\n\
         // active member account and policy of its own is imported by the deploy plan, none is\n\
         // created. Written by `cargo run --example import` from what\n\
         // `scripts/export-organization.sh` saved; add what is new in `app()`, below what exists.\n",
        org.id.as_str()
    );
    if uses.value {
        out.push_str("use orgstack::cfn::Value;\n");
    }
    match org_items.as_slice() {
        [one] => {
            let _ = writeln!(out, "use orgstack::org::{one};");
        }
        many => {
            let _ = writeln!(out, "use orgstack::org::{{{}}};", many.join(", "));
        }
    }
    if uses.obj {
        out.push_str("use orgstack::{obj, App};\n");
    } else {
        out.push_str("use orgstack::App;\n");
    }
    out.push_str(
        "\n/// The app: the organization as it exists.\npub fn app() -> orgstack::Result<App> {\n",
    );
    out.push_str(&body);
    out.push_str(
        "}\n\n\
         fn main() -> orgstack::Result<()> {\n    \
             let out = std::env::args().nth(1).unwrap_or_else(|| \"cdk.out\".into());\n    \
             app()?.synth_to(&out)?;\n    \
             println!(\"wrote {out}/: follow {out}/deploy-plan.md\");\n    \
             Ok(())\n\
         }\n",
    );
    out
}

/// A policy type as Rust writes it.
fn policy_type(t: &crate::org::PolicyType) -> String {
    match t {
        crate::org::PolicyType::Other(s) => format!("PolicyType::Other({s:?}.into())"),
        known => format!("PolicyType::{known:?}"),
    }
}

/// `v` as a Rust expression of a [`Value`] (`obj!`, `vec!`, literals), nested from
/// `indent`.
fn value(v: &Value, indent: usize, out: &mut String, uses: &mut Uses) {
    let pad = " ".repeat(indent);
    match v.get() {
        Value::Map(m) if m.is_empty() => {
            uses.obj = true;
            out.push_str("obj! {}");
        }
        Value::Map(m) => {
            uses.obj = true;
            out.push_str("obj! {\n");
            for (k, item) in m {
                let _ = write!(out, "{pad}    {:?} => ", k.as_ref());
                value(item, indent + 4, out, uses);
                out.push_str(",\n");
            }
            let _ = write!(out, "{pad}}}");
        }
        Value::List(items) if items.iter().all(|i| i.as_str().is_some()) => {
            let strings: Vec<String> = items
                .iter()
                .filter_map(Value::as_str)
                .map(|s| format!("{s:?}"))
                .collect();
            let one_line = strings.join(", ");
            if one_line.len() + indent < 80 {
                let _ = write!(out, "vec![{one_line}]");
            } else {
                out.push_str("vec![\n");
                for s in strings {
                    let _ = writeln!(out, "{pad}    {s},");
                }
                let _ = write!(out, "{pad}]");
            }
        }
        Value::List(items) => {
            let maps = items.iter().all(|i| matches!(i.get(), Value::Map(_)));
            out.push_str("vec![\n");
            for item in items {
                let _ = write!(out, "{pad}    ");
                // obj! and Value::Null are values already; the rest converts.
                if maps || matches!(item.get(), Value::Map(_) | Value::Null) {
                    value(item, indent + 4, out, uses);
                } else {
                    uses.value = true;
                    out.push_str("Value::from(");
                    value(item, indent + 4, out, uses);
                    out.push(')');
                }
                out.push_str(",\n");
            }
            let _ = write!(out, "{pad}]");
        }
        Value::String(s) => {
            let _ = write!(out, "{s:?}");
        }
        Value::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                let _ = write!(out, "{i}i64");
            } else if let Some(u) = n.as_u64() {
                let _ = write!(out, "{u}u64");
            } else {
                // JSON a policy holds has no fractions; should one appear, it stays text.
                let _ = write!(out, "{:?}", n.to_string());
            }
        }
        _ => {
            uses.value = true;
            out.push_str("Value::Null");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{AccountInfo, OrganizationInfo, RootInfo};

    fn minimal() -> Inventory {
        Inventory {
            organization: OrganizationInfo {
                id: "o-abcdef1234".parse().unwrap(),
                feature_set: "ALL".into(),
                management_account_id: "111111111111".parse().unwrap(),
            },
            root: RootInfo {
                id: "r-ab12".parse().unwrap(),
                policy_types: Vec::new(),
            },
            ous: Vec::new(),
            accounts: vec![AccountInfo {
                id: "111111111111".parse().unwrap(),
                name: "Management".into(),
                email: "root@acme.example".parse().unwrap(),
                status: "ACTIVE".into(),
                parent: ParentId::Root("r-ab12".parse().unwrap()),
            }],
            policies: Vec::new(),
        }
    }

    #[test]
    fn it_imports_only_what_it_uses() {
        let code = write_rust(&minimal(), "Org");
        assert!(code.contains("use orgstack::org::Organization;\nuse orgstack::App;\n"));
        assert!(code.contains("app.stack(\"Org\")?"));
        assert!(
            code.contains("// \"Management\" (111111111111), the management account: not adopted.")
        );
        assert!(!code.contains("obj!"));
    }

    #[test]
    fn variable_names_are_snake_case_and_unique() {
        let mut names = Names::new();
        assert_eq!(names.fresh("ou", "NonProd"), "ou_non_prod");
        assert_eq!(names.fresh("ou", "Non Prod"), "ou_non_prod_2");
        assert_eq!(names.fresh("ou", "2025 / EU-West"), "ou_2025_eu_west");
        assert_eq!(names.fresh("policy", "!!!"), "policy");
        assert_eq!(names.fresh("", "app"), "app_2");
    }

    #[test]
    fn values_are_written_as_rust() {
        let mut out = String::new();
        let mut uses = Uses::default();
        let v = crate::obj! {
            "a" => vec![Value::from("x"), crate::obj! {}],
            "b" => true,
            "n" => 5i64,
            "z" => Value::Null,
        };
        value(&v, 0, &mut out, &mut uses);
        assert_eq!(
            out,
            "obj! {\n    \"a\" => vec![\n        Value::from(\"x\"),\n        obj! {},\n    ],\n    \"b\" => true,\n    \"n\" => 5i64,\n    \"z\" => Value::Null,\n}"
        );
        assert!(uses.obj && uses.value);
    }
}
