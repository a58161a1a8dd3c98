use orgstack::testing::Snapshots;

fn variant() -> String {
    std::env::var("FIXTURE_VARIANT").unwrap_or_default()
}

#[test]
fn every_file() {
    let assembly = snapshot_repo::app(&variant()).unwrap().synth().unwrap();
    orgstack::assert_snapshots!(&assembly);
}

#[test]
fn own_file() {
    // The same text as far as insta's comparison goes; other bytes.
    let notes = if variant() == "trailing-space" {
        "alerts \n"
    } else {
        "alerts\n"
    };
    orgstack::assert_snapshots!(Snapshots::of_files([("notes", notes)]).dir("snapshots-own"));
}
