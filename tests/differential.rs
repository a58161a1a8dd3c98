//! The differential corpus: (policy set, request) pairs drawn from the five-account
//! layout's real policies and from crafted edge cases, each with the simulator's decision,
//! written as JSON for `tests/differential/run.mjs` to evaluate with
//! `@cloud-copilot/iam-simulate` and compare (`.ci/referees/iam-simulate.sh`).

use std::collections::BTreeMap;

use orgstack::access::{
    decide, evaluate, Auth, Caller, Inputs, Policy, Request, Simulator, Verdict, Who,
};
use orgstack::iam::{BaseOperator, Condition, Operator, PolicyDocument, Principal, Statement};
use orgstack::layouts::{FiveAccountLayout, ORGANIZATION_ACCESS_ROLE};
use orgstack::App;
use serde_json::{json, Value};

const HOME: &str = "us-east-1";
const ELSEWHERE: &str = "ap-southeast-2";
/// Keys whose values are sets.
const MULTIVALUED: [&str; 4] = [
    "aws:PrincipalOrgPaths",
    "aws:ResourceOrgPaths",
    "aws:CalledVia",
    "aws:TagKeys",
];

fn verdict(v: Verdict) -> Option<&'static str> {
    match v {
        Verdict::Allow => Some("Allowed"),
        Verdict::ExplicitDeny => Some("ExplicitlyDenied"),
        Verdict::ImplicitDeny => Some("ImplicitlyDenied"),
        Verdict::Unknown => None,
    }
}

fn context(req: &Request) -> Value {
    let mut m = serde_json::Map::new();
    for (k, vs) in req.context.iter() {
        let multi = MULTIVALUED.iter().any(|x| x.eq_ignore_ascii_case(k));
        let v = if vs.len() == 1 && !multi {
            json!(vs[0])
        } else {
            json!(vs)
        };
        m.insert(k.to_owned(), v);
    }
    Value::Object(m)
}

fn named(ps: &[Policy]) -> Vec<Value> {
    ps.iter()
        .map(|p| json!({ "name": p.name, "policy": p.to_json() }))
        .collect()
}

fn principal(req: &Request) -> String {
    match &req.who {
        Some(orgstack::access::Who::Aws {
            session: Some(s), ..
        }) => s.clone(),
        Some(orgstack::access::Who::Aws { arn, .. }) => arn.clone(),
        Some(orgstack::access::Who::Service(s)) => s.clone(),
        _ => "arn:aws:iam::111111111111:user/alice".to_owned(),
    }
}

#[derive(Default)]
struct Corpus {
    cases: Vec<Value>,
    undecided: usize,
}

impl Corpus {
    fn push(&mut self, id: String, ours: Verdict, inputs: &Inputs) {
        let Some(ours) = verdict(ours) else {
            self.undecided += 1;
            return;
        };
        let known = inputs.identity.iter().all(Policy::is_known)
            && inputs.resource_policy.iter().all(Policy::is_known)
            && inputs
                .scps
                .iter()
                .all(|(_, _, ps)| ps.iter().all(Policy::is_known));
        if !known {
            self.undecided += 1;
            return;
        }
        let levels = |ls: &[(String, String, Vec<Policy>)]| -> Vec<Value> {
            ls.iter()
                .map(|(id, _, ps)| json!({ "orgIdentifier": id, "policies": named(ps) }))
                .collect()
        };
        let mut sim = json!({
            "request": {
                "principal": principal(&inputs.request),
                "action": inputs.request.action,
                "resource": { "resource": inputs.request.resource, "accountId": inputs.resource_account },
                "contextVariables": context(&inputs.request),
            },
            "identityPolicies": if inputs.service { vec![] } else { named(&inputs.identity) },
            "serviceControlPolicies": levels(&inputs.scps),
            "resourceControlPolicies": levels(&inputs.rcps),
        });
        if let Some(rp) = &inputs.resource_policy {
            sim["resourcePolicy"] = rp.to_json();
        }
        self.cases
            .push(json!({ "id": id, "ours": ours, "simulation": sim }));
    }

