//! Feature ranges of each kind of connection the synthetic generator makes: the
//! fields a row of that kind sets before its tails and traces are added.

/// Feature ranges of a connection: each drawn uniformly in `[lo, hi]` (a constant
/// when `lo == hi`); counts are rounded when written.
pub type Ranges = &'static [(&'static str, f64, f64)];

pub const WEB: Ranges = &[
    ("src_bytes", 180.0, 400.0),
    ("dst_bytes", 300.0, 25_000.0),
    ("logged_in", 1.0, 1.0),
    ("count", 1.0, 25.0),
    ("same_srv_rate", 1.0, 1.0),
    ("dst_host_count", 1.0, 255.0),
    ("dst_host_srv_count", 255.0, 255.0),
    ("dst_host_same_srv_rate", 1.0, 1.0),
    ("dst_host_same_src_port_rate", 0.0, 0.1),
];
pub const MAIL: Ranges = &[
    ("duration", 0.0, 3.0),
    ("src_bytes", 400.0, 3_000.0),
    ("dst_bytes", 300.0, 420.0),
    ("logged_in", 1.0, 1.0),
    ("count", 1.0, 4.0),
    ("srv_count", 1.0, 4.0),
    ("same_srv_rate", 1.0, 1.0),
    ("dst_host_count", 50.0, 255.0),
    ("dst_host_srv_count", 80.0, 200.0),
    ("dst_host_same_srv_rate", 0.4, 0.8),
    ("dst_host_diff_srv_rate", 0.0, 0.05),
];
pub const DNS: Ranges = &[
    ("src_bytes", 40.0, 50.0),
    ("dst_bytes", 80.0, 160.0),
    ("count", 1.0, 150.0),
    ("srv_count", 1.0, 150.0),
    ("same_srv_rate", 1.0, 1.0),
    ("dst_host_count", 255.0, 255.0),
    ("dst_host_srv_count", 200.0, 255.0),
    ("dst_host_same_srv_rate", 0.8, 1.0),
];
pub const SNMP: Ranges = &[
    ("src_bytes", 100.0, 120.0),
    ("dst_bytes", 100.0, 120.0),
    ("count", 1.0, 200.0),
    ("srv_count", 1.0, 200.0),
    ("same_srv_rate", 1.0, 1.0),
    ("dst_host_count", 255.0, 255.0),
    ("dst_host_srv_count", 200.0, 255.0),
    ("dst_host_same_srv_rate", 0.8, 1.0),
];
pub const FTP: Ranges = &[
    ("src_bytes", 50.0, 600.0),
    ("dst_bytes", 200.0, 3_000.0),
    ("logged_in", 1.0, 1.0),
    ("count", 1.0, 5.0),
    ("srv_count", 1.0, 5.0),
    ("same_srv_rate", 1.0, 1.0),
    ("dst_host_count", 1.0, 255.0),
    ("dst_host_srv_count", 1.0, 60.0),
    ("dst_host_same_srv_rate", 0.1, 1.0),
    ("dst_host_same_src_port_rate", 0.0, 0.2),
];
pub const FTP_DATA: Ranges = &[
    ("logged_in", 1.0, 1.0),
    ("count", 1.0, 10.0),
    ("srv_count", 1.0, 10.0),
    ("same_srv_rate", 1.0, 1.0),
    ("dst_host_count", 1.0, 255.0),
    ("dst_host_srv_count", 1.0, 255.0),
    ("dst_host_same_srv_rate", 0.2, 1.0),
    ("dst_host_same_src_port_rate", 0.0, 1.0),
];
pub const TELNET: Ranges = &[
    ("logged_in", 1.0, 1.0),
    ("count", 1.0, 3.0),
    ("srv_count", 1.0, 3.0),
    ("same_srv_rate", 1.0, 1.0),
    ("dst_host_count", 1.0, 100.0),
    ("dst_host_srv_count", 1.0, 40.0),
    ("dst_host_same_srv_rate", 0.1, 1.0),
    ("dst_host_diff_srv_rate", 0.0, 0.1),
];
pub const SMURF: Ranges = &[
    ("count", 511.0, 511.0),
    ("srv_count", 511.0, 511.0),
    ("same_srv_rate", 1.0, 1.0),
    ("dst_host_count", 255.0, 255.0),
    ("dst_host_srv_count", 255.0, 255.0),
    ("dst_host_same_srv_rate", 1.0, 1.0),
    ("dst_host_same_src_port_rate", 1.0, 1.0),
];
pub const NEPTUNE: Ranges = &[
    ("count", 100.0, 250.0),
    ("srv_count", 5.0, 20.0),
    ("serror_rate", 1.0, 1.0),
    ("srv_serror_rate", 1.0, 1.0),
    ("same_srv_rate", 0.02, 0.1),
    ("diff_srv_rate", 0.05, 0.08),
    ("dst_host_count", 255.0, 255.0),
    ("dst_host_srv_count", 1.0, 20.0),
    ("dst_host_same_srv_rate", 0.0, 0.08),
    ("dst_host_diff_srv_rate", 0.05, 0.08),
    ("dst_host_serror_rate", 1.0, 1.0),
    ("dst_host_srv_serror_rate", 1.0, 1.0),
];
pub const PORTSWEEP: Ranges = &[
    ("duration", 0.0, 2.0),
    ("count", 1.0, 3.0),
    ("srv_count", 1.0, 1.0),
    ("rerror_rate", 1.0, 1.0),
    ("srv_rerror_rate", 1.0, 1.0),
    ("same_srv_rate", 0.3, 1.0),
    ("dst_host_count", 1.0, 50.0),
    ("dst_host_srv_count", 1.0, 5.0),
    ("dst_host_diff_srv_rate", 0.5, 1.0),
    ("dst_host_same_src_port_rate", 1.0, 1.0),
    ("dst_host_rerror_rate", 0.5, 1.0),
    ("dst_host_srv_rerror_rate", 1.0, 1.0),
];
