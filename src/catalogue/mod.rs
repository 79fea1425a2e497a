//! The bad-input catalogue: one list of the kinds of file a person may drop on the
//! page or give the command line — broken, foreign, or merely unusual — each with
//! the outcome the program must give: a precise message (line and column where they
//! exist) or an accepted file with a described result. The same cases drive the
//! native suite (`tests/catalogue.rs`), the wasm API suite (`tests/web_catalogue.rs`),
//! the page end to end (`tests/e2e/catalogue.test.mjs`, via `netanomaly catalogue
//! DIR`) and seed the fuzzing corpora (`scripts/fuzz.sh`).
//!
//! Every byte is made here by the project's own code — the synthetic traffic
//! generator, flate2, a tiny Isolation Forest trained through [`crate::pipeline::train`] —
//! never cut from the real data sets.

use serde::Serialize;

use crate::data::{schema::FEATURE_NAMES, synth, Format};
use crate::detect::ModelKind;

mod bytes;
mod flows;
mod models;
mod readers;

use bytes::{garbage, gzip, jpeg, pdf, png, zip_of, ZipMethod};

/// Which loader a case is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// A KDD data file (training or test slot; the CLI's inputs).
    DataFile,
    /// A `.nam` model file.
    ModelFile,
}

/// What a training run on an accepted data file (as the only file, `single-file`
/// protocol) gives.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "result")]
pub enum Training {
    /// Its normal rows train a detector that scores every row.
    Trains,
    /// The file loads but cannot train: the message contains every fragment.
    Refused {
        /// Fragments of the message.
        contains: Vec<&'static str>,
    },
}

/// What an accepted case gives.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "target")]
pub enum Outcome {
    /// A data file: its rows and format, and what training on it gives.
    Data {
        /// Data rows read.
        rows: usize,
        /// Format recognised.
        format: Format,
        /// Training on it alone.
        training: Training,
    },
    /// A model file: it loads and scores every row of the current test set.
    Model {
        /// Detector kind.
        kind: ModelKind,
    },
}

/// What must happen with a case.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Expect {
    /// Refused with a message containing every fragment (no panic; nothing earlier lost).
    Error {
        /// Fragments the message must contain.
        contains: Vec<&'static str>,
    },
    /// Accepted.
    Loads {
        /// What it gives.
        outcome: Outcome,
    },
}

/// One kind of input.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Case {
    /// A file-name-like slug (unique), e.g. `utf16le-bom.csv`.
    pub name: &'static str,
    /// One line for people.
    pub what: &'static str,
    /// Which loader it is for.
    pub target: Target,
    /// The file's bytes.
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// The outcome required.
    pub expect: Expect,
}

impl Case {
    /// The message fragments the case requires, when it is refused.
    pub fn error_fragments(&self) -> Option<&[&'static str]> {
        match &self.expect {
            Expect::Error { contains } => Some(contains),
            Expect::Loads { .. } => None,
        }
    }
}

/// The cases' description (everything but the bytes) as JSON, for `catalogue.json`.
pub fn index_json(cases: &[Case]) -> String {
    serde_json::to_string_pretty(cases).unwrap_or_default()
}

