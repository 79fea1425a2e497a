//! Shared helpers for the real-data tests: where the data lives, and each real file
//! loaded once per test binary.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use netanomaly::data::{self, Table};

/// `$NETANOMALY_DATA`, else `../shared/data` beside the repository. Missing data is a
/// failure, not a skip: CI has it, and a silent skip would hide a broken setup.
pub fn data_dir() -> PathBuf {
    let dir = std::env::var_os("NETANOMALY_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    assert!(
        dir.join("kdd99").is_dir() && dir.join("nsl-kdd").is_dir(),
        "real data not found at {} (needs kdd99/ and nsl-kdd/); set NETANOMALY_DATA",
        dir.display()
    );
    dir
}

fn load(rel: &str) -> Table {
    let path = data_dir().join(rel);
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    data::read(file).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

macro_rules! cached {
    ($name:ident, $path:expr) => {
        pub fn $name() -> &'static Table {
            static T: OnceLock<Table> = OnceLock::new();
            T.get_or_init(|| load($path))
        }
    };
}

cached!(kdd10, "kdd99/kddcup.data_10_percent.gz");
cached!(corrected, "kdd99/corrected.gz");
cached!(nsl_train, "nsl-kdd/KDDTrain+.txt.gz");
cached!(nsl_test, "nsl-kdd/KDDTest+.txt.gz");
cached!(nsl_test21, "nsl-kdd/KDDTest-21.txt.gz");
