//! Snapshotting every file of an assembly at once, byte for byte: [`Snapshots`] and the
//! [`assert_snapshots!`](crate::assert_snapshots) macro (feature `snapshots`).
//!
//! insta compares text snapshots with trailing whitespace trimmed and CRLF read as LF, and
//! its `.snap` files cannot hold those bytes. So every snapshot also records its file's
//! exact form in the snapshot's `description` (length, line endings, the trailing
//! whitespace and a checksum of every byte), and the comparison requires both to match: a
//! file that differs only in bytes insta would not show fails too, and the failure says so.

use std::fmt;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

use crate::app::Assembly;
use crate::cfn::hash::Fnv;

use super::assembly::snapshot_files;

/// What to snapshot and where: every file of an assembly (or files of your own), in a
/// directory of your crate, each under an optional prefix. Run it with
/// [`assert_snapshots!`](crate::assert_snapshots) or
/// [`try_assert_snapshots!`](crate::try_assert_snapshots).
///
/// ```
/// use orgstack::{App, cfn::Resource, testing::Snapshots};
/// let mut app = App::new();
/// let stack = app.stack("Main")?;
/// app.add(&stack, orgstack::CfnResource::new("Topic", Resource::new("AWS::SNS::Topic")))?;
/// let assembly = app.synth()?;
///
/// let snapshots = Snapshots::new(&assembly).dir("tests/snapshots").prefix("main-");
/// let names: Vec<String> = snapshots.files().into_iter().map(|(name, _)| name).collect();
/// assert_eq!(names, ["main-Main.template", "main-manifest", "main-deploy-plan", "main-organization"]);
/// // in a test: orgstack::assert_snapshots!(snapshots);
/// # Ok::<(), orgstack::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Snapshots<'a> {
    files: Vec<(String, &'a str)>,
    dir: PathBuf,
    prefix: String,
}

impl<'a> Snapshots<'a> {
    /// Every file of `assembly`, as [`snapshot_files`] lists them: each template, the
    /// manifest, the deploy plan, the organization's diagram and the resources to import.
    /// Snapshots go to `snapshots/` at the root of your crate unless [`dir`](Self::dir)
    /// says otherwise.
    pub fn new(assembly: &'a Assembly) -> Self {
        Snapshots::of_files(snapshot_files(assembly))
    }

    /// Files of your own, as `(snapshot name, exact contents)`.
    pub fn of_files<N: Into<String>>(files: impl IntoIterator<Item = (N, &'a str)>) -> Self {
        Snapshots {
            files: files.into_iter().map(|(n, b)| (n.into(), b)).collect(),
            dir: PathBuf::from("snapshots"),
            prefix: String::new(),
        }
    }

    /// The directory of the `.snap` files: relative to your crate's root (its
    /// `Cargo.toml`), or absolute.
    pub fn dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.dir = dir.as_ref().to_owned();
        self
    }

    /// A prefix for every snapshot name, to keep the snapshots of several apps apart in
    /// one directory.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Adds a file (say, a document your program writes beside the assembly).
    pub fn file(mut self, name: impl Into<String>, contents: &'a str) -> Self {
        self.files.push((name.into(), contents));
        self
    }

    /// The files, as `(snapshot name with its prefix, exact contents)`.
    pub fn files(&self) -> Vec<(String, &'a str)> {
        self.files
            .iter()
            .map(|(n, b)| (format!("{}{n}", self.prefix), *b))
            .collect()
    }
}

impl<'a> From<&'a Assembly> for Snapshots<'a> {
    fn from(assembly: &'a Assembly) -> Self {
        Snapshots::new(assembly)
    }
}

/// The snapshots that did not match, every one of them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SnapshotError {
    /// Where the `.snap` files are.
    pub dir: PathBuf,
    /// Every file that did not match, in the order they were snapshotted.
    pub changed: Vec<ChangedFile>,
}

