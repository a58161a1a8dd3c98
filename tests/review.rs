//! The offline diff: pairs of assemblies built here, each change classified as
//! CloudFormation will treat it.

use orgstack::cfn::{DeletionPolicy, Expr, Output, Resource};
use orgstack::iam::{PolicyDocument, Principal, Role, Statement};
use orgstack::org::{Account, Organization, OrganizationalUnit, Policy};
use orgstack::review::{
    self, Acknowledgements, AssemblyFiles, ChangeClass, ChangeKind, Diff, PolicyDecider, Request,
};
use orgstack::stackset::StackSet;
use orgstack::{App, CfnResource};
use serde_json::Value;

/// What the variants of a test organization differ in.
#[derive(Clone)]
struct Org {
    prod_name: &'static str,
    prod_id: Option<&'static str>,
    prod_email: &'static str,
    prod_in_sandbox: bool,
    prod_retain: bool,
    regions: Vec<&'static str>,
    admin_mfa: bool,
    roles_target_sandbox: bool,
    sandbox_under_workloads: bool,
    policy_first: bool,
}

impl Default for Org {
    fn default() -> Self {
        Org {
            prod_name: "Prod",
            prod_id: None,
            prod_email: "aws+prod@acme.example",
            prod_in_sandbox: false,
            prod_retain: true,
            regions: vec!["us-east-1", "eu-west-1"],
            admin_mfa: true,
            roles_target_sandbox: true,
            sandbox_under_workloads: false,
            policy_first: false,
        }
    }
}

fn deny_regions(regions: &[&str]) -> Policy {
    Policy::service_control(
        "DenyOutsideRegions",
        PolicyDocument::new().statement(Statement::deny().action("sts:*").resource("*").condition(
            orgstack::iam::Condition::string_not_equals(
                "aws:RequestedRegion",
                regions.iter().copied(),
            ),
        )),
    )
}

fn build(o: &Org) -> AssemblyFiles {
    AssemblyFiles::from_assembly(&synth(o)).unwrap()
}

fn synth(o: &Org) -> orgstack::app::Assembly {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app
        .add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    let scp = o
        .policy_first
        .then(|| app.add(&org, deny_regions(&o.regions)).unwrap());
    let security = app.add(&org, OrganizationalUnit::new("Security")).unwrap();
    let workloads = app.add(&org, OrganizationalUnit::new("Workloads")).unwrap();
    let sandbox = if o.sandbox_under_workloads {
        app.add(&workloads, OrganizationalUnit::new("Sandbox"))
            .unwrap()
    } else {
        app.add(&org, OrganizationalUnit::new("Sandbox")).unwrap()
    };
    // Kept when it moves, so that the move shows as what CloudFormation does with it.
    app.pin_logical_id(&sandbox, "SandboxOu");
    let identity = app
        .add(
            &security,
            Account::new("Identity", "aws+identity@acme.example"),
        )
        .unwrap();
    let mut prod = Account::new(o.prod_name, o.prod_email);
    if let Some(id) = o.prod_id {
        prod = prod.id(id);
    }
    let parent = if o.prod_in_sandbox {
        sandbox
    } else {
        workloads
    };
    let prod = app.add(&parent, prod).unwrap();
    if !o.prod_retain {
        let res = app.resource_mut(&prod.node().unwrap()).unwrap();
        res.deletion_policy = Some(DeletionPolicy::Delete);
    }
    let scp = scp.unwrap_or_else(|| app.add(&org, deny_regions(&o.regions)).unwrap());
    scp.attach(&mut app, &org);

    let mut roles = StackSet::new("WorkloadRoles", "workload-roles").target(&workloads);
    if o.roles_target_sandbox {
        roles = roles.target(&sandbox);
    }
    let roles = app.add(&mgmt, roles).unwrap();
    let admin = if o.admin_mfa {
        Role::assumable_with_mfa("Admin", &identity).mfa_max_age(3600)
    } else {
        Role::new(
            "Admin",
            PolicyDocument::new().statement(
                Statement::allow()
                    .principal(Principal::account(identity.id()))
                    .action("sts:AssumeRole"),
            ),
        )
        .without_mfa("automation")
    };
    app.add(&roles.template(), admin).unwrap();
    app.synth().unwrap()
}

fn diff(old: &Org, new: &Org) -> Diff {
    review::diff(&build(old), &build(new))
}

fn kinds(d: &Diff) -> Vec<(ChangeClass, ChangeKind, Option<&str>)> {
    d.changes()
        .iter()
        .map(|c| (c.class, c.kind, c.property.as_deref()))
        .collect()
}

