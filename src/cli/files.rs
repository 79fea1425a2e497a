//! Finding the data folder and loading files with a progress bar.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use netanomaly::data::{self, Preset, ReadOptions, Table};

/// The data folder: `--data-dir`, else `$NETANOMALY_DATA`, else `../shared/data`
/// beside the current folder or beside the source tree.
pub fn data_dir(given: Option<&Path>) -> Result<PathBuf> {
    let candidates: Vec<PathBuf> = match (given, std::env::var_os("NETANOMALY_DATA")) {
        (Some(d), _) => vec![d.to_path_buf()],
        (None, Some(d)) => vec![PathBuf::from(d)],
        (None, None) => {
            vec![PathBuf::from("../shared/data"), Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data")]
        }
    };
    for c in &candidates {
        if c.join("kdd99").is_dir() || c.join("nsl-kdd").is_dir() {
            return Ok(c.clone());
        }
    }
    bail!(
        "no data folder with kdd99/ or nsl-kdd/ found (looked in {}); pass --data-dir or set NETANOMALY_DATA",
        candidates.iter().map(|c| c.display().to_string()).collect::<Vec<_>>().join(", ")
    )
}

/// A progress bar on stderr (hidden when stderr is not a terminal).
pub fn bar(len: u64, what: &str, bytes: bool) -> ProgressBar {
    let template = if bytes {
        "{msg:>12} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})"
    } else {
        "{msg:>12} [{bar:40}] {pos}/{len} ({per_sec}, {eta})"
    };
    let pb = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(template) {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message(what.to_string());
    pb
}

/// The `--entry` names (the files to read inside zip archives), and which archive took which.
struct Entries {
    names: Vec<String>,
    taken: Vec<(PathBuf, String)>,
}

static ENTRIES: Mutex<Entries> = Mutex::new(Entries { names: Vec::new(), taken: Vec::new() });

/// The `--entry` names given: each zip archive reads the first of them it holds that
/// an earlier load of the same archive did not take (so `--train A.zip --test A.zip
/// --entry KDDTrain+.txt --entry KDDTest+.txt` reads both).
pub fn set_entries(names: Vec<String>) {
    if let Ok(mut e) = ENTRIES.lock() {
        *e = Entries { names, taken: Vec::new() };
    }
}

/// The entry of the zip archive at `path` to read (`None` when it is not a zip archive
/// or no `--entry` was given: its one data file is read).
fn entry_for(path: &Path) -> Result<Option<String>> {
    let Some(entries) = data::zip::entries_if_zip(File::open(path)?)? else { return Ok(None) };
    let Ok(mut state) = ENTRIES.lock() else { return Ok(None) };
    let Entries { names, taken } = &mut *state;
    let untaken = names.iter().find(|n| {
        let held = data::zip::choose(&entries, Some(n.as_str())).is_ok();
        held && !taken.iter().any(|(p, t)| p == path && t == *n)
    });
    let chosen = data::zip::choose(&entries, untaken.map(String::as_str))?;
    if let Some(n) = untaken {
        taken.push((path.to_path_buf(), n.clone()));
    }
    Ok(Some(chosen))
}

static READ: Mutex<Option<ReadOptions>> = Mutex::new(None);

/// The reading choices given (`--label-column`, `--normal`, `--non-finite`), for every file.
pub fn set_read_options(options: ReadOptions) {
    if let Ok(mut r) = READ.lock() {
        *r = Some(options);
    }
}

/// The reading choices for the file at `path` (its zip entry among them).
pub fn read_options(path: &Path) -> Result<ReadOptions> {
    let entry = entry_for(path)?;
    let given = READ.lock().ok().and_then(|r| r.clone()).unwrap_or_default();
    Ok(ReadOptions { entry, ..given })
}

/// Load one file (text, gzip, or a file inside a zip archive) with a progress bar over its bytes.
pub fn load(path: &Path) -> Result<Table> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let options = read_options(path).with_context(|| format!("cannot load {}", path.display()))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let pb = bar(len, &name, true);
    let table = data::read_with_options(pb.wrap_read(file), &options, &mut |_| {})
        .with_context(|| format!("cannot load {}", path.display()))?;
    pb.finish_and_clear();
    Ok(table)
}

/// The tables a run needs: the training table and the named test tables (empty for
/// `kdd10-holdout`, which tests on the training file's held-out rows).
pub struct Loaded {
    /// Training file's table.
    pub train: Table,
    /// Named test tables.
    pub tests: Vec<(String, Table)>,
}

/// Load the files of a preset, or the user's files for `single-file` / `custom`.
pub fn load_protocol(
    preset: Preset,
    data_dir: Option<&Path>,
    train: Option<&Path>,
    tests: &[PathBuf],
) -> Result<Loaded> {
    match preset {
        Preset::SingleFile | Preset::Custom => {
            let Some(train) = train else { bail!("--protocol {preset} needs --train FILE") };
            if preset == Preset::Custom && tests.is_empty() {
                bail!("--protocol custom needs at least one --test FILE");
            }
            let loaded = Loaded {
                train: load(train)?,
                tests: tests.iter().map(|t| Ok((stem(t), load(t)?))).collect::<Result<_>>()?,
            };
            Ok(loaded)
        }
        _ => {
            let dir = self::data_dir(data_dir)?;
            let (train, tests) = preset.files();
            Ok(Loaded {
                train: load(&dir.join(train))?,
                tests: tests
                    .iter()
                    .map(|(name, f)| Ok((name.to_string(), load(&dir.join(f))?)))
                    .collect::<Result<_>>()?,
            })
        }
    }
}

/// A test-set name from a file name: `KDDTest+.txt.gz` → `KDDTest+`.
pub fn stem(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "test".into());
    name.split('.').next().filter(|s| !s.is_empty()).unwrap_or("test").to_string()
}
