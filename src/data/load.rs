//! Reading KDD Cup 99 / NSL-KDD records from bytes or a stream: gzip detected by its
//! magic bytes, the format by the column count, an optional header row skipped, and
//! every problem reported with the line (and column) where it is.

use std::io::{BufReader, Cursor, Read};

use flate2::bufread::MultiGzDecoder;

use super::labels;
use super::schema::{numeric_columns, Format, FEATURE_NAMES, N_FEATURES, N_NUMERIC, SYMBOLIC_COLUMNS};
use super::table::Table;

pub use super::load_error::LoadError;

/// How many rows pass between two progress calls.
pub const PROGRESS_EVERY: usize = 65_536;

/// Read a whole file held in memory (plain text or gzip).
pub fn read_bytes(bytes: &[u8]) -> Result<Table, LoadError> {
    read(bytes)
}

/// Read a stream (plain text or gzip).
pub fn read<R: Read>(reader: R) -> Result<Table, LoadError> {
    read_with_progress(reader, &mut |_| {})
}

/// Read a stream, calling `progress(rows_so_far)` every [`PROGRESS_EVERY`] rows.
pub fn read_with_progress<R: Read>(reader: R, progress: &mut dyn FnMut(usize)) -> Result<Table, LoadError> {
    let mut reader = Reader::new(reader)?;
    let table = reader.next_chunk(usize::MAX, progress)?.ok_or(LoadError::NoRows)?;
    progress(reader.rows_read());
    Ok(table)
}

/// Bytes inspected before parsing (magic numbers, BOM, NUL bytes).
const HEAD: usize = 4096;

/// Read up to [`HEAD`] bytes (however few each read returns), keeping the rest unread.
fn split_head<R: Read>(mut reader: R) -> std::io::Result<(Vec<u8>, R)> {
    let mut head = Vec::with_capacity(HEAD);
    (&mut reader).take(HEAD as u64).read_to_end(&mut head)?;
    Ok((head, reader))
}

/// Refuse what is not UTF-8/ASCII text: nothing, other formats, wide encodings, NUL bytes.
fn check_text(head: &[u8]) -> Result<(), LoadError> {
    if head.is_empty() {
        return Err(LoadError::Empty);
    }
    sniff_binary(head)?;
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Err(LoadError::Utf16);
    }
    if let Some(at) = head.iter().position(|&b| b == 0) {
        // Every other byte zero near the start: UTF-16 without a byte-order mark.
        let zeros = head.iter().filter(|&&b| b == 0).count();
        if zeros * 3 >= head.len() && at <= 1 {
            return Err(LoadError::Utf16);
        }
        if zeros > 8 {
            return Err(LoadError::NotText(format!("it contains NUL bytes, the first at byte {at}")));
        }
        // A stray NUL or two in text: the row parser names its line and column.
    }
    Ok(())
}

/// Recognise common binary formats by their first bytes, for a useful message.
fn sniff_binary(head: &[u8]) -> Result<(), LoadError> {
    const KNOWN: [(&[u8], &str); 7] = [
        (b"PK\x03\x04", "zip"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"%PDF", "a PDF document"),
        (b"BZh", "bzip2 data"),
        (b"\xFD7zXZ", "xz data"),
    ];
    for (magic, what) in KNOWN {
        if head.starts_with(magic) {
            return Err(if what == "zip" { LoadError::Zip } else { LoadError::NotText(format!("it is {what}")) });
        }
    }
    Ok(())
}

fn stream_error(gzipped: bool, line: u64, e: std::io::Error) -> LoadError {
    if gzipped {
        LoadError::Gzip { line, detail: e.to_string() }
    } else {
        LoadError::Io { line, source: e }
    }
}

/// A file read a chunk of rows at a time, so a file too large to hold is never held:
/// each chunk is a [`Table`] of its own; line numbers and the format carry across.
pub struct Reader<'r> {
    csv: csv::Reader<Box<dyn Read + 'r>>,
    record: csv::ByteRecord,
    gzipped: bool,
    format: Option<Format>,
    last_line: u64,
    rows: usize,
    /// Bytes per line in the first few kB of text, to size buffers from a file size.
    line_bytes: Option<f64>,
    /// Rows expected in all (from the text size), to reserve the first chunk exactly.
    expected_rows: Option<usize>,
}

