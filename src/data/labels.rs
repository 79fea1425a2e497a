//! Labels: `normal` versus attack, and each attack name's category (dos, probe,
//! r2l, u2r) for KDD Cup 99 training, its `corrected` test set and NSL-KDD.

use serde::{Deserialize, Serialize};

/// The attack family of a label, as in the KDD Cup 99 task description.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Not an attack.
    Normal,
    /// Denial of service (smurf, neptune, …).
    Dos,
    /// Surveillance and probing (satan, ipsweep, …).
    Probe,
    /// Remote to local: unauthorised access from a remote machine.
    R2l,
    /// User to root: privilege escalation.
    U2r,
    /// An attack name this table does not know; still counted as an attack.
    Unknown,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 6] = [Self::Normal, Self::Dos, Self::Probe, Self::R2l, Self::U2r, Self::Unknown];

    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::Dos => "dos",
            Self::Probe => "probe",
            Self::R2l => "r2l",
            Self::U2r => "u2r",
            Self::Unknown => "unknown",
        }
    }
}

/// Attack names and their categories: the 22 training attacks of `training_attack_types`
/// plus the 17 that appear only in the `corrected` test set and in NSL-KDD's test files.
const ATTACKS: [(&str, Category); 39] = [
    ("back", Category::Dos),
    ("land", Category::Dos),
    ("neptune", Category::Dos),
    ("pod", Category::Dos),
    ("smurf", Category::Dos),
    ("teardrop", Category::Dos),
    ("apache2", Category::Dos),
    ("mailbomb", Category::Dos),
    ("processtable", Category::Dos),
    ("udpstorm", Category::Dos),
    ("worm", Category::Dos),
    ("ipsweep", Category::Probe),
    ("nmap", Category::Probe),
    ("portsweep", Category::Probe),
    ("satan", Category::Probe),
    ("mscan", Category::Probe),
    ("saint", Category::Probe),
    ("ftp_write", Category::R2l),
    ("guess_passwd", Category::R2l),
    ("imap", Category::R2l),
    ("multihop", Category::R2l),
    ("phf", Category::R2l),
    ("spy", Category::R2l),
    ("warezclient", Category::R2l),
    ("warezmaster", Category::R2l),
    ("httptunnel", Category::R2l),
    ("named", Category::R2l),
    ("sendmail", Category::R2l),
    ("snmpgetattack", Category::R2l),
    ("snmpguess", Category::R2l),
    ("xlock", Category::R2l),
    ("xsnoop", Category::R2l),
    ("buffer_overflow", Category::U2r),
    ("loadmodule", Category::U2r),
    ("perl", Category::U2r),
    ("rootkit", Category::U2r),
    ("ps", Category::U2r),
    ("sqlattack", Category::U2r),
    ("xterm", Category::U2r),
];

/// The label as stored: KDD99's trailing dot removed.
pub fn normalise(label: &str) -> &str {
    label.trim().strip_suffix('.').unwrap_or(label.trim())
}

/// Whether a (normalised) label is `normal`.
pub fn is_normal(label: &str) -> bool {
    label.eq_ignore_ascii_case("normal")
}

/// Whether each of `names` (distinct labels) is an attack: `!is_normal`, indexed as `names`.
pub fn attack_flags(names: &[String]) -> Vec<bool> {
    names.iter().map(|n| !is_normal(n)).collect()
}

/// Category of a (normalised) label; an unknown attack name is `Unknown`, never an error.
pub fn category(label: &str) -> Category {
    if is_normal(label) {
        return Category::Normal;
    }
    ATTACKS.iter().find(|(name, _)| name.eq_ignore_ascii_case(label)).map_or(Category::Unknown, |&(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn training_attack_types_file_agrees() {
        // The 22 lines of kdd99/training_attack_types, written out by hand.
        let text = "back dos\nbuffer_overflow u2r\nftp_write r2l\nguess_passwd r2l\nimap r2l\n\
            ipsweep probe\nland dos\nloadmodule u2r\nmultihop r2l\nneptune dos\nnmap probe\n\
            perl u2r\nphf r2l\npod dos\nportsweep probe\nrootkit u2r\nsatan probe\nsmurf dos\n\
            spy r2l\nteardrop dos\nwarezclient r2l\nwarezmaster r2l\n";
        for line in text.lines() {
            let (name, cat) = line.split_once(' ').unwrap();
            assert_eq!(category(name).name(), cat, "{name}");
        }
    }

    #[test]
    fn labels_normalise_and_classify() {
        assert_eq!(normalise("smurf."), "smurf");
        assert_eq!(normalise("normal"), "normal");
        assert!(is_normal(normalise("normal.")));
        assert_eq!(category("mailbomb"), Category::Dos);
        assert_eq!(category("snmpgetattack"), Category::R2l);
        assert_eq!(category("mscan"), Category::Probe);
        assert_eq!(category("apache2"), Category::Dos);
        assert_eq!(category("never_seen_attack"), Category::Unknown);
        assert_eq!(category("normal"), Category::Normal);
    }
}