/// A file whose snapshot did not match.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChangedFile {
    /// The snapshot's name (`<name>.snap`).
    pub name: String,
    /// How it differs.
    pub change: Change,
    /// Whether its `.snap.new` is there to review (insta writes none in CI, or with
    /// `INSTA_UPDATE=no`).
    pub pending: bool,
}

/// How a file differs from its snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Change {
    /// There is no snapshot of it yet.
    New,
    /// Its text differs (insta printed the diff above the failure).
    Contents,
    /// Its text is the same but its bytes are not: only trailing whitespace or line
    /// endings differ, which insta's diff does not show.
    OnlyWhitespace {
        /// The exact form recorded in the snapshot.
        stored: String,
        /// The exact form of the file now.
        now: String,
    },
}

impl std::error::Error for SnapshotError {}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        changed_files(&self.dir, &self.changed, f)
    }
}

fn changed_files(dir: &Path, changed: &[ChangedFile], f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let (files, differ) = if changed.len() == 1 {
        ("file", "differs")
    } else {
        ("files", "differ")
    };
    write!(
        f,
        "{} {files} {differ} from {}:",
        changed.len(),
        dir.display()
    )?;
    for c in changed {
        write!(f, "\n  {}.snap: ", c.name)?;
        match &c.change {
            Change::New => write!(f, "new, no snapshot yet")?,
            Change::Contents => write!(f, "changed")?,
            Change::OnlyWhitespace { stored, now } => write!(
                f,
                "only trailing whitespace or line endings differ\n    stored: {stored}\n    now:    {now}"
            )?,
        }
    }
    if changed.iter().any(|c| c.pending) {
        write!(
            f,
            "\nreview every pending .snap.new with `cargo insta review`, or accept them all with INSTA_UPDATE=always and review `git diff`"
        )
    } else {
        write!(
            f,
            "\nno .snap.new was written (CI=true or INSTA_UPDATE=no): run `cargo test` where it may write them, then review them with `cargo insta review`"
        )
    }
}

/// The exact form of `text`, recorded with its snapshot: what insta's comparison leaves
/// out (trailing whitespace, line endings) and a checksum of every byte.
#[cfg_attr(not(feature = "snapshots"), allow(dead_code))]
pub(crate) fn exact_form(text: &str) -> String {
    let tail = &text[text.trim_end().len()..];
    let breaks = text.matches('\n').count();
    let crlf = text.matches("\r\n").count();
    let endings = match (breaks, crlf) {
        (0, _) => "no line breaks".to_owned(),
        (_, 0) => "LF line endings".to_owned(),
        (b, c) if b == c => "CRLF line endings".to_owned(),
        (b, c) => format!("{c} of {b} line endings CRLF"),
    };
    let mut hash = Fnv::default();
    hash.write(text.as_bytes());
    format!(
        "{} bytes, {endings}, ends with {tail:?}, fnv1a64 {:016x}",
        text.len(),
        hash.finish()
    )
}

#[cfg(feature = "snapshots")]
mod run {
    use std::panic::{catch_unwind, AssertUnwindSafe};
    use std::path::Path;
    use std::sync::{Arc, Mutex, PoisonError};

    use insta::{Comparator, Snapshot};

    use super::{exact_form, Change, ChangedFile, SnapshotError, Snapshots};

    /// insta's comparison of the text, plus the exact form in the description. Records
    /// the snapshots whose text matched but whose bytes did not.
    #[derive(Clone, Default)]
    struct ExactBytes {
        only_whitespace: Arc<Mutex<Vec<(String, String, String)>>>,
    }

    impl Comparator for ExactBytes {
        fn matches(&self, reference: &Snapshot, test: &Snapshot) -> bool {
            let text = reference.contents() == test.contents();
            let stored = reference.metadata().description();
            let now = test.metadata().description();
            if text && stored != now {
                self.only_whitespace
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push((
                        test.snapshot_name().unwrap_or_default().to_owned(),
                        stored.unwrap_or("(none)").to_owned(),
                        now.unwrap_or("(none)").to_owned(),
                    ));
            }
            text && stored == now
        }