impl<'r> Reader<'r> {
    /// Sniff the start of `reader` (gzip, binary formats, UTF-16, BOM) and get ready
    /// to read rows.
    pub fn new<R: Read + 'r>(reader: R) -> Result<Self, LoadError> {
        let (head, rest) = split_head(reader).map_err(|source| LoadError::Io { line: 0, source })?;
        let gzipped = head.starts_with(&[0x1f, 0x8b]);
        let (text_head, text_rest): (Vec<u8>, Box<dyn Read + 'r>) = if gzipped {
            let decoder = MultiGzDecoder::new(BufReader::with_capacity(1 << 16, Cursor::new(head).chain(rest)));
            let (text_head, text_rest) = split_head(decoder).map_err(|e| stream_error(true, 0, e))?;
            (text_head, Box::new(text_rest))
        } else {
            (head, Box::new(rest))
        };
        if gzipped && text_head.starts_with(&[0x1f, 0x8b]) {
            return Err(LoadError::NotText("it is gzipped twice; decompress it once and load the .gz inside".into()));
        }
        check_text(&text_head)?;
        let lines = text_head.iter().filter(|&&b| b == b'\n').count();
        let line_bytes = (lines >= 2).then(|| text_head.len() as f64 / lines as f64);
        let mut text = Cursor::new(text_head);
        if text.get_ref().starts_with(&[0xEF, 0xBB, 0xBF]) {
            text.set_position(3); // UTF-8 byte-order mark
        }
        let source: Box<dyn Read + 'r> = Box::new(text.chain(text_rest));
        let csv =
            csv::ReaderBuilder::new().has_headers(false).flexible(true).buffer_capacity(1 << 16).from_reader(source);
        Ok(Self {
            csv,
            record: csv::ByteRecord::new(),
            gzipped,
            format: None,
            last_line: 0,
            rows: 0,
            line_bytes,
            expected_rows: None,
        })
    }

    /// Tell the reader the size of the whole text (e.g. from the file's size): its
    /// first chunk's buffers are then reserved at once instead of grown by doubling,
    /// which in WebAssembly (no `mremap`) briefly needs the old and the new buffer.
    /// Returns the rows expected.
    pub fn size_hint(&mut self, text_bytes: u64) -> Option<usize> {
        let rows = (text_bytes as f64 / self.line_bytes?).ceil() as usize;
        self.expected_rows = Some(rows);
        Some(rows)
    }

    /// The format, once the first data row has been read.
    pub fn format(&self) -> Option<Format> {
        self.format
    }

    /// Data rows read so far.
    pub fn rows_read(&self) -> usize {
        self.rows
    }

    /// The next at most `max_rows` rows; `None` at the end of the file (`NoRows` when
    /// the file has no data rows at all); `progress(rows read in all)` every
    /// [`PROGRESS_EVERY`] rows.
    pub fn next_chunk(&mut self, max_rows: usize, progress: &mut dyn FnMut(usize)) -> Result<Option<Table>, LoadError> {
        // A little over the estimate (line lengths vary); never more than asked for.
        let want =
            self.expected_rows.map_or(0, |e| (e + e / 16 + 64).saturating_sub(self.rows).min(max_rows)).min(1 << 26);
        let reserve = |t: &mut Table| t.reserve(want);
        let mut table = self.format.map(|f| {
            let mut t = Table::new(f);
            reserve(&mut t);
            t
        });
        let mut taken = 0usize;
        while taken < max_rows {
            match self.csv.read_byte_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    return Err(match e.into_kind() {
                        csv::ErrorKind::Io(io) => stream_error(self.gzipped, self.last_line, io),
                        other => LoadError::NotText(format!("csv error after line {}: {other:?}", self.last_line)),
                    })
                }
            }
            let record = &self.record;
            let line = record.position().map_or(self.last_line + 1, |p| p.line());
            self.last_line = line;
            let t = match &mut table {
                Some(t) => t,
                None => {
                    if is_header(record) {
                        continue;
                    }
                    let found = record.len();
                    let format = Format::from_field_count(found).ok_or_else(|| {
                        let text = record.as_slice();
                        let tabs = text.iter().filter(|&&b| b == b'\t').count();
                        let semicolons = text.iter().filter(|&&b| b == b';').count();
                        match (found, tabs >= 40, semicolons >= 40) {
                            (1, true, _) => LoadError::Separator { line, separator: "tabs" },
                            (1, _, true) => LoadError::Separator { line, separator: "semicolons" },
                            _ => LoadError::UnknownFormat { line, found },
                        }
                    })?;
                    self.format = Some(format);
                    let mut t = Table::new(format);
                    reserve(&mut t);
                    table.insert(t)
                }
            };
            if record.len() != t.format.field_count() {
                return Err(LoadError::ColumnCount {
                    line,
                    found: record.len(),
                    expected: t.format.field_count(),
                    format: t.format.describe(),
                });
            }
            if t.numeric.is_full() {
                // Grow by an eighth, not double: the peak stays near the size needed.
                t.reserve((t.rows() / 8).max(4096));
            }
            push_row(t, record, line)?;
            taken += 1;
            self.rows += 1;
            if self.rows % PROGRESS_EVERY == 0 {
                progress(self.rows);
            }
        }
        match table {
            None if self.rows == 0 => Err(LoadError::NoRows),
            Some(mut t) if taken > 0 => {
                t.finish();
                Ok(Some(t))
            }
            _ => Ok(None),
        }
    }
}

/// A first row is a header when its first field is not a number (e.g. `duration`).
fn is_header(record: &csv::ByteRecord) -> bool {
    record.get(0).is_some_and(|f| parse_number(trim(f)).is_none()) && record.len() >= N_FEATURES
}

