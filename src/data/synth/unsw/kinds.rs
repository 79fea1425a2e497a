//! The kinds of flow the UNSW-NB15 generator draws: per category (Normal and the nine
//! attack categories) a weighted table of kinds with their protocol, service, state,
//! packet counts, sizes and durations; the rare protocols, services and states a `*`
//! stands for; and the weighted draws of a category and of a kind.

use crate::rng::Rng;

/// A kind of flow. `*` as proto, service or state: a rare protocol, any service, any
/// state. Packet counts are heavy-tailed in their range; sizes are mean bytes per
/// packet (log-uniform); the duration is in seconds (log-uniform, 0 for none).
pub(super) struct Kind {
    w: f64,
    pub(super) proto: &'static str,
    pub(super) service: &'static str,
    pub(super) state: &'static str,
    pub(super) pkts: [(u64, u64); 2],
    pub(super) size: [(f64, f64); 2],
    pub(super) dur: (f64, f64),
}

#[allow(clippy::too_many_arguments)]
const fn k(
    w: f64,
    proto: &'static str,
    service: &'static str,
    state: &'static str,
    sp: (u64, u64),
    dp: (u64, u64),
    ss: (f64, f64),
    ds: (f64, f64),
    dur: (f64, f64),
) -> Kind {
    Kind { w, proto, service, state, pkts: [sp, dp], size: [ss, ds], dur }
}

