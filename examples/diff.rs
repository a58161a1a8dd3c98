//! Review a change before it deploys: compare two assembly directories and classify every
//! change.
//!
//! ```text
//! cargo run --example diff -- OLD_DIR NEW_DIR [--json] [--ack-file FILE] [--ack ID]…
//! ```
//!
//! OLD_DIR is what is deployed (main's assembly, the committed files), NEW_DIR what the
//! change synthesizes. It prints the diff as Markdown for a pull-request comment (or as
//! JSON with `--json`) and exits with 1 while a replacement, an update CloudFormation
//! cannot make or a dangerous change is not acknowledged: list the ids of the changes you
//! reviewed in a file (one a line, `#` for comments) given with `--ack-file`, or pass each
//! with `--ack`. It exits with 2 when an assembly cannot be read.
//!
//! A changed SCP or RCP is evaluated by the access simulator (`review::diff` uses
//! `review::SimulatorDecider`): a loosening names the request it now lets through, a
//! reordering or a tightening is proven safe.

use orgstack::review::{self, Acknowledgements, AssemblyFiles};

fn main() {
    match run() {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("error: {e}");
            let mut source = std::error::Error::source(e.as_ref());
            while let Some(s) = source {
                eprintln!("  caused by: {s}");
                source = s.source();
            }
            std::process::exit(2);
        }
    }
}

fn run() -> Result<i32, Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut dirs = Vec::new();
    let mut json = false;
    let mut acks = Acknowledgements::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--json" => json = true,
            "--ack" => acks.insert(args.next().ok_or("--ack needs a change id")?),
            "--ack-file" => {
                let path = args.next().ok_or("--ack-file needs a file")?;
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("could not read `{path}`: {e}"))?;
                for id in Acknowledgements::parse(&text).ids() {
                    acks.insert(id);
                }
            }
            flag if flag.starts_with("--") => return Err(format!("unknown flag `{flag}`").into()),
            dir => dirs.push(dir.to_owned()),
        }
    }
    let [old, new] = dirs.as_slice() else {
        return Err("usage: diff OLD_DIR NEW_DIR [--json] [--ack-file FILE] [--ack ID]…".into());
    };
    let diff = review::diff(&AssemblyFiles::read(old)?, &AssemblyFiles::read(new)?);
    if json {
        print!("{}", diff.to_json(&acks));
    } else {
        print!("{}", diff.to_markdown(&acks));
    }
    for id in acks.unused(&diff) {
        eprintln!("warning: acknowledged `{id}` is not a change of this diff");
    }
    let open = diff.unacknowledged(&acks);
    if open.is_empty() {
        Ok(0)
    } else {
        eprintln!(
            "{} change(s) need an acknowledgement: {}",
            open.len(),
            open.iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        Ok(1)
    }
}
