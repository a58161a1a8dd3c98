//! Unit tests of the checked values.

use super::*;

/// Asserts every value of `ok` parses (through each entry point) and every value of `bad`
/// is refused with `rule`, naming the value as given.
fn check<T>(ok: &[&str], bad: &[&str], rule: Rule)
where
    T: FromStr<Err = InvalidValue>
        + for<'a> TryFrom<&'a str, Error = InvalidValue>
        + TryFrom<String, Error = InvalidValue>
        + fmt::Display
        + fmt::Debug
        + AsRef<str>
        + PartialEq,
{
    for v in ok {
        let parsed: T = v.parse().unwrap_or_else(|e| panic!("{v:?} refused: {e}"));
        assert_eq!(parsed.as_ref(), *v);
        assert_eq!(parsed.to_string(), *v, "Display round-trip");
        assert_eq!(parsed.to_string().parse::<T>().unwrap(), parsed);
        assert_eq!(T::try_from(*v).unwrap(), parsed);
        assert_eq!(T::try_from(v.to_string()).unwrap(), parsed);
    }
    for v in bad {
        let err = v.parse::<T>().expect_err(&format!("{v:?} accepted"));
        assert_eq!(err.rule, rule, "{v:?}");
        assert_eq!(err.value, *v);
        assert!(!err.message.is_empty() && !err.hint.is_empty());
        assert_eq!(T::try_from(*v).unwrap_err(), err);
        assert_eq!(T::try_from(v.to_string()).unwrap_err(), err);
    }
}

#[test]
fn account_ids() {
    check::<AccountId>(
        &["123456789012", "000000000000", "012345678901"],
        &[
            "12345678901",
            "1234567890123",
            "",
            "12345678901a",
            " 123456789012",
            "１２３４５６７８９０１２",
        ],
        Rule::AccountId,
    );
}

#[test]
fn emails() {
    check::<Email>(
        &[
            "prod@aws.acme.example",
            "a.b+c@example.co",
            "x_y@sub-domain.example.org",
            "Aws+Prod@Acme.Example",
            "a@b.co",
            // Organizations refuses a leading dot only.
            "a..b@example.com",
            "trailing.@example.com",
            // Punycode top-level domains, and digits in labels.
            "ops@example.xn--p1ai",
            "a@example.c0m",
            "ops@123.example",
            "{ops}!#$*/=?^`~@example.com",
        ],
        &[
            "not-an-email",
            "a b@example.com junk",
            "a@b.c",
            "@example.com",
            ".a@example.com",
            "a@example",
            "a@-x.com",
            "a@x-.com",
            "a@x..com",
            "a@example.com.",
            "a@example.123",
            "a@exa mple.com",
            "a@b@example.com",
            "o'hara@example.com",
            "50%@example.com",
            "a&b@example.com",
            "a(b)@example.com",
            "a\tb@example.com",
            "a@exa_mple.com",
            "é@example.com",
            "",
        ],
        Rule::AccountEmail,
    );
    // 64 characters is the limit.
    let at_limit = format!("{}@example.com", "a".repeat(52));
    assert_eq!(at_limit.len(), 64);
    assert!(at_limit.parse::<Email>().is_ok());
    let over = format!("{}@example.com", "a".repeat(53));
    assert!(over.parse::<Email>().is_err());
    // Kept as written.
    let e: Email = "Aws+Prod@Acme.Example".parse().unwrap();
    assert_eq!(e.into_string(), "Aws+Prod@Acme.Example");
}

#[test]
fn email_messages_are_those_of_email_problem() {
    for (value, message) in [
        ("a@b.c", "an account e-mail must be 6 to 64 characters"),
        ("not-an-email", "an e-mail address needs an `@`"),
        (
            "a b@example.com",
            "the part before `@` may not hold whitespace, control characters or any of \"'()<>[]:;,\\|%&",
        ),
        (
            ".ab@example.com",
            "the part before `@` must not start with a dot",
        ),
        (
            "aaaa@example",
            "the domain needs at least two labels, e.g. `example.com`",
        ),
        (
            "a@-x.com",
            "each domain label must be letters, digits or inner hyphens: none empty, none starting or ending with a hyphen",
        ),
        (
            "a@example.123",
            "the top-level domain must not be all digits",
        ),
        (
            "a@b@example.com",
            "an e-mail address has exactly one `@`",
        ),
        (
            "é@example.com",
            "an account e-mail must be 7-bit ASCII: write an internationalized domain in punycode (xn--…)",
        ),
    ] {
        let err = value.parse::<Email>().unwrap_err();
        assert_eq!(err.message, message, "{value}");
        assert_eq!(email_problem(value), Some(message));
    }
}