#[rustfmt::skip]
const NORMAL: &[Kind] = &[
    k(0.22, "tcp", "http", "FIN", (4, 120), (2, 200), (60.0, 450.0), (60.0, 1450.0), (0.005, 10.0)),
    k(0.25, "tcp", "-", "FIN", (2, 300), (2, 300), (52.0, 900.0), (52.0, 1400.0), (5e-4, 30.0)),
    k(0.15, "udp", "dns", "CON", (2, 2), (2, 2), (60.0, 75.0), (80.0, 160.0), (1e-5, 0.05)),
    k(0.07, "udp", "-", "CON", (2, 40), (2, 40), (60.0, 600.0), (60.0, 600.0), (1e-4, 20.0)),
    k(0.04, "tcp", "ftp", "FIN", (8, 60), (8, 60), (55.0, 120.0), (60.0, 200.0), (0.5, 30.0)),
    k(0.06, "tcp", "ftp-data", "FIN", (4, 2000), (2, 1000), (52.0, 1450.0), (52.0, 300.0), (0.01, 20.0)),
    k(0.05, "tcp", "smtp", "FIN", (10, 120), (8, 60), (60.0, 1400.0), (52.0, 120.0), (0.05, 10.0)),
    k(0.03, "tcp", "ssh", "FIN", (20, 2000), (20, 2000), (52.0, 300.0), (52.0, 400.0), (1.0, 59.0)),
    k(0.015, "tcp", "pop3", "FIN", (10, 100), (10, 300), (52.0, 100.0), (52.0, 1400.0), (0.1, 10.0)),
    k(0.02, "tcp", "ssl", "FIN", (6, 100), (6, 200), (52.0, 600.0), (52.0, 1450.0), (0.02, 20.0)),
    k(0.01, "udp", "snmp", "CON", (1, 4), (1, 4), (80.0, 150.0), (80.0, 200.0), (1e-4, 0.01)),
    k(0.01, "udp", "dhcp", "CON", (1, 2), (1, 2), (328.0, 350.0), (328.0, 350.0), (1e-3, 0.1)),
    k(0.005, "udp", "radius", "CON", (2, 2), (2, 2), (100.0, 200.0), (40.0, 120.0), (1e-3, 0.05)),
    k(0.005, "tcp", "irc", "FIN", (10, 200), (10, 200), (52.0, 200.0), (52.0, 600.0), (1.0, 59.0)),
    k(0.03, "tcp", "-", "CON", (2, 100), (1, 100), (52.0, 600.0), (52.0, 900.0), (0.5, 59.0)),
    k(0.03, "arp", "-", "INT", (1, 2), (0, 0), (46.0, 46.0), (0.0, 0.0), (0.0, 0.0)),
    k(0.005, "ospf", "-", "INT", (1, 20), (0, 0), (64.0, 64.0), (0.0, 0.0), (1.0, 59.0)),
];
#[rustfmt::skip]
const GENERIC: &[Kind] = &[
    k(0.75, "udp", "dns", "INT", (2, 2), (0, 0), (57.0, 57.0), (0.0, 0.0), (1e-6, 1e-5)),
    k(0.08, "udp", "dns", "INT", (2, 4), (0, 0), (50.0, 70.0), (0.0, 0.0), (1e-6, 1e-4)),
    k(0.04, "udp", "-", "INT", (2, 4), (0, 0), (50.0, 800.0), (0.0, 0.0), (1e-6, 1e-4)),
    k(0.07, "tcp", "http", "FIN", (6, 40), (4, 40), (80.0, 600.0), (52.0, 1200.0), (0.01, 3.0)),
    k(0.04, "tcp", "-", "FIN", (4, 40), (2, 30), (52.0, 700.0), (52.0, 800.0), (0.01, 5.0)),
    k(0.02, "*", "-", "INT", (2, 2), (0, 0), (100.0, 100.0), (0.0, 0.0), (1e-6, 1e-5)),
];
#[rustfmt::skip]
const EXPLOITS: &[Kind] = &[
    k(0.35, "tcp", "http", "FIN", (10, 100), (6, 80), (80.0, 1200.0), (52.0, 1000.0), (0.01, 5.0)),
    k(0.28, "tcp", "-", "FIN", (8, 200), (4, 100), (100.0, 1400.0), (52.0, 800.0), (0.01, 10.0)),
    k(0.05, "tcp", "smtp", "FIN", (10, 60), (8, 40), (200.0, 1400.0), (52.0, 150.0), (0.05, 8.0)),
    k(0.04, "tcp", "ftp", "FIN", (8, 40), (8, 40), (60.0, 300.0), (60.0, 200.0), (0.1, 10.0)),
    k(0.03, "tcp", "pop3", "FIN", (8, 40), (8, 60), (60.0, 600.0), (52.0, 600.0), (0.05, 5.0)),
    k(0.10, "udp", "-", "INT", (1, 6), (0, 0), (100.0, 1400.0), (0.0, 0.0), (1e-6, 1.0)),
    k(0.10, "*", "-", "INT", (1, 2), (0, 0), (100.0, 200.0), (0.0, 0.0), (1e-6, 1e-5)),
    k(0.05, "unas", "-", "INT", (1, 2), (0, 0), (100.0, 200.0), (0.0, 0.0), (1e-6, 1e-5)),
];
#[rustfmt::skip]
const FUZZERS: &[Kind] = &[
    k(0.55, "tcp", "-", "FIN", (2, 60), (2, 40), (40.0, 1500.0), (52.0, 300.0), (1e-3, 59.0)),
    k(0.25, "udp", "-", "INT", (1, 10), (0, 0), (40.0, 1500.0), (0.0, 0.0), (1e-6, 5.0)),
    k(0.12, "tcp", "http", "FIN", (4, 40), (2, 20), (40.0, 1500.0), (52.0, 800.0), (0.01, 20.0)),
    k(0.08, "unas", "-", "INT", (1, 2), (0, 0), (100.0, 200.0), (0.0, 0.0), (1e-6, 1e-5)),
];
#[rustfmt::skip]
const DOS: &[Kind] = &[
    k(0.45, "tcp", "-", "FIN", (10, 300), (4, 60), (200.0, 1500.0), (52.0, 600.0), (0.01, 10.0)),
    k(0.20, "tcp", "http", "FIN", (10, 150), (6, 60), (200.0, 1450.0), (52.0, 1000.0), (0.01, 10.0)),
    k(0.15, "udp", "-", "INT", (2, 30), (0, 0), (200.0, 1450.0), (0.0, 0.0), (1e-6, 1.0)),
    k(0.20, "*", "-", "INT", (2, 2), (0, 0), (100.0, 100.0), (0.0, 0.0), (1e-6, 1e-5)),
];
#[rustfmt::skip]
const RECONNAISSANCE: &[Kind] = &[
    k(0.55, "tcp", "*", "*", (1, 4), (0, 3), (40.0, 120.0), (40.0, 200.0), (1e-6, 0.5)),
    k(0.15, "udp", "*", "INT", (1, 2), (0, 0), (40.0, 150.0), (0.0, 0.0), (1e-6, 0.01)),
    k(0.25, "*", "-", "INT", (1, 2), (0, 0), (60.0, 120.0), (0.0, 0.0), (1e-6, 1e-5)),
    k(0.05, "sctp", "-", "INT", (1, 2), (0, 0), (60.0, 120.0), (0.0, 0.0), (1e-6, 1e-3)),
];
#[rustfmt::skip]
const ANALYSIS: &[Kind] = &[
    k(0.55, "tcp", "-", "FIN", (1, 10), (0, 6), (40.0, 200.0), (40.0, 300.0), (1e-6, 1.0)),
    k(0.30, "*", "-", "INT", (1, 2), (0, 0), (100.0, 200.0), (0.0, 0.0), (1e-6, 1e-5)),
    k(0.15, "tcp", "http", "FIN", (2, 12), (2, 10), (60.0, 500.0), (60.0, 1200.0), (0.01, 3.0)),
];
#[rustfmt::skip]
const BACKDOOR: &[Kind] = &[
    k(0.55, "tcp", "-", "FIN", (2, 20), (2, 12), (50.0, 800.0), (50.0, 400.0), (1e-3, 10.0)),
    k(0.25, "*", "-", "INT", (1, 2), (0, 0), (100.0, 200.0), (0.0, 0.0), (1e-6, 1e-5)),
    k(0.20, "udp", "-", "INT", (1, 4), (0, 0), (50.0, 600.0), (0.0, 0.0), (1e-6, 0.1)),
];
#[rustfmt::skip]
const SHELLCODE: &[Kind] = &[
    k(0.50, "tcp", "-", "FIN", (2, 12), (0, 6), (100.0, 700.0), (52.0, 200.0), (1e-4, 2.0)),
    k(0.30, "udp", "-", "INT", (1, 3), (0, 0), (200.0, 1000.0), (0.0, 0.0), (1e-6, 0.01)),
    k(0.20, "*", "-", "INT", (1, 2), (0, 0), (100.0, 200.0), (0.0, 0.0), (1e-6, 1e-5)),
];
#[rustfmt::skip]
const WORMS: &[Kind] = &[
    k(0.80, "tcp", "http", "FIN", (6, 20), (4, 14), (100.0, 300.0), (60.0, 200.0), (0.05, 2.0)),
    k(0.10, "udp", "-", "INT", (1, 4), (0, 0), (300.0, 1400.0), (0.0, 0.0), (1e-6, 0.01)),
    k(0.10, "tcp", "-", "FIN", (4, 20), (2, 12), (100.0, 800.0), (52.0, 300.0), (0.01, 3.0)),
];

