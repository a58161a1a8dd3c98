//! Names the layout derives from others: identifiers from names, names from identifiers,
//! and the names of the archive both sides of the trail compute.

use crate::app::ResourceHandle;
use crate::cfn::{escape_sub, Expr, Value};
use crate::org::AccountHandle;

/// `shared-services` → `SharedServices`.
pub(super) fn upper_camel(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// For each name, the index of an earlier name that becomes the same construct id
/// ([`upper_camel`]): `read-only` and `read_only` are both `ReadOnly`.
pub(super) fn same_id_as_earlier<'a>(
    names: impl IntoIterator<Item = &'a str>,
) -> Vec<Option<usize>> {
    let ids: Vec<String> = names.into_iter().map(upper_camel).collect();
    ids.iter()
        .enumerate()
        .map(|(i, id)| ids[..i].iter().position(|earlier| earlier == id))
        .collect()
}

/// `DenyRootUser` → `deny-root-user`.
pub(super) fn kebab(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Names both sides compute: the management stack (trail, guardrails) and the audit
/// account's StackSet (bucket).
pub(super) struct ArchiveNames {
    /// `<prefix>-audit-logs`, escaped for the `Fn::Sub` templates it goes into.
    pub(super) bucket_prefix: String,
    pub(super) log_bucket_name: Value,
    pub(super) trail_name: String,
}

impl ArchiveNames {
    /// The names of the layout `prefix`, its bucket in the `audit` account.
    pub(super) fn new(prefix: &str, audit: &AccountHandle) -> Self {
        // The prefix comes from the layout's name, a setting: literal inside `Fn::Sub`.
        let bucket_prefix = format!("{}-audit-logs", escape_sub(prefix));
        let log_bucket_name = Value::from(Expr::sub_with(
            format!("{bucket_prefix}-${{AuditAccountId}}"),
            [("AuditAccountId", audit.id())],
        ));
        let trail_name = format!("{prefix}-organization-trail");
        ArchiveNames {
            bucket_prefix,
            log_bucket_name,
            trail_name,
        }
    }
}

impl ArchiveNames {
    /// The organization trail's ARN in the management stack, where `${AWS::Region}` and
    /// `${AWS::AccountId}` are the trail's own.
    pub(super) fn trail_arn(&self) -> Value {
        Value::from(Expr::sub(format!(
            "arn:${{AWS::Partition}}:cloudtrail:${{AWS::Region}}:${{AWS::AccountId}}:trail/{}",
            escape_sub(&self.trail_name)
        )))
    }

    /// The organization trail's ARN,
    /// `arn:${AWS::Partition}:cloudtrail:<home region>:<management account id>:trail/<name>`,
    /// for the audit account's template: the home region and the management account's id
    /// are read from the ARN of the trail's log group in the management stack
    /// (`arn:<partition>:logs:<region>:<account>:log-group:<name>:*`), which reaches the
    /// member template as a StackSet parameter. `${AWS::AccountId}` or `${AWS::Region}`
    /// would name the audit account's own, and the trail's own ARN cannot be used: the
    /// trail waits for the bucket, so the StackSet cannot wait for the trail.
    pub(super) fn trail_arn_from(&self, trail_log_group: &ResourceHandle) -> Value {
        let part = |i: u32| {
            Value::from(Expr::Select(
                i,
                Value::from(Expr::Split(
                    ":".into(),
                    Value::from(trail_log_group.get_att("Arn")),
                )),
            ))
        };
        Value::from(Expr::sub_with(
            format!(
                "arn:${{AWS::Partition}}:cloudtrail:${{HomeRegion}}:${{ManagementAccountId}}:trail/{}",
                escape_sub(&self.trail_name)
            ),
            [("HomeRegion", part(3)), ("ManagementAccountId", part(4))],
        ))
    }
}