#[test]
fn organization_ids() {
    let max = format!("o-{}", "a1".repeat(16));
    let over = format!("o-{}a", "a1".repeat(16));
    assert_eq!((max.len(), over.len()), (34, 35));
    check::<OrganizationId>(
        &["o-abcdef1234", "o-0123456789", &max],
        &[
            "o-abcdef123",
            &over,
            "o-ABCDEF1234",
            "abcdef1234",
            "o_abcdef1234",
            "o-abcdef-1234",
            "",
        ],
        Rule::OrganizationId,
    );
}

#[test]
fn root_ids() {
    let max = format!("r-{}", "a".repeat(32));
    let over = format!("r-{}", "a".repeat(33));
    check::<RootId>(
        &["r-abcd", "r-ab12", "r-0000", &max],
        &["r-abc", &over, "r-AB12", "root", "r-", "r-ab-12", ""],
        Rule::RootId,
    );
}

#[test]
fn ou_ids() {
    let a32 = "a".repeat(32);
    let a33 = "a".repeat(33);
    let max = format!("ou-{a32}-{a32}");
    check::<OuId>(
        &["ou-ab12-abcd1234", "ou-abcd-00000000", &max],
        &[
            "ou-abc-abcd1234", // root part too short
            "ou-ab12-abcd123", // ou part too short
            &format!("ou-{a33}-abcd1234"),
            &format!("ou-ab12-{a33}"),
            "ou-ab12",           // no second part
            "ou-ab12-abcd1234-", // trailing hyphen
            "ou-ab12-abcd-1234", // three parts
            "ou-AB12-abcd1234",
            "OU-ab12-abcd1234",
            "r-ab12",
            "",
        ],
        Rule::OuId,
    );
}

#[test]
fn regions() {
    check::<Region>(
        &[
            "us-east-1",
            "eu-west-1",
            "ap-southeast-2",
            "us-gov-west-1",
            "cn-north-1",
            "us-iso-east-1",
            "us-isob-east-1",
            "eu-central-2",
            "il-central-1",
            "mx-central-1",
            "ap-east-10",
            "eu-isoe-west-1",
            "us-isof-south-1",
            "eusc-de-east-1",
        ],
        &[
            "US-EAST-1",
            "us-east",
            "useast1",
            "",
            "us-east-1 ",
            " us-east-1",
            "us-east-100",
            "use-east-1",
            "u-east-1",
            "us--1",
            "us-east-",
            "us-gov-1-1",
            "us-isobc-east-1",
            "us-foo-east-1",
            "us-iso1-east-1",
            "us-east1-1",
            "us-east-1a",
            "us-east-1-",
            "eusc-east-1",
            "eusc-deu-east-1",
        ],
        Rule::Region,
    );
}

#[test]
fn stack_names() {
    let max = format!("A{}", "b".repeat(127));
    let over = format!("A{}", "b".repeat(128));
    check::<StackName>(
        &["Management", "a", "Org-Units-1", "Z-", &max],
        &["", "1st", "-x", "Org_Units", "Org Units", "Orgé", &over],
        Rule::StackName,
    );
    check::<StackSetName>(
        &["identity-roles", "WorkloadRoles", &max],
        &["", "9roles", "identity_roles", "identity.roles", &over],
        Rule::StackSetName,
    );
}

#[test]
fn stack_and_stackset_names_are_told_apart() {
    let stack = "bad_name".parse::<StackName>().unwrap_err();
    let set = "bad_name".parse::<StackSetName>().unwrap_err();
    assert_eq!(
        (stack.rule, set.rule),
        (Rule::StackName, Rule::StackSetName)
    );
    assert_eq!((stack.kind, set.kind), ("stack name", "StackSet name"));
    assert_ne!(stack.hint, set.hint);
    assert_eq!(
        stack.message,
        "a stack name must start with a letter and hold only letters, digits and hyphens, \
         at most 128 characters"
    );
    assert!(set
        .message
        .starts_with("a StackSet name must start with a letter"));
}

#[test]
fn logical_ids() {
    let max = "A".repeat(255);
    let over = "A".repeat(256);
    check::<LogicalId>(
        &["ProdAccount", "a", "0", "Acct1a2b3c4d", &max],
        &[
            "",
            "Prod-Account",
            "Prod_Account",
            "Prod Account",
            "Prodé",
            &over,
        ],
        Rule::LogicalIdPattern,
    );
}