        fn dyn_clone(&self) -> Box<dyn Comparator> {
            Box::new(self.clone())
        }
    }

    impl Snapshots<'_> {
        /// Runs `assert` (insta's `assert_snapshot!`, expanded in the caller's crate) on
        /// every file, each in its own settings, and collects every failure. Called by
        /// the snapshot macros.
        #[doc(hidden)]
        pub fn __check(
            &self,
            manifest_dir: &str,
            assert: impl Fn(&str, &str),
        ) -> Result<(), SnapshotError> {
            let dir = Path::new(manifest_dir).join(&self.dir);
            let exact = ExactBytes::default();
            let mut changed = Vec::new();
            for (name, body) in self.files() {
                let mut settings = insta::Settings::clone_current();
                settings.set_snapshot_path(&dir);
                settings.set_prepend_module_to_snapshot(false);
                settings.set_omit_expression(true);
                settings.set_description(exact_form(body));
                settings.set_comparator(Box::new(exact.clone()));
                let existed = dir.join(format!("{name}.snap")).is_file();
                let before = lock(&exact).len();
                let outcome =
                    settings.bind(|| catch_unwind(AssertUnwindSafe(|| assert(&name, body))));
                if outcome.is_err() {
                    let whitespace = lock(&exact)
                        .get(before..)
                        .and_then(|new| new.iter().find(|(n, _, _)| *n == name).cloned());
                    let change = match whitespace {
                        Some((_, stored, now)) => Change::OnlyWhitespace { stored, now },
                        None if !existed => Change::New,
                        None => Change::Contents,
                    };
                    let pending = dir.join(format!("{name}.snap.new")).is_file();
                    changed.push(ChangedFile {
                        name,
                        change,
                        pending,
                    });
                }
            }
            if changed.is_empty() {
                Ok(())
            } else {
                Err(SnapshotError { dir, changed })
            }
        }

        /// As [`__check`](Self::__check), panicking with every failure at once.
        #[doc(hidden)]
        #[track_caller]
        pub fn __assert(&self, manifest_dir: &str, assert: impl Fn(&str, &str)) {
            if let Err(e) = self.__check(manifest_dir, assert) {
                panic!("{e}");
            }
        }
    }

    fn lock(exact: &ExactBytes) -> std::sync::MutexGuard<'_, Vec<(String, String, String)>> {
        exact
            .only_whitespace
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Snapshots every file of an assembly with insta in one call, byte for byte, and fails once
/// listing *every* file that changed (feature `snapshots`).
///
/// Takes an [`&Assembly`](crate::app::Assembly) or a [`Snapshots`]. Each file is snapshotted
/// as `<dir>/<prefix><name>.snap` (by default `snapshots/` at the root of your crate, no
/// prefix); every file that differs gets its `.snap.new` in the same run, then the macro
/// panics with a [`SnapshotError`] naming them all. The comparison is exact: a file that
/// differs only in trailing whitespace or line endings fails too, and says so.
///
/// ```no_run
/// # fn main() -> orgstack::Result<()> {
/// let mut app = orgstack::App::new();
/// app.stack("Main")?;
/// let assembly = app.synth()?;
/// orgstack::assert_snapshots!(&assembly);
/// // or: orgstack::assert_snapshots!(orgstack::testing::Snapshots::new(&assembly).dir("tests/snapshots"));
/// # Ok(()) }
/// ```
#[cfg(feature = "snapshots")]
#[cfg_attr(docsrs, doc(cfg(feature = "snapshots")))]
#[macro_export]
macro_rules! assert_snapshots {
    ($snapshots:expr) => {
        $crate::testing::Snapshots::from($snapshots).__assert(
            ::core::env!("CARGO_MANIFEST_DIR"),
            |name: &str, contents: &str| {
                $crate::testing::__insta::assert_snapshot!(name, contents);
            },
        )
    };
}

