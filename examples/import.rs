//! Import an organization that exists: read what `scripts/export-organization.sh` saved,
//! write the `OrgSpec` that adopts every OU, account and policy by its id (the spec to
//! commit, `orgspec.json` by default), synthesize it, and (with `--rust`) write the
//! equivalent Rust program too.
//!
//! ```text
//! scripts/export-organization.sh export/
//! cargo run --example import -- export/ [OUT_DIR] [--spec FILE] [--rust FILE] [--stack NAME]
//! cargo run --release --example import -- --synthetic 1000 [OUT_DIR]
//! ```
//!
//! OUT_DIR defaults to `cdk.out/import`; follow its `deploy-plan.md`, which imports what
//! exists before it deploys anything. Later, `cargo run --example synth_spec -- orgspec.json
//! OUT_DIR` synthesizes the spec (edited or not) alone. `--synthetic N` first writes an
//! export of N accounts (in N/50 OUs three levels deep, five SCPs) to
//! `target/tmp/synthetic-N/`, in the files and shapes the AWS CLI prints, and imports that
//! (its spec to `target/tmp/synthetic-N.orgspec.json` unless `--spec` says otherwise);
//! each step's time is printed.

use std::path::{Path, PathBuf};
use std::time::Instant;

use orgstack::import::{self, Inventory};
use serde_json::json;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        let mut source = std::error::Error::source(&*e);
        while let Some(s) = source {
            eprintln!("  caused by: {s}");
            source = s.source();
        }
        std::process::exit(1);
    }
}

const USAGE: &str = "usage: import DIR [OUT_DIR] [--spec FILE] [--rust FILE] [--stack NAME] | --synthetic N [OUT_DIR]";

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let mut args = std::env::args().skip(1);
    let mut positional: Vec<String> = Vec::new();
    let mut spec_file: Option<PathBuf> = None;
    let mut rust: Option<PathBuf> = None;
    let mut stack = "Management".to_owned();
    let mut synthetic: Option<usize> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--spec" => spec_file = Some(args.next().ok_or("--spec takes a file")?.into()),
            "--rust" => rust = Some(args.next().ok_or("--rust takes a file")?.into()),
            "--stack" => stack = args.next().ok_or("--stack takes a name")?,
            "--synthetic" => {
                synthetic = Some(args.next().ok_or("--synthetic takes a count")?.parse()?)
            }
            _ if a.starts_with("--") => return Err(format!("unknown option {a}; {USAGE}").into()),
            _ => positional.push(a),
        }
    }
    let mut positional = positional.into_iter();
    let dir: PathBuf = match synthetic {
        Some(n) => {
            let dir = PathBuf::from(format!("target/tmp/synthetic-{n}"));
            let t = Instant::now();
            write_synthetic(&dir, n)?;
            println!(
                "wrote a synthetic export of {n} accounts to {}/ in {:.1?}",
                dir.display(),
                t.elapsed()
            );
            spec_file
                .get_or_insert_with(|| format!("target/tmp/synthetic-{n}.orgspec.json").into());
            dir
        }
        None => positional.next().ok_or(USAGE)?.into(),
    };
    let spec_file = spec_file.unwrap_or_else(|| "orgspec.json".into());
    let out = positional.next().unwrap_or_else(|| "cdk.out/import".into());

    let t0 = Instant::now();
    let inventory = Inventory::read_dir(&dir)?;
    let read = t0.elapsed();

    // The spec is what is committed: it is written first, and what deploys is synthesized
    // from it.
    let t = Instant::now();
    let mut spec = import::to_spec(&inventory);
    if stack != "Management" {
        spec.stack = Some(stack.clone());
    }
    let text = spec.to_json()?;
    std::fs::write(&spec_file, &text)?;
    let write_spec = t.elapsed();

    let t = Instant::now();
    let lowered = spec.to_app()?;
    let lower = t.elapsed();

    let t = Instant::now();
    let assembly = lowered
        .synth()
        .map_err(|e| e.report(&spec_file.display().to_string(), &text))?;
    let synth = t.elapsed();
    let t = Instant::now();
    let mut assembly = assembly;
    assembly.write_to(&out)?;
    let write = t.elapsed();
    let import_total = t0.elapsed();
    println!("wrote {}", spec_file.display());

    if let Some(file) = &rust {
        std::fs::write(file, import::write_rust(&inventory, &stack))?;
        println!("wrote {}", file.display());
    }

    println!(
        "organization {}: {} OUs, {} accounts ({} adopted), {} policies adopted",
        inventory.organization.id.as_str(),
        spec.organizational_units
            .iter()
            .filter(|o| o.adopt.is_some())
            .count(),
        inventory.accounts.len(),
        spec.accounts.len(),
        spec.policies.len(),
    );
    let imports = assembly
        .artifacts()
        .iter()
        .filter(|a| a.kind == orgstack::app::ArtifactKind::Import)
        .count();
    let mut to_import = 0;
    for (_, body) in assembly
        .files()
        // `<Stack>.import.resources.json`, or `<Stack>.import-<n>.resources.json` in batches.
        .filter(|(name, _)| name.contains(".import") && name.ends_with(".resources.json"))
    {
        let list: serde_json::Value = serde_json::from_str(body)?;
        to_import += list.as_array().map_or(0, Vec::len);
    }
    println!(
        "wrote {out}/: {} stack(s); {imports} import(s) of at most {} resources, {to_import} resources to import",
        assembly.deploy_order().len(),
        orgstack::app::RESOURCES_PER_IMPORT,
    );
    println!(
        "read {read:.1?}, write the spec {write_spec:.1?}, lower it {lower:.1?}, synthesize {synth:.1?}, \
         write {write:.1?}: {import_total:.1?} from the export to the spec and the assembly on disk \
         ({:.1?} since start)",
        start.elapsed()
    );
    println!(
        "next: commit {}, follow {out}/deploy-plan.md",
        spec_file.display()
    );
    Ok(())
}

