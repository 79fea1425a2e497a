//! Synthetic traffic in the layout of CIC-IDS2017's MachineLearningCSV day files
//! (`Wednesday-workingHours.pcap_ISCX.csv` and the rest), made by our own code, never
//! cut from the real files. A test fixture at a day file's size (~700,000 rows), so
//! it streams to a writer; the bytes are not all UTF-8 (below), so it makes bytes.
//!
//! The layout is the published one: 78 CICFlowMeter features and ` Label`, with the
//! header's leading spaces and ` Fwd Header Length` twice. Its quirks are kept: numbers
//! are written as the Java tool wrote them (`6`, `6.0`, `666666.6666666666`, `1.2E7`);
//! a flow of zero duration has `Infinity` flow rates, or `NaN` bytes per second when it
//! carried no bytes; an initial window never seen is `-1`; a few durations are negative;
//! the packet-length statistics count the first packet twice; SYN equals Fwd PSH, CWE
//! equals Fwd URG and ECE equals RST; the bulk features are all zero; and the dash of
//! the Web Attack labels is the single Windows-1252 byte 0x96.
//!
//! One file holds every label (a real day holds a few), interleaved rather than in the
//! real files' bursts. The attacks are shaped like their namesakes: PortScan is one or
//! two packets to any port; DoS Hulk, DDoS and GoldenEye hammer port 80; the Patators
//! repeat small packets on 21 and 22; Bot polls 8080 on a clock; Heartbleed drains port
//! 444. The web attacks and Infiltration look much like normal traffic.

mod kinds;
#[cfg(test)]
mod tests;

use super::draw::{chance, count, logu, one, uni};
use crate::rng::Rng;
use kinds::{pick, Kind, ATTACKS, BENIGN, BOT, NORMAL};
use std::io::{self, Write};

/// The published files' header row, in order (the spaces are theirs).
#[rustfmt::skip]
pub const HEADER: [&str; 79] = [
    " Destination Port", " Flow Duration", " Total Fwd Packets", " Total Backward Packets",
    "Total Length of Fwd Packets", " Total Length of Bwd Packets", " Fwd Packet Length Max", " Fwd Packet Length Min",
    " Fwd Packet Length Mean", " Fwd Packet Length Std", "Bwd Packet Length Max", " Bwd Packet Length Min",
    " Bwd Packet Length Mean", " Bwd Packet Length Std", "Flow Bytes/s", " Flow Packets/s", " Flow IAT Mean",
    " Flow IAT Std", " Flow IAT Max", " Flow IAT Min", "Fwd IAT Total", " Fwd IAT Mean", " Fwd IAT Std", " Fwd IAT Max",
    " Fwd IAT Min", "Bwd IAT Total", " Bwd IAT Mean", " Bwd IAT Std", " Bwd IAT Max", " Bwd IAT Min", "Fwd PSH Flags",
    " Bwd PSH Flags", " Fwd URG Flags", " Bwd URG Flags", " Fwd Header Length", " Bwd Header Length", "Fwd Packets/s",
    " Bwd Packets/s", " Min Packet Length", " Max Packet Length", " Packet Length Mean", " Packet Length Std",
    " Packet Length Variance", "FIN Flag Count", " SYN Flag Count", " RST Flag Count", " PSH Flag Count",
    " ACK Flag Count", " URG Flag Count", " CWE Flag Count", " ECE Flag Count", " Down/Up Ratio",
    " Average Packet Size", " Avg Fwd Segment Size", " Avg Bwd Segment Size", " Fwd Header Length",
    "Fwd Avg Bytes/Bulk", " Fwd Avg Packets/Bulk", " Fwd Avg Bulk Rate", " Bwd Avg Bytes/Bulk",
    " Bwd Avg Packets/Bulk", "Bwd Avg Bulk Rate", "Subflow Fwd Packets", " Subflow Fwd Bytes",
    " Subflow Bwd Packets", " Subflow Bwd Bytes", "Init_Win_bytes_forward", " Init_Win_bytes_backward",
    " act_data_pkt_fwd", " min_seg_size_forward", "Active Mean", " Active Std", " Active Max", " Active Min",
    "Idle Mean", " Idle Std", " Idle Max", " Idle Min", " Label",
];

/// Rows in a day file (Wednesday's has 692,703).
pub const DAY_ROWS: usize = 700_000;