#[test]
fn invalid_value_names_the_value_and_the_rule() {
    let err = "12345678901".parse::<AccountId>().unwrap_err();
    assert_eq!(
        err,
        InvalidValue {
            kind: "account id",
            value: "12345678901".into(),
            rule: Rule::AccountId,
            message: "an account id is 12 digits".into(),
            hint: "copy the id from `aws organizations list-accounts`",
        }
    );
    assert_eq!(
        err.to_string(),
        "invalid account id `12345678901`: an account id is 12 digits; \
         copy the id from `aws organizations list-accounts`"
    );
    let err = "a@example".parse::<Email>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid account e-mail `a@example`: the domain needs at least two labels, e.g. \
         `example.com`; give the address of a mailbox you control, e.g. aws+prod@example.com"
    );
}

#[test]
fn to_diagnostic_keeps_everything() {
    let err = "r-abc".parse::<RootId>().unwrap_err();
    let d = err.to_diagnostic("Management/Organization");
    assert_eq!(
        d,
        Diagnostic::new(
            "Management/Organization",
            Rule::RootId,
            "r-abc",
            "a root id must match ^r-[0-9a-z]{4,32}$",
            "copy the root id from `aws organizations list-roots`",
        )
    );
    // The error keeps a long value whole; the diagnostic shortens it.
    let long = "x".repeat(500);
    let err = long.parse::<Email>().unwrap_err();
    assert_eq!(err.value, long);
    assert!(err.to_diagnostic("P").value.ends_with("(500 characters)"));
}

#[test]
fn try_from_string_does_not_reallocate() {
    let s = String::from("123456789012");
    let ptr = s.as_ptr();
    let id = AccountId::try_from(s).unwrap();
    assert_eq!(id.as_str().as_ptr(), ptr);
    let s = id.into_string();
    assert_eq!(s.as_ptr(), ptr);

    let s = String::from("1234");
    let ptr = s.as_ptr();
    let err = AccountId::try_from(s).unwrap_err();
    assert_eq!(
        err.value.as_ptr(),
        ptr,
        "a refused value is moved into the error"
    );
}

#[test]
fn compares_with_str() {
    let r: Region = "eu-west-1".parse().unwrap();
    assert!(r == "eu-west-1");
    assert!(r == *"eu-west-1");
    assert!(r != "eu-west-2");
    assert_eq!(r.as_ref(), "eu-west-1");
    let mut ids: Vec<AccountId> = ["222222222222", "111111111111"]
        .into_iter()
        .map(|s| s.parse().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, ["111111111111", "222222222222"]);
}

#[test]
fn serde_round_trip() {
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Doc {
        account: AccountId,
        email: Email,
        org: OrganizationId,
        root: RootId,
        ou: OuId,
        region: Region,
        stack: StackName,
        stack_set: StackSetName,
        logical: LogicalId,
    }
    let doc = Doc {
        account: "012345678901".parse().unwrap(),
        email: "aws+prod@acme.example".parse().unwrap(),
        org: "o-abcdef1234".parse().unwrap(),
        root: "r-ab12".parse().unwrap(),
        ou: "ou-ab12-abcd1234".parse().unwrap(),
        region: "us-gov-west-1".parse().unwrap(),
        stack: "Management".parse().unwrap(),
        stack_set: "identity-roles".parse().unwrap(),
        logical: "ProdAccount".parse().unwrap(),
    };
    let json = serde_json::to_string(&doc).unwrap();
    assert_eq!(
        json,
        r#"{"account":"012345678901","email":"aws+prod@acme.example","org":"o-abcdef1234","root":"r-ab12","ou":"ou-ab12-abcd1234","region":"us-gov-west-1","stack":"Management","stack_set":"identity-roles","logical":"ProdAccount"}"#
    );
    assert_eq!(serde_json::from_str::<Doc>(&json).unwrap(), doc);
}

#[test]
fn serde_refuses_bad_values() {
    let err = serde_json::from_str::<AccountId>(r#""12345678901""#).unwrap_err();
    let expected = "12345678901".parse::<AccountId>().unwrap_err().to_string();
    assert!(err.to_string().starts_with(&expected), "{err}");

    let err = serde_json::from_str::<Vec<Region>>(r#"["eu-west-1", "US-EAST-1"]"#).unwrap_err();
    assert!(
        err.to_string().contains("invalid region `US-EAST-1`"),
        "{err}"
    );

    // A number is not an account id, even of 12 digits: leading zeros would be lost.
    assert!(serde_json::from_str::<AccountId>("123456789012").is_err());
    assert_eq!(
        serde_json::from_str::<AccountId>(r#""123456789012""#).unwrap(),
        "123456789012"
    );
}
