//! The catalogue's flow tables beyond KDD: UNSW-NB15 and CIC-IDS2017 in their
//! published layouts (CIC-IDS2017's Infinity/NaN rows and Windows-1252 dash included),
//! one with a renamed column or without its header, and CSVs with a header of their
//! own: a label found by its name, a label that must be chosen, a normal value that
//! must be chosen; an ARFF file not in the KDD layout.

use super::{data, err, loads, Case, Format, Training};
use crate::data::synth;

/// A CSV of our own from UNSW-NB15 rows: other column names, `attack_cat` called
/// `label_name`, the 0/1 `label` left out, `Normal` written as `normal_value`.
fn own_csv(rows: usize, label_name: &str, normal_value: &str, seed: u64) -> String {
    let text = synth::unsw::generate(rows, 0.4, seed);
    let drop_last = |l: &str| l.rsplit_once(',').map_or(String::new(), |(head, _)| head.to_string());
    let mut lines = text.lines();
    let header: Vec<String> = drop_last(lines.next().unwrap_or_default())
        .split(',')
        .map(|n| if n == "attack_cat" { label_name.to_string() } else { format!("m_{n}") })
        .collect();
    let body = lines.map(|l| {
        let row = drop_last(l);
        match row.strip_suffix(",Normal") {
            Some(head) => format!("{head},{normal_value}"),
            None => row,
        }
    });
    std::iter::once(header.join(",")).chain(body).collect::<Vec<_>>().join("\n") + "\n"
}

pub(super) fn cases() -> Vec<Case> {
    let unsw = synth::unsw::generate(300, 0.6, 131);
    let cic = synth::cic::generate(4_000, 0.4, 132);
    // Rows the loader must leave out: those with Infinity or NaN in a feature.
    let non_finite = cic.split(|&b| b == b'\n').skip(1).filter(|l| {
        let s = String::from_utf8_lossy(l);
        s.split(',').any(|f| f == "Infinity" || f == "NaN")
    });
    let cic_rows = 4_000 - non_finite.count();
    let renamed = unsw.replacen(",sbytes,", ",bytes,", 1);
    let mut arff = String::from(
        "% flows of our own\n@relation own\n@attribute dur real\n@attribute proto {tcp,udp,icmp}\n@attribute bytes integer\n@attribute verdict {benign,scan,flood}\n@data\n",
    );
    for i in 0..240u64 {
        let (proto, bytes, verdict) = match i % 8 {
            6 => ("icmp", 60_000 + i * 91, "flood"),
            7 => ("tcp", 40 + i % 3, "scan"),
            _ => (if i % 3 == 0 { "udp" } else { "tcp" }, 300 + i * 17 % 2_000, "benign"),
        };
        arff.push_str(&format!("{}.{},{proto},{bytes},{verdict}\n", i % 9, i % 10));
    }
    let headerless: String = unsw.lines().skip(1).map(|l| format!("{l}\n")).collect();
    vec![
        data(
            "unsw-nb15.csv",
            "UNSW-NB15's training-set layout: a 45-name header, proto/service/state symbolic, attack_cat the label",
            unsw.clone().into_bytes(),
            loads(300, Format::UnswNb15, Training::Trains),
        ),
        data(
            "cic-ids2017.csv",
            "a CIC-IDS2017 day file: 79 columns, leading spaces in names, Fwd Header Length twice, Infinity and NaN rows (left out), Web Attack labels with a Windows-1252 dash",
            cic,
            loads(cic_rows, Format::CicIds2017, Training::Trains),
        ),
        data(
            "unsw-nb15-renamed-column.csv",
            "UNSW-NB15 with one header name changed (sbytes → bytes)",
            renamed.into_bytes(),
            err(&["line 1", "looks like UNSW-NB15", "column 8 is \"bytes\"", "\"sbytes\""]),
        ),
        data(
            "unsw-nb15-no-header.csv",
            "UNSW-NB15's rows without their header row",
            headerless.into_bytes(),
            err(&["line 1", "45 columns and no header row", "UNSW-NB15's layout", "header row back"]),
        ),
        data(
            "own-labelled.csv",
            "a CSV with a header of its own and a column called class (normal rows: normal)",
            own_csv(400, "class", "normal", 133).into_bytes(),
            loads(400, Format::Csv, Training::Trains),
        ),
        data(
            "own.arff",
            "an ARFF file of its own (not the KDD layout): a nominal class last, benign its normal value",
            arff.into_bytes(),
            loads(240, Format::Arff, Training::Trains),
        ),
        data(
            "own-no-label-name.csv",
            "a CSV with a header of its own whose label column has no recognisable name",
            own_csv(200, "verdict", "normal", 134).into_bytes(),
            err(&["line 1", "no column called label", "choose its label column", "verdict", "--label-column"]),
        ),
        data(
            "own-odd-normal.csv",
            "a CSV with a label column whose normal value has no recognisable name",
            own_csv(200, "label", "quiet", 135).into_bytes(),
            err(&["line 1", "which values of the label column \"label\" mean normal", "quiet", "--normal"]),
        ),
    ]
}