/// A category: its name, weight among attacks (its rows in the real training set),
/// kinds of flow, and the range of its connection counts.
pub(super) struct Cat {
    pub(super) name: &'static str,
    w: f64,
    pub(super) kinds: &'static [Kind],
    pub(super) ct: (u64, u64),
}

pub(super) const NORMAL_CAT: Cat = Cat { name: "Normal", w: 0.0, kinds: NORMAL, ct: (1, 12) };
#[rustfmt::skip]
pub(super) const ATTACKS: [Cat; 9] = [
    Cat { name: "Generic", w: 40_000.0, kinds: GENERIC, ct: (8, 63) },
    Cat { name: "Exploits", w: 33_393.0, kinds: EXPLOITS, ct: (1, 30) },
    Cat { name: "Fuzzers", w: 18_184.0, kinds: FUZZERS, ct: (1, 15) },
    Cat { name: "DoS", w: 12_264.0, kinds: DOS, ct: (1, 30) },
    Cat { name: "Reconnaissance", w: 10_491.0, kinds: RECONNAISSANCE, ct: (1, 30) },
    Cat { name: "Analysis", w: 2_000.0, kinds: ANALYSIS, ct: (1, 15) },
    Cat { name: "Backdoor", w: 1_746.0, kinds: BACKDOOR, ct: (1, 15) },
    Cat { name: "Shellcode", w: 1_133.0, kinds: SHELLCODE, ct: (1, 15) },
    Cat { name: "Worms", w: 130.0, kinds: WORMS, ct: (1, 15) },
];