    /// An identity-policy-only pair, decided by the evaluator alone.
    fn identity(&mut self, id: String, docs: &[PolicyDocument], req: Request) {
        let policies: Vec<Policy> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| Policy::literal(format!("p{i}"), d))
            .collect();
        let v = evaluate(&policies, &req).verdict;
        let inputs = Inputs {
            request: req,
            resource_account: "111111111111".into(),
            same_account: true,
            service: false,
            boundary: false,
            identity: policies,
            scps: Vec::new(),
            rcps: Vec::new(),
            resource_policy: None,
        };
        self.push(id, v, &inputs);
    }
}

fn layout() -> (App, FiveAccountLayout) {
    let mut app = App::new();
    let management = app.stack("Management").unwrap();
    let layout = app
        .add(
            &management,
            FiveAccountLayout::builder("acme")
                .email_domain("aws.acme.example")
                .alert_email("cloud-alerts@acme.example"),
        )
        .unwrap();
    (app, layout)
}

fn admin() -> PolicyDocument {
    PolicyDocument::new().statement(Statement::allow().action("*").resource("*"))
}

fn from_the_layout(c: &mut Corpus) {
    let (app, layout) = layout();
    let sim = Simulator::new(&app);
    let identity = layout.identity_account();
    let id = sim.account_id(identity).unwrap().to_owned();
    let auths = [
        ("key", Auth::LongTermKey),
        ("nomfa", Auth::WithoutMfa),
        ("mfa60", Auth::mfa(60)),
        ("mfa4000", Auth::mfa(4000)),
    ];
    let mut users: Vec<(String, Caller)> = Vec::new();
    for (name, group) in layout.groups() {
        for (a, auth) in auths {
            users.push((
                format!("{name}/{a}"),
                sim.user(identity, "alice", &[group], auth).unwrap(),
            ));
        }
    }
    // The self-service policy, on the user's own and someone else's credentials.
    let actions = [
        "iam:ChangePassword",
        "iam:GetUser",
        "iam:CreateAccessKey",
        "iam:DeleteAccessKey",
        "iam:ListAccessKeys",
        "iam:EnableMFADevice",
        "iam:DeactivateMFADevice",
        "iam:ResyncMFADevice",
        "iam:ListMFADevices",
        "iam:CreateLoginProfile",
    ];
    for (who, u) in &users {
        for action in actions {
            for user in ["alice", "bob"] {
                let r = Request::new(action, format!("arn:aws:iam::{id}:user/{user}"));
                let d = sim.request_with(u, r.clone(), HOME);
                c.push(
                    format!("layout/self-service/{who}/{action}/{user}"),
                    d.verdict(),
                    &sim.request_inputs(u, r, HOME),
                );
            }
        }
        for (action, resource) in [
            (
                "iam:CreateVirtualMFADevice",
                format!("arn:aws:iam::{id}:mfa/alice"),
            ),
            (
                "iam:DeleteVirtualMFADevice",
                format!("arn:aws:iam::{id}:mfa/bob"),
            ),
            ("iam:GetAccountPasswordPolicy", "*".to_owned()),
            ("s3:ListAllMyBuckets", "*".to_owned()),
        ] {
            let r = Request::new(action, resource);
            let d = sim.request_with(u, r.clone(), HOME);
            c.push(
                format!("layout/self-service/{who}/{action}"),
                d.verdict(),
                &sim.request_inputs(u, r, HOME),
            );
        }
        // Every role of every account, from the home region and from elsewhere.
        for role in sim.roles() {
            let (name, account) = sim.role_name(role).unwrap();
            for region in [HOME, ELSEWHERE] {
                if region == ELSEWHERE && !who.ends_with("mfa60") {
                    continue;
                }
                let d = sim.assume(u, role, region);
                c.push(
                    format!("layout/assume/{who}/{account}/{name}/{region}"),
                    d.verdict(),
                    &sim.assume_inputs(u, role, region).unwrap(),
                );
            }
        }
    }
    // The management account's principals and the organization access role.
    let audit = layout.audit_account();
    let audit_id = sim.account_id(audit).unwrap().to_owned();
    let bucket = format!("arn:aws:s3:::acme-audit-logs-{audit_id}");
    let object = format!(
        "{bucket}/AWSLogs/{}/{}/CloudTrail/us-east-1/2026/01/01/log.json.gz",
        sim.organization_id().unwrap(),
        sim.management_account_id()
    );
    let mut sessions: Vec<(String, Caller)> = Vec::new();
    for (a, auth) in auths {
        let boss = sim.management_user("boss", &[("admin", &admin())], auth);
        for role in sim.roles() {
            let (name, account) = sim.role_name(role).unwrap();
            let d = sim.assume(&boss, role, HOME);
            c.push(
                format!("layout/management/{a}/{account}/{name}"),
                d.verdict(),
                &sim.assume_inputs(&boss, role, HOME).unwrap(),
            );
            if name == ORGANIZATION_ACCESS_ROLE {
                if let Some(s) = d.session() {
                    sessions.push((format!("{a}/{account}"), s.clone()));
                }
            }
        }
        for region in [HOME, ELSEWHERE] {
            let r = Request::new("sts:GetCallerIdentity", "*");
            let d = sim.request_with(&boss, r.clone(), region);
            c.push(
                format!("layout/management/{a}/sts/{region}"),
                d.verdict(),
                &sim.request_inputs(&boss, r, region),
            );
        }
    }
    // Sessions of the organization access role: anything, and the archive.
    for (who, s) in &sessions {
        let account = s.who().to_string();
        let acct = account.split(':').nth(4).unwrap_or_default().to_owned();
        for (action, resource) in [
            (
                "ec2:RunInstances",
                format!("arn:aws:ec2:us-east-1:{acct}:instance/i-0123456789abcdef0"),
            ),
            ("s3:DeleteObject", object.clone()),
            ("s3:PutObject", object.clone()),
            ("s3:PutBucketPolicy", bucket.clone()),
            ("s3:PutLifecycleConfiguration", bucket.clone()),
            ("s3:GetObject", object.clone()),
        ] {
            let r = Request::new(action, resource);
            let d = sim.request_with(s, r.clone(), HOME);
            c.push(
                format!("layout/access-role/{who}/{action}"),
                d.verdict(),
                &sim.request_inputs(s, r, HOME),
            );
        }
    }
    // The log delivery services against the archive's bucket policy.
    let trail = format!(
        "arn:aws:cloudtrail:us-east-1:{}:trail/acme-organization-trail",
        sim.management_account_id()
    );
    let other_trail = "arn:aws:cloudtrail:us-east-1:999999999999:trail/acme-organization-trail";
    for service in [
        "cloudtrail.amazonaws.com",
        "config.amazonaws.com",
        "logging.s3.amazonaws.com",
    ] {
        for (s, source) in [("org-trail", trail.as_str()), ("other-trail", other_trail)] {
            for source_account in [sim.management_account_id(), "999999999999"] {
                let caller = sim.service(service, Some(source), Some(source_account));
                for (action, resource, acl) in [
                    ("s3:PutObject", object.as_str(), true),
                    ("s3:PutObject", object.as_str(), false),
                    ("s3:GetBucketAcl", bucket.as_str(), false),
                    ("s3:ListBucket", bucket.as_str(), false),
                    ("s3:DeleteObject", object.as_str(), false),
                ] {
                    let mut r = Request::new(action, resource);
                    if acl {
                        r = r.with("s3:x-amz-acl", "bucket-owner-full-control");
                    }
                    let d = sim.request_with(&caller, r.clone(), HOME);
                    c.push(
                        format!("layout/delivery/{service}/{s}/{source_account}/{action}/{acl}"),
                        d.verdict(),
                        &sim.request_inputs(&caller, r, HOME),
                    );
                }
            }
        }
    }
    // Root users of the member accounts, plain and in privileged root sessions.
    let mut members = vec![
        ("identity", layout.identity_account().clone()),
        ("audit", layout.audit_account().clone()),
        ("shared", layout.shared_services_account().clone()),
    ];
    for (n, a) in layout.environment_accounts() {
        members.push((n.as_str(), a.clone()));
    }
    for (n, a) in &members {
        let acct = sim.account_id(a).unwrap().to_owned();
        for assumed in [false, true] {
            let root = sim.root(a, assumed).unwrap();
            for (action, resource) in [
                ("iam:CreateUser", format!("arn:aws:iam::{acct}:user/x")),
                ("s3:PutBucketPolicy", bucket.clone()),
                ("sts:GetCallerIdentity", "*".to_owned()),
            ] {
                let r = Request::new(action, resource);
                let d = sim.request_with(&root, r.clone(), HOME);
                c.push(
                    format!("layout/root/{n}/{assumed}/{action}"),
                    d.verdict(),
                    &sim.request_inputs(&root, r, HOME),
                );
            }
        }
    }
}

