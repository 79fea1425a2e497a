//! Tests of the UNSW-NB15 generator: the published layout and number format, the
//! same bytes for a seed, the attack share, and every category, service and state.

use super::kinds::ATTACKS;
use super::*;

fn rows(text: &str) -> Vec<Vec<&str>> {
    text.lines().skip(1).map(|l| l.split(',').collect()).collect()
}

#[test]
fn header_and_every_row_have_the_published_columns() {
    let text = generate(5_000, 0.68, 1);
    assert_eq!(text.lines().next(), Some(HEADER.join(",").as_str()));
    assert_eq!(HEADER.len(), 45);
    let rows = rows(&text);
    assert_eq!(rows.len(), 5_000);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), 45, "row {i}: {row:?}");
        assert_eq!(row[0], (i + 1).to_string(), "ids run from 1");
        for (c, field) in row.iter().enumerate() {
            if ![2, 3, 4, 43].contains(&c) {
                let x: f64 = field.parse().unwrap_or_else(|_| panic!("row {i} column {c}: {field:?}"));
                assert!(x >= 0.0 && field.len() <= 11, "row {i} column {c}: {field:?}");
            }
        }
        assert_eq!(row[44] == "0", row[43] == "Normal", "row {i}");
    }
}

#[test]
fn decimals_are_written_as_the_published_file_has_them() {
    let mut b = Vec::new();
    for x in [0.121478, 74.087490, 14158.942383, 57_000_000.0, 0.0, 0.000008, 125000.0003, 3.5, 213607692308.0] {
        put_dec(&mut b, x);
    }
    assert_eq!(b, b"0.121478,74.08749,14158.94238,57000000,0,0.000008,125000.0003,3.5,2.13608E+11,");
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    assert_eq!(generate(3_000, 0.68, 7), generate(3_000, 0.68, 7));
    assert_ne!(generate(3_000, 0.68, 7), generate(3_000, 0.68, 8));
    let mut streamed = Vec::new();
    write(3_000, 0.68, 7, &mut streamed).unwrap();
    assert_eq!(streamed, generate(3_000, 0.68, 7).into_bytes());
}

#[test]
fn label_share_follows_attack_share() {
    for share in [0.68, 0.2] {
        let text = generate(20_000, share, 3);
        let attacks = rows(&text).iter().filter(|r| r[44] == "1").count();
        assert!((attacks as f64 / 20_000.0 - share).abs() < 0.03, "{share}: {attacks}");
    }
}

#[test]
fn every_category_state_service_and_a_long_proto_tail_appear() {
    let text = generate(50_000, 0.68, 5);
    let rows = rows(&text);
    let seen = |c: usize| rows.iter().map(|r| r[c]).collect::<std::collections::HashSet<_>>();
    let cats = seen(43);
    assert!(cats.contains("Normal"));
    for cat in &ATTACKS {
        assert!(cats.contains(cat.name), "{}", cat.name);
    }
    for service in SERVICES {
        assert!(seen(3).contains(service), "{service}");
    }
    for state in ["FIN", "INT", "CON", "REQ", "RST", "ECO", "ACC", "CLO", "PAR"] {
        assert!(seen(4).contains(state), "{state}");
    }
    let protos = seen(2);
    assert!(protos.len() >= 40, "{} protocols", protos.len());
    for proto in ["tcp", "udp", "arp", "ospf", "unas", "sctp"] {
        assert!(protos.contains(proto), "{proto}");
    }
}
