//! The KDD Cup 99 record layout: 41 feature columns, which are symbolic, which are
//! heavy-tailed counts, the file formats that add a label (and a difficulty), and
//! each attack name's category (dos, probe, r2l, u2r).

use serde::{Deserialize, Serialize};

use super::{Kind, Labels, Role, Schema};

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
    /// UNSW-NB15's training or testing set: a header, 45 columns.
    UnswNb15,
    /// A CIC-IDS2017 MachineLearningCSV day file: a header, 79 columns.
    CicIds2017,
    /// Any other CSV with a header row: kinds inferred, the label column chosen.
    Csv,
    /// Any other ARFF file: kinds from its attributes, the label column chosen.
    Arff,
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
            Self::UnswNb15 => 45,
            Self::CicIds2017 => 79,
            Self::Csv | Self::Arff => 0,
        }
    }

    /// A name for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Unlabelled => "41 columns, no label",
            Self::Kdd99 => "KDD Cup 99, 42 columns",
            Self::NslKdd => "NSL-KDD, 43 columns",
            Self::KddArff => "ARFF, 41 KDD features and a class",
            Self::UnswNb15 => "UNSW-NB15, 45 columns",
            Self::CicIds2017 => "CIC-IDS2017, 79 columns",
            Self::Csv => "a CSV with a header",
            Self::Arff => "an ARFF file",
        }
    }

    /// Whether it is one of the KDD layouts.
    pub fn is_kdd(self) -> bool {
        !matches!(self, Self::UnswNb15 | Self::CicIds2017 | Self::Csv | Self::Arff)
    }
}

/// The schema of a KDD layout (`format` one of the KDD formats).
pub(super) fn schema(format: Format) -> Schema {
    let mut columns: Vec<(String, Option<Kind>, Role)> = FEATURE_NAMES
        .iter()
        .enumerate()
        .map(|(c, &name)| {
            let kind = if SYMBOLIC_COLUMNS.contains(&c) { Kind::Symbolic } else { Kind::Numeric };
            (name.to_string(), Some(kind), Role::Ignore)
        })
        .collect();
    let labelled = format != Format::Unlabelled;
    if labelled {
        columns.push(((if format == Format::KddArff { "class" } else { "label" }).into(), None, Role::Label));
    }
    if format == Format::NslKdd {
        columns.push(("difficulty".into(), None, Role::Difficulty));
    }
    let labels = labelled.then(|| Labels {
        normal: vec!["normal".into()],
        categories: ATTACKS.iter().map(|(n, c)| (n.to_string(), c.to_string())).collect(),
        order: ["normal", "dos", "probe", "r2l", "u2r", "unknown"].map(String::from).to_vec(),
        strip_dot: format == Format::Kdd99,
        identity: false,
    });
    let mut s = Schema::new("kdd", format, columns, labels);
    for f in &mut s.features {
        f.heavy_tailed = HEAVY_TAILED.contains(&f.name.as_str());
    }
    s
}

/// Attack names and their categories: the 22 training attacks of `training_attack_types`
/// plus the 17 that appear only in the `corrected` test set and in NSL-KDD's test files.
const ATTACKS: [(&str, &str); 39] = [
    ("back", "dos"),
    ("land", "dos"),
    ("neptune", "dos"),
    ("pod", "dos"),
    ("smurf", "dos"),
    ("teardrop", "dos"),
    ("apache2", "dos"),
    ("mailbomb", "dos"),
    ("processtable", "dos"),
    ("udpstorm", "dos"),
    ("worm", "dos"),
    ("ipsweep", "probe"),
    ("nmap", "probe"),
    ("portsweep", "probe"),
    ("satan", "probe"),
    ("mscan", "probe"),
    ("saint", "probe"),
    ("ftp_write", "r2l"),
    ("guess_passwd", "r2l"),
    ("imap", "r2l"),
    ("multihop", "r2l"),
    ("phf", "r2l"),
    ("spy", "r2l"),
    ("warezclient", "r2l"),
    ("warezmaster", "r2l"),
    ("httptunnel", "r2l"),
    ("named", "r2l"),
    ("sendmail", "r2l"),
    ("snmpgetattack", "r2l"),
    ("snmpguess", "r2l"),
    ("xlock", "r2l"),
    ("xsnoop", "r2l"),
    ("buffer_overflow", "u2r"),
    ("loadmodule", "u2r"),
    ("perl", "u2r"),
    ("rootkit", "u2r"),
    ("ps", "u2r"),
    ("sqlattack", "u2r"),
    ("xterm", "u2r"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_consistent() {
        let s = schema(Format::NslKdd);
        assert_eq!(s.n_numeric(), 38);
        assert_eq!(s.symbolic_names(), ["protocol_type", "service", "flag"]);
        assert_eq!(s.field_count(), 43);
        for name in HEAVY_TAILED {
            assert!(s.numeric_names().contains(&name), "{name} is not a numeric column");
        }
        assert_eq!(s.features.iter().filter(|f| f.heavy_tailed).count(), HEAVY_TAILED.len());
        for f in [Format::Unlabelled, Format::Kdd99, Format::NslKdd, Format::KddArff] {
            assert_eq!(schema(f).field_count(), f.field_count(), "{f:?}");
        }
    }

    #[test]
    fn training_attack_types_file_agrees() {
        // The 22 lines of kdd99/training_attack_types, written out by hand.
        let text = "back dos\nbuffer_overflow u2r\nftp_write r2l\nguess_passwd r2l\nimap r2l\n\
            ipsweep probe\nland dos\nloadmodule u2r\nmultihop r2l\nneptune dos\nnmap probe\n\
            perl u2r\nphf r2l\npod dos\nportsweep probe\nrootkit u2r\nsatan probe\nsmurf dos\n\
            spy r2l\nteardrop dos\nwarezclient r2l\nwarezmaster r2l\n";
        let s = schema(Format::Kdd99);
        for line in text.lines() {
            let (name, cat) = line.split_once(' ').unwrap();
            assert_eq!(s.category(name), cat, "{name}");
        }
    }

    #[test]
    fn labels_normalise_and_classify() {
        let s = schema(Format::Kdd99);
        assert_eq!(s.normalise(b"smurf."), b"smurf");
        assert_eq!(s.normalise(b"normal"), b"normal");
        assert!(s.is_normal(std::str::from_utf8(s.normalise(b"normal.")).unwrap()));
        assert_eq!(s.category("mailbomb"), "dos");
        assert_eq!(s.category("snmpgetattack"), "r2l");
        assert_eq!(s.category("mscan"), "probe");
        assert_eq!(s.category("apache2"), "dos");
        assert_eq!(s.category("never_seen_attack"), "unknown");
        assert_eq!(s.category("normal"), "normal");
        assert_eq!(schema(Format::NslKdd).normalise(b"smurf."), b"smurf.");
    }
}