/// An organization whose SCPs allow lists (no FullAWSAccess), intersected level by level.
fn from_an_allow_list_organization(c: &mut Corpus) {
    use orgstack::org::{Account, Organization, OrganizationalUnit, Policy as OrgPolicy};
    let allow = |actions: &[&str]| {
        PolicyDocument::new().statement(
            Statement::allow()
                .actions(actions.iter().copied())
                .resource("*"),
        )
    };
    let mut app = App::new();
    let mgmt = app.stack("Management").unwrap();
    let org = app
        .add(
            &mgmt,
            Organization::create().full_aws_access_attached(false),
        )
        .unwrap();
    let workloads = app.add(&org, OrganizationalUnit::new("Workloads")).unwrap();
    let dev = app
        .add(&workloads, Account::new("Dev", "aws+dev@acme.example"))
        .unwrap();
    for (name, actions, at) in [
        ("AllowS3AndSts", &["s3:*", "sts:*"][..], 0),
        ("AllowS3", &["s3:*", "ec2:Describe*"][..], 1),
        ("AllowAll", &["*"][..], 2),
    ] {
        let p = app
            .add(&org, OrgPolicy::service_control(name, allow(actions)))
            .unwrap();
        match at {
            0 => p.attach(&mut app, &org),
            1 => p.attach(&mut app, &workloads),
            _ => p.attach(&mut app, &dev),
        }
    }
    let sim = Simulator::new(&app);
    let boss = sim.management_user("boss", &[("admin", &admin())], Auth::mfa(5));
    let role = sim.role(&dev, ORGANIZATION_ACCESS_ROLE).unwrap();
    let d = sim.assume(&boss, role, HOME);
    c.push(
        "allow-list/assume".into(),
        d.verdict(),
        &sim.assume_inputs(&boss, role, HOME).unwrap(),
    );
    let session = d.session().expect("assumed").clone();
    let user = sim
        .user(&dev, "carol", &[], Auth::mfa(5))
        .unwrap()
        .with_policy("admin", &admin());
    for (who, caller) in [("session", &session), ("user", &user)] {
        for (action, resource) in [
            ("s3:GetObject", "arn:aws:s3:::dev-data/k"),
            ("sts:GetSessionToken", "*"),
            ("ec2:DescribeInstances", "*"),
            ("iam:ListRoles", "*"),
        ] {
            let r = Request::new(action, resource);
            let d = sim.request_with(caller, r.clone(), HOME);
            c.push(
                format!("allow-list/{who}/{action}"),
                d.verdict(),
                &sim.request_inputs(caller, r, HOME),
            );
        }
    }
}

