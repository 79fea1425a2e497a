//! Two flow datasets' published layouts: UNSW-NB15's training/testing-set CSVs and
//! CIC-IDS2017's MachineLearningCSV day files, quirks included (CIC-IDS2017's header
//! names mostly begin with a space and `Fwd Header Length` appears twice).

use super::{Format, Kind, Labels, NonFinite, Role, Schema};

/// UNSW-NB15's 45 header names, in order.
pub const UNSW_NB15: [&str; 45] = [
    "id",
    "dur",
    "proto",
    "service",
    "state",
    "spkts",
    "dpkts",
    "sbytes",
    "dbytes",
    "rate",
    "sttl",
    "dttl",
    "sload",
    "dload",
    "sloss",
    "dloss",
    "sinpkt",
    "dinpkt",
    "sjit",
    "djit",
    "swin",
    "stcpb",
    "dtcpb",
    "dwin",
    "tcprtt",
    "synack",
    "ackdat",
    "smean",
    "dmean",
    "trans_depth",
    "response_body_len",
    "ct_srv_src",
    "ct_state_ttl",
    "ct_dst_ltm",
    "ct_src_dport_ltm",
    "ct_dst_sport_ltm",
    "ct_dst_src_ltm",
    "is_ftp_login",
    "ct_ftp_cmd",
    "ct_flw_http_mthd",
    "ct_src_ltm",
    "ct_srv_dst",
    "is_sm_ips_ports",
    "attack_cat",
    "label",
];

/// UNSW-NB15's heavy-tailed counts (packets, bytes, loads, jitters, window numbers).
const UNSW_HEAVY: [&str; 17] = [
    "dur",
    "spkts",
    "dpkts",
    "sbytes",
    "dbytes",
    "rate",
    "sload",
    "dload",
    "sloss",
    "dloss",
    "sinpkt",
    "dinpkt",
    "sjit",
    "djit",
    "smean",
    "dmean",
    "response_body_len",
];

/// UNSW-NB15's attack categories, as `attack_cat` writes them.
const UNSW_ATTACKS: [&str; 9] =
    ["Generic", "Exploits", "Fuzzers", "DoS", "Reconnaissance", "Analysis", "Backdoor", "Shellcode", "Worms"];

/// UNSW-NB15: `id` ignored, `proto`, `service` (`-` for none) and `state` symbolic,
/// 39 numeric features, `attack_cat` the label (`Normal` or a category) and `label`
/// (0/1, the same fact again) ignored.
pub(super) fn unsw_nb15() -> Schema {
    let columns = UNSW_NB15
        .iter()
        .map(|&name| {
            let (kind, role) = match name {
                "id" | "label" => (None, Role::Ignore),
                "attack_cat" => (None, Role::Label),
                "proto" | "service" | "state" => (Some(Kind::Symbolic), Role::Ignore),
                _ => (Some(Kind::Numeric), Role::Ignore),
            };
            (name.to_string(), kind, role)
        })
        .collect();
    let mut order = vec!["normal".to_string()];
    order.extend(UNSW_ATTACKS.iter().map(|a| a.to_ascii_lowercase()));
    order.push("unknown".into());
    let labels = Labels {
        normal: vec!["Normal".into()],
        categories: UNSW_ATTACKS.iter().map(|a| (a.to_string(), a.to_ascii_lowercase())).collect(),
        order,
        strip_dot: false,
        identity: false,
    };
    let mut s = Schema::new("unsw-nb15", Format::UnswNb15, columns, Some(labels));
    for f in &mut s.features {
        f.heavy_tailed = UNSW_HEAVY.contains(&f.name.as_str());
    }
    s
}

/// CIC-IDS2017 MachineLearningCSV's 79 header names, exactly as written.
pub const CIC_IDS2017: [&str; 79] = [
    " Destination Port",
    " Flow Duration",
    " Total Fwd Packets",
    " Total Backward Packets",
    "Total Length of Fwd Packets",
    " Total Length of Bwd Packets",
    " Fwd Packet Length Max",
    " Fwd Packet Length Min",
    " Fwd Packet Length Mean",
    " Fwd Packet Length Std",
    "Bwd Packet Length Max",
    " Bwd Packet Length Min",
    " Bwd Packet Length Mean",
    " Bwd Packet Length Std",
    "Flow Bytes/s",
    " Flow Packets/s",
    " Flow IAT Mean",
    " Flow IAT Std",
    " Flow IAT Max",
    " Flow IAT Min",
    "Fwd IAT Total",
    " Fwd IAT Mean",
    " Fwd IAT Std",
    " Fwd IAT Max",
    " Fwd IAT Min",
    "Bwd IAT Total",
    " Bwd IAT Mean",
    " Bwd IAT Std",
    " Bwd IAT Max",
    " Bwd IAT Min",
    "Fwd PSH Flags",
    " Bwd PSH Flags",
    " Fwd URG Flags",
    " Bwd URG Flags",
    " Fwd Header Length",
    " Bwd Header Length",
    "Fwd Packets/s",
    " Bwd Packets/s",
    " Min Packet Length",
    " Max Packet Length",
    " Packet Length Mean",
    " Packet Length Std",
    " Packet Length Variance",
    "FIN Flag Count",
    " SYN Flag Count",
    " RST Flag Count",
    " PSH Flag Count",
    " ACK Flag Count",
    " URG Flag Count",
    " CWE Flag Count",
    " ECE Flag Count",
    " Down/Up Ratio",
    " Average Packet Size",
    " Avg Fwd Segment Size",
    " Avg Bwd Segment Size",
    " Fwd Header Length",
    "Fwd Avg Bytes/Bulk",
    " Fwd Avg Packets/Bulk",
    " Fwd Avg Bulk Rate",
    " Bwd Avg Bytes/Bulk",
    " Bwd Avg Packets/Bulk",
    "Bwd Avg Bulk Rate",
    "Subflow Fwd Packets",
    " Subflow Fwd Bytes",
    " Subflow Bwd Packets",
    " Subflow Bwd Bytes",
    "Init_Win_bytes_forward",
    " Init_Win_bytes_backward",
    " act_data_pkt_fwd",
    " min_seg_size_forward",
    "Active Mean",
    " Active Std",
    " Active Max",
    " Active Min",
    "Idle Mean",
    " Idle Std",
    " Idle Max",
    " Idle Min",
    " Label",
];

