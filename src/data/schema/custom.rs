//! A CSV with a header row that no built-in schema has: each column's kind inferred
//! from the first rows (a column is numeric when every value there is a number), the
//! label column and the values meaning normal chosen by the user or suggested (a
//! column called label / class / attack…, a value called normal / benign / 0), id-like
//! columns ignored by name. Without a label column the table can still be scored.

use serde::{Deserialize, Serialize};

use super::{Format, Kind, Labels, NonFinite, Role, Schema};

/// Rows read ahead to decide each column's kind.
pub const SNIFF_ROWS: usize = 256;

/// The user's choice for a CSV with a header: the label column and its normal values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct LabelChoice {
    /// The label column's name; `None`: suggested.
    #[serde(default)]
    pub column: Option<String>,
    /// Label values meaning normal (compared without case); empty: suggested.
    #[serde(default)]
    pub normal: Vec<String>,
    /// Read the table without labels (scores only).
    #[serde(default)]
    pub none: bool,
}

/// Column names that are a label, most likely first.
const LABEL_NAMES: [&str; 12] = [
    "label",
    "class",
    "attack_cat",
    "attack",
    "attack_type",
    "category",
    "target",
    "outcome",
    "malicious",
    "is_attack",
    "anomaly",
    "y",
];

/// Label values that mean normal traffic.
const NORMAL_VALUES: [&str; 7] = ["normal", "benign", "legitimate", "0", "false", "no", "good"];

/// Column names that identify a row rather than describe it.
const IGNORED: [&str; 6] = ["id", "index", "unnamed: 0", "flow id", "flow_id", "timestamp"];

/// Why a header CSV cannot be read as it stands: what the user must choose.
#[derive(Debug, PartialEq, Eq)]
pub enum Needs {
    /// A label column (or none): the candidate columns, best first.
    Label(Vec<String>),
    /// The normal value(s) of the label column: its values seen in the first rows.
    Normal {
        /// The label column.
        column: String,
        /// Its values in the first rows, most frequent first.
        values: Vec<String>,
    },
    /// A label column named that the header does not have.
    NoColumn(String),
}

/// The label column a header suggests.
pub fn suggest_label(names: &[String]) -> Option<usize> {
    LABEL_NAMES.iter().find_map(|want| names.iter().position(|n| n.trim().eq_ignore_ascii_case(want)))
}

/// The normal value among `values` (a label column's values), if one is recognisable.
pub fn suggest_normal(values: &[String]) -> Option<String> {
    NORMAL_VALUES.iter().find_map(|want| values.iter().find(|v| v.trim().eq_ignore_ascii_case(want)).cloned())
}

/// The schema of a header CSV: `names` from its header, `rows` its first data rows
/// (up to [`SNIFF_ROWS`]), `is_number` the reader's number test.
pub fn infer(
    names: &[String],
    rows: &[Vec<String>],
    choice: Option<&LabelChoice>,
    policy: NonFinite,
    is_number: &dyn Fn(&str) -> bool,
) -> Result<Schema, Needs> {
    let label = label_column(names, choice, None, || candidates(names, rows, is_number))?;
    let normal = match label {
        None => Vec::new(),
        Some(col) => match choice.map(|c| c.normal.clone()).filter(|n| !n.is_empty()) {
            Some(n) => n,
            None => {
                let values = distinct(rows, col);
                vec![suggest_normal(&values)
                    .ok_or_else(|| Needs::Normal { column: names[col].trim().to_string(), values })?]
            }
        },
    };
    let mut seen: Vec<String> = Vec::new();
    let columns = names
        .iter()
        .enumerate()
        .map(|(c, raw)| {
            let name = raw.trim();
            let mut unique = if name.is_empty() { format!("column {}", c + 1) } else { name.to_string() };
            while seen.contains(&unique) {
                unique.push_str(".1");
            }
            seen.push(unique.clone());
            if Some(c) == label {
                return (raw.clone(), None, Role::Label);
            }
            if name.is_empty() || IGNORED.iter().any(|i| name.eq_ignore_ascii_case(i)) {
                return (raw.clone(), None, Role::Ignore);
            }
            let numeric = rows.iter().all(|r| r.get(c).is_some_and(|v| is_number(v.trim())));
            (unique, Some(if numeric { Kind::Numeric } else { Kind::Symbolic }), Role::Ignore)
        })
        .collect::<Vec<_>>();
    let labels =
        label.map(|_| Labels { normal, categories: Vec::new(), order: Vec::new(), strip_dot: false, identity: true });
    let mut s = Schema::new("csv", Format::Csv, columns, labels);
    // Header names as written; features under their unique names.
    for (col, raw) in s.columns.iter_mut().zip(names) {
        col.0 = raw.clone();
    }
    let numeric_cols: Vec<usize> =
        s.columns.iter().enumerate().filter(|(_, (_, r))| matches!(r, Role::Feature(_))).map(|(c, _)| c).collect();
    for (f, &c) in s.features.iter_mut().zip(&numeric_cols) {
        // A count or a size: never negative and past 10 somewhere in the first rows.
        let values = || rows.iter().filter_map(|r| r.get(c)?.trim().parse::<f64>().ok());
        f.heavy_tailed = f.kind == Kind::Numeric && values().all(|v| v >= 0.0) && values().any(|v| v > 10.0);
    }
    s.negatives = true;
    s.non_finite = policy;
    Ok(s)
}