fn user_request(action: &str, resource: &str) -> Request {
    Request::new(action, resource)
        .by(orgstack::access::Who::aws(
            "arn:aws:iam::111111111111:user/alice",
        ))
        .with("aws:username", "alice")
        .with("aws:PrincipalArn", "arn:aws:iam::111111111111:user/alice")
}

/// Operators of one family, the key they test, the values they compare with, and the
/// states of the key in the request (`None`: absent).
type Family = (
    Vec<BaseOperator>,
    &'static str,
    Vec<&'static str>,
    Vec<Option<&'static str>>,
);

/// Every operator with and without `IfExists`, in an Allow alone and in a Deny beside an
/// allow-all, against a key absent, present with each of a few values.
fn crafted_conditions(c: &mut Corpus) {
    let families: Vec<Family> = vec![
        (
            vec![
                BaseOperator::StringEquals,
                BaseOperator::StringNotEquals,
                BaseOperator::StringEqualsIgnoreCase,
                BaseOperator::StringNotEqualsIgnoreCase,
                BaseOperator::StringLike,
                BaseOperator::StringNotLike,
            ],
            "aws:PrincipalTag/team",
            vec!["blue", "bl*"],
            vec![None, Some("blue"), Some("Blue"), Some("bl*")],
        ),
        (
            vec![
                BaseOperator::NumericEquals,
                BaseOperator::NumericNotEquals,
                BaseOperator::NumericLessThan,
                BaseOperator::NumericLessThanEquals,
                BaseOperator::NumericGreaterThan,
                BaseOperator::NumericGreaterThanEquals,
            ],
            "aws:MultiFactorAuthAge",
            vec!["3600"],
            vec![None, Some("100"), Some("3600"), Some("7200")],
        ),
        (
            vec![
                BaseOperator::DateEquals,
                BaseOperator::DateNotEquals,
                BaseOperator::DateLessThan,
                BaseOperator::DateLessThanEquals,
                BaseOperator::DateGreaterThan,
                BaseOperator::DateGreaterThanEquals,
            ],
            "aws:CurrentTime",
            vec!["2025-06-01T00:00:00Z"],
            vec![
                None,
                Some("2026-01-01T00:00:00Z"),
                Some("2025-06-01T00:00:00Z"),
                Some("2020-01-01T00:00:00Z"),
            ],
        ),
        (
            vec![BaseOperator::Bool],
            "aws:SecureTransport",
            vec!["true", "false"],
            vec![None, Some("true"), Some("false")],
        ),
        (
            vec![BaseOperator::IpAddress, BaseOperator::NotIpAddress],
            "aws:SourceIp",
            vec!["10.0.0.0/8"],
            vec![None, Some("10.1.2.3"), Some("192.168.0.1")],
        ),
        (
            vec![
                BaseOperator::ArnEquals,
                BaseOperator::ArnNotEquals,
                BaseOperator::ArnLike,
                BaseOperator::ArnNotLike,
            ],
            "aws:SourceArn",
            vec!["arn:aws:cloudtrail:*:111111111111:trail/*"],
            vec![
                None,
                Some("arn:aws:cloudtrail:us-east-1:111111111111:trail/org"),
                Some("arn:aws:cloudtrail:us-east-1:222222222222:trail/org"),
            ],
        ),
    ];
    for (bases, key, wanted, states) in families {
        for base in bases {
            for if_exists in [false, true] {
                let mut op = Operator::new(base);
                if if_exists {
                    op = op.if_exists();
                }
                for w in &wanted {
                    for state in &states {
                        let cond = Condition::new(op, key, [*w]);
                        let mut req = user_request("s3:GetObject", "arn:aws:s3:::b/k");
                        if let Some(v) = state {
                            req = req.with(key, *v);
                        }
                        let allow = PolicyDocument::from(
                            Statement::allow()
                                .action("s3:GetObject")
                                .resource("*")
                                .condition(cond.clone()),
                        );
                        let deny = PolicyDocument::new().statement(
                            Statement::deny()
                                .action("s3:*")
                                .resource("*")
                                .condition(cond),
                        );
                        let s = state.unwrap_or("absent");
                        c.identity(
                            format!("crafted/{}/{w}/{s}/allow", op.name()),
                            &[allow],
                            req.clone(),
                        );
                        c.identity(
                            format!("crafted/{}/{w}/{s}/deny", op.name()),
                            &[admin(), deny],
                            req,
                        );
                    }
                }
            }
        }
    }
    // Null.
    for absent in [true, false] {
        for state in [None, Some("10.1.2.3")] {
            let req = match state {
                Some(v) => user_request("s3:GetObject", "arn:aws:s3:::b/k").with("aws:SourceIp", v),
                None => user_request("s3:GetObject", "arn:aws:s3:::b/k"),
            };
            let doc = PolicyDocument::from(
                Statement::allow()
                    .action("s3:GetObject")
                    .resource("*")
                    .condition(Condition::null("aws:SourceIp", absent)),
            );
            c.identity(
                format!("crafted/Null/{absent}/{}", state.unwrap_or("absent")),
                &[doc],
                req,
            );
        }
    }
}

