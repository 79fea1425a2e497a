//! Synthetic KDD-format traffic, made by our own code (never cut from the real
//! files). Labelled as synthetic wherever it is shown; used as test fixtures and as
//! the page's built-in first-visit sample.
//!
//! Normal traffic is web, mail, DNS, SNMP, FTP (control and data) and telnet, with
//! the tails real traffic has: rare huge transfers, bursts, refused connections, an
//! administrator's `su`. The attacks are shaped like their KDD namesakes. Three are
//! loud and always caught: smurf and neptune (dos), portsweep (probe). The others
//! hide in normal sessions as real R2L and U2R attacks do: guess_passwd, warezclient
//! and ftp_write (r2l), buffer_overflow and rootkit (u2r) use the services normal
//! users use and differ, not always, in a few content features (failed logins,
//! `hot`, file creations, a root shell); snmpgetattack (r2l) is, as in the real test
//! set, indistinguishable from normal SNMP polling. So a detector trained on the
//! normals misses some attacks and raises some false alarms, as on real data.

/// Synthetic traffic in CIC-IDS2017's MachineLearningCSV layout (bytes, not all UTF-8).
pub mod cic;
mod draw;
mod profiles;
/// Synthetic traffic in UNSW-NB15's training/testing-set CSV layout.
pub mod unsw;

use super::schema::kdd::SYMBOLIC_COLUMNS;
use super::schema::{Format, FEATURE_NAMES, N_FEATURES};
use crate::rng::Rng;
use profiles::{Ranges, DNS, FTP, FTP_DATA, MAIL, NEPTUNE, PORTSWEEP, SMURF, SNMP, TELNET, WEB};

/// The kinds of row the generator makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Traffic {
    /// An HTTP request (now and then a huge download, a burst or a refused connection).
    Web,
    /// An SMTP delivery.
    Mail,
    /// A DNS lookup over UDP.
    Dns,
    /// An SNMP poll over UDP.
    Snmp,
    /// An FTP control session (some anonymous).
    Ftp,
    /// An FTP data transfer.
    FtpData,
    /// A telnet session (some with a typo at login, some with `su`).
    Telnet,
    /// ICMP echo-reply flood (dos).
    Smurf,
    /// SYN flood leaving half-open connections (dos).
    Neptune,
    /// Rejected connections across many ports (probe).
    Portsweep,
    /// Failed telnet logins (r2l).
    GuessPasswd,
    /// Pirated files fetched from an anonymous FTP area (r2l).
    Warezclient,
    /// Files written into the anonymous FTP area (r2l).
    FtpWrite,
    /// SNMP reads with a guessed community string: normal-looking polls (r2l).
    SnmpGetAttack,
    /// A telnet session that overflows a setuid program into a root shell (u2r).
    BufferOverflow,
    /// A root kit installed over telnet or FTP (u2r).
    Rootkit,
}

/// Normal kinds and their weights among normal rows.
const NORMAL: [(Traffic, f64); 7] = [
    (Traffic::Web, 0.48),
    (Traffic::Mail, 0.14),
    (Traffic::Dns, 0.14),
    (Traffic::Snmp, 0.06),
    (Traffic::Ftp, 0.05),
    (Traffic::FtpData, 0.08),
    (Traffic::Telnet, 0.05),
];

/// Attack kinds and their weights among attack rows.
const ATTACKS: [(Traffic, f64); 9] = [
    (Traffic::Smurf, 0.20),
    (Traffic::Neptune, 0.19),
    (Traffic::Portsweep, 0.12),
    (Traffic::GuessPasswd, 0.08),
    (Traffic::Warezclient, 0.13),
    (Traffic::FtpWrite, 0.04),
    (Traffic::SnmpGetAttack, 0.10),
    (Traffic::BufferOverflow, 0.09),
    (Traffic::Rootkit, 0.05),
];

