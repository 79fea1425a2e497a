//! Synthetic KDD-format traffic, made by our own code (never cut from the real
//! files): normal web, mail and DNS connections plus four attack patterns shaped
//! like their KDD namesakes — smurf and neptune (dos), portsweep (probe) and
//! guess_passwd (r2l). Labelled as synthetic wherever it is shown; used as test
//! fixtures and as the page's built-in first-visit sample.

use super::schema::{Format, FEATURE_NAMES, N_FEATURES};
use crate::rng::Rng;

/// The kinds of row the generator makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Traffic {
    /// An HTTP request.
    Web,
    /// An SMTP delivery.
    Mail,
    /// A DNS lookup over UDP.
    Dns,
    /// ICMP echo-reply flood (dos).
    Smurf,
    /// SYN flood leaving half-open connections (dos).
    Neptune,
    /// Rejected connections across many ports (probe).
    Portsweep,
    /// Failed telnet logins (r2l).
    GuessPasswd,
}

impl Traffic {
    /// The label written for it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Web | Self::Mail | Self::Dns => "normal",
            Self::Smurf => "smurf",
            Self::Neptune => "neptune",
            Self::Portsweep => "portsweep",
            Self::GuessPasswd => "guess_passwd",
        }
    }
}

fn col(name: &str) -> usize {
    FEATURE_NAMES.iter().position(|n| *n == name).unwrap_or(0)
}