/// The set qualifiers against absent, empty, single and multivalued keys.
fn crafted_sets(c: &mut Corpus) {
    let key = "aws:PrincipalOrgPaths";
    let states: Vec<(&str, Option<Vec<&str>>)> = vec![
        ("absent", None),
        ("empty", Some(vec![])),
        ("one", Some(vec!["o-a/r-a/ou-a/"])),
        ("two", Some(vec!["o-a/r-a/ou-a/", "o-a/r-a/ou-b/"])),
    ];
    for base in [
        BaseOperator::StringEquals,
        BaseOperator::StringLike,
        BaseOperator::StringNotEquals,
        BaseOperator::StringNotLike,
    ] {
        for any in [true, false] {
            for if_exists in [false, true] {
                let mut op = Operator::new(base);
                op = if any {
                    op.for_any_value()
                } else {
                    op.for_all_values()
                };
                if if_exists {
                    op = op.if_exists();
                }
                let wanted =
                    if matches!(base, BaseOperator::StringLike | BaseOperator::StringNotLike) {
                        "o-a/r-a/ou-a/*"
                    } else {
                        "o-a/r-a/ou-a/"
                    };
                for (s, values) in &states {
                    let mut req = user_request("s3:GetObject", "arn:aws:s3:::b/k");
                    if let Some(v) = values {
                        req = req.with_values(key, v.iter().copied());
                    }
                    for effect in ["allow", "deny"] {
                        let cond = Condition::new(op, key, [wanted]);
                        let docs = if effect == "allow" {
                            vec![PolicyDocument::from(
                                Statement::allow()
                                    .action("s3:GetObject")
                                    .resource("*")
                                    .condition(cond),
                            )]
                        } else {
                            vec![
                                admin(),
                                PolicyDocument::from(
                                    Statement::deny()
                                        .action("s3:GetObject")
                                        .resource("*")
                                        .condition(cond),
                                ),
                            ]
                        };
                        c.identity(
                            format!("crafted/sets/{}/{s}/{effect}", op.name()),
                            &docs,
                            req.clone(),
                        );
                    }
                }
            }
        }
    }
}

