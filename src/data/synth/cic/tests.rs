//! Tests of the CIC-IDS2017 generator: the published layout, its duplicate columns and
//! Java number format, the same bytes for a seed, the attack share, and every label and
//! quirk (Infinity, NaN, unknown windows, the 0x96 dash) where the real files have them.

use super::*;
use std::collections::HashSet;

fn rows(bytes: &[u8]) -> Vec<Vec<&[u8]>> {
    bytes.split(|&c| c == b'\n').skip(1).filter(|l| !l.is_empty()).map(|l| l.split(|&c| c == b',').collect()).collect()
}

fn text(field: &[u8]) -> &str {
    std::str::from_utf8(field).unwrap_or("<not UTF-8>")
}

#[test]
fn header_and_every_row_have_the_published_columns() {
    assert_eq!(HEADER.len(), 79);
    let twice: Vec<usize> = (0..79).filter(|&c| HEADER[c] == " Fwd Header Length").collect();
    assert_eq!(twice, [34, 55]);
    assert_eq!((HEADER[54], HEADER[56]), (" Avg Bwd Segment Size", "Fwd Avg Bytes/Bulk"));
    let bytes = generate(5_000, 0.37, 1);
    assert!(bytes.starts_with(format!("{}\n", HEADER.join(",")).as_bytes()));
    let rows = rows(&bytes);
    assert_eq!(rows.len(), 5_000);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), 79, "row {i}");
        for (c, field) in row[..78].iter().enumerate() {
            assert!(text(field).parse::<f64>().is_ok(), "row {i} column {c}: {:?}", text(field));
        }
        let v = |c: usize| text(row[c]).parse::<f64>().unwrap_or(f64::NAN);
        // The published files' duplicates: equal columns, as there.
        for (a, b) in [(34, 55), (2, 62), (4, 63), (3, 64), (5, 65), (30, 44), (32, 49), (45, 50), (8, 53), (12, 54)] {
            assert_eq!(v(a), v(b), "row {i}: {} and {}", HEADER[a], HEADER[b]);
        }
        assert!(row[56..62].iter().all(|f| *f == b"0"), "row {i}: bulk features are zero");
        assert!(v(52) >= v(40), "row {i}: the average size divides by one packet fewer");
    }
}

#[test]
fn doubles_are_written_as_java_writes_them() {
    let mut b = Vec::new();
    for x in [6.0, 0.0, 2.0 / 3e-6, 1.2e7, 1e7, -2e6, 1.5e-4, f64::INFINITY, f64::NAN, 0.5] {
        put_f(&mut b, x);
    }
    assert_eq!(text(&b), "6.0,0.0,666666.6666666666,1.2E7,1.0E7,-2000000.0,1.5E-4,Infinity,NaN,0.5,");
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    assert_eq!(generate(3_000, 0.37, 7), generate(3_000, 0.37, 7));
    assert_ne!(generate(3_000, 0.37, 7), generate(3_000, 0.37, 8));
    let mut streamed = Vec::new();
    write(3_000, 0.37, 7, &mut streamed).unwrap();
    assert_eq!(streamed, generate(3_000, 0.37, 7));
}

#[test]
fn label_share_follows_attack_share() {
    for share in [0.37, 0.8] {
        let bytes = generate(20_000, share, 3);
        let attacks = rows(&bytes).iter().filter(|r| r[78] != BENIGN).count();
        assert!((attacks as f64 / 20_000.0 - share).abs() < 0.03, "{share}: {attacks}");
    }
}

#[test]
fn every_label_and_the_quirks_appear_where_the_real_files_have_them() {
    let bytes = generate(50_000, 0.37, 5);
    let rows = rows(&bytes);
    let labels: HashSet<&[u8]> = rows.iter().map(|r| r[78]).collect();
    assert!(labels.contains(BENIGN));
    for kind in ATTACKS {
        assert!(labels.contains(kind.label), "{:?}", String::from_utf8_lossy(kind.label));
    }
    let (mut infinite, mut nan, mut minus_one) = (0, 0, 0);
    for (i, row) in rows.iter().enumerate() {
        for (c, field) in row.iter().enumerate() {
            let odd = *field == b"Infinity" || *field == b"NaN";
            assert!(!odd || c == 14 || (c == 15 && *field == b"Infinity"), "row {i} column {c}");
            assert_eq!(field.contains(&0x96), c == 78 && field.starts_with(b"Web Attack \x96 "), "row {i} column {c}");
        }
        infinite += usize::from(row[15] == b"Infinity");
        nan += usize::from(row[14] == b"NaN");
        minus_one += usize::from(row[66] == b"-1" || row[67] == b"-1");
    }
    assert!((20..=60).contains(&infinite) && (3..infinite / 2).contains(&nan), "{infinite} Infinity, {nan} NaN");
    assert!(minus_one > 1_000, "{minus_one} rows with an unknown initial window");
}