/// Share of flows with zero duration (`Infinity` rates), and of those with no bytes (`NaN`).
const ZERO_DURATION: f64 = 0.0008;
const ZERO_BYTES: f64 = 0.25;
/// CICFlowMeter's activity timeout, µs: a longer gap is an idle period.
const IDLE_GAP: i64 = 5_000_000;
/// The flow timeout, µs: no flow lasts longer.
const FLOW_TIMEOUT: f64 = 119_999_999.0;

/// Mean, sample standard deviation, largest and smallest of some values.
#[derive(Clone, Copy, Default)]
struct Spread {
    mean: f64,
    std: f64,
    max: i64,
    min: i64,
}

/// `k` whole values summing to `total`, at most `cap` each where that is possible.
/// The smallest is often far below the mean (`even` lifts it toward it: a clock).
fn spread(r: &mut Rng, total: i64, k: u64, cap: i64, even: f64) -> Spread {
    if k <= 1 {
        let t = if k == 1 { total } else { 0 };
        return Spread { mean: t as f64, std: 0.0, max: t, min: t };
    }
    let (kf, ki) = (k as f64, k as i64);
    let mean = total as f64 / kf;
    let min = (mean * (even + (1.0 - even) * r.next_f64().powi(3))).floor() as i64;
    // The largest must leave the k - 2 middle values between min and itself.
    let lo = ((total - min) as f64 / (kf - 1.0)).ceil() as i64;
    let hi = (total - (ki - 1) * min).min(cap.max(lo));
    let max = lo + ((hi - lo).max(0) as f64 * r.next_f64()) as i64;
    if max == min {
        return Spread { mean, std: 0.0, max, min };
    }
    let mid = if k > 2 { (total - max - min) as f64 / (kf - 2.0) } else { 0.0 };
    let s = (mid - min as f64).min(max as f64 - mid).max(0.0) * 0.5 * r.next_f64();
    let dev = |x: f64| (x - mean) * (x - mean);
    let ss = dev(min as f64) + dev(max as f64) + (kf - 2.0) * (dev(mid) + s * s);
    Spread { mean, std: (ss / (kf - 1.0)).sqrt(), max, min }
}

/// The exact statistics of a few values.
fn stats(v: &[i64]) -> Spread {
    let n = v.len() as f64;
    let mean = v.iter().sum::<i64>() as f64 / n;
    let ss: f64 = v.iter().map(|&x| (x as f64 - mean).powi(2)).sum();
    let std = if v.len() > 1 { (ss / (n - 1.0)).sqrt() } else { 0.0 };
    Spread { mean, std, max: v.iter().copied().max().unwrap_or(0), min: v.iter().copied().min().unwrap_or(0) }
}

/// One flow's features; pairs are [forward, backward].
#[derive(Default)]
struct Flow {
    label: &'static [u8],
    port: u64,
    dur: i64,
    pkts: [u64; 2],
    bytes: [i64; 2],
    len: [Spread; 2],
    iat: Spread,
    dir_iat: [(i64, Spread); 2],
    /// FIN, SYN, RST, PSH, ACK, URG, CWE, ECE.
    flags: [u64; 8],
    hdr: [u64; 2],
    win: [i64; 2],
    act_data: u64,
    active: Spread,
    idle: Spread,
}