/// NotAction, NotResource, policy variables and wildcards.
fn crafted_elements(c: &mut Corpus) {
    let own = "arn:aws:iam::111111111111:user/alice";
    let other = "arn:aws:iam::111111111111:user/bob";
    let docs: Vec<(&str, PolicyDocument)> = vec![
        (
            "not-action",
            PolicyDocument::from(
                Statement::allow()
                    .not_actions(["iam:*", "organizations:*"])
                    .resource("*"),
            ),
        ),
        (
            "not-resource-deny",
            PolicyDocument::new()
                .statement(Statement::allow().action("*").resource("*"))
                .statement(
                    Statement::deny()
                        .action("iam:*")
                        .not_resource("arn:aws:iam::111111111111:user/${aws:username}"),
                ),
        ),
        (
            "variable-resource",
            PolicyDocument::from(
                Statement::allow()
                    .actions(["iam:GetUser", "s3:GetObject"])
                    .resources([
                        "arn:aws:iam::*:user/${aws:username}",
                        "arn:aws:s3:::b/${aws:PrincipalTag/team}/*",
                    ]),
            ),
        ),
        (
            "wildcards",
            PolicyDocument::from(
                Statement::allow()
                    .actions(["s3:Get*", "iam:*User", "S3:LISTBUCKET"])
                    .resources(["arn:aws:s3:::b*", "arn:aws:iam::111111111111:user/?ob"]),
            ),
        ),
        (
            "variable-condition",
            PolicyDocument::from(Statement::allow().action("*").resource("*").condition(
                Condition::string_equals("aws:PrincipalTag/owner", ["${aws:username}"]),
            )),
        ),
    ];
    let requests = [
        ("iam:GetUser", own),
        ("iam:GetUser", other),
        ("iam:DeleteUser", own),
        ("iam:CreateUser", other),
        ("s3:GetObject", "arn:aws:s3:::b/blue/k"),
        ("s3:GetObject", "arn:aws:s3:::b/red/k"),
        ("s3:GetObject", "arn:aws:s3:::other/k"),
        ("s3:ListBucket", "arn:aws:s3:::b"),
        ("s3:PutObject", "arn:aws:s3:::b/blue/k"),
        ("organizations:DescribeOrganization", "*"),
        ("ec2:DescribeInstances", "*"),
    ];
    for (name, doc) in &docs {
        for (action, resource) in requests {
            for tags in [false, true] {
                let mut req = user_request(action, resource);
                if tags {
                    req = req
                        .with("aws:PrincipalTag/team", "blue")
                        .with("aws:PrincipalTag/owner", "alice");
                }
                c.identity(
                    format!("crafted/{name}/{action}/{resource}/{tags}"),
                    std::slice::from_ref(doc),
                    req,
                );
            }
        }
    }
}

