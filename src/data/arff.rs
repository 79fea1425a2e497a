//! ARFF (Weka's format, as NSL-KDD's publishers ship `KDDTrain+.arff`): the header's
//! `@attribute` lines give the columns' names and nominal values, `@data` starts the
//! comma-separated rows. The KDD layout (41 features in KDD order and a class) reads
//! as KDD; any other as its attributes say (`schema::custom::from_arff`).

use std::io::BufRead;

use super::load_error::LoadError;
use super::schema::FEATURE_NAMES;

/// One `@attribute`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    /// Its name, unquoted.
    pub name: String,
    /// Its nominal values (`{a, b}`), unquoted; `None` for numeric, string, date.
    pub nominal: Option<Vec<String>>,
    /// Whether its type is numeric, real or integer.
    pub numeric: bool,
}

/// The header read up to and including `@data`.
#[derive(Clone, Debug)]
pub struct Header {
    /// The attributes in order.
    pub attributes: Vec<Attribute>,
    /// Lines the header took (so the first row's line is this plus one).
    pub lines: u64,
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['\'', '"'] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

/// Split `@attribute NAME TYPE` into the name (maybe quoted, with spaces) and the type.
fn name_and_type(rest: &str) -> Option<(&str, &str)> {
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"');
    let end = match quote {
        Some(q) => rest[1..].find(q)? + 2,
        None => rest.find(|c: char| c.is_whitespace() || c == '{')?,
    };
    Some((unquote(&rest[..end]), rest[end..].trim()))
}

fn attribute(line: u64, rest: &str) -> Result<Attribute, LoadError> {
    let bad = |detail: &str| LoadError::Arff { line, detail: detail.into() };
    let (name, kind) = name_and_type(rest).ok_or_else(|| bad("an @attribute line without a name and a type"))?;
    let numeric = ["numeric", "real", "integer"].iter().any(|k| kind.to_ascii_lowercase().starts_with(k));
    let nominal = if let Some(body) = kind.strip_prefix('{') {
        let body = body.strip_suffix('}').ok_or_else(|| bad("a nominal type's {…} is not closed on its line"))?;
        Some(body.split(',').map(|v| unquote(v).to_string()).collect())
    } else {
        let lower = kind.to_ascii_lowercase();
        let known = ["numeric", "real", "integer", "string", "date"];
        if !known.iter().any(|k| lower.starts_with(k)) {
            return Err(bad(&format!("attribute {name:?} has the type {kind:?}, which ARFF does not define")));
        }
        None
    };
    Ok(Attribute { name: name.to_string(), nominal, numeric })
}

/// Read the header from `r`, leaving it at the first data line.
pub fn read_header<R: BufRead>(r: &mut R) -> Result<Header, LoadError> {
    let mut attributes = Vec::new();
    let mut lines = 0u64;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = r.read_until(b'\n', &mut buf).map_err(|e| super::load_error::read_failed(false, lines, e))?;
        if n == 0 {
            return Err(LoadError::Arff { line: lines, detail: "the header ends without an @data line".into() });
        }
        lines += 1;
        let text = String::from_utf8_lossy(&buf);
        let text = text.trim_start_matches('\u{feff}').trim();
        if text.is_empty() || text.starts_with('%') {
            continue;
        }
        let lower = text.to_ascii_lowercase();
        if lower.starts_with("@data") {
            return Ok(Header { attributes, lines });
        } else if lower.starts_with("@attribute") {
            attributes.push(attribute(lines, &text["@attribute".len()..])?);
        } else if !lower.starts_with("@relation") {
            return Err(LoadError::Arff {
                line: lines,
                detail: format!("{:?} is not an ARFF header line (@relation, @attribute, @data)", shorten(text)),
            });
        }
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Whether the attributes are (nearly) the KDD layout: 42 of them, most of the first
/// 41 named as KDD's features. Such a file is read as KDD, or refused naming what differs.
pub fn is_near_kdd(header: &Header) -> bool {
    let a = &header.attributes;
    let same = a.iter().zip(FEATURE_NAMES).filter(|(a, want)| a.name.eq_ignore_ascii_case(want)).count();
    a.len() == FEATURE_NAMES.len() + 1 && same * 4 >= FEATURE_NAMES.len() * 3
}

/// Check the attributes are the KDD layout: the 41 features in order, then a class.
pub fn check_kdd_layout(header: &Header) -> Result<(), LoadError> {
    let n = header.attributes.len();
    if n != FEATURE_NAMES.len() + 1 {
        return Err(LoadError::Arff {
            line: header.lines,
            detail: format!("{n} attributes; a KDD ARFF file has the 41 KDD features and a class (42)"),
        });
    }
    for (i, (a, want)) in header.attributes.iter().zip(FEATURE_NAMES).enumerate() {
        if !a.name.eq_ignore_ascii_case(want) {
            return Err(LoadError::Arff {
                line: header.lines,
                detail: format!("attribute {} is {:?} where the KDD layout has {want:?}", i + 1, a.name),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_gives_names_and_nominal_values() {
        let text = "% NSL-KDD\n@relation 'KDDTrain'\n\n@attribute 'duration' real\n\
            @attribute 'protocol_type' {'tcp','udp', 'icmp'}\n@attribute \"a b\" numeric\n\
            @attribute class {normal, anomaly}\n@data\n0,tcp,1,normal\n";
        let mut r = text.as_bytes();
        let h = read_header(&mut r).unwrap();
        assert_eq!(h.lines, 8);
        let names: Vec<&str> = h.attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["duration", "protocol_type", "a b", "class"]);
        assert_eq!(h.attributes[1].nominal.as_deref(), Some(&["tcp".to_string(), "udp".into(), "icmp".into()][..]));
        assert_eq!(h.attributes[0].nominal, None);
        assert_eq!(r, b"0,tcp,1,normal\n");
        assert!(check_kdd_layout(&h).unwrap_err().to_string().contains("4 attributes"));
    }

    #[test]
    fn a_broken_header_names_its_line() {
        for (text, line, fragment) in [
            ("@relation x\n@attribute a\n@data\n", 2, "without a name"),
            ("@relation x\n@attribute a {x, y\n@data\n", 2, "not closed"),
            ("@relation x\n@attribute a blob\n@data\n", 2, "does not define"),
            ("@relation x\nhello\n@data\n", 2, "not an ARFF header line"),
            ("@relation x\n@attribute a real\n", 2, "without an @data"),
        ] {
            let e = read_header(&mut text.as_bytes()).unwrap_err();
            assert!(matches!(e, LoadError::Arff { line: l, .. } if l == line), "{text:?}: {e}");
            assert!(e.to_string().contains(fragment), "{text:?}: {e}");
        }
    }
}
