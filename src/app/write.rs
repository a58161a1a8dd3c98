//! Writing an assembly to disk, atomically.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::assembly::{Assembly, DEPLOY_PLAN_FILE, MANIFEST_FILE};
use crate::error::{Error, Result};

impl Assembly {
    /// Writes the assembly to `dir`, replacing what was there, atomically: the files are
    /// written to a sibling directory that is then renamed into place. If anything fails,
    /// an earlier assembly at `dir` is left as it was.
    ///
    /// `dir` belongs to the assembly: files in it that the assembly does not write are
    /// removed.
    ///
    /// # Errors
    /// [`Error::Io`] naming the path that could not be written.
    pub fn write_to(&mut self, dir: impl AsRef<Path>) -> Result<()> {
        let start = Instant::now();
        self.write_staged(dir.as_ref(), &mut |_| Ok(()))?;
        self.timings.write = start.elapsed();
        Ok(())
    }

    /// `write_to`, with `after_file` called after each file is written (a test seam for
    /// failures in the middle of writing).
    fn write_staged(
        &self,
        dir: &Path,
        after_file: &mut dyn FnMut(&Path) -> std::io::Result<()>,
    ) -> Result<()> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Io { path, source }
        };
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "assembly".into());
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(io(&parent))?;
        let staging = parent.join(format!(".{name}.staging"));
        let old = parent.join(format!(".{name}.previous"));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(io(&staging))?;
        }
        fs::create_dir(&staging).map_err(io(&staging))?;
        let result = (|| {
            for a in &self.artifacts {
                let path = staging.join(&a.file_name);
                fs::write(&path, &a.body).map_err(io(&path))?;
                after_file(&path).map_err(io(&path))?;
            }
            for (name, body) in [
                (MANIFEST_FILE, &self.manifest),
                (DEPLOY_PLAN_FILE, &self.deploy_plan),
            ]
            .into_iter()
            .chain(self.files.iter().map(|(n, b)| (n.as_str(), b)))
            {
                let path = staging.join(name);
                fs::write(&path, body).map_err(io(&path))?;
                after_file(&path).map_err(io(&path))?;
            }
            Ok(())
        })();
        if let Err(e) = result {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
        if old.exists() {
            fs::remove_dir_all(&old).map_err(io(&old))?;
        }
        let had_previous = dir.exists();
        if had_previous {
            fs::rename(dir, &old).map_err(io(dir))?;
        }
        if let Err(source) = fs::rename(&staging, dir) {
            if had_previous {
                let _ = fs::rename(&old, dir);
            }
            let _ = fs::remove_dir_all(&staging);
            return Err(Error::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
        if had_previous {
            fs::remove_dir_all(&old).map_err(io(&old))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::CfnResource;
    use crate::cfn::Resource;
    use crate::App;

    fn read_dir(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    }

    fn app(topics: &[&str]) -> App {
        let mut app = App::new();
        let s = app.stack("Main").unwrap();
        for t in topics {
            app.add(&s, CfnResource::new(*t, Resource::new("AWS::SNS::Topic")))
                .unwrap();
        }
        app.stack("Second").unwrap();
        app
    }

    fn tmp(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("orgstack-assembly-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn failure_while_writing_leaves_previous_assembly_byte_identical() {
        let root = tmp("atomic");
        let out = root.join("out");
        app(&["A"]).synth_to(&out).unwrap();
        let before = read_dir(&out);
        assert_eq!(before.len(), 4, "two templates, the manifest and the plan");

        let next = app(&["A", "B"]).synth().unwrap();
        let mut written = 0;
        let err = next
            .write_staged(&out, &mut |_| {
                written += 1;
                if written == 2 {
                    Err(std::io::Error::other("disk full"))
                } else {
                    Ok(())
                }
            })
            .unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err}");
        assert_eq!(written, 2, "the failure came after writing began");
        assert_eq!(read_dir(&out), before);
        let leftovers: Vec<_> = fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("out")]);
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn writing_replaces_the_previous_assembly() {
        let root = tmp("replace");
        let out = root.join("out");
        app(&["A"]).synth_to(&out).unwrap();
        fs::write(out.join("stale.json"), "{}").unwrap();
        app(&["A", "B"]).synth_to(&out).unwrap();
        let files: Vec<String> = read_dir(&out).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            files,
            [
                "Main.template.json",
                "Second.template.json",
                "deploy-plan.md",
                "manifest.json"
            ]
        );
        let main = fs::read_to_string(out.join("Main.template.json")).unwrap();
        assert!(main.contains("\"B"), "{main}");
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn validation_failure_writes_nothing() {
        let root = tmp("invalid");
        let out = root.join("out");
        app(&["A"]).synth_to(&out).unwrap();
        let before = read_dir(&out);
        let mut bad = app(&["A"]);
        bad.stack("not_valid").unwrap();
        assert!(bad.synth_to(&out).is_err());
        assert_eq!(read_dir(&out), before);
        fs::remove_dir_all(&root).unwrap();
    }
}
