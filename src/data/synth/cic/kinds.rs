//! The kinds of flow the CIC-IDS2017 generator draws: the labels (the Web Attack
//! dash is the Windows-1252 byte 0x96), the transport styles (UDP or TCP, initial
//! windows, flag odds), the weighted tables of normal and attack kinds with their
//! ports, packet counts, sizes and durations, and the weighted draw of a kind.

use crate::rng::Rng;

pub(super) const BENIGN: &[u8] = b"BENIGN";
pub(super) const BOT: &[u8] = b"Bot";
const BRUTE_FORCE: &[u8] = b"Web Attack \x96 Brute Force";
const XSS: &[u8] = b"Web Attack \x96 XSS";
const SQL_INJECTION: &[u8] = b"Web Attack \x96 Sql Injection";

/// The rarest labels (Sql Injection 21 rows, Heartbleed 11) are raised to this weight,
/// about 0.07% of attacks, so that a 50,000-row fixture holds every label.
const RARE: f64 = 400.0;

/// Transport habits: UDP or TCP, initial windows (-1: none seen), PSH and ACK odds.
pub(super) struct Style {
    pub(super) udp: bool,
    pub(super) win: [&'static [i64]; 2],
    pub(super) psh: f64,
    pub(super) ack: f64,
}

const UDP: Style = Style { udp: true, win: [&[-1], &[-1]], psh: 0.0, ack: 0.0 };
const WEB: Style = Style {
    udp: false,
    win: [&[8192, 29200, 65535, 256, 1024, 251, 33, -1], &[-1, 0, 229, 28960, 65160, 8192, 235]],
    psh: 0.35,
    ack: 0.35,
};
const LAN: Style =
    Style { udp: false, win: [&[8192, 65535, 29200, 1024, -1], &[-1, 0, 65535, 8192, 28960]], psh: 0.3, ack: 0.4 };
const SCAN: Style = Style { udp: false, win: [&[1024, 29200, 2048, 4096, 3072], &[0, -1]], psh: 0.02, ack: 0.05 };
const FLOOD: Style = Style { udp: false, win: [&[29200, 251, 229, 274], &[-1, 235, 28960]], psh: 0.4, ack: 0.4 };
const LOIC: Style = Style { udp: false, win: [&[8192, 256, 2052], &[229, -1]], psh: 0.1, ack: 0.6 };
const SLOW: Style = Style { udp: false, win: [&[29200, 2052], &[28960, 235, -1]], psh: 0.2, ack: 0.6 };
const BRUTE: Style = Style { udp: false, win: [&[29200, 243], &[227, 247, 28960]], psh: 0.6, ack: 0.2 };
const POLL: Style = Style { udp: false, win: [&[8192, 237], &[-1, 237, 256]], psh: 0.5, ack: 0.3 };

/// A kind of flow: its weight (among normal or attack flows), label, destination
/// ports (0: an ephemeral port; none: any port), packet counts (heavy-tailed), mean
/// payload bytes per packet (log-uniform, or uniform from 0) and duration in µs
/// (log-uniform).
pub(super) struct Kind {
    w: f64,
    pub(super) label: &'static [u8],
    pub(super) ports: &'static [u64],
    pub(super) style: &'static Style,
    pub(super) pkts: [(u64, u64); 2],
    pub(super) size: [(f64, f64); 2],
    pub(super) dur: (f64, f64),
}

#[allow(clippy::too_many_arguments)]
const fn k(
    w: f64,
    label: &'static [u8],
    ports: &'static [u64],
    style: &'static Style,
    nf: (u64, u64),
    nb: (u64, u64),
    fs: (f64, f64),
    bs: (f64, f64),
    dur: (f64, f64),
) -> Kind {
    Kind { w, label, ports, style, pkts: [nf, nb], size: [fs, bs], dur }
}

#[rustfmt::skip]
pub(super) const NORMAL: &[Kind] = &[
    k(0.30, BENIGN, &[443], &WEB, (2, 60), (1, 80), (20.0, 400.0), (50.0, 1400.0), (50.0, 1.2e8)),
    k(0.12, BENIGN, &[80, 8080], &WEB, (2, 30), (1, 40), (50.0, 500.0), (100.0, 1460.0), (100.0, 1e8)),
    k(0.20, BENIGN, &[53], &UDP, (1, 2), (1, 2), (28.0, 60.0), (50.0, 250.0), (30.0, 1e5)),
    k(0.02, BENIGN, &[123], &UDP, (1, 1), (1, 1), (48.0, 48.0), (48.0, 48.0), (100.0, 1e5)),
    k(0.03, BENIGN, &[137, 138, 5353, 1900], &UDP, (1, 6), (0, 3), (50.0, 250.0), (50.0, 250.0), (1e3, 1e7)),
    k(0.08, BENIGN, &[445, 139, 389, 88, 3268, 135], &LAN, (2, 20), (1, 20), (20.0, 800.0), (20.0, 1200.0), (100.0, 5e7)),
    k(0.01, BENIGN, &[22], &LAN, (10, 200), (10, 200), (30.0, 200.0), (30.0, 400.0), (1e5, 1.2e8)),
    k(0.02, BENIGN, &[21, 25, 465, 993, 3389], &LAN, (3, 40), (3, 40), (10.0, 600.0), (10.0, 800.0), (1e3, 6e7)),
    k(0.12, BENIGN, &[0], &LAN, (1, 10), (1, 10), (0.0, 100.0), (0.0, 300.0), (1.0, 1e6)),
];
#[rustfmt::skip]
pub(super) const ATTACKS: &[Kind] = &[
    k(231_073.0, b"DoS Hulk", &[80], &FLOOD, (2, 10), (0, 8), (50.0, 120.0), (500.0, 1460.0), (500.0, 1e8)),
    k(158_930.0, b"PortScan", &[], &SCAN, (1, 2), (0, 1), (0.0, 0.0), (0.0, 6.0), (10.0, 200.0)),
    k(128_027.0, b"DDoS", &[80], &LOIC, (3, 12), (0, 5), (0.0, 30.0), (1000.0, 2900.0), (1e3, 1e8)),
    k(10_293.0, b"DoS GoldenEye", &[80], &FLOOD, (4, 10), (3, 8), (60.0, 150.0), (400.0, 1460.0), (1e6, 1.2e7)),
    k(7_938.0, b"FTP-Patator", &[21], &BRUTE, (8, 20), (10, 25), (3.0, 12.0), (10.0, 40.0), (2e6, 1e7)),
    k(5_897.0, b"SSH-Patator", &[22], &BRUTE, (12, 30), (15, 40), (50.0, 120.0), (60.0, 140.0), (5e6, 2e7)),
    k(5_796.0, b"DoS slowloris", &[80], &SLOW, (2, 10), (0, 4), (20.0, 120.0), (0.0, 1000.0), (1e6, 1e8)),
    k(5_499.0, b"DoS Slowhttptest", &[80], &SLOW, (1, 8), (0, 3), (0.0, 50.0), (0.0, 300.0), (1e6, 1e8)),
    k(1_966.0, BOT, &[8080], &POLL, (2, 6), (1, 5), (30.0, 150.0), (20.0, 130.0), (5e4, 2e5)),
    k(1_507.0, BRUTE_FORCE, &[80], &WEB, (3, 30), (1, 25), (80.0, 300.0), (100.0, 1000.0), (5e5, 6e6)),
    k(652.0, XSS, &[80], &WEB, (3, 30), (1, 25), (150.0, 600.0), (100.0, 1000.0), (5e5, 6e6)),
    k(RARE, SQL_INJECTION, &[80], &WEB, (2, 10), (1, 8), (100.0, 300.0), (100.0, 1200.0), (1e4, 6e6)),
    k(RARE, b"Infiltration", &[444, 80, 443, 53, 0], &LAN, (1, 100), (1, 100), (20.0, 800.0), (20.0, 1400.0), (100.0, 1.2e8)),
    k(RARE, b"Heartbleed", &[444], &WEB, (1500, 3000), (2000, 3500), (2.0, 10.0), (2000.0, 3500.0), (1.1e8, 1.2e8)),
];

/// A kind drawn with the table's weights.
pub(super) fn pick<'a>(r: &mut Rng, kinds: &'a [Kind]) -> &'a Kind {
    let mut u = r.next_f64() * kinds.iter().map(|k| k.w).sum::<f64>();
    for kind in kinds {
        if u < kind.w {
            return kind;
        }
        u -= kind.w;
    }
    &kinds[kinds.len() - 1]
}
