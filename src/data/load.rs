//! Reading KDD Cup 99 / NSL-KDD records from bytes or a stream: gzip and zip detected
//! by their magic bytes, ARFF by its header, the format by the column count, an optional
//! header row, blank and comment lines skipped (and counted), and every problem reported
//! with the line (and column) where it is.

use std::io::{BufReader, Cursor, Read};

use flate2::bufread::MultiGzDecoder;

use super::labels;
use super::line_cap::LineCap;
use super::load_error::read_failed;
use super::schema::{numeric_columns, Format, FEATURE_NAMES, N_FEATURES, N_NUMERIC, SYMBOLIC_COLUMNS};
use super::sniff::{self, check_text, split_head};
use super::table::Table;
use super::{arff, zip};

pub use super::load_error::LoadError;

/// How many rows pass between two progress calls.
pub const PROGRESS_EVERY: usize = 65_536;

/// Read a whole file held in memory (plain text, gzip, or a zip archive's one data file).
pub fn read_bytes(bytes: &[u8]) -> Result<Table, LoadError> {
    read_bytes_entry(bytes, None)
}

/// [`read_bytes`], naming the zip entry to read (its path or file name) when there are several.
pub fn read_bytes_entry(bytes: &[u8], entry: Option<&str>) -> Result<Table, LoadError> {
    let entry = zip_entry(bytes, entry)?;
    read_entry_with_progress(bytes, entry.as_deref(), &mut |_| {})
}

/// The entry to read from `bytes` when they are a zip archive (listing its entries: the
/// one data file, or the one `wanted`); `wanted` unchanged otherwise.
pub fn zip_entry(bytes: &[u8], wanted: Option<&str>) -> Result<Option<String>, LoadError> {
    match zip::entries_if_zip(bytes)? {
        Some(entries) => zip::choose(&entries, wanted).map(Some),
        None => Ok(wanted.map(str::to_owned)),
    }
}

/// Read a stream (plain text, gzip, or the first data file of a zip archive).
pub fn read<R: Read>(reader: R) -> Result<Table, LoadError> {
    read_with_progress(reader, &mut |_| {})
}

/// Read a stream, calling `progress(rows_so_far)` every [`PROGRESS_EVERY`] rows.
pub fn read_with_progress<R: Read>(reader: R, progress: &mut dyn FnMut(usize)) -> Result<Table, LoadError> {
    read_entry_with_progress(reader, None, progress)
}

/// [`read_with_progress`] of a zip archive's entry `entry` (`None`: its first data file).
pub fn read_entry_with_progress<R: Read>(
    reader: R,
    entry: Option<&str>,
    progress: &mut dyn FnMut(usize),
) -> Result<Table, LoadError> {
    let mut reader = Reader::with_entry(reader, entry)?;
    let mut table = reader.next_chunk(usize::MAX, progress)?.ok_or(LoadError::NoRows)?;
    progress(reader.rows_read());
    table.skipped_lines = reader.skipped_lines();
    table.entry = reader.entry().map(str::to_owned);
    Ok(table)
}

/// A file read a chunk of rows at a time, so a file too large to hold is never held:
/// each chunk is a [`Table`] of its own; line numbers and the format carry across.
pub struct Reader<'r> {
    csv: csv::Reader<Box<dyn Read + 'r>>,
    record: csv::ByteRecord,
    gzipped: bool,
    format: Option<Format>,
    last_line: u64,
    /// Lines before the first the row parser sees (an ARFF header).
    line_offset: u64,
    /// Blank and comment lines passed over.
    skipped: u64,
    /// The zip entry being read.
    entry: Option<String>,
    rows: usize,
    /// Bytes per line in the first few kB of text, to size buffers from a file size.
    line_bytes: Option<f64>,
    /// Rows expected in all (from the text size), to reserve the first chunk exactly.
    expected_rows: Option<usize>,
}

