//! Values written into the deploy plan's shell commands and the diff's remedies: an account
//! name may hold any printable ASCII and an e-mail `$` or a backtick, which a shell would
//! expand inside double quotes. Every value a user wrote goes through here.

/// `s` as one shell word: as it is when it holds only characters no shell reads specially,
/// else in single quotes (a single quote inside closes them, is escaped, and reopens them).
pub(crate) fn quote(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        return s.to_owned();
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// `s` as a JMESPath raw string literal (`'…'`, with `\` and `'` escaped), for `--query`.
pub(crate) fn jmespath_literal(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// A `--query` argument: in double quotes, as the plan writes them, when nothing in it is
/// special there; else as [`quote`] writes it.
pub(crate) fn query(q: &str) -> String {
    if q.contains(['$', '`', '"', '\\', '!']) {
        quote(q)
    } else {
        format!("\"{q}\"")
    }
}

/// `name` as an AWS CLI profile name: lower case letters, digits, `-` and `_`, anything
/// else written as `-` (what `aws configure set profile.NAME.key` and a `[profile NAME]`
/// section read as one name).
pub(crate) fn profile_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// The commands that make the AWS CLI profile `profile` assume `role` in the account
/// whose id the shell variable `account_var` holds, from the `default` profile's
/// credentials, with the MFA device of the user they belong to (the first
/// `aws iam list-mfa-devices` lists): the layout's guardrail lets an organization access
/// role do nothing without MFA. `profile` and `role` are names the caller checked (letters,
/// digits and `+=,.@_-`).
pub(crate) fn assume_role_profile(profile: &str, account_var: &str, role: &str) -> [String; 3] {
    [
        format!(
            "aws configure set profile.{profile}.role_arn \"arn:aws:iam::${account_var}:role/{role}\""
        ),
        format!("aws configure set profile.{profile}.source_profile default"),
        format!(
            "aws configure set profile.{profile}.mfa_serial \"$(aws iam list-mfa-devices --query 'MFADevices[0].SerialNumber' --output text)\""
        ),
    ]
}

/// What a plan step says of the profile [`assume_role_profile`] sets up.
pub(crate) fn assume_role_profile_why(profile: &str, role: &str) -> String {
    format!(
        "through the profile `{profile}`, which assumes `{role}` there from your `default` credentials and your MFA device, whose code the CLI asks for"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    /// What `sh` makes of `word` as one argument.
    fn through_sh(word: &str) -> String {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("printf '%s' {word}"))
            .output()
            .expect("sh runs");
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn a_quoted_value_reaches_the_command_as_written() {
        for s in [
            "audit@aws.acme.example",
            "ops$team@acme.example",
            "a`id`b",
            "O'Brien's \"account\" $(x) !1 \\",
            "",
            "two words",
        ] {
            assert_eq!(through_sh(&quote(s)), s, "{s}");
        }
        assert_eq!(quote("audit@aws.acme.example"), "audit@aws.acme.example");
    }

    #[test]
    fn a_query_is_double_quoted_unless_the_shell_would_read_it() {
        let q = format!(
            "Accounts[?Email=={}].Id",
            jmespath_literal("audit@acme.example")
        );
        assert_eq!(query(&q), "\"Accounts[?Email=='audit@acme.example'].Id\"");
        let q = format!("Accounts[?Name=={}].Id", jmespath_literal("O'Brien $HOME"));
        assert_eq!(q, "Accounts[?Name=='O\\'Brien $HOME'].Id");
        assert_eq!(through_sh(&query(&q)), q);
    }
}