fn push_row(t: &mut Table, record: &csv::ByteRecord, line: u64) -> Result<(), LoadError> {
    let mut numeric = [0f32; N_NUMERIC];
    for (col, slot) in numeric_columns().zip(&mut numeric) {
        let raw = trim(&record[col]);
        let value = parse_number(raw).ok_or_else(|| {
            if raw.contains(&0) {
                return LoadError::NulByte { line, column: col + 1, name: FEATURE_NAMES[col] };
            }
            let text = shorten(raw);
            let lower = text.to_ascii_lowercase();
            if ["nan", "inf", "-inf", "+inf", "infinity", "-infinity"].contains(&lower.as_str()) {
                LoadError::NotFinite { line, column: col + 1, name: FEATURE_NAMES[col], value: text }
            } else {
                LoadError::NotNumeric { line, column: col + 1, name: FEATURE_NAMES[col], value: text }
            }
        })?;
        if !value.is_finite() {
            return Err(LoadError::NotFinite { line, column: col + 1, name: FEATURE_NAMES[col], value: shorten(raw) });
        }
        if value < 0.0 {
            return Err(LoadError::Negative { line, column: col + 1, name: FEATURE_NAMES[col], value: shorten(raw) });
        }
        *slot = value;
    }
    t.numeric.push(&numeric);
    // A NUL in a numeric field fails to parse (named above); text fields would take it in.
    let text_columns = SYMBOLIC_COLUMNS.iter().copied().chain(N_FEATURES..record.len());
    if let Some(col) = text_columns.into_iter().find(|&c| record[c].contains(&0)) {
        return Err(LoadError::NulByte {
            line,
            column: col + 1,
            name: FEATURE_NAMES.get(col).copied().unwrap_or("label"),
        });
    }
    for (slot, &col) in SYMBOLIC_COLUMNS.iter().enumerate() {
        let raw = trim(&record[col]);
        if raw.is_empty() {
            return Err(LoadError::EmptyField { line, column: col + 1, name: FEATURE_NAMES[col] });
        }
        t.symbolic[slot].push(raw);
    }
    if let Some(labels) = &mut t.labels {
        let raw = trim(&record[N_FEATURES]);
        let label = labels::normalise(std::str::from_utf8(raw).unwrap_or(""));
        if label.is_empty() {
            return Err(LoadError::EmptyField { line, column: N_FEATURES + 1, name: "label" });
        }
        labels.push(label.as_bytes());
    }
    if let Some(difficulty) = &mut t.difficulty {
        let raw = trim(&record[N_FEATURES + 1]);
        let level = std::str::from_utf8(raw)
            .ok()
            .and_then(|s| s.parse::<u8>().ok())
            .ok_or_else(|| LoadError::Difficulty { line, value: shorten(raw) })?;
        difficulty.push(level);
    }
    Ok(())
}

fn trim(field: &[u8]) -> &[u8] {
    field.trim_ascii()
}

fn shorten(raw: &[u8]) -> String {
    let s = String::from_utf8_lossy(raw);
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.into_owned()
    }
}

/// Parse a decimal number. Plain `123` / `0.25` take a fast exact path (almost every
/// KDD field); anything else (exponents, `inf`, …) falls back to the standard parser.
pub(crate) fn parse_number(raw: &[u8]) -> Option<f32> {
    fast_decimal(raw).or_else(|| std::str::from_utf8(raw).ok()?.parse::<f32>().ok())
}

fn fast_decimal(raw: &[u8]) -> Option<f32> {
    let (negative, digits) = match raw.first()? {
        b'-' => (true, &raw[1..]),
        _ => (false, raw),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut mantissa: u64 = 0;
    let mut decimals: Option<u32> = None;
    let mut seen_digit = false;
    for &b in digits {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                seen_digit = true;
                if let Some(d) = &mut decimals {
                    *d += 1;
                }
            }
            b'.' if decimals.is_none() => decimals = Some(0),
            _ => return None,
        }
    }
    if !seen_digit {
        return None;
    }
    // mantissa < 10^18 < 2^60: exact in f64 only below 2^53, so hand big ones to std.
    if mantissa >= 1 << 53 {
        return None;
    }
    const POW10: [f64; 19] =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18];
    let value = mantissa as f64 / POW10[decimals.unwrap_or(0) as usize];
    Some(if negative { -value } else { value } as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_parse_like_std() {
        for s in ["0", "1", "0.00", "0.5", "1.00", "693375640", "12.345", "-3", "5.", ".5"] {
            assert_eq!(parse_number(s.as_bytes()), s.parse::<f32>().ok(), "{s}");
        }
        assert_eq!(parse_number(b"1e3"), Some(1000.0));
        assert_eq!(parse_number(b"abc"), None);
        assert_eq!(parse_number(b""), None);
        assert_eq!(parse_number(b"."), None);
        assert_eq!(parse_number(b"1.2.3"), None);
        assert!(parse_number(b"1e40").unwrap().is_infinite());
    }
}