/// Writes an export of `accounts` accounts in the files and shapes the AWS CLI prints:
/// one OU per 50 accounts, nested three deep, and five SCPs attached at the root, a
/// top-level OU, a second-level OU, a third-level OU and an account.
pub fn write_synthetic(dir: &Path, accounts: usize) -> std::io::Result<()> {
    let org = "o-synthetic01";
    let root = "r-syn1";
    let management = "100000000000";
    let arn = |rest: String| format!("arn:aws:organizations::{management}:{rest}");
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    for sub in [
        "list-organizational-units-for-parent",
        "list-accounts-for-parent",
        "list-policies",
        "describe-policy",
        "list-targets-for-policy",
    ] {
        std::fs::create_dir_all(dir.join(sub))?;
    }
    let save = |path: PathBuf, value: serde_json::Value| -> std::io::Result<()> {
        let mut text = serde_json::to_string_pretty(&value).map_err(std::io::Error::other)?;
        text.push('\n');
        std::fs::write(path, text)
    };
    save(
        dir.join("describe-organization.json"),
        json!({ "Organization": {
            "Id": org, "Arn": arn(format!("organization/{org}")), "FeatureSet": "ALL",
            "MasterAccountArn": arn(format!("account/{org}/{management}")),
            "MasterAccountId": management, "MasterAccountEmail": "management@aws.synthetic.example",
        }}),
    )?;
    save(
        dir.join("list-roots.json"),
        json!({ "Roots": [{
            "Id": root, "Arn": arn(format!("root/{org}/{root}")), "Name": "Root",
            "PolicyTypes": [{ "Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED" }],
        }]}),
    )?;
    // OUs: groups of three levels (Unit-i / Unit-i-a / Unit-i-a-x), 50 accounts each.
    let ou_count = accounts.div_ceil(50).max(1);
    let ou_id = |i: usize| format!("ou-syn1-{i:08}");
    let mut children: Vec<(String, Vec<(String, String)>)> = vec![(root.to_owned(), Vec::new())];
    let mut parents: Vec<String> = Vec::new();
    for i in 0..ou_count {
        let parent = match i % 3 {
            0 => root.to_owned(),
            _ => ou_id(i - 1),
        };
        let id = ou_id(i);
        let name = format!("Unit{i}");
        match children.iter_mut().find(|(p, _)| *p == parent) {
            Some((_, c)) => c.push((id.clone(), name)),
            None => children.push((parent, vec![(id.clone(), name)])),
        }
        children.push((id.clone(), Vec::new()));
        parents.push(id);
    }
    children.sort_by(|a, b| a.0.cmp(&b.0));
    children.dedup_by(|a, b| {
        if a.0 == b.0 {
            b.1.append(&mut a.1);
            true
        } else {
            false
        }
    });
    let mut per_parent: Vec<(String, Vec<serde_json::Value>)> = children
        .iter()
        .map(|(p, _)| (p.clone(), Vec::new()))
        .collect();
    let account = |id: &str, name: &str, email: &str| {
        json!({
            "Id": id, "Arn": arn(format!("account/{org}/{id}")), "Email": email, "Name": name,
            "Status": "ACTIVE", "JoinedMethod": "CREATED",
            "JoinedTimestamp": "2026-12-01T09:00:00+00:00",
        })
    };
    per_parent[0].1.push(account(
        management,
        "management",
        "management@aws.synthetic.example",
    ));
    for n in 0..accounts {
        let id = format!("{:012}", 200_000_000_000u64 + n as u64);
        let parent = &parents[n / 50];
        let name = format!("Account{n}");
        let email = format!("account{n}@aws.synthetic.example");
        if let Some((_, list)) = per_parent.iter_mut().find(|(p, _)| p == parent) {
            list.push(account(&id, &name, &email));
        }
    }
    for (parent, ous) in &children {
        let ous: Vec<_> = ous
            .iter()
            .map(|(id, name)| json!({ "Id": id, "Arn": arn(format!("ou/{org}/{id}")), "Name": name }))
            .collect();
        save(
            dir.join("list-organizational-units-for-parent")
                .join(format!("{parent}.json")),
            json!({ "OrganizationalUnits": ous }),
        )?;
    }
    for (parent, list) in per_parent {
        save(
            dir.join("list-accounts-for-parent")
                .join(format!("{parent}.json")),
            json!({ "Accounts": list }),
        )?;
    }
    // Policies: AWS's FullAWSAccess on everything listed at the root, and five of our own.
    let first_account = format!("{:012}", 200_000_000_000u64);
    let deepest = ou_id(2.min(ou_count - 1));
    let targets: Vec<(&str, &str, String, &str)> = vec![
        ("p-FullAWSAccess", "FullAWSAccess", root.to_owned(), "ROOT"),
        (
            "p-syn00001",
            "DenyLeaveOrganization",
            root.to_owned(),
            "ROOT",
        ),
        (
            "p-syn00002",
            "DenyRootUser",
            ou_id(0),
            "ORGANIZATIONAL_UNIT",
        ),
        (
            "p-syn00003",
            "AllowedRegions",
            ou_id(1.min(ou_count - 1)),
            "ORGANIZATIONAL_UNIT",
        ),
        ("p-syn00004", "ProtectData", deepest, "ORGANIZATIONAL_UNIT"),
        ("p-syn00005", "DenyIamUsers", first_account, "ACCOUNT"),
    ];
    let summary = |id: &str, name: &str| {
        json!({
            "Id": id, "Arn": arn(format!("policy/{org}/service_control_policy/{id}")),
            "Name": name, "Description": format!("{name} (synthetic)"),
            "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": id == "p-FullAWSAccess",
        })
    };
    save(
        dir.join("list-policies")
            .join("SERVICE_CONTROL_POLICY.json"),
        json!({ "Policies": targets.iter().map(|(id, name, _, _)| summary(id, name)).collect::<Vec<_>>() }),
    )?;
    for (id, name, target, kind) in &targets {
        let content = json!({ "Version": "2012-10-17", "Statement": [{
            "Sid": name, "Effect": if *id == "p-FullAWSAccess" { "Allow" } else { "Deny" },
            "Action": if *id == "p-FullAWSAccess" { "*".to_owned() } else { format!("synthetic:{name}") },
            "Resource": "*",
        }]});
        save(
            dir.join("describe-policy").join(format!("{id}.json")),
            json!({ "Policy": { "PolicySummary": summary(id, name), "Content": content.to_string() } }),
        )?;
        save(
            dir.join("list-targets-for-policy")
                .join(format!("{id}.json")),
            json!({ "Targets": [{ "TargetId": target, "Arn": arn(format!("x/{target}")), "Name": target, "Type": kind }] }),
        )?;
    }
    Ok(())
}
