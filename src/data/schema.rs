//! The KDD Cup 99 record layout: 41 feature columns, which are symbolic, which are
//! heavy-tailed counts, and the file formats that add a label (and a difficulty).

use serde::{Deserialize, Serialize};

/// The 41 feature names, in file order (from `kddcup.names`).
pub const FEATURE_NAMES: [&str; 41] = [
    "duration",
    "protocol_type",
    "service",
    "flag",
    "src_bytes",
    "dst_bytes",
    "land",
    "wrong_fragment",
    "urgent",
    "hot",
    "num_failed_logins",
    "logged_in",
    "num_compromised",
    "root_shell",
    "su_attempted",
    "num_root",
    "num_file_creations",
    "num_shells",
    "num_access_files",
    "num_outbound_cmds",
    "is_host_login",
    "is_guest_login",
    "count",
    "srv_count",
    "serror_rate",
    "srv_serror_rate",
    "rerror_rate",
    "srv_rerror_rate",
    "same_srv_rate",
    "diff_srv_rate",
    "srv_diff_host_rate",
    "dst_host_count",
    "dst_host_srv_count",
    "dst_host_same_srv_rate",
    "dst_host_diff_srv_rate",
    "dst_host_same_src_port_rate",
    "dst_host_srv_diff_host_rate",
    "dst_host_serror_rate",
    "dst_host_srv_serror_rate",
    "dst_host_rerror_rate",
    "dst_host_srv_rerror_rate",
];

/// Number of feature columns in every KDD-format file.
pub const N_FEATURES: usize = 41;

/// File columns of the three symbolic features (`protocol_type`, `service`, `flag`).
pub const SYMBOLIC_COLUMNS: [usize; 3] = [1, 2, 3];

/// Number of numeric feature columns (41 minus the 3 symbolic ones).
pub const N_NUMERIC: usize = N_FEATURES - SYMBOLIC_COLUMNS.len();

/// Heavy-tailed, non-negative count columns that `log1p` compresses. Rates in
/// `[0, 1]` and 0/1 flags are left alone.
pub const HEAVY_TAILED: [&str; 17] = [
    "duration",
    "src_bytes",
    "dst_bytes",
    "wrong_fragment",
    "urgent",
    "hot",
    "num_failed_logins",
    "num_compromised",
    "num_root",
    "num_file_creations",
    "num_shells",
    "num_access_files",
    "num_outbound_cmds",
    "count",
    "srv_count",
    "dst_host_count",
    "dst_host_srv_count",
];

/// File column numbers (0-based) of the numeric features, in order.
pub fn numeric_columns() -> impl Iterator<Item = usize> {
    (0..N_FEATURES).filter(|c| !SYMBOLIC_COLUMNS.contains(c))
}

/// Names of the numeric features, in the order they are stored.
pub fn numeric_names() -> Vec<&'static str> {
    numeric_columns().map(|c| FEATURE_NAMES[c]).collect()
}

/// What kind of file a table came from, decided by its column count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// 41 features and no label: can be scored, not evaluated.
    Unlabelled,
    /// KDD Cup 99: 41 features and a label with a trailing dot (`smurf.`).
    Kdd99,
    /// NSL-KDD: 41 features, a label without dot, and a difficulty level (0–21).
    NslKdd,
    /// ARFF in the KDD layout (NSL-KDD's `.arff` files): 41 features and a class
    /// (`normal` or `anomaly`, no attack names).
    KddArff,
}

impl Format {
    /// The format whose rows have `fields` columns, if any.
    pub fn from_field_count(fields: usize) -> Option<Self> {
        match fields {
            41 => Some(Self::Unlabelled),
            42 => Some(Self::Kdd99),
            43 => Some(Self::NslKdd),
            _ => None,
        }
    }

    /// Columns per row in this format.
    pub fn field_count(self) -> usize {
        match self {
            Self::Unlabelled => 41,
            Self::Kdd99 => 42,
            Self::NslKdd => 43,
            Self::KddArff => 42,
        }
    }

    /// A name for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Unlabelled => "41 columns, no label",
            Self::Kdd99 => "KDD Cup 99, 42 columns",
            Self::NslKdd => "NSL-KDD, 43 columns",
            Self::KddArff => "ARFF, 41 KDD features and a class",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_consistent() {
        assert_eq!(numeric_names().len(), N_NUMERIC);
        assert_eq!(N_NUMERIC, 38);
        for name in HEAVY_TAILED {
            assert!(numeric_names().contains(&name), "{name} is not a numeric column");
        }
        assert_eq!(FEATURE_NAMES[SYMBOLIC_COLUMNS[0]], "protocol_type");
        assert_eq!(FEATURE_NAMES[SYMBOLIC_COLUMNS[2]], "flag");
    }
}
