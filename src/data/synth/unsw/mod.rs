//! Synthetic traffic in the layout of UNSW-NB15's published training and testing sets
//! (`UNSW_NB15_training-set.csv`), made by our own code, never cut from the real
//! files. A test fixture at the real sizes (175,341 rows), so it streams to a writer.
//!
//! The layout is the published one: the same 45 columns in the same order, `id` from
//! 1, symbolic `proto`, `service` (`-` for none) and `state`, 39 numbers, then
//! `attack_cat` and `label`. Its quirks are kept: decimals are written as the
//! published file has them after a spreadsheet's General format (at most 11
//! characters, trailing zeros dropped, whole numbers bare: `0.121478`, `74.08749`,
//! `57000000`); `proto` has a long tail of rare IP protocol names; TTLs take the
//! testbed's few fixed values; `sload` counts all but one packet's worth of bytes.
//!
//! The attacks are shaped like the real set's: Generic is mostly one-way two-packet
//! DNS over UDP (state INT, TTL 254) with high connection counts; Exploits and DoS
//! send more and larger packets; Reconnaissance a few packets to any service or
//! protocol; Fuzzers odd sizes. Analysis, Backdoor and a share of every kind look like
//! normal flows, and some normal traffic carries the attackers' TTLs, so no one
//! column decides.

mod kinds;
#[cfg(test)]
mod tests;

use super::draw::{chance, count, logu, one, uni};
use crate::rng::Rng;
use kinds::{attack, pick, Cat, Kind, NORMAL_CAT, ODD_STATES, PROBE_STATES, RARE, SERVICES};
use std::io::{self, Write};

/// The published files' header row, in order.
#[rustfmt::skip]
pub const HEADER: [&str; 45] = [
    "id", "dur", "proto", "service", "state", "spkts", "dpkts", "sbytes", "dbytes", "rate", "sttl", "dttl", "sload",
    "dload", "sloss", "dloss", "sinpkt", "dinpkt", "sjit", "djit", "swin", "stcpb", "dtcpb", "dwin", "tcprtt", "synack",
    "ackdat", "smean", "dmean", "trans_depth", "response_body_len", "ct_srv_src", "ct_state_ttl", "ct_dst_ltm",
    "ct_src_dport_ltm", "ct_dst_sport_ltm", "ct_dst_src_ltm", "is_ftp_login", "ct_ftp_cmd", "ct_flw_http_mthd",
    "ct_src_ltm", "ct_srv_dst", "is_sm_ips_ports", "attack_cat", "label",
];

/// Rows in the published training set.
pub const TRAINING_ROWS: usize = 175_341;

/// One flow's fields; pairs are [source, destination].
#[derive(Default)]
struct Flow {
    proto: &'static str,
    service: &'static str,
    state: &'static str,
    dur: f64,
    pkts: [u64; 2],
    bytes: [u64; 2],
    ttl: [u64; 2],
    loss: [u64; 2],
    jit: [f64; 2],
    tcpb: [u64; 2],
    win: [u64; 2],
    synack: f64,
    ackdat: f64,
    trans_depth: u64,
    body: u64,
    ftp: [u64; 2],
    http_mthd: u64,
    /// ct_srv_src, ct_dst_ltm, ct_src_dport_ltm, ct_dst_sport_ltm, ct_dst_src_ltm, ct_src_ltm, ct_srv_dst.
    ct: [u64; 7],
    sm_ips: u64,
}