impl Traffic {
    /// The label written for it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Web | Self::Mail | Self::Dns | Self::Snmp | Self::Ftp | Self::FtpData | Self::Telnet => "normal",
            Self::Smurf => "smurf",
            Self::Neptune => "neptune",
            Self::Portsweep => "portsweep",
            Self::GuessPasswd => "guess_passwd",
            Self::Warezclient => "warezclient",
            Self::FtpWrite => "ftp_write",
            Self::SnmpGetAttack => "snmpgetattack",
            Self::BufferOverflow => "buffer_overflow",
            Self::Rootkit => "rootkit",
        }
    }
}

/// One row being made: its numeric features and the generator that draws them.
struct Row<'a> {
    v: [f64; N_FEATURES],
    rng: &'a mut Rng,
}

fn col(name: &str) -> usize {
    FEATURE_NAMES.iter().position(|n| *n == name).unwrap_or(0)
}

impl Row<'_> {
    fn fill(&mut self, ranges: Ranges) {
        for &(name, lo, hi) in ranges {
            self.uniform(name, lo, hi);
        }
    }
    fn set(&mut self, name: &str, x: f64) {
        self.v[col(name)] = x;
    }
    fn get(&self, name: &str) -> f64 {
        self.v[col(name)]
    }
    fn uniform(&mut self, name: &str, lo: f64, hi: f64) {
        let x = lo + (hi - lo) * self.rng.next_f64();
        self.set(name, x);
    }
    /// Log-uniform: the heavy tail of sizes and durations.
    fn log_uniform(&mut self, name: &str, lo: f64, hi: f64) {
        let x = (lo.ln() + (hi.ln() - lo.ln()) * self.rng.next_f64()).exp();
        self.set(name, x);
    }
    /// Add a whole number in `[lo, hi]` to a count.
    fn more(&mut self, name: &str, lo: f64, hi: f64) {
        let x = self.get(name) + (lo + (hi - lo) * self.rng.next_f64()).round();
        self.set(name, x);
    }
    fn chance(&mut self, p: f64) -> bool {
        self.rng.next_f64() < p
    }
}

