//! One record's fields into a table row, by the table's schema: numbers parsed (a
//! fast exact path for plain decimals), symbols and labels interned, and every bad
//! field named with its line, column and column name.

use super::load::LoadError;
use super::schema::{Kind, NonFinite, Role};
use super::table::Table;

/// Buffers reused from row to row.
#[derive(Default)]
pub(super) struct Scratch {
    numeric: Vec<f32>,
}

/// Append `record` to `t`; `Ok(false)` when the schema's policy leaves the row out
/// (Infinity or NaN under `drop`).
pub(super) fn push_row(
    t: &mut Table,
    record: &csv::ByteRecord,
    line: u64,
    scratch: &mut Scratch,
) -> Result<bool, LoadError> {
    let schema = t.schema.clone();
    let name = |col: usize| schema.columns[col].0.trim().to_string();
    scratch.numeric.clear();
    // Numbers first, all of them, so a row left out or refused adds nothing.
    for (col, (_, role)) in schema.columns.iter().enumerate() {
        let Role::Feature(f) = *role else { continue };
        if schema.features[f].kind != Kind::Numeric {
            continue;
        }
        let raw = trim(&record[col]);
        let value = match parse_number(raw) {
            Some(v) => v,
            None if raw.contains(&0) => return Err(LoadError::NulByte { line, column: col + 1, name: name(col) }),
            None => {
                let value = shorten(raw);
                let lower = value.to_ascii_lowercase();
                if ["nan", "inf", "-inf", "+inf", "infinity", "-infinity"].contains(&lower.as_str()) {
                    f32::NAN
                } else {
                    return Err(LoadError::NotNumeric { line, column: col + 1, name: name(col), value });
                }
            }
        };
        if !value.is_finite() {
            match schema.non_finite {
                NonFinite::Drop => return Ok(false),
                NonFinite::Refuse => {
                    return Err(LoadError::NotFinite { line, column: col + 1, name: name(col), value: shorten(raw) })
                }
            }
        }
        if value < 0.0 && !schema.negatives {
            return Err(LoadError::Negative { line, column: col + 1, name: name(col), value: shorten(raw) });
        }
        scratch.numeric.push(value);
    }
    // A NUL in a numeric field fails to parse (named above); text fields would take it in.
    let numeric_col =
        |c: usize| matches!(schema.columns[c].1, Role::Feature(f) if schema.features[f].kind == Kind::Numeric);
    if let Some(col) = (0..record.len()).find(|&c| !numeric_col(c) && record[c].contains(&0)) {
        return Err(LoadError::NulByte { line, column: col + 1, name: name(col) });
    }
    t.numeric.push(&scratch.numeric);
    for (col, (_, role)) in schema.columns.iter().enumerate() {
        let raw = trim(&record[col]);
        match *role {
            Role::Feature(f) if schema.features[f].kind == Kind::Symbolic => {
                if raw.is_empty() {
                    return Err(LoadError::EmptyField { line, column: col + 1, name: name(col) });
                }
                t.symbolic[schema.slot(f)].push(raw);
            }
            Role::Label => {
                let label = schema.normalise(raw);
                if label.is_empty() {
                    return Err(LoadError::EmptyField { line, column: col + 1, name: name(col) });
                }
                if let Some(labels) = &mut t.labels {
                    labels.push(label);
                }
            }
            Role::Difficulty => {
                let level = std::str::from_utf8(raw)
                    .ok()
                    .and_then(|s| s.parse::<u8>().ok())
                    .ok_or_else(|| LoadError::Difficulty { line, value: shorten(raw) })?;
                if let Some(d) = &mut t.difficulty {
                    d.push(level);
                }
            }
            _ => {}
        }
    }
    Ok(true)
}

pub(super) fn trim(field: &[u8]) -> &[u8] {
    field.trim_ascii()
}

fn shorten(raw: &[u8]) -> String {
    let s = String::from_utf8_lossy(raw);
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.into_owned()
    }
}

/// Parse a decimal number. Plain `123` / `0.25` take a fast exact path (almost every
/// KDD field); anything else (exponents, `inf`, …) falls back to the standard parser.
pub(crate) fn parse_number(raw: &[u8]) -> Option<f32> {
    fast_decimal(raw).or_else(|| std::str::from_utf8(raw).ok()?.parse::<f32>().ok())
}

fn fast_decimal(raw: &[u8]) -> Option<f32> {
    let (negative, digits) = match raw.first()? {
        b'-' => (true, &raw[1..]),
        _ => (false, raw),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut mantissa: u64 = 0;
    let mut decimals: Option<u32> = None;
    let mut seen_digit = false;
    for &b in digits {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                seen_digit = true;
                if let Some(d) = &mut decimals {
                    *d += 1;
                }
            }
            b'.' if decimals.is_none() => decimals = Some(0),
            _ => return None,
        }
    }
    if !seen_digit {
        return None;
    }
    // mantissa < 10^18 < 2^60: exact in f64 only below 2^53, so hand big ones to std.
    if mantissa >= 1 << 53 {
        return None;
    }
    const POW10: [f64; 19] =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18];
    let value = mantissa as f64 / POW10[decimals.unwrap_or(0) as usize];
    Some(if negative { -value } else { value } as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_parse_like_std() {
        for s in ["0", "1", "0.00", "0.5", "1.00", "693375640", "12.345", "-3", "5.", ".5"] {
            assert_eq!(parse_number(s.as_bytes()), s.parse::<f32>().ok(), "{s}");
        }
        assert_eq!(parse_number(b"1e3"), Some(1000.0));
        assert_eq!(parse_number(b"abc"), None);
        assert_eq!(parse_number(b""), None);
        assert_eq!(parse_number(b"."), None);
        assert_eq!(parse_number(b"1.2.3"), None);
        assert!(parse_number(b"1e40").unwrap().is_infinite());
    }
}