fn draw(r: &mut Rng, k: &Kind) -> Flow {
    let benign = k.label == BENIGN;
    let port = match k.ports {
        [] if chance(r, 0.6) => 1 + r.below(1024) as u64,
        [] => 1 + r.below(65_535) as u64,
        ports => match one(r, ports) {
            0 => 1024 + r.below(64_512) as u64,
            p => p,
        },
    };
    let zero = chance(r, ZERO_DURATION);
    let tail = benign && chance(r, 0.02);
    let mut pkts = [count(r, k.pkts[0]), count(r, k.pkts[1])];
    if tail {
        pkts = pkts.map(|n| n * (5 + r.below(45) as u64));
    }
    if zero {
        pkts = [pkts[0].min(2), pkts[1].min(1)];
    }
    if pkts[0] + pkts[1] < 2 {
        pkts[0] = 2 - pkts[1];
    }
    let empty = zero && chance(r, ZERO_BYTES);
    let mut bytes = [0i64; 2];
    let mut len = [Spread::default(); 2];
    for i in 0..2 {
        let (lo, hi) = k.size[i];
        if hi > 0.0 && !empty {
            let per = if lo > 0.0 { logu(r, lo, hi) } else { uni(r, lo, hi) };
            bytes[i] = (pkts[i] as f64 * per).round() as i64;
        }
        len[i] = spread(r, bytes[i], pkts[i], (2.0 * hi).max(1460.0) as i64, 0.0);
    }
    let n = pkts[0] + pkts[1];
    let mut dur = if tail { logu(r, 1e7, FLOW_TIMEOUT) } else { logu(r, k.dur.0.max(1.0), k.dur.1) };
    dur = dur.round().min(FLOW_TIMEOUT);
    let dur = match () {
        _ if zero => 0,
        // A clock stepped back between two packets: the real files' negative durations.
        _ if benign && n == 2 && chance(r, 0.0005) => -1 - r.below(13) as i64,
        _ => dur as i64,
    };
    let mut f = Flow { label: k.label, port, dur, pkts, bytes, len, ..Flow::default() };
    timing(r, &mut f, k.label == BOT);
    let s = k.style;
    if s.udp {
        f.win = [-1, -1];
    } else {
        let [fin, syn, rst] = [0.03, 0.04, 0.001].map(|p| u64::from(chance(r, p)));
        let urg = if benign { 0.08 } else { 0.02 };
        let [psh, ack, urg, cwe] = [s.psh, s.ack, urg, 0.0002].map(|p| u64::from(chance(r, p)));
        f.flags = [fin, syn, rst, psh, ack, urg, cwe, rst];
        f.win = [one(r, s.win[0]), if pkts[1] == 0 { -1 } else { one(r, s.win[1]) }];
    }
    let h = if chance(r, if s.udp { 0.5 } else { 0.7 }) { 32 } else { 20 };
    f.hdr = [h, if chance(r, 0.8) { h } else { 52 - h }];
    // Data packets forward, the first not counted.
    f.act_data = match (bytes[0], len[0].min) {
        (0, _) => 0,
        (_, m) if m > 0 => pkts[0] - 1,
        (b, _) => ((b / len[0].max.max(1)) as u64).clamp(1, pkts[0].max(2) - 1),
    };
    f
}

/// Gaps between packets, each way and overall, and the idle and active periods.
fn timing(r: &mut Rng, f: &mut Flow, periodic: bool) {
    let (dur, pkts, n) = (f.dur, f.pkts, f.pkts[0] + f.pkts[1]);
    let even = if periodic { 0.9 } else { 0.0 };
    let cap = if periodic { (dur as f64 / (n - 1) as f64 * 1.1) as i64 } else { dur };
    f.iat = spread(r, dur, n - 1, cap, even);
    for i in 0..2 {
        if pkts[i] >= 2 {
            let span = if pkts[1 - i] == 0 { dur } else { (dur as f64 * uni(r, 0.3, 1.0)) as i64 };
            f.dir_iat[i] = (span, spread(r, span, pkts[i] - 1, span, even));
        }
    }
    let longest = f.iat.max;
    if longest > IDLE_GAP {
        // Idle periods: the longest gap and up to two more; activity between them.
        let mut gaps = [longest; 3];
        let j = 1 + r.below((n as usize - 1).min(3));
        for g in &mut gaps[1..j] {
            *g = IDLE_GAP + ((longest - IDLE_GAP) as f64 * r.next_f64()) as i64;
        }
        let j = if gaps[..j].iter().sum::<i64>() > dur { 1 } else { j };
        f.idle = stats(&gaps[..j]);
        let busy = dur - gaps[..j].iter().sum::<i64>();
        f.active = spread(r, busy, j as u64, busy, 0.0);
    }
}