/// The label column: the one chosen (by name), none, or the one a name suggests, else
/// `fallback`; when there is none, the user is asked, offered `candidates()`.
fn label_column(
    names: &[String],
    choice: Option<&LabelChoice>,
    fallback: Option<usize>,
    candidates: impl FnOnce() -> Vec<String>,
) -> Result<Option<usize>, Needs> {
    match choice {
        Some(LabelChoice { none: true, .. }) => Ok(None),
        Some(LabelChoice { column: Some(c), .. }) => names
            .iter()
            .position(|n| n.trim().eq_ignore_ascii_case(c.trim()))
            .map(Some)
            .ok_or_else(|| Needs::NoColumn(c.clone())),
        _ => suggest_label(names).or(fallback).map(Some).ok_or_else(|| Needs::Label(candidates())),
    }
}

/// The schema of an ARFF file that is not in the KDD layout: each attribute as its type
/// says — nominal or string symbolic, numeric numeric, date ignored — and the label the
/// one chosen, one called label / class / attack…, or else the last nominal attribute
/// (Weka's convention); its normal value from its nominal values.
pub fn from_arff(
    attributes: &[(String, Option<Vec<String>>, bool)],
    choice: Option<&LabelChoice>,
    policy: NonFinite,
) -> Result<Schema, Needs> {
    let names: Vec<String> = attributes.iter().map(|a| a.0.clone()).collect();
    // Weka's convention: without a recognisable name, the last nominal attribute.
    let last_nominal = attributes.iter().rposition(|a| a.1.is_some());
    let label = label_column(&names, choice, last_nominal, || {
        let (numeric, other): (Vec<_>, Vec<_>) = attributes.iter().partition(|a| a.2);
        other.into_iter().chain(numeric).map(|a| a.0.clone()).collect()
    })?;
    let normal = match label {
        None => Vec::new(),
        Some(col) => match choice.map(|c| c.normal.clone()).filter(|n| !n.is_empty()) {
            Some(n) => n,
            None => {
                let values = attributes[col].1.clone().unwrap_or_default();
                vec![suggest_normal(&values).ok_or_else(|| Needs::Normal { column: names[col].clone(), values })?]
            }
        },
    };
    let columns = attributes
        .iter()
        .enumerate()
        .map(|(c, (name, nominal, numeric))| {
            if Some(c) == label {
                (name.clone(), None, Role::Label)
            } else if IGNORED.iter().any(|i| name.trim().eq_ignore_ascii_case(i))
                || (!numeric && nominal.is_none() && is_date(name))
            {
                (name.clone(), None, Role::Ignore)
            } else {
                (name.clone(), Some(if *numeric { Kind::Numeric } else { Kind::Symbolic }), Role::Ignore)
            }
        })
        .collect();
    let labels =
        label.map(|_| Labels { normal, categories: Vec::new(), order: Vec::new(), strip_dot: false, identity: true });
    let mut s = Schema::new("arff", Format::Arff, columns, labels);
    s.negatives = true;
    s.non_finite = policy;
    Ok(s)
}