#[test]
fn the_same_app_built_again_has_no_change() {
    let d = diff(&Org::default(), &Org::default());
    assert!(d.is_empty(), "{:?}", d.changes());
    assert!(d
        .to_markdown(&Acknowledgements::new())
        .contains("No change"));
}

#[test]
fn a_pure_refactor_that_writes_the_resources_in_another_order_has_no_change() {
    let old = build(&Org::default());
    let new = build(&Org {
        policy_first: true,
        ..Org::default()
    });
    let d = review::diff(&old, &new);
    assert!(d.is_empty(), "{:?}", d.changes());
}

#[test]
fn renaming_an_account_that_keeps_its_id_cannot_be_updated_and_says_how_instead() {
    let old = Org {
        prod_id: Some("Prod"),
        ..Org::default()
    };
    let new = Org {
        prod_name: "Production",
        ..old.clone()
    };
    let d = diff(&old, &new);
    assert_eq!(
        kinds(&d),
        [(
            ChangeClass::UpdateNotSupported,
            ChangeKind::UpdateNotSupported,
            Some("AccountName")
        )]
    );
    let c = &d.changes()[0];
    assert!(c.message.contains("`Prod`") && c.message.contains("`Production`"));
    assert!(c.remedy.as_deref().unwrap().contains(
        "aws account put-account-name --account-id ACCOUNT_ID --account-name Production`"
    ));
    // A name the shell would read is quoted so that it reaches the command as written.
    let odd = Org {
        prod_name: "Prod's $HOME",
        ..old.clone()
    };
    let d = diff(&old, &odd);
    assert!(
        d.changes()[0]
            .remedy
            .as_deref()
            .unwrap()
            .contains("--account-name 'Prod'\\''s $HOME'`"),
        "{:?}",
        d.changes()[0].remedy
    );
    assert_eq!(
        c.id,
        format!(
            "Management/{}/update-not-supported/AccountName",
            c.logical_id
        )
    );
}

#[test]
fn renaming_an_account_whose_id_follows_the_name_is_a_new_account() {
    let d = diff(
        &Org::default(),
        &Org {
            prod_name: "Production",
            ..Org::default()
        },
    );
    // What waits for the account now names its new logical ID: a safe update.
    assert_eq!(
        kinds(&d),
        [
            (ChangeClass::Replacement, ChangeKind::LogicalIdChanged, None),
            (ChangeClass::Safe, ChangeKind::Updated, Some("DependsOn"))
        ]
    );
    let c = &d.changes()[0];
    assert!(c.message.contains("create a new account"), "{}", c.message);
    assert!(c.remedy.as_deref().unwrap().contains("pin_logical_id"));
}

#[test]
fn changing_an_accounts_email_cannot_be_updated() {
    let d = diff(
        &Org::default(),
        &Org {
            prod_email: "aws+production@acme.example",
            ..Org::default()
        },
    );
    assert_eq!(
        kinds(&d),
        [(
            ChangeClass::UpdateNotSupported,
            ChangeKind::UpdateNotSupported,
            Some("Email")
        )]
    );
    let remedy = d.changes()[0].remedy.as_deref().unwrap();
    assert!(remedy.contains("aws account start-primary-email-update"));
    assert!(remedy.contains("--primary-email aws+production@acme.example --otp CODE"));
}

#[test]
fn moving_an_account_to_another_ou_is_a_safe_update() {
    let d = diff(
        &Org::default(),
        &Org {
            prod_in_sandbox: true,
            ..Org::default()
        },
    );
    assert_eq!(
        kinds(&d),
        [(ChangeClass::Safe, ChangeKind::Updated, Some("ParentIds"))]
    );
    let m = &d.changes()[0].message;
    assert!(
        m.contains("from OrganizationWorkloads166CFC07 to SandboxOu"),
        "{m}"
    );
}

#[test]
fn moving_an_ou_to_another_parent_replaces_it() {
    let d = diff(
        &Org::default(),
        &Org {
            sandbox_under_workloads: true,
            ..Org::default()
        },
    );
    assert_eq!(
        kinds(&d),
        [(
            ChangeClass::Replacement,
            ChangeKind::CreateOnly,
            Some("ParentId")
        )]
    );
    assert_eq!(d.changes()[0].logical_id, "SandboxOu");
    assert!(d.changes()[0]
        .message
        .contains("fails while accounts are in it"));
}