fn digits(b: &mut Vec<u8>, v: i64) {
    if v < 0 {
        b.push(b'-');
    }
    let (mut v, mut d, mut i) = (v.unsigned_abs(), [0u8; 20], 20);
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

fn put_i(b: &mut Vec<u8>, v: i64) {
    digits(b, v);
    b.push(b',');
}

fn put_u(b: &mut Vec<u8>, v: u64) {
    put_i(b, v as i64);
}

/// A double as Java's `Double.toString` writes it: `6.0`, `666666.6666666666`, and
/// from 10^7 up (or below 10^-3) `1.2E7`; `Infinity` and `NaN` spelled out.
fn put_f(b: &mut Vec<u8>, x: f64) {
    let a = x.abs();
    if x == 0.0 {
        b.extend_from_slice(b"0.0,");
    } else if !x.is_finite() {
        b.extend_from_slice(if x.is_nan() {
            b"NaN,"
        } else if x > 0.0 {
            b"Infinity,"
        } else {
            b"-Infinity,"
        });
    } else if a < 1e7 && x.fract() == 0.0 {
        digits(b, x as i64);
        b.extend_from_slice(b".0,");
    } else if (1e-3..1e7).contains(&a) {
        let _ = write!(b, "{x},");
    } else {
        let start = b.len();
        let _ = write!(b, "{x:e}");
        if let Some(e) = b[start..].iter().position(|&c| c == b'e').map(|e| start + e) {
            b[e] = b'E';
            if !b[start..e].contains(&b'.') {
                b.splice(e..e, *b".0");
            }
        }
        b.push(b',');
    }
}

fn put_spread(b: &mut Vec<u8>, s: &Spread) {
    put_f(b, s.mean);
    put_f(b, s.std);
    put_i(b, s.max);
    put_i(b, s.min);
}

fn put_row(b: &mut Vec<u8>, f: &Flow) {
    let ([nf, nb], [bf, bb], [fwd, bwd]) = (f.pkts, f.bytes, &f.len);
    let n = nf + nb;
    let secs = f.dur as f64 / 1e6;
    let per_s = |x: u64| if f.dur > 0 { x as f64 / secs } else { 0.0 };
    for v in [f.port as i64, f.dur, nf as i64, nb as i64, bf, bb] {
        put_i(b, v);
    }
    for s in [fwd, bwd] {
        put_i(b, s.max);
        put_i(b, s.min);
        put_f(b, s.mean);
        put_f(b, s.std);
    }
    // The flow rates divide by the duration unguarded: Infinity, and NaN for 0/0.
    put_f(b, (bf + bb) as f64 / secs);
    put_f(b, n as f64 / secs);
    put_spread(b, &f.iat);
    for (total, s) in &f.dir_iat {
        put_i(b, *total);
        put_spread(b, s);
    }
    // Fwd PSH is the SYN count and Fwd URG the CWE count; no Bwd PSH or URG is ever set.
    for v in [f.flags[1], 0, f.flags[6], 0, nf * f.hdr[0], nb * f.hdr[1]] {
        put_u(b, v);
    }
    put_f(b, per_s(nf));
    put_f(b, per_s(nb));
    // Packet lengths over both directions, with the first packet counted twice.
    let first = fwd.min as f64;
    let (sum, m) = ((bf + bb) as f64 + first, (n + 1) as f64);
    let sq = |s: &Spread, k: u64| if k > 0 { (k - 1) as f64 * s.std * s.std + k as f64 * s.mean * s.mean } else { 0.0 };
    let mean = sum / m;
    let (lo, hi) = if nb > 0 { (fwd.min.min(bwd.min), fwd.max.max(bwd.max)) } else { (fwd.min, fwd.max) };
    let var = if lo == hi {
        0.0
    } else {
        ((sq(fwd, nf) + sq(bwd, nb) + first * first - m * mean * mean) / n as f64).max(0.0)
    };
    put_i(b, lo);
    put_i(b, hi);
    for x in [mean, var.sqrt(), var] {
        put_f(b, x);
    }
    for v in f.flags {
        put_u(b, v);
    }
    put_u(b, nb / nf.max(1));
    for x in [sum / n as f64, fwd.mean, bwd.mean] {
        put_f(b, x);
    }
    put_u(b, nf * f.hdr[0]);
    b.extend_from_slice(b"0,0,0,0,0,0,");
    for v in [nf as i64, bf, nb as i64, bb, f.win[0], f.win[1], f.act_data as i64, f.hdr[0] as i64] {
        put_i(b, v);
    }
    put_spread(b, &f.active);
    put_spread(b, &f.idle);
    b.extend_from_slice(f.label);
    b.push(b'\n');
}

/// Write the header and `rows` flows, about `attack_share` of them attacks (spread over
/// the labels as in the whole week, the rarest raised), reproducible for a seed.
pub fn write<W: Write>(rows: usize, attack_share: f64, seed: u64, out: &mut W) -> io::Result<()> {
    let mut r = Rng::new(seed);
    let mut buf = Vec::with_capacity(1 << 17);
    buf.extend_from_slice(HEADER.join(",").as_bytes());
    buf.push(b'\n');
    for _ in 0..rows {
        let kinds = if r.next_f64() < attack_share { ATTACKS } else { NORMAL };
        let kind = pick(&mut r, kinds);
        put_row(&mut buf, &draw(&mut r, kind));
        if buf.len() >= 1 << 16 {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    out.write_all(&buf)
}

/// The whole file's bytes (see [`write`]); not UTF-8 where a Web Attack label is.
pub fn generate(rows: usize, attack_share: f64, seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows * 330 + 1_200);
    // Writing to a Vec cannot fail.
    let _ = write(rows, attack_share, seed, &mut out);
    out
}