/// ARFF's `date` attributes carry no kind of their own here; a name says it.
fn is_date(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("date") || n.contains("time")
}

/// Columns that could be the label: symbolic ones first (a label is usually text), then
/// the rest, ignoring id-like names.
fn candidates(names: &[String], rows: &[Vec<String>], is_number: &dyn Fn(&str) -> bool) -> Vec<String> {
    let text = |c: usize| rows.iter().any(|r| r.get(c).is_some_and(|v| !is_number(v.trim())));
    let usable: Vec<usize> = (0..names.len())
        .filter(|&c| !names[c].trim().is_empty() && !IGNORED.iter().any(|i| names[c].trim().eq_ignore_ascii_case(i)))
        .collect();
    let (symbolic, numeric): (Vec<usize>, Vec<usize>) = usable.into_iter().partition(|&c| text(c));
    symbolic.into_iter().chain(numeric).map(|c| names[c].trim().to_string()).collect()
}

/// Column `col`'s values in `rows`, most frequent first (ties by name), at most 24.
fn distinct(rows: &[Vec<String>], col: usize) -> Vec<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for v in rows.iter().filter_map(|r| r.get(col)) {
        let v = v.trim();
        match counts.iter_mut().find(|(n, _)| n == v) {
            Some(e) => e.1 += 1,
            None => counts.push((v.to_string(), 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts.into_iter().take(24).map(|(n, _)| n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(s: &str) -> bool {
        s.parse::<f64>().is_ok()
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn kinds_label_and_normal_are_inferred() {
        let names = strings(&["id", "bytes", "proto", "rate", "Label"]);
        let rows = vec![strings(&["1", "500", "tcp", "0.5", "BENIGN"]), strings(&["2", "70000", "udp", "1", "DoS"])];
        let s = infer(&names, &rows, None, NonFinite::Drop, &number).unwrap();
        assert_eq!(s.format, Format::Csv);
        assert_eq!(s.numeric_names(), ["bytes", "rate"]);
        assert_eq!(s.symbolic_names(), ["proto"]);
        assert_eq!(s.label_column(), Some(4));
        assert!(s.is_normal("benign"));
        assert_eq!(s.category("DoS"), "DoS");
        assert!(s.features[0].heavy_tailed && !s.features[2].heavy_tailed);
    }

    #[test]
    fn what_cannot_be_guessed_is_asked() {
        let names = strings(&["a", "b", "verdict"]);
        let rows = vec![strings(&["1", "x", "ok"]), strings(&["2", "y", "bad"])];
        assert_eq!(
            infer(&names, &rows, None, NonFinite::Drop, &number).unwrap_err(),
            Needs::Label(strings(&["b", "verdict", "a"]))
        );
        let choice = LabelChoice { column: Some("verdict".into()), ..LabelChoice::default() };
        assert_eq!(
            infer(&names, &rows, Some(&choice), NonFinite::Drop, &number).unwrap_err(),
            Needs::Normal { column: "verdict".into(), values: strings(&["bad", "ok"]) }
        );
        let choice = LabelChoice { column: Some("verdict".into()), normal: vec!["ok".into()], none: false };
        let s = infer(&names, &rows, Some(&choice), NonFinite::Drop, &number).unwrap();
        assert!(s.is_normal("OK") && !s.is_normal("bad"));
        let none = LabelChoice { none: true, ..LabelChoice::default() };
        let s = infer(&names, &rows, Some(&none), NonFinite::Drop, &number).unwrap();
        assert_eq!((s.label_column(), s.features.len()), (None, 3));
        let missing = LabelChoice { column: Some("nope".into()), ..LabelChoice::default() };
        assert_eq!(
            infer(&names, &rows, Some(&missing), NonFinite::Drop, &number).unwrap_err(),
            Needs::NoColumn("nope".into())
        );
    }
}