/// As [`assert_snapshots!`](crate::assert_snapshots), returning the
/// [`SnapshotError`](crate::testing::SnapshotError) instead of panicking (feature
/// `snapshots`). insta still writes every `.snap.new` and prints its diffs.
#[cfg(feature = "snapshots")]
#[cfg_attr(docsrs, doc(cfg(feature = "snapshots")))]
#[macro_export]
macro_rules! try_assert_snapshots {
    ($snapshots:expr) => {
        $crate::testing::Snapshots::from($snapshots).__check(
            ::core::env!("CARGO_MANIFEST_DIR"),
            |name: &str, contents: &str| {
                $crate::testing::__insta::assert_snapshot!(name, contents);
            },
        )
    };
}

/// Snapshots every file of an assembly with insta in one call, byte for byte, and fails once
/// listing every file that changed: enable the `snapshots` feature for it (see
/// [`Snapshots`](crate::testing::Snapshots)). Without the feature, this macro is a compile
/// error that says so.
#[cfg(not(feature = "snapshots"))]
#[macro_export]
macro_rules! assert_snapshots {
    ($snapshots:expr) => {
        ::core::compile_error!(
            "orgstack::assert_snapshots! needs the `snapshots` feature: orgstack = { version = \"…\", features = [\"snapshots\"] } in [dev-dependencies]"
        )
    };
}

/// As [`assert_snapshots!`](crate::assert_snapshots), returning the error: enable the
/// `snapshots` feature for it. Without the feature, this macro is a compile error that says
/// so.
#[cfg(not(feature = "snapshots"))]
#[macro_export]
macro_rules! try_assert_snapshots {
    ($snapshots:expr) => {
        ::core::compile_error!(
            "orgstack::try_assert_snapshots! needs the `snapshots` feature: orgstack = { version = \"…\", features = [\"snapshots\"] } in [dev-dependencies]"
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exact_form_tells_what_insta_does_not() {
        let lf = exact_form("{\n}\n");
        assert!(lf.starts_with("4 bytes, LF line endings, ends with \"\\n\""));
        assert_ne!(lf, exact_form("{\n} \n"));
        assert!(exact_form("{\n} \n").contains("ends with \" \\n\""));
        assert!(exact_form("{\r\n}\r\n").contains("CRLF line endings"));
        assert!(exact_form("{\r\n}\n").contains("1 of 2 line endings CRLF"));
        assert!(exact_form("{}").contains("no line breaks, ends with \"\""));
        // Same length, same ends, other bytes: the checksum differs.
        assert_ne!(exact_form("{\"a\"}\n"), exact_form("{\"b\"}\n"));
    }

    #[test]
    fn the_error_lists_every_file() {
        let e = SnapshotError {
            dir: PathBuf::from("snapshots"),
            changed: vec![
                ChangedFile {
                    name: "A.template".into(),
                    change: Change::Contents,
                    pending: true,
                },
                ChangedFile {
                    name: "B.template".into(),
                    change: Change::New,
                    pending: false,
                },
                ChangedFile {
                    name: "manifest".into(),
                    change: Change::OnlyWhitespace {
                        stored: "x".into(),
                        now: "y".into(),
                    },
                    pending: false,
                },
            ],
        };
        let text = e.to_string();
        assert!(text.ends_with("review every pending .snap.new with `cargo insta review`, or accept them all with INSTA_UPDATE=always and review `git diff`"), "{text}");
        assert!(text.starts_with("3 files differ from snapshots:\n  A.template.snap: changed\n  B.template.snap: new, no snapshot yet\n  manifest.snap: only trailing whitespace or line endings differ\n    stored: x\n    now:    y\n"), "{text}");
    }

    #[test]
    fn prefixes_name_every_file() {
        let s = Snapshots::of_files([("a", "1\n"), ("b", "2\n")]).prefix("p-");
        assert_eq!(
            s.files(),
            [("p-a".to_owned(), "1\n"), ("p-b".to_owned(), "2\n")]
        );
    }
}