fn err(contains: &[&'static str]) -> Expect {
    Expect::Error { contains: contains.to_vec() }
}

fn loads(rows: usize, format: Format, training: Training) -> Expect {
    Expect::Loads { outcome: Outcome::Data { rows, format, training } }
}

fn refused(contains: &[&'static str]) -> Training {
    Training::Refused { contains: contains.to_vec() }
}

/// KDD99 synthetic text (about 30 % attacks).
fn kdd(rows: usize, seed: u64) -> String {
    synth::generate(rows, 0.3, Format::Kdd99, seed)
}

/// Replace field `col` (0-based) of line `line` (1-based).
fn with_field(text: &str, line: usize, col: usize, value: &str) -> String {
    let mut out = String::with_capacity(text.len() + value.len());
    for (i, l) in text.lines().enumerate() {
        if i + 1 == line {
            let fields: Vec<&str> = l.split(',').enumerate().map(|(c, f)| if c == col { value } else { f }).collect();
            out.push_str(&fields.join(","));
        } else {
            out.push_str(l);
        }
        out.push('\n');
    }
    out
}

/// Map line `line` (1-based) through `f`.
fn with_line(text: &str, line: usize, f: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, l) in text.lines().enumerate() {
        out.push_str(&if i + 1 == line { f(l) } else { l.to_string() });
        out.push('\n');
    }
    out
}

/// Every case, in a fixed order (data files first). Deterministic: the same bytes
/// on every call and every target.
pub fn cases() -> Vec<Case> {
    let mut cases = data_cases();
    cases.extend(readers::cases());
    cases.extend(flows::cases());
    cases.extend(models::cases());
    cases
}

fn data(name: &'static str, what: &'static str, bytes: impl Into<Vec<u8>>, expect: Expect) -> Case {
    Case { name, what, target: Target::DataFile, bytes: bytes.into(), expect }
}

fn data_cases() -> Vec<Case> {
    let base = kdd(40, 101);
    let header = FEATURE_NAMES.join(",") + ",label\n";
    let utf16le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(base.encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
    let utf16be: Vec<u8> = base.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(base.as_bytes());
    let mut nul = with_field(&base, 3, 2, "http").into_bytes();
    // A NUL byte inside line 3's service field ("ht\0p").
    let line3 = nul.iter().enumerate().filter(|(_, &b)| b == b'\n').nth(1).map_or(0, |(i, _)| i + 1);
    if let Some(at) = nul[line3..].windows(6).position(|w| w == b",http,") {
        nul[line3 + at + 3] = 0;
    }
    // The same past the first 4 kB (which are checked as a whole): line 61's protocol.
    let mut late_nul = with_field(&kdd(200, 109), 61, 1, "tcp").into_bytes();
    let line61 = late_nul.iter().enumerate().filter(|(_, &b)| b == b'\n').nth(59).map_or(0, |(i, _)| i + 1);
    if let Some(at) = late_nul[line61..].windows(5).position(|w| w == b",tcp,") {
        late_nul[line61 + at + 2] = 0;
    }
    let long_value = "9".repeat(100) + &"x".repeat(200_000);
    let gz = gzip(kdd(3_000, 102).as_bytes());
    let mut mixed = kdd(10, 103);
    mixed.push_str(&synth::generate(3, 0.3, Format::NslKdd, 104));
    let mut unknown = with_field(&base, 2, 1, "sctp");
    unknown = with_field(&unknown, 3, 2, "gopher_v9");
    unknown = with_field(&unknown, 4, 3, "WEIRD");
    vec![
        data("empty.csv", "an empty file (0 bytes)", Vec::new(), err(&["the file is empty"])),
        data("only-header.csv", "only a header row, no data", header.clone(), err(&["no data rows"])),
        data("blank-lines.csv", "only blank lines", "\n\n\r\n\n", err(&["no data rows"])),
        data(
            "header.csv",
            "a header row naming the 41 features and the label, then 40 rows",
            header + &base,
            loads(40, Format::Kdd99, Training::Trains),
        ),
        data(
            "binary-garbage.csv",
            "10 kB of random bytes",
            garbage(10_000, 105),
            err(&["not a text file", "NUL bytes"]),
        ),
        data("image.csv", "a PNG image renamed .csv", png(), err(&["not a text file", "PNG image"])),
        data("photo.csv", "a JPEG photo renamed .csv", jpeg(), err(&["not a text file", "JPEG image"])),
        data("document.txt", "a PDF document renamed .txt", pdf(), err(&["not a text file", "PDF document"])),
        data(
            "archive.csv",
            "a zip archive (holding one stored KDD csv) renamed .csv",
            zip_of(&[("kdd.csv", base.as_bytes(), ZipMethod::Stored)]),
            loads(40, Format::Kdd99, Training::Trains),
        ),
        data("utf16le-bom.csv", "UTF-16 little-endian text with a byte-order mark", utf16le, err(&["UTF-16"])),
        data("utf16be.csv", "UTF-16 big-endian text without a byte-order mark", utf16be, err(&["UTF-16"])),
        data(
            "crlf.csv",
            "Windows line ends (CRLF)",
            base.replace('\n', "\r\n"),
            loads(40, Format::Kdd99, Training::Trains),
        ),
        data(
            "cr-only.csv",
            "old Mac line ends (CR alone)",
            base.replace('\n', "\r"),
            loads(40, Format::Kdd99, Training::Trains),
        ),
        data(
            "tab-separated.tsv",
            "tabs instead of commas between the fields",
            base.replace(',', "\t"),
            err(&["line 1", "separated by tabs", "commas"]),
        ),
        data(
            "bom.csv",
            "a UTF-8 byte-order mark before the first row",
            bom,
            loads(40, Format::Kdd99, Training::Trains),
        ),
        data(
            "late-nul.csv",
            "a NUL byte inside line 61's protocol_type, past the first 4 kB",
            late_nul,
            err(&["line 61", "column 2 (protocol_type)", "NUL byte"]),
        ),
        data(
            "nul-byte.csv",
            "a NUL byte inside line 3 (text otherwise)",
            nul,
            err(&["line 3", "column 3 (service)", "NUL byte"]),
        ),
        data(
            "wrong-columns.csv",
            "line 7 lost its last column (41 columns in a 42-column file)",
            with_line(&base, 7, |l| l.rsplit_once(',').map_or(l, |(a, _)| a).to_string()),
            err(&["line 7", "41 columns", "42", "KDD Cup 99"]),
        ),
        data(
            "few-columns.csv",
            "rows of 5 columns: no KDD format",
            "0,tcp,http,SF,normal.\n0,tcp,http,SF,normal.\n",
            err(&["line 1", "5 columns", "41", "42", "43"]),
        ),
        data(
            "non-numeric.csv",
            "the word \"lots\" as src_bytes on line 12",
            with_field(&base, 12, 4, "lots"),
            err(&["line 12", "column 5", "src_bytes", "\"lots\"", "not a number"]),
        ),
        data(
            "nan.csv",
            "NaN as duration on line 3",
            with_field(&base, 3, 0, "NaN"),
            err(&["line 3", "column 1", "duration", "not a finite number"]),
        ),
        data(
            "inf.csv",
            "inf as dst_bytes on line 8",
            with_field(&base, 8, 5, "inf"),
            err(&["line 8", "column 6", "dst_bytes", "not a finite number"]),
        ),
        data(
            "huge.csv",
            "1e40 (beyond f32) as src_bytes on line 5",
            with_field(&base, 5, 4, "1e40"),
            err(&["line 5", "column 5", "src_bytes", "not a finite number"]),
        ),
        data(
            "negative.csv",
            "a negative count (-5) on line 4",
            with_field(&base, 4, 22, "-5"),
            err(&["line 4", "column 23", "count", "negative"]),
        ),
        data(
            "empty-service.csv",
            "an empty service field on line 2",
            with_field(&base, 2, 2, ""),
            err(&["line 2", "column 3", "service", "empty"]),
        ),
        data(
            "empty-label.csv",
            "an empty label on line 9",
            with_field(&base, 9, 41, " "),
            err(&["line 9", "column 42", "label", "empty"]),
        ),
        data(
            "bad-difficulty.txt",
            "NSL-KDD with \"hard\" as difficulty on line 6",
            with_field(&synth::generate(10, 0.3, Format::NslKdd, 106), 6, 42, "hard"),
            err(&["line 6", "column 43", "difficulty"]),
        ),
        data(
            "long-line.csv",
            "a 200 kB src_bytes value on line 3 (the message shows only its start)",
            with_field(&base, 3, 4, &long_value),
            err(&["line 3", "column 5", "src_bytes", "not a number"]),
        ),
        data(
            "truncated.csv.gz",
            "a gzip file cut at two thirds",
            gz[..gz.len() * 2 / 3].to_vec(),
            err(&["gzip data is truncated or corrupt", "after line"]),
        ),
        data(
            "garbage.gz",
            "gzip of random bytes (valid gzip, not text inside)",
            gzip(&garbage(5_000, 107)),
            err(&["not a text file", "NUL bytes"]),
        ),
        data("twice.csv.gz", "a gzip file gzipped again", gzip(&gzip(base.as_bytes())), err(&["gzipped twice"])),
        data(
            "rows.csv.gz",
            "a gzipped KDD99 file (accepted: gzip is recognised by content)",
            gzip(kdd(50, 108).as_bytes()),
            loads(50, Format::Kdd99, Training::Trains),
        ),
        data(
            "unlabelled.csv",
            "41 columns without labels",
            synth::generate(30, 0.3, Format::Unlabelled, 109),
            loads(30, Format::Unlabelled, refused(&["has no labels"])),
        ),
        data(
            "mixed.csv",
            "10 KDD99 rows followed by 3 NSL-KDD rows",
            mixed,
            err(&["line 11", "43 columns", "started with 42", "KDD Cup 99"]),
        ),
        data(
            "unknown-values.csv",
            "protocol sctp, service gopher_v9 and flag WEIRD, never seen in KDD",
            unknown,
            loads(40, Format::Kdd99, Training::Trains),
        ),
        data(
            "no-normal.csv",
            "only attack rows: nothing to train on",
            synth::generate(30, 1.0, Format::Kdd99, 110),
            loads(30, Format::Kdd99, refused(&["no normal rows"])),
        ),
        data(
            "one-row.csv",
            "a single normal row",
            synth::generate(1, 0.0, Format::Kdd99, 111),
            loads(1, Format::Kdd99, Training::Trains),
        ),
    ]
}