type Conn = (&'static str, &'static str, &'static str);

fn web(w: &mut Row) -> Conn {
    w.fill(WEB);
    w.set("srv_count", w.get("count"));
    w.more("srv_count", 0.0, 10.0);
    let mut flag = "SF";
    if w.chance(0.02) {
        // A large download: long and heavy.
        w.log_uniform("dst_bytes", 1e5, 2e7);
        w.log_uniform("duration", 1.0, 300.0);
    }
    if w.chance(0.03) {
        // A burst from one client: many connections in the two-second window.
        w.uniform("count", 60.0, 300.0);
        w.set("srv_count", w.get("count"));
    }
    if w.chance(0.015) {
        // A refused or reset connection.
        flag = if w.chance(0.5) { "REJ" } else { "RSTO" };
        w.set("dst_bytes", 0.0);
        w.set("logged_in", 0.0);
        w.set("rerror_rate", 1.0);
    }
    if w.chance(0.02) {
        w.more("hot", 1.0, 3.0);
    }
    ("tcp", "http", flag)
}

fn mail(w: &mut Row) -> Conn {
    w.fill(MAIL);
    if w.chance(0.01) {
        // A post with a large attachment.
        w.log_uniform("src_bytes", 1e5, 5e6);
    }
    ("tcp", "smtp", "SF")
}

fn ftp(w: &mut Row) -> Conn {
    w.fill(FTP);
    w.log_uniform("duration", 1.0, 600.0);
    for (name, p, hi) in [("is_guest_login", 0.3, 1.0), ("hot", 0.25, 3.0), ("num_file_creations", 0.1, 2.0)] {
        if w.chance(p) {
            w.more(name, 1.0, hi);
        }
    }
    if w.chance(0.02) {
        w.set("num_failed_logins", 1.0);
    }
    ("tcp", "ftp", "SF")
}

fn ftp_data(w: &mut Row) -> Conn {
    w.fill(FTP_DATA);
    if w.chance(0.3) {
        w.uniform("duration", 1.0, 30.0);
    }
    let top = if w.chance(0.03) { 2e7 } else { 2e5 };
    w.log_uniform("src_bytes", 20.0, top);
    ("tcp", "ftp_data", "SF")
}

fn telnet(w: &mut Row) -> Conn {
    w.fill(TELNET);
    w.log_uniform("duration", 5.0, 5_000.0);
    w.log_uniform("src_bytes", 100.0, 4_000.0);
    w.log_uniform("dst_bytes", 300.0, 30_000.0);
    for (name, p, hi) in [("hot", 0.4, 4.0), ("num_file_creations", 0.15, 3.0), ("num_access_files", 0.05, 1.0)] {
        if w.chance(p) {
            w.more(name, 1.0, hi);
        }
    }
    if w.chance(0.03) {
        w.set("num_failed_logins", 1.0);
    }
    if w.chance(0.03) {
        // An administrator's su.
        w.set("su_attempted", 1.0);
        w.set("root_shell", 1.0);
        w.more("num_root", 1.0, 5.0);
    }
    ("tcp", "telnet", "SF")
}

/// A normal session of the service an attack uses, with (not always) its traces.
fn attack(kind: Traffic, w: &mut Row) -> Conn {
    match kind {
        Traffic::Smurf => {
            w.fill(SMURF);
            let bytes = if w.chance(0.8) { 1032.0 } else { 520.0 };
            w.set("src_bytes", bytes);
            ("icmp", "ecr_i", "SF")
        }
        Traffic::Neptune => {
            w.fill(NEPTUNE);
            ("tcp", "private", "S0")
        }
        Traffic::Portsweep => {
            w.fill(PORTSWEEP);
            ("tcp", "private", "REJ")
        }
        Traffic::GuessPasswd => {
            w.fill(TELNET);
            w.uniform("duration", 1.0, 5.0);
            w.uniform("src_bytes", 120.0, 130.0);
            w.uniform("dst_bytes", 170.0, 190.0);
            w.set("num_failed_logins", 1.0);
            w.set("logged_in", 0.0);
            ("tcp", "telnet", if w.chance(0.5) { "RSTO" } else { "SF" })
        }
        Traffic::Warezclient if w.chance(0.6) => {
            ftp_data(w);
            w.log_uniform("src_bytes", 1e4, 2e6);
            ("tcp", "ftp_data", "SF")
        }
        Traffic::Warezclient | Traffic::FtpWrite => {
            ftp(w);
            w.set("is_guest_login", 1.0);
            if w.chance(if kind == Traffic::FtpWrite { 0.6 } else { 0.5 }) {
                let (name, hi) = if kind == Traffic::FtpWrite { ("num_file_creations", 4.0) } else { ("hot", 8.0) };
                w.more(name, 1.0, hi);
                w.more("hot", 1.0, 3.0);
                w.log_uniform("duration", 100.0, 5_000.0);
            }
            ("tcp", "ftp", "SF")
        }
        Traffic::SnmpGetAttack => {
            w.fill(SNMP);
            ("udp", "snmp", "SF")
        }
        Traffic::BufferOverflow => {
            telnet(w);
            if w.chance(0.6) {
                w.set("root_shell", 1.0);
            }
            if w.chance(0.5) {
                w.more("hot", 1.0, 3.0);
                w.more("num_file_creations", 1.0, 3.0);
            }
            ("tcp", "telnet", "SF")
        }
        _ => {
            let conn = if w.chance(0.7) { telnet(w) } else { ftp_data(w) };
            if w.chance(0.4) {
                w.more("num_file_creations", 1.0, 4.0);
                w.more("num_compromised", 1.0, 3.0);
            }
            if w.chance(0.3) {
                w.set("root_shell", 1.0);
            }
            conn
        }
    }
}

/// One row's 41 fields as text.
pub fn fields(kind: Traffic, rng: &mut Rng) -> Vec<String> {
    let mut w = Row { v: [0.0; N_FEATURES], rng };
    let (protocol, service, flag) = match kind {
        Traffic::Web => web(&mut w),
        Traffic::Mail => mail(&mut w),
        Traffic::Dns => {
            w.fill(DNS);
            ("udp", "domain_u", "SF")
        }
        Traffic::Snmp => {
            w.fill(SNMP);
            ("udp", "snmp", "SF")
        }
        Traffic::Ftp => ftp(&mut w),
        Traffic::FtpData => ftp_data(&mut w),
        Traffic::Telnet => telnet(&mut w),
        _ => attack(kind, &mut w),
    };
    (0..N_FEATURES)
        .map(|c| match FEATURE_NAMES[c] {
            "protocol_type" => protocol.to_string(),
            "service" => service.to_string(),
            "flag" => flag.to_string(),
            name if name.ends_with("_rate") => format!("{:.2}", w.v[c]),
            _ => format!("{}", w.v[c].round()),
        })
        .collect()
}

/// A kind drawn with the table's weights.
fn pick(table: &[(Traffic, f64)], rng: &mut Rng) -> Traffic {
    let mut u = rng.next_f64() * table.iter().map(|(_, w)| w).sum::<f64>();
    for &(kind, w) in table {
        if u < w {
            return kind;
        }
        u -= w;
    }
    table[table.len() - 1].0
}

/// `rows` lines of synthetic traffic in `format` (a KDD format: the others have
/// generators of their own, `unsw` and `cic`), about `attack_share` of them
/// attacks (spread over the attack kinds), reproducible for a seed.
pub fn generate(rows: usize, attack_share: f64, format: Format, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(rows * 120);
    // ARFF: the nominal values of protocol_type, service and flag, for the header.
    let mut nominal: [Vec<String>; 3] = Default::default();
    for _ in 0..rows {
        let kind = if rng.next_f64() < attack_share { pick(&ATTACKS, &mut rng) } else { pick(&NORMAL, &mut rng) };
        let row = fields(kind, &mut rng);
        for (values, field) in nominal.iter_mut().zip(&row[1..4]) {
            if !values.contains(field) {
                values.push(field.clone());
            }
        }
        out.push_str(&row.join(","));
        match format {
            Format::Unlabelled => {}
            Format::Kdd99 => {
                out.push(',');
                out.push_str(kind.label());
                out.push('.');
            }
            Format::NslKdd => {
                out.push(',');
                out.push_str(kind.label());
                out.push_str(&format!(",{}", 15 + rng.below(7)));
            }
            Format::KddArff => out.push_str(if kind.label() == "normal" { ",normal" } else { ",anomaly" }),
            // Not KDD layouts: the 41 features alone.
            Format::UnswNb15 | Format::CicIds2017 | Format::Csv | Format::Arff => {}
        }
        out.push('\n');
    }
    if format == Format::KddArff {
        return arff_header(&nominal) + &out;
    }
    out
}

/// An ARFF header in NSL-KDD's style: quoted names, `real` numbers, nominal symbols.
fn arff_header(nominal: &[Vec<String>; 3]) -> String {
    let mut h = String::from("% synthetic traffic in the KDD layout (netanomaly's generator)\n@relation 'KDD'\n\n");
    for (c, name) in FEATURE_NAMES.iter().enumerate() {
        let kind = match SYMBOLIC_COLUMNS.iter().position(|&s| s == c) {
            Some(i) => format!("{{{}}}", nominal[i].iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(",")),
            None => "real".into(),
        };
        h.push_str(&format!("@attribute '{name}' {kind}\n"));
    }
    h.push_str("@attribute 'class' {'normal', 'anomaly'}\n\n@data\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_text_loads_in_every_format() {
        for format in [Format::Unlabelled, Format::Kdd99, Format::NslKdd, Format::KddArff] {
            let text = generate(500, 0.3, format, 1);
            let t = crate::data::read_bytes(text.as_bytes()).unwrap();
            assert_eq!(t.format, format);
            assert_eq!(t.rows(), 500);
        }
        assert_eq!(generate(50, 0.3, Format::Kdd99, 9), generate(50, 0.3, Format::Kdd99, 9));
    }
}