/// A principal of the crafted resource-policy cases: its name, who it is, its context.
type Signer = (&'static str, Who, Vec<(&'static str, String)>);

/// Resource policies naming principals in every way, for principals of the resource's
/// account, of another account, a role session and a service, with and without an
/// identity policy that allows: how AWS combines the two.
fn crafted_resource_policies(c: &mut Corpus) {
    let a = "111111111111";
    let role = format!("arn:aws:iam::{a}:role/r");
    let session = format!("arn:aws:sts::{a}:assumed-role/r/alice");
    let object = "arn:aws:s3:::shared-bucket/k";
    let allow = |p: Principal| {
        PolicyDocument::from(
            Statement::allow()
                .principal(p)
                .action("s3:GetObject")
                .resource("arn:aws:s3:::shared-bucket/*"),
        )
    };
    let policies: Vec<(&str, PolicyDocument)> = vec![
        (
            "account-root",
            allow(Principal::aws(format!("arn:aws:iam::{a}:root"))),
        ),
        ("account-id", allow(Principal::aws(a))),
        (
            "user",
            allow(Principal::aws(format!("arn:aws:iam::{a}:user/alice"))),
        ),
        (
            "other-account",
            allow(Principal::aws("arn:aws:iam::222222222222:root")),
        ),
        ("everyone", allow(Principal::any())),
        ("role", allow(Principal::aws(role.clone()))),
        (
            "service",
            allow(Principal::service("cloudtrail.amazonaws.com")),
        ),
        (
            "deny-not-principal",
            PolicyDocument::new()
                .statement(
                    Statement::allow()
                        .principal(Principal::any())
                        .action("s3:*")
                        .resource("*"),
                )
                .statement(
                    Statement::deny()
                        .not_principal(Principal::aws(format!("arn:aws:iam::{a}:root")))
                        .not_principal(Principal::aws(role.clone()))
                        .not_principal(Principal::aws(session.clone()))
                        .action("s3:*")
                        .resource("*"),
                ),
        ),
        (
            "deny-other-accounts",
            PolicyDocument::new()
                .statement(
                    Statement::allow()
                        .principal(Principal::any())
                        .action("s3:*")
                        .resource("*"),
                )
                .statement(
                    Statement::deny()
                        .principal(Principal::any())
                        .action("s3:*")
                        .resource("*")
                        .condition(Condition::string_not_equals("aws:PrincipalAccount", [a])),
                ),
        ),
    ];
    let principals: Vec<Signer> = vec![
        (
            "same-account-user",
            Who::aws(format!("arn:aws:iam::{a}:user/alice")),
            vec![
                ("aws:PrincipalArn", format!("arn:aws:iam::{a}:user/alice")),
                ("aws:PrincipalAccount", a.to_owned()),
            ],
        ),
        (
            "other-account-user",
            Who::aws("arn:aws:iam::222222222222:user/bob"),
            vec![
                (
                    "aws:PrincipalArn",
                    "arn:aws:iam::222222222222:user/bob".to_owned(),
                ),
                ("aws:PrincipalAccount", "222222222222".to_owned()),
            ],
        ),
        (
            "role-session",
            Who::Aws {
                account: a.to_owned(),
                arn: role.clone(),
                session: Some(session.clone()),
            },
            vec![
                ("aws:PrincipalArn", role.clone()),
                ("aws:PrincipalAccount", a.to_owned()),
            ],
        ),
        (
            "service",
            Who::service("cloudtrail.amazonaws.com"),
            vec![(
                "aws:PrincipalServiceName",
                "cloudtrail.amazonaws.com".to_owned(),
            )],
        ),
    ];
    let identity = PolicyDocument::from(Statement::allow().action("s3:GetObject").resource("*"));
    for (pname, doc) in &policies {
        for (who_name, who, ctx) in &principals {
            let service = matches!(who, Who::Service(_));
            for with_identity in [false, true] {
                if service && with_identity {
                    continue;
                }
                let mut req = Request::new("s3:GetObject", object).by(who.clone());
                for (k, v) in ctx {
                    req = req.with(k, v.clone());
                }
                let same_account = match who {
                    Who::Aws { account, .. } => account == a,
                    _ => false,
                };
                let inputs = Inputs {
                    request: req,
                    resource_account: a.to_owned(),
                    same_account,
                    service,
                    boundary: false,
                    identity: if with_identity {
                        vec![Policy::literal("allow-get", &identity)]
                    } else {
                        Vec::new()
                    },
                    scps: Vec::new(),
                    rcps: Vec::new(),
                    resource_policy: Some(Policy::literal(format!("bucket policy {pname}"), doc)),
                };
                let d = decide(&inputs, format!("{who_name} on {pname}"));
                c.push(
                    format!("crafted/resource/{pname}/{who_name}/{with_identity}"),
                    d.verdict(),
                    &inputs,
                );
            }
        }
    }
}