/// One row's 41 fields as text.
pub fn fields(kind: Traffic, rng: &mut Rng) -> Vec<String> {
    let mut v = [0.0f64; N_FEATURES];
    let mut set = |name: &str, x: f64| v[col(name)] = x;
    let mut r = |lo: f64, hi: f64| lo + (hi - lo) * rng.next_f64();
    let (protocol, service, flag) = match kind {
        Traffic::Web => {
            set("src_bytes", r(180.0, 400.0).round());
            set("dst_bytes", r(300.0, 25_000.0).round());
            set("logged_in", 1.0);
            let c = r(1.0, 25.0).round();
            set("count", c);
            set("srv_count", (c + r(0.0, 10.0)).round());
            set("same_srv_rate", 1.0);
            set("dst_host_count", r(1.0, 255.0).round());
            set("dst_host_srv_count", 255.0);
            set("dst_host_same_srv_rate", 1.0);
            set("dst_host_same_src_port_rate", r(0.0, 0.1));
            ("tcp", "http", "SF")
        }
        Traffic::Mail => {
            set("duration", r(0.0, 3.0).round());
            set("src_bytes", r(400.0, 3_000.0).round());
            set("dst_bytes", r(300.0, 420.0).round());
            set("logged_in", 1.0);
            set("count", r(1.0, 4.0).round());
            set("srv_count", r(1.0, 4.0).round());
            set("same_srv_rate", 1.0);
            set("dst_host_count", r(50.0, 255.0).round());
            set("dst_host_srv_count", r(80.0, 200.0).round());
            set("dst_host_same_srv_rate", r(0.4, 0.8));
            set("dst_host_diff_srv_rate", r(0.0, 0.05));
            ("tcp", "smtp", "SF")
        }
        Traffic::Dns => {
            set("src_bytes", r(40.0, 50.0).round());
            set("dst_bytes", r(80.0, 160.0).round());
            set("count", r(1.0, 150.0).round());
            set("srv_count", r(1.0, 150.0).round());
            set("same_srv_rate", 1.0);
            set("dst_host_count", 255.0);
            set("dst_host_srv_count", r(200.0, 255.0).round());
            set("dst_host_same_srv_rate", r(0.8, 1.0));
            ("udp", "domain_u", "SF")
        }
        Traffic::Smurf => {
            set("src_bytes", if rng.next_f64() < 0.8 { 1032.0 } else { 520.0 });
            set("count", 511.0);
            set("srv_count", 511.0);
            set("same_srv_rate", 1.0);
            set("dst_host_count", 255.0);
            set("dst_host_srv_count", 255.0);
            set("dst_host_same_srv_rate", 1.0);
            set("dst_host_same_src_port_rate", 1.0);
            ("icmp", "ecr_i", "SF")
        }
        Traffic::Neptune => {
            set("count", r(100.0, 250.0).round());
            set("srv_count", r(5.0, 20.0).round());
            set("serror_rate", 1.0);
            set("srv_serror_rate", 1.0);
            set("same_srv_rate", r(0.02, 0.1));
            set("diff_srv_rate", r(0.05, 0.08));
            set("dst_host_count", 255.0);
            set("dst_host_srv_count", r(1.0, 20.0).round());
            set("dst_host_same_srv_rate", r(0.0, 0.08));
            set("dst_host_diff_srv_rate", r(0.05, 0.08));
            set("dst_host_serror_rate", 1.0);
            set("dst_host_srv_serror_rate", 1.0);
            ("tcp", "private", "S0")
        }
        Traffic::Portsweep => {
            set("duration", r(0.0, 2.0).round());
            set("count", r(1.0, 3.0).round());
            set("srv_count", 1.0);
            set("rerror_rate", 1.0);
            set("srv_rerror_rate", 1.0);
            set("same_srv_rate", r(0.3, 1.0));
            set("dst_host_count", r(1.0, 50.0).round());
            set("dst_host_srv_count", r(1.0, 5.0).round());
            set("dst_host_diff_srv_rate", r(0.5, 1.0));
            set("dst_host_same_src_port_rate", 1.0);
            set("dst_host_rerror_rate", r(0.5, 1.0));
            set("dst_host_srv_rerror_rate", 1.0);
            ("tcp", "private", "REJ")
        }
        Traffic::GuessPasswd => {
            set("duration", r(1.0, 5.0).round());
            set("src_bytes", r(120.0, 130.0).round());
            set("dst_bytes", r(170.0, 190.0).round());
            set("num_failed_logins", 1.0);
            set("hot", r(0.0, 2.0).round());
            set("count", 1.0);
            set("srv_count", 1.0);
            set("same_srv_rate", 1.0);
            set("dst_host_count", r(1.0, 255.0).round());
            set("dst_host_srv_count", r(1.0, 10.0).round());
            set("dst_host_same_srv_rate", r(0.0, 1.0));
            set("dst_host_rerror_rate", r(0.0, 0.5));
            ("tcp", "telnet", "RSTO")
        }
    };
    (0..N_FEATURES)
        .map(|c| match FEATURE_NAMES[c] {
            "protocol_type" => protocol.to_string(),
            "service" => service.to_string(),
            "flag" => flag.to_string(),
            name if name.ends_with("_rate") => format!("{:.2}", v[c]),
            _ => format!("{}", v[c].round()),
        })
        .collect()
}

/// `rows` lines of synthetic traffic in `format`, about `attack_share` of them
/// attacks (spread over the four patterns), reproducible for a seed.
pub fn generate(rows: usize, attack_share: f64, format: Format, seed: u64) -> String {
    const NORMAL: [Traffic; 3] = [Traffic::Web, Traffic::Mail, Traffic::Dns];
    const ATTACKS: [Traffic; 4] = [Traffic::Smurf, Traffic::Neptune, Traffic::Portsweep, Traffic::GuessPasswd];
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(rows * 120);
    for _ in 0..rows {
        let kind = if rng.next_f64() < attack_share {
            ATTACKS[rng.below(ATTACKS.len())]
        } else {
            NORMAL[rng.below(NORMAL.len())]
        };
        out.push_str(&fields(kind, &mut rng).join(","));
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
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_text_loads_in_every_format() {
        for format in [Format::Unlabelled, Format::Kdd99, Format::NslKdd] {
            let text = generate(500, 0.3, format, 1);
            let t = crate::data::read_bytes(text.as_bytes()).unwrap();
            assert_eq!(t.format, format);
            assert_eq!(t.rows(), 500);
        }
        assert_eq!(generate(50, 0.3, Format::Kdd99, 9), generate(50, 0.3, Format::Kdd99, 9));
    }
}