#[test]
fn removing_retain_through_the_escape_hatch_is_dangerous() {
    let d = diff(
        &Org::default(),
        &Org {
            prod_retain: false,
            ..Org::default()
        },
    );
    assert_eq!(
        kinds(&d),
        [(
            ChangeClass::Dangerous,
            ChangeKind::RetainRemoved,
            Some("DeletionPolicy")
        )]
    );
    assert!(d.changes()[0].message.contains("close"));
}

#[test]
fn loosening_an_scp_by_adding_a_region_is_dangerous_with_the_request_it_lets_through() {
    let old = build(&Org::default());
    let new = build(&Org {
        regions: vec!["us-east-1", "eu-west-1", "ap-south-1"],
        ..Org::default()
    });
    let d = review::diff(&old, &new);
    assert_eq!(
        kinds(&d),
        [(
            ChangeClass::Dangerous,
            ChangeKind::PolicyChanged,
            Some("Content")
        )]
    );
    let m = &d.changes()[0].message;
    assert!(
        m.contains("now allows a request it denied: sts:Sample on * in ap-south-1"),
        "{m}"
    );
}

/// The SCP's `Content` as synthesized.
fn scp_content(o: &Org) -> Value {
    let assembly = synth(o);
    let template: Value =
        serde_json::from_str(assembly.template_json("Management").unwrap()).unwrap();
    template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Type"] == "AWS::Organizations::Policy")
        .unwrap()["Properties"]["Content"]
        .clone()
}

/// The requests the semantic check asks about hold what tells the two documents apart.
#[test]
fn the_generated_requests_draw_on_both_policies() {
    let old = scp_content(&Org::default());
    let new = scp_content(&Org {
        regions: vec!["us-east-1", "eu-west-1", "ap-south-1"],
        ..Org::default()
    });
    let set = review::requests(&old, &new).unwrap();
    for region in ["us-east-1", "eu-west-1", "ap-south-1"] {
        assert!(set.iter().any(|r| r.region == region), "{region}");
    }
    // And one region neither names.
    assert!(set
        .iter()
        .any(|r| !["us-east-1", "eu-west-1", "ap-south-1"].contains(&r.region.as_str())));
    assert!(set.iter().all(|r| r.action == "sts:Sample"));
}