/// The layout with its customer-managed key: who may use the key, where its policy must
/// let the caller in even in the key's own account.
fn from_the_key_policy(c: &mut Corpus) {
    let mut app = App::new();
    let management = app.stack("Management").unwrap();
    let layout = app
        .add(
            &management,
            FiveAccountLayout::builder("acme")
                .email_domain("aws.acme.example")
                .alert_email("cloud-alerts@acme.example")
                .kms_key(orgstack::layouts::KmsKey::CustomerManaged),
        )
        .unwrap();
    let sim = Simulator::new(&app);
    let key = sim
        .resource_arn(&layout.kms_key().unwrap())
        .unwrap()
        .to_owned();
    let s3_only = PolicyDocument::new().statement(Statement::allow().action("s3:*").resource("*"));
    let mut callers = vec![
        (
            "mgmt-admin",
            sim.management_user("boss", &[("admin", &admin())], Auth::mfa(30)),
        ),
        (
            "mgmt-s3",
            sim.management_user("ops", &[("s3", &s3_only)], Auth::mfa(30)),
        ),
    ];
    let boss = callers[0].1.clone();
    for (n, account) in [
        ("audit", layout.audit_account().clone()),
        ("dev", layout.environment_accounts()["dev"].clone()),
    ] {
        let role = sim.role(&account, ORGANIZATION_ACCESS_ROLE).unwrap();
        if let Some(session) = sim.assume(&boss, role, HOME).session() {
            callers.push((n, session.clone()));
        }
    }
    for (n, caller) in &callers {
        for (action, via) in [
            ("kms:Decrypt", Some("s3.us-east-1.amazonaws.com")),
            ("kms:Decrypt", None),
            ("kms:ScheduleKeyDeletion", None),
        ] {
            let mut r = Request::new(action, &key);
            if let Some(v) = via {
                r = r.with("kms:ViaService", v);
            }
            let d = sim.request_with(caller, r.clone(), HOME);
            c.push(
                format!("layout/key/{n}/{action}/{}", via.unwrap_or("direct")),
                d.verdict(),
                &sim.request_inputs(caller, r, HOME),
            );
        }
    }
}

#[test]
fn the_differential_corpus() {
    let mut c = Corpus::default();
    from_the_layout(&mut c);
    let from_layout = c.cases.len();
    from_an_allow_list_organization(&mut c);
    crafted_conditions(&mut c);
    crafted_sets(&mut c);
    crafted_elements(&mut c);
    crafted_resource_policies(&mut c);
    from_the_key_policy(&mut c);
    let mut by_verdict: BTreeMap<String, usize> = BTreeMap::new();
    for case in &c.cases {
        *by_verdict
            .entry(case["ours"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    assert!(c.cases.len() >= 500, "{} pairs", c.cases.len());
    assert!(from_layout >= 250, "{from_layout} pairs from the layout");
    assert_eq!(
        by_verdict.len(),
        3,
        "every verdict is represented: {by_verdict:?}"
    );
    let mut ids: Vec<&str> = c.cases.iter().map(|v| v["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "case ids are unique");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("differential");
    std::fs::create_dir_all(&dir).unwrap();
    let body = serde_json::to_string_pretty(&json!({
        "pairs": c.cases.len(),
        "fromLayout": from_layout,
        "undecided": c.undecided,
        "cases": c.cases,
    }))
    .unwrap();
    std::fs::write(dir.join("corpus.json"), body + "\n").unwrap();
    println!(
        "{} pairs ({from_layout} from the layout), {} left out as undecided: {by_verdict:?}",
        c.cases.len(),
        c.undecided
    );
}