/// Rare IP protocol names (IANA keywords, as Argus writes them).
#[rustfmt::skip]
pub(super) const RARE: &[&str] = &[
    "any", "gre", "ipv6", "ipv6-frag", "ipv6-route", "ipv6-opts", "ipv6-no", "pim", "rsvp", "swipe", "sun-nd",
    "mobile", "sep", "ib", "idpr-cmtp", "iso-tp4", "igmp", "igp", "egp", "ggp", "ip", "ipnip", "ipip", "ipcomp",
    "l2tp", "etherip", "encap", "eigrp", "vrrp", "pgm", "ptp", "pup", "rdp", "rvd", "sat-mon", "sat-expak", "skip",
    "sm", "smp", "snp", "sps", "srp", "st2", "stp", "tcf", "tlsp", "tp++", "trunk-1", "trunk-2", "ttp", "uti",
    "vines", "visa", "vmtp", "wsn", "xnet", "xtp", "zero", "3pc", "a/n", "argus", "aris", "ax.25", "bbn-rcc", "bna",
    "cbt", "chaos", "crtp", "ddp", "emcon", "fc", "hmp", "il", "irtp", "isis", "kryptolan", "larp", "leaf-1",
    "merit-inp", "mtp", "mux", "narp", "netblt", "nvp", "pipe", "pnni", "prm", "pvp", "qnx", "secure-vmtp",
    "sprite-rpc", "udt", "wb-mon", "xns-idp", "micp", "mfe-nsp", "mhrp", "iatp", "ifmp", "idrp", "ipx-n-ip", "iplt",
    "ippc", "ipcv", "gmtp", "fire", "dgp", "dcn", "cphb", "cpnx", "crudp", "compaq-peer", "br-sat-mon", "aes-sp3-d",
    "cftp", "ddx", "i-nlsp", "iso-ip", "leaf-2", "nsfnet-igp", "pri-enc", "sccopmce", "scps", "sdrp", "wb-expak",
    "icmp", "rtp",
];
pub(super) const SERVICES: &[&str] =
    &["-", "http", "dns", "ftp", "ftp-data", "smtp", "pop3", "ssh", "dhcp", "snmp", "ssl", "irc", "radius"];
pub(super) const PROBE_STATES: &[&str] = &["FIN", "INT", "REQ", "RST", "CON", "ECO"];
pub(super) const ODD_STATES: &[&str] = &["RST", "CON", "REQ", "ACC", "CLO", "PAR", "URN", "no"];

/// An attack category drawn with the real set's weights.
pub(super) fn attack(r: &mut Rng) -> &'static Cat {
    let mut u = r.next_f64() * ATTACKS.iter().map(|c| c.w).sum::<f64>();
    for cat in &ATTACKS {
        if u < cat.w {
            return cat;
        }
        u -= cat.w;
    }
    &ATTACKS[ATTACKS.len() - 1]
}

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