/// Answers from a table of (policy, region) → verdict, and `otherwise` for the rest:
/// it stands in for the access simulator to show what the diff does with its answers.
struct Table {
    answers: Vec<(Value, &'static str, bool)>,
    otherwise: Option<bool>,
}

impl PolicyDecider for Table {
    fn allows(&self, policy: &Value, request: &Request) -> Option<bool> {
        self.answers
            .iter()
            .find(|(p, region, _)| p == policy && *region == request.region)
            .map(|(_, _, allows)| *allows)
            .or(self.otherwise)
    }
}

#[test]
fn what_a_decider_answers_decides_whether_a_policy_change_is_safe() {
    let (old, new) = (
        Org::default(),
        Org {
            regions: vec!["us-east-1", "eu-west-1", "ap-south-1"],
            ..Org::default()
        },
    );
    let (a, b) = (build(&old), build(&new));
    let class = |decider: &Table| {
        let d = review::diff_with(&a, &b, decider);
        assert_eq!(d.changes().len(), 1, "{:?}", d.changes());
        (d.changes()[0].class, d.changes()[0].message.clone())
    };
    // Undecided: dangerous.
    let (c, m) = class(&Table {
        answers: Vec::new(),
        otherwise: None,
    });
    assert_eq!(c, ChangeClass::Dangerous);
    assert!(m.contains("undecided"), "{m}");
    // Every request decided the same under both: safe.
    let (c, m) = class(&Table {
        answers: Vec::new(),
        otherwise: Some(false),
    });
    assert_eq!(c, ChangeClass::Safe);
    assert!(
        m.contains("proven: no request the old policy denied"),
        "{m}"
    );
    // The old policy denies ap-south-1 and the new allows it: dangerous, with the request.
    let (c, m) = class(&Table {
        answers: vec![
            (scp_content(&old), "ap-south-1", false),
            (scp_content(&new), "ap-south-1", true),
        ],
        otherwise: Some(false),
    });
    assert_eq!(c, ChangeClass::Dangerous);
    assert!(m.contains("sts:Sample on * in ap-south-1"), "{m}");
}

#[test]
fn dropping_the_mfa_condition_of_a_role_is_dangerous() {
    let d = diff(
        &Org::default(),
        &Org {
            admin_mfa: false,
            ..Org::default()
        },
    );
    let mfa: Vec<_> = d.of_kind(ChangeKind::MfaWeakened).collect();
    assert_eq!(mfa.len(), 1, "{:?}", d.changes());
    assert_eq!(mfa[0].class, ChangeClass::Dangerous);
    assert_eq!(mfa[0].property.as_deref(), Some("AssumeRolePolicyDocument"));
    assert_eq!(mfa[0].template, "Management.WorkloadRoles.Template");
    assert!(mfa[0].message.contains("no longer"), "{}", mfa[0].message);
    // The role's Metadata (the reason) changes too: safe.
    assert!(d
        .changes()
        .iter()
        .all(|c| c.kind == ChangeKind::MfaWeakened || c.class == ChangeClass::Safe));
}

#[test]
fn removing_a_stack_set_target_is_dangerous() {
    let d = diff(
        &Org::default(),
        &Org {
            roles_target_sandbox: false,
            ..Org::default()
        },
    );
    let removed: Vec<_> = d.of_kind(ChangeKind::StackSetTargetRemoved).collect();
    assert_eq!(removed.len(), 1, "{:?}", d.changes());
    assert_eq!(removed[0].class, ChangeClass::Dangerous);
    assert!(removed[0].message.contains("OU SandboxOu"));
    // The StackSet's TemplateBody is compared as the member template, which is the same.
    assert!(d
        .changes()
        .iter()
        .all(|c| c.property.as_deref() != Some("TemplateBody")));
}

/// 110 OUs, so that the last ones live in `Management-Units-001`, and one account `Mover`
/// in the OU at `at`.
fn split_org(at: usize) -> AssemblyFiles {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app
        .add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    let units: Vec<_> = (0..110)
        .map(|i| {
            app.add(&org, OrganizationalUnit::new(format!("Unit{i:03}")))
                .unwrap()
        })
        .collect();
    app.add(&units[at], Account::new("Mover", "aws+mover@acme.example"))
        .unwrap();
    AssemblyFiles::from_assembly(&app.synth().unwrap()).unwrap()
}

#[test]
fn moving_an_account_across_a_stack_split_is_a_new_account() {
    let old = split_org(0);
    let new = split_org(109);
    assert!(new.template_names().any(|t| t == "Management-Units-001"));
    let d = review::diff(&old, &new);
    let moved: Vec<_> = d.of_kind(ChangeKind::MovedStack).collect();
    assert_eq!(moved.len(), 1, "{:?}", d.changes());
    let c = moved[0];
    assert_eq!(c.class, ChangeClass::Replacement);
    assert_eq!(c.resource_type, "AWS::Organizations::Account");
    assert_ne!(c.template, "Management");
    assert!(
        c.message.contains("it moves from Management"),
        "{}",
        c.message
    );
    assert!(c.message.contains("create a new account"), "{}", c.message);
    assert!(c
        .remedy
        .as_deref()
        .unwrap()
        .contains("--change-set-type IMPORT"));
    // It is not reported as removed as well.
    assert_eq!(
        d.of_kind(ChangeKind::Removed).count(),
        0,
        "{:?}",
        d.changes()
    );
}

#[test]
fn removing_an_account_or_a_policy_is_dangerous_and_adding_one_is_safe() {
    let full = synth_with_extra(true);
    let less = synth_with_extra(false);
    let d = review::diff(&full, &less);
    let removed: Vec<_> = d.of_kind(ChangeKind::Removed).collect();
    let types: Vec<&str> = removed.iter().map(|c| c.resource_type.as_str()).collect();
    assert_eq!(
        types,
        ["AWS::Organizations::Account", "AWS::Organizations::Policy"]
    );
    assert!(removed.iter().all(|c| c.class == ChangeClass::Dangerous));
    assert!(removed[0].message.contains("stays in the organization"));
    let d = review::diff(&less, &full);
    assert!(d.count(ChangeClass::Safe) >= 2, "{:?}", d.changes());
    assert_eq!(d.count(ChangeClass::Safe), d.changes().len());
    let added: Vec<_> = d.of_kind(ChangeKind::Added).collect();
    assert!(added[0].message.contains("a new account `Extra`"));
}

fn synth_with_extra(extra: bool) -> AssemblyFiles {
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app
        .add(&mgmt, Organization::existing("r-ab12", "o-abcdef1234"))
        .unwrap();
    app.add(&org, Account::new("Prod", "aws+prod@acme.example"))
        .unwrap();
    if extra {
        app.add(&org, Account::new("Extra", "aws+extra@acme.example"))
            .unwrap();
        let p = app.add(&org, deny_regions(&["us-east-1"])).unwrap();
        p.attach(&mut app, &org);
    }
    AssemblyFiles::from_assembly(&app.synth().unwrap()).unwrap()
}

/// Two stacks: `Shared` exports a name, `Consumer` imports it (or not).
fn exporting(export: bool, import: bool) -> AssemblyFiles {
    let mut app = App::new();
    let shared = app.stack("Shared").unwrap();
    let consumer = app.stack("Consumer").unwrap();
    if export {
        app.add_output(
            &shared,
            "BucketName",
            Output::new("acme-logs").export("acme-logs-name"),
        );
    }
    let mut topic = Resource::new("AWS::SNS::Topic");
    if import {
        topic = topic.property("TopicName", Expr::import_value("acme-logs-name"));
    }
    app.add(&consumer, CfnResource::new("Topic", topic))
        .unwrap();
    AssemblyFiles::from_assembly(&app.synth().unwrap()).unwrap()
}

#[test]
fn removing_an_export_that_is_still_imported_is_dangerous() {
    let d = review::diff(&exporting(true, true), &exporting(false, true));
    let gone: Vec<_> = d.of_kind(ChangeKind::ExportRemoved).collect();
    assert_eq!(gone.len(), 1, "{:?}", d.changes());
    assert_eq!(gone[0].class, ChangeClass::Dangerous);
    assert!(gone[0].message.contains("Consumer imports it"));
    // No one imports it any more in the old assembly: removing it is safe.
    let d = review::diff(&exporting(true, false), &exporting(false, false));
    assert_eq!(d.of_kind(ChangeKind::ExportRemoved).count(), 0);
    assert_eq!(kinds(&d), [(ChangeClass::Safe, ChangeKind::Output, None)]);
}

#[test]
fn assemblies_read_from_disk_diff_like_in_memory_and_render_for_review() {
    let write = |o: &Org, name: &str| {
        let dir =
            std::env::temp_dir().join(format!("orgstack-review-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        synth(o).write_to(&dir).unwrap();
        dir
    };
    let old_org = Org::default();
    let new_org = Org {
        prod_email: "aws+production@acme.example",
        roles_target_sandbox: false,
        ..Org::default()
    };
    let (old_dir, new_dir) = (write(&old_org, "old"), write(&new_org, "new"));
    let from_disk = review::diff(
        &AssemblyFiles::read(&old_dir).unwrap(),
        &AssemblyFiles::read(&new_dir).unwrap(),
    );
    assert_eq!(from_disk, diff(&old_org, &new_org));
    assert_eq!(from_disk.changes().len(), 2);

    let first = from_disk.changes()[0].id.clone();
    let acks = Acknowledgements::parse(&format!("# reviewed\n\n{first}\nstale/id/removed\n"));
    assert_eq!(acks.unused(&from_disk), ["stale/id/removed"]);
    assert_eq!(from_disk.unacknowledged(&acks).len(), 1);

    let md = from_disk.to_markdown(&acks);
    assert!(
        md.contains("**1** update not supported, **1** dangerous"),
        "{md}"
    );
    assert!(
        md.contains("| `Management` | changed | 0 | 1 | 1 | 0 |"),
        "{md}"
    );
    assert!(md.contains("other template unchanged"), "{md}");
    assert!(md.contains(&format!("id: `{first}`")), "{md}");
    assert!(md.contains("*(acknowledged)*"), "{md}");
    assert!(md.contains("1 change needs an acknowledgement"), "{md}");

    let json: Value = serde_json::from_str(&from_disk.to_json(&acks)).unwrap();
    assert_eq!(json["summary"]["updateNotSupported"], 1);
    assert_eq!(json["summary"]["unacknowledged"], 1);
    assert_eq!(json["changes"][0]["id"], first.as_str());
    assert_eq!(json["changes"][0]["acknowledged"], true);
    assert_eq!(json["changes"][1]["class"], "dangerous");

    assert!(matches!(
        AssemblyFiles::read(old_dir.join("missing")),
        Err(review::ReviewError::Io { .. })
    ));
    let empty = old_dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    assert!(matches!(
        AssemblyFiles::read(&empty),
        Err(review::ReviewError::NoTemplates { .. })
    ));
    std::fs::write(empty.join("Broken.template.json"), "{").unwrap();
    assert!(matches!(
        AssemblyFiles::read(&empty),
        Err(review::ReviewError::Json { .. })
    ));
    let _ = std::fs::remove_dir_all(&old_dir);
    let _ = std::fs::remove_dir_all(&new_dir);
}