impl<'r> Reader<'r> {
    /// Sniff the start of `reader` (zip, gzip, binary formats, UTF-16, BOM, ARFF) and get
    /// ready to read rows. A zip archive's first data file is read.
    pub fn new<R: Read + 'r>(reader: R) -> Result<Self, LoadError> {
        Self::with_entry(reader, None)
    }

    /// [`Reader::new`], reading the zip entry `entry` (its full path) when the stream is
    /// a zip archive.
    pub fn with_entry<R: Read + 'r>(reader: R, entry: Option<&str>) -> Result<Self, LoadError> {
        let (head, rest) = split_head(reader).map_err(|source| LoadError::Io { line: 0, source })?;
        if !sniff::is_zip(&head) {
            return Self::from_head(head, Box::new(rest));
        }
        let archive = BufReader::with_capacity(1 << 16, Cursor::new(head).chain(rest));
        let (name, stream) = zip::open(archive, entry)?;
        let (head, rest) = split_head(stream)
            .map_err(|e| LoadError::ZipCorrupt(format!("the entry {name:?} cannot be inflated ({e})")))?;
        let mut reader = Self::from_head(head, Box::new(rest))?;
        reader.entry = Some(name);
        Ok(reader)
    }

    fn from_head(head: Vec<u8>, rest: Box<dyn Read + 'r>) -> Result<Self, LoadError> {
        let gzipped = head.starts_with(&[0x1f, 0x8b]);
        let (text_head, text_rest): (Vec<u8>, Box<dyn Read + 'r>) = if gzipped {
            let decoder = MultiGzDecoder::new(BufReader::with_capacity(1 << 16, Cursor::new(head).chain(rest)));
            let (text_head, text_rest) = split_head(decoder).map_err(|e| read_failed(true, 0, e))?;
            (text_head, Box::new(text_rest))
        } else {
            (head, rest)
        };
        if gzipped && text_head.starts_with(&[0x1f, 0x8b]) {
            return Err(LoadError::NotText("it is gzipped twice; decompress it once and load the .gz inside".into()));
        }
        check_text(&text_head, gzipped)?;
        let lines = text_head.iter().filter(|&&b| b == b'\n').count();
        let line_bytes = (lines >= 2).then(|| text_head.len() as f64 / lines as f64);
        let is_arff = sniff::is_arff(&text_head);
        let mut text = Cursor::new(text_head);
        if text.get_ref().starts_with(&[0xEF, 0xBB, 0xBF]) {
            text.set_position(3); // UTF-8 byte-order mark
        }
        let capped = LineCap::new(text.chain(text_rest), 1);
        let mut builder = csv::ReaderBuilder::new();
        builder.has_headers(false).flexible(true).buffer_capacity(1 << 16);
        let (source, format, line_offset): (Box<dyn Read + 'r>, _, _) = if is_arff {
            let mut buffered = BufReader::with_capacity(1 << 16, capped);
            let header = arff::read_header(&mut buffered)?;
            arff::check_kdd_layout(&header)?;
            // ARFF quotes with ' and comments with %.
            builder.quote(b'\'').comment(Some(b'%'));
            (Box::new(buffered), Some(Format::KddArff), header.lines)
        } else {
            builder.comment(Some(b'#'));
            (Box::new(capped), None, 0)
        };
        Ok(Self {
            csv: builder.from_reader(source),
            record: csv::ByteRecord::new(),
            gzipped,
            format,
            last_line: line_offset,
            line_offset,
            skipped: 0,
            entry: None,
            rows: 0,
            line_bytes,
            expected_rows: None,
        })
    }

    /// Blank and comment lines passed over so far.
    pub fn skipped_lines(&self) -> u64 {
        self.skipped
    }

    /// The zip entry being read, when the stream was a zip archive.
    pub fn entry(&self) -> Option<&str> {
        self.entry.as_deref()
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
                        csv::ErrorKind::Io(io) => read_failed(self.gzipped, self.last_line, io),
                        other => LoadError::NotText(format!("csv error after line {}: {other:?}", self.last_line)),
                    })
                }
            }
            let record = &self.record;
            let line = record.position().map_or(self.last_line + 1, |p| p.line() + self.line_offset);
            // Lines the row parser passed over since the last record: blank or comments.
            self.skipped += line.saturating_sub(self.last_line + 1);
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
