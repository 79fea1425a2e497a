//! Which built-in schema a header row belongs to: every name matching (spaces around
//! names aside, case aside) picks it; a header that nearly matches one is named with
//! its first differing column, so a renamed or missing column reads as such.

use std::sync::Arc;

use super::flows::{CIC_IDS2017, UNSW_NB15};
use super::kdd::FEATURE_NAMES;
use super::{Format, NonFinite, Schema};

/// What a header row is.
#[derive(Debug)]
pub enum HeaderMatch {
    /// A built-in schema's header.
    Known(Arc<Schema>),
    /// The 41 KDD feature names (and a label, a difficulty): the column count says which layout.
    Kdd,
    /// Close to a built-in schema but not it: the schema's title and what differs.
    Near {
        /// Which dataset it resembles.
        title: &'static str,
        /// The first difference ("column 8 is \"bytes\" where UNSW-NB15 has \"sbytes\"").
        detail: String,
    },
    /// Not a header any built-in schema has.
    Unknown,
}

/// Makes a candidate's schema once its header matched.
type Make = Box<dyn Fn() -> Arc<Schema>>;

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// How many of `names` match `expected` in place, and the first that does not.
fn compare(names: &[String], expected: &[&str], title: &str) -> (usize, Option<String>) {
    let matched = names.iter().zip(expected).filter(|(a, b)| same(a, b)).count();
    let detail = if names.len() != expected.len() {
        Some(format!("it has {} columns where {title} has {}", names.len(), expected.len()))
    } else {
        names
            .iter()
            .zip(expected)
            .enumerate()
            .find(|(_, (a, b))| !same(a, b))
            .map(|(i, (a, b))| format!("column {} is {:?} where {title} has {:?}", i + 1, a.trim(), b.trim()))
    };
    (matched, detail)
}

/// The schema whose header `names` is, with `policy` for CIC-IDS2017's Infinity/NaN.
pub fn from_header(names: &[String], policy: NonFinite) -> HeaderMatch {
    let kdd: Vec<&str> = FEATURE_NAMES.to_vec();
    let candidates: [(&'static str, &[&str], Make); 3] = [
        ("UNSW-NB15", &UNSW_NB15, Box::new(Schema::unsw_nb15)),
        ("CIC-IDS2017", &CIC_IDS2017, Box::new(move || Schema::cic_ids2017(policy))),
        ("KDD", &kdd, Box::new(|| Schema::kdd(Format::Unlabelled))),
    ];
    let mut near: Option<(usize, &'static str, String)> = None;
    for (title, expected, make) in candidates {
        // KDD headers name the 41 features, then whatever the label is called.
        let names = if title == "KDD" && (42..=43).contains(&names.len()) { &names[..41] } else { names };
        let (matched, detail) = compare(names, expected, title);
        match detail {
            None if title == "KDD" => return HeaderMatch::Kdd,
            None => return HeaderMatch::Known(make()),
            Some(d) if matched * 4 >= expected.len() * 3 && near.as_ref().is_none_or(|n| n.0 < matched) => {
                near = Some((matched, title, d))
            }
            Some(_) => {}
        }
    }
    match near {
        Some((_, title, detail)) => HeaderMatch::Near { title, detail },
        None => HeaderMatch::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_pick_their_schema() {
        let HeaderMatch::Known(s) = from_header(&names(&UNSW_NB15), NonFinite::Drop) else { panic!() };
        assert_eq!(s.id, "unsw-nb15");
        let HeaderMatch::Known(s) = from_header(&names(&CIC_IDS2017), NonFinite::Drop) else { panic!() };
        assert_eq!((s.id.as_str(), s.non_finite), ("cic-ids2017", NonFinite::Drop));
        // Without the leading spaces (a re-saved file) it is still CIC-IDS2017.
        let trimmed: Vec<String> = CIC_IDS2017.iter().map(|n| n.trim().to_string()).collect();
        assert!(matches!(from_header(&trimmed, NonFinite::Drop), HeaderMatch::Known(_)));
    }

    #[test]
    fn a_near_header_names_its_difference() {
        let mut n = names(&UNSW_NB15);
        n[7] = "bytes".into();
        match from_header(&n, NonFinite::Drop) {
            HeaderMatch::Near { title, detail } => {
                assert_eq!(title, "UNSW-NB15");
                assert_eq!(detail, "column 8 is \"bytes\" where UNSW-NB15 has \"sbytes\"");
            }
            other => panic!("{other:?}"),
        }
        n.pop();
        assert!(matches!(from_header(&n, NonFinite::Drop), HeaderMatch::Near { .. }));
        assert!(matches!(from_header(&names(&["a", "b", "c"]), NonFinite::Drop), HeaderMatch::Unknown));
    }
}