/// CIC-IDS2017's labels and their families (the Web Attack labels match by prefix, as
/// their dash is a Windows-1252 byte in the published files).
const CIC_ATTACKS: [(&str, &str); 14] = [
    ("DoS Hulk", "dos"),
    ("DoS GoldenEye", "dos"),
    ("DoS slowloris", "dos"),
    ("DoS Slowhttptest", "dos"),
    ("Heartbleed", "dos"),
    ("DDoS", "ddos"),
    ("PortScan", "portscan"),
    ("FTP-Patator", "brute-force"),
    ("SSH-Patator", "brute-force"),
    ("Bot", "bot"),
    ("Infiltration", "infiltration"),
    ("Web Attack \u{2013} Brute Force", "web-attack"),
    ("Web Attack \u{2013} XSS", "web-attack"),
    ("Web Attack \u{2013} Sql Injection", "web-attack"),
];

/// CIC-IDS2017: 78 numeric features (the second `Fwd Header Length` named
/// `Fwd Header Length.1`, as pandas names it) and ` Label` (`BENIGN` is normal);
/// negative values occur (`Init_Win_bytes_forward` is -1 when unknown).
pub(super) fn cic_ids2017(policy: NonFinite) -> Schema {
    let mut seen = Vec::new();
    let columns = CIC_IDS2017
        .iter()
        .map(|&raw| {
            let name = raw.trim();
            if name == "Label" {
                return (raw.to_string(), None, Role::Label);
            }
            let unique = if seen.contains(&name) { format!("{name}.1") } else { name.to_string() };
            seen.push(name);
            (unique, Some(Kind::Numeric), Role::Ignore)
        })
        .collect::<Vec<_>>();
    let order = ["normal", "dos", "ddos", "portscan", "brute-force", "web-attack", "bot", "infiltration", "unknown"];
    let labels = Labels {
        normal: vec!["BENIGN".into()],
        categories: CIC_ATTACKS.iter().map(|(n, c)| (n.to_string(), c.to_string())).collect(),
        order: order.map(String::from).to_vec(),
        strip_dot: false,
        identity: false,
    };
    let mut s = Schema::new("cic-ids2017", Format::CicIds2017, columns, Some(labels));
    // Header names as written (with their spaces), features under their unique names.
    for (col, raw) in s.columns.iter_mut().zip(CIC_IDS2017) {
        col.0 = raw.to_string();
    }
    for f in &mut s.features {
        f.heavy_tailed = !f.name.contains("Flag") && !f.name.contains("Ratio") && f.name != "Destination Port";
    }
    s.negatives = true;
    s.non_finite = policy;
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsw_nb15_has_39_numeric_and_3_symbolic_features() {
        let s = unsw_nb15();
        assert_eq!(s.field_count(), 45);
        assert_eq!(s.n_numeric(), 39);
        assert_eq!(s.symbolic_names(), ["proto", "service", "state"]);
        assert_eq!(s.label_column(), Some(43));
        assert!(s.is_normal("Normal"));
        assert_eq!(s.category("Exploits"), "exploits");
        assert_eq!(s.category("Worms"), "worms");
        assert_eq!(s.category("Spam"), "unknown");
    }

    #[test]
    fn cic_ids2017_has_78_numeric_features_with_unique_names() {
        let s = cic_ids2017(NonFinite::Drop);
        assert_eq!(s.field_count(), 79);
        assert_eq!(s.n_numeric(), 78);
        assert_eq!(CIC_IDS2017.iter().filter(|n| n.trim() == "Fwd Header Length").count(), 2);
        let mut names: Vec<&str> = s.features.iter().map(|f| f.name.as_str()).collect();
        assert!(names.contains(&"Fwd Header Length.1"));
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 78);
        assert_eq!(s.label_column(), Some(78));
        assert!(s.is_normal("BENIGN"));
        assert_eq!(s.category("DoS Hulk"), "dos");
        assert_eq!(s.category("Web Attack \u{2013} XSS"), "web-attack");
    }
}