/// Argus's resolution: microseconds.
fn micro(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn flow(r: &mut Rng, k: &Kind) -> Flow {
    let proto = if k.proto == "*" { one(r, RARE) } else { k.proto };
    let service = if k.service == "*" { one(r, SERVICES) } else { k.service };
    let state = if k.state == "*" { one(r, PROBE_STATES) } else { k.state };
    let pkts = [count(r, k.pkts[0]), count(r, k.pkts[1])];
    let mut bytes = [0; 2];
    for i in 0..2 {
        if k.size[i].1 > 0.0 {
            bytes[i] = (pkts[i] as f64 * logu(r, k.size[i].0, k.size[i].1)).round() as u64;
        }
    }
    let dur = if pkts[0] + pkts[1] > 1 && k.dur.1 > 0.0 { micro(logu(r, k.dur.0, k.dur.1)) } else { 0.0 };
    Flow { proto, service, state, dur, pkts, bytes, ct: [1; 7], ..Flow::default() }
}

/// TCP numbers, losses and jitter, once counts and duration are final.
fn finish(r: &mut Rng, f: &mut Flow) {
    let tcp = f.proto == "tcp";
    let replied = f.pkts[1] > 0;
    for i in 0..2 {
        let n = f.pkts[i];
        if n > 2 {
            f.jit[i] = f.dur * 1000.0 / (n - 1) as f64 * uni(r, 0.0, 2.5);
        }
        if tcp && n > 4 && chance(r, 0.3) {
            f.loss[i] = r.below(n as usize / 8 + 1) as u64;
        }
    }
    if tcp {
        f.tcpb = [r.next_u64() >> 32, if replied { r.next_u64() >> 32 } else { 0 }];
        f.win = [255, if replied { 255 } else { 0 }];
        if replied && f.state != "INT" && f.state != "REQ" {
            f.synack = micro(logu(r, 1e-5, 0.2));
            f.ackdat = micro(logu(r, 1e-5, 0.1));
        }
    }
}

/// The connection counts, correlated around one level as the real windows are.
fn counts(r: &mut Rng, range: (u64, u64)) -> [u64; 7] {
    let base = count(r, range) as f64;
    let mut ct = [1; 7];
    for c in &mut ct {
        *c = ((base * uni(r, 0.6, 1.2)).round() as u64).max(1);
    }
    ct
}

fn draw(cat: &Cat, r: &mut Rng) -> Flow {
    let kind = pick(r, cat.kinds);
    let mut f = flow(r, kind);
    let normal = cat.name == "Normal";
    // The testbed's TTLs: 31/29 for most normal hosts, 254/252 for most attackers,
    // each side borrowing the other's now and then; no reply, no destination TTL.
    let u = r.next_f64();
    let ttl = match (normal, u) {
        _ if f.proto == "arp" => [0, 0],
        (true, u) if u < 0.88 => [31, 29],
        (true, u) if u < 0.94 => [62, 252],
        (true, _) => [254, 252],
        (false, u) if u < 0.85 => [254, 252],
        (false, u) if u < 0.95 => [62, 252],
        (false, _) => [31, 29],
    };
    f.ttl = [ttl[0], if f.pkts[1] > 0 { ttl[1] } else { 0 }];
    if chance(r, 0.01) {
        f.state = one(r, ODD_STATES);
    }
    // A few normal hosts are busy: their counts reach the attackers'.
    let busy = normal && chance(r, 0.05);
    f.ct = counts(r, if busy { (5, 40) } else { cat.ct });
    if normal && chance(r, 0.02) {
        // A large download: many more bytes, longer.
        f.bytes[1] = (f.bytes[1].max(1000) as f64 * logu(r, 10.0, 300.0)) as u64;
        f.pkts[1] = f.pkts[1].max(f.bytes[1] / 1400);
        f.dur = micro((f.dur.max(0.01) * logu(r, 2.0, 20.0)).min(59.99));
    }
    if cat.name == "Fuzzers" {
        // Fuzzed payloads: sizes that are no multiple of anything.
        f.bytes[0] += r.below(1500) as u64;
    }
    match f.service {
        "http" if normal => {
            f.trans_depth = count(r, (1, 4));
            f.http_mthd = count(r, (1, 6));
            f.body = if chance(r, 0.8) { (f.bytes[1] as f64 * uni(r, 0.5, 0.95)) as u64 } else { 0 };
        }
        "http" => {
            f.trans_depth = 1;
            f.http_mthd = r.below(2) as u64;
            f.body = if chance(r, 0.3) { r.below(3000) as u64 } else { 0 };
        }
        "ftp" => {
            f.ftp[0] = u64::from(chance(r, if normal { 0.6 } else { 0.3 }));
            f.ftp[1] = if f.ftp[0] == 1 { count(r, (1, 6)) } else { 0 };
        }
        _ => {}
    }
    if f.dur > 0.0 {
        // No link in the testbed carries more than 10 Gbit/s.
        f.dur = f.dur.max(((f.bytes[0] + f.bytes[1]) as f64 * 8e-4).ceil() / 1e6);
    }
    f.sm_ips = u64::from(chance(r, if normal { 0.01 } else { 0.001 }));
    finish(r, &mut f);
    f
}

/// ct_state_ttl: a code (0–6) for the pair of state and TTLs.
fn state_ttl(f: &Flow) -> u64 {
    match (f.ttl, f.state) {
        ([254, 252], _) => 1,
        ([254, 0], _) => 2,
        ([62, 252], _) => 3,
        ([62 | 31, 0], _) => 4,
        ([0, 0], "INT") => 2,
        (_, "REQ" | "RST" | "ECO") => 5,
        (_, "CON") => 6,
        _ => 0,
    }
}

fn digits(b: &mut Vec<u8>, mut v: u64) {
    let mut d = [0u8; 20];
    let mut i = d.len();
    loop {
        i -= 1;
        d[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    b.extend_from_slice(&d[i..]);
}

fn put_u(b: &mut Vec<u8>, v: u64) {
    digits(b, v);
    b.push(b',');
}

fn put_s(b: &mut Vec<u8>, s: &str) {
    b.extend_from_slice(s.as_bytes());
    b.push(b',');
}

/// A decimal as the published file writes it (a spreadsheet's General format): at
/// most 11 characters, trailing zeros dropped, whole numbers without a point, from
/// 10^11 up in scientific notation (`2.13608E+11`).
fn put_dec(b: &mut Vec<u8>, x: f64) {
    let x = x.max(0.0);
    if x >= 1e11 {
        let exp = x.log10().floor();
        let _ = write!(b, "{}E+{exp:02},", (x / 10f64.powf(exp) * 1e5).round() / 1e5);
        return;
    }
    let mut whole_digits = 1;
    let mut p = 10.0;
    while x >= p && whole_digits < 10 {
        whole_digits += 1;
        p *= 10.0;
    }
    let places = 10 - whole_digits;
    let scale = 10u64.pow(places);
    let v = (x * scale as f64).round() as u64;
    let (mut frac, mut places) = (v % scale, places as usize);
    digits(b, v / scale);
    if frac > 0 {
        while frac % 10 == 0 {
            frac /= 10;
            places -= 1;
        }
        let mut d = [b'0'; 10];
        d[0] = b'.';
        for i in (1..=places).rev() {
            d[i] = b'0' + (frac % 10) as u8;
            frac /= 10;
        }
        b.extend_from_slice(&d[..=places]);
    }
    b.push(b',');
}

fn put_row(b: &mut Vec<u8>, id: usize, f: &Flow, cat: &Cat) {
    let ([sp, dp], [sb, db]) = (f.pkts, f.bytes);
    let per_s = |x: f64| if f.dur > 0.0 { x / f.dur } else { 0.0 };
    // Bits per second over all but one packet's worth of bytes, as the published set has them.
    let load = |bytes: u64, n: u64| if n > 0 { per_s(bytes as f64 * 8.0 * (n - 1) as f64 / n as f64) } else { 0.0 };
    let inpkt = |n: u64| if n > 1 { f.dur * 1000.0 / (n - 1) as f64 } else { 0.0 };
    put_u(b, id as u64);
    put_dec(b, f.dur);
    for s in [f.proto, f.service, f.state] {
        put_s(b, s);
    }
    for v in [sp, dp, sb, db] {
        put_u(b, v);
    }
    put_dec(b, per_s((sp + dp).saturating_sub(1) as f64));
    put_u(b, f.ttl[0]);
    put_u(b, f.ttl[1]);
    for x in [load(sb, sp), load(db, dp)] {
        put_dec(b, x);
    }
    put_u(b, f.loss[0]);
    put_u(b, f.loss[1]);
    for x in [inpkt(sp), inpkt(dp), f.jit[0], f.jit[1]] {
        put_dec(b, x);
    }
    for v in [f.win[0], f.tcpb[0], f.tcpb[1], f.win[1]] {
        put_u(b, v);
    }
    for x in [f.synack + f.ackdat, f.synack, f.ackdat] {
        put_dec(b, x);
    }
    for v in [sb / sp.max(1), db / dp.max(1), f.trans_depth, f.body, f.ct[0], state_ttl(f)] {
        put_u(b, v);
    }
    for v in [f.ct[1], f.ct[2], f.ct[3], f.ct[4], f.ftp[0], f.ftp[1], f.http_mthd, f.ct[5], f.ct[6], f.sm_ips] {
        put_u(b, v);
    }
    put_s(b, cat.name);
    b.extend_from_slice(if cat.name == "Normal" { b"0\n" } else { b"1\n" });
}

/// Write the header and `rows` rows, about `attack_share` of them attacks (spread
/// over the categories as in the real training set), reproducible for a seed.
pub fn write<W: Write>(rows: usize, attack_share: f64, seed: u64, out: &mut W) -> io::Result<()> {
    let mut r = Rng::new(seed);
    let mut buf = Vec::with_capacity(1 << 17);
    buf.extend_from_slice(HEADER.join(",").as_bytes());
    buf.push(b'\n');
    for id in 1..=rows {
        let cat = if r.next_f64() < attack_share { attack(&mut r) } else { &NORMAL_CAT };
        put_row(&mut buf, id, &draw(cat, &mut r), cat);
        if buf.len() >= 1 << 16 {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    out.write_all(&buf)
}

/// The whole file as text (see [`write`]).
pub fn generate(rows: usize, attack_share: f64, seed: u64) -> String {
    let mut out = Vec::with_capacity(rows * 200 + 600);
    // Writing to a Vec cannot fail, and every byte written is ASCII.
    let _ = write(rows, attack_share, seed, &mut out);
    String::from_utf8(out).unwrap_or_default()
}
