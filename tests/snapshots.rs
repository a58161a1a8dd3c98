#![cfg(feature = "testing")]
//! Every file of the reference layout and of the construct-by-construct organization, pinned
//! byte for byte in the top-level `snapshots/` folder.
//!
//! Regenerate after an intended change with `INSTA_UPDATE=always cargo test --test snapshots`
//! (or `cargo insta review`) and review the diff before committing it.

use orgstack::app::Assembly;
use orgstack::testing;

// The examples' own code, so the snapshots are the very files the examples write.
#[allow(dead_code)]
#[path = "../examples/custom_org.rs"]
mod custom_org_example;
#[allow(dead_code)]
#[path = "../examples/five_account_layout.rs"]
mod five_account_layout_example;

/// Snapshots every file of `assembly` as `snapshots/<prefix><name>.snap`.
fn assert_files(prefix: &str, assembly: &Assembly) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (name, body) in testing::snapshot_files(assembly) {
            insta::assert_snapshot!(format!("{prefix}{name}"), body);
            // insta compares with trailing whitespace trimmed and CRLF read as LF: pin
            // those bytes here.
            assert!(
                body.ends_with('\n') && !body.ends_with("\n\n"),
                "{name} ends with one newline"
            );
            assert!(!body.contains('\r'), "{name} has LF line ends");
        }
    });
}

/// `examples/five_account_layout.rs`.
#[test]
fn five_account_layout() {
    let assembly = five_account_layout_example::app().unwrap().synth().unwrap();
    assert_eq!(testing::snapshot_files(&assembly).len(), 8);
    assert_files("", &assembly);
}

/// `examples/custom_org.rs`.
#[test]
fn custom_org() {
    let assembly = custom_org_example::app().unwrap().synth().unwrap();
    assert_eq!(testing::snapshot_files(&assembly).len(), 7);
    assert_files("custom_org-", &assembly);
}

#[allow(dead_code)]
#[path = "../examples/five_account_services.rs"]
mod five_account_services_example;

/// `examples/five_account_services.rs`: the layout's files are the layout's own but for
/// the exports the services' stack imports.
#[test]
fn five_account_services() {
    let assembly = five_account_services_example::app()
        .unwrap()
        .synth()
        .unwrap();
    assert_eq!(testing::snapshot_files(&assembly).len(), 13);
    assert_files("five_account_services-", &assembly);
}
