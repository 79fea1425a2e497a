//! Reading flow records from bytes or a stream: gzip and zip detected by their magic
//! bytes, ARFF by its header, the dataset by its header row or (KDD) its column count,
//! blank and comment lines skipped (and counted), and every problem reported with the
//! line (and column) where it is. Fields become a row in `fields.rs`.

use std::collections::VecDeque;
use std::io::{BufReader, Cursor, Read};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use flate2::bufread::MultiGzDecoder;

use super::fields::{push_row, Scratch};
use super::line_cap::LineCap;
use super::load_error::read_failed;
use super::schema::{self, custom, Format, HeaderMatch, LabelChoice, NonFinite, Schema, N_FEATURES};
use super::sniff::{self, check_text, split_head};
use super::table::Table;
use super::{arff, zip};

pub(crate) use super::fields::parse_number;

pub use super::load_error::LoadError;

/// The reader's choices for one file, all optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ReadOptions {
    /// The zip entry to read (an archive holding several data files).
    #[serde(default)]
    pub entry: Option<String>,
    /// A header CSV's label column and normal values (none: suggested).
    #[serde(default)]
    pub label: Option<LabelChoice>,
    /// Rows with Infinity or NaN, where the dataset allows them (CIC-IDS2017, a CSV).
    #[serde(default)]
    pub non_finite: NonFinite,
}

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
    read_with_options(reader, &ReadOptions { entry: entry.map(str::to_owned), ..ReadOptions::default() }, progress)
}

/// Read a stream with every choice of `options`, calling `progress(rows so far)`.
pub fn read_with_options<R: Read>(
    reader: R,
    options: &ReadOptions,
    progress: &mut dyn FnMut(usize),
) -> Result<Table, LoadError> {
    let mut reader = Reader::with_options(reader, options)?;
    let mut table = reader.next_chunk(usize::MAX, progress)?.ok_or(LoadError::NoRows)?;
    progress(reader.rows_read());
    table.skipped_lines = reader.skipped_lines();
    table.dropped_rows = reader.dropped_rows();
    table.entry = reader.entry().map(str::to_owned);
    Ok(table)
}

/// A file read a chunk of rows at a time, so a file too large to hold is never held:
/// each chunk is a [`Table`] of its own; line numbers and the format carry across.
pub struct Reader<'r> {
    csv: csv::Reader<Box<dyn Read + 'r>>,
    record: csv::ByteRecord,
    gzipped: bool,
    schema: Option<Arc<Schema>>,
    /// Infinity/NaN in a CIC-IDS2017 file; a header CSV's label choice.
    non_finite: NonFinite,
    label: Option<LabelChoice>,
    /// Records read ahead (a header CSV's first rows, to infer its columns) and their lines.
    pending: VecDeque<(csv::ByteRecord, u64)>,
    /// Rows left out for Infinity/NaN so far.
    dropped: u64,
    scratch: Scratch,
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
        Self::with_options(reader, &ReadOptions { entry: entry.map(str::to_owned), ..ReadOptions::default() })
    }

    /// [`Reader::new`] with every choice of `options` (zip entry, label choice, policy).
    pub fn with_options<R: Read + 'r>(reader: R, options: &ReadOptions) -> Result<Self, LoadError> {
        let (head, rest) = split_head(reader).map_err(|source| LoadError::Io { line: 0, source })?;
        if !sniff::is_zip(&head) {
            return Self::from_head(head, Box::new(rest), options);
        }
        let archive = BufReader::with_capacity(1 << 16, Cursor::new(head).chain(rest));
        let (name, stream) = zip::open(archive, options.entry.as_deref())?;
        let (head, rest) = split_head(stream)
            .map_err(|e| LoadError::ZipCorrupt(format!("the entry {name:?} cannot be inflated ({e})")))?;
        let mut reader = Self::from_head(head, Box::new(rest), options)?;
        reader.entry = Some(name);
        Ok(reader)
    }

    fn from_head(head: Vec<u8>, rest: Box<dyn Read + 'r>, options: &ReadOptions) -> Result<Self, LoadError> {
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
            let schema = if arff::is_near_kdd(&header) {
                arff::check_kdd_layout(&header)?;
                Schema::kdd(Format::KddArff)
            } else {
                let attributes: Vec<(String, Option<Vec<String>>, bool)> =
                    header.attributes.iter().map(|a| (a.name.clone(), a.nominal.clone(), a.numeric)).collect();
                custom::from_arff(&attributes, options.label.as_ref(), options.non_finite)
                    .map(Arc::new)
                    .map_err(|needs| LoadError::from_needs(needs, header.lines, attributes.len()))?
            };
            // ARFF quotes with ' and comments with %.
            builder.quote(b'\'').comment(Some(b'%'));
            (Box::new(buffered), Some(schema), header.lines)
        } else {
            builder.comment(Some(b'#'));
            (Box::new(capped), None, 0)
        };
        Ok(Self {
            csv: builder.from_reader(source),
            record: csv::ByteRecord::new(),
            gzipped,
            schema: format,
            non_finite: options.non_finite,
            label: options.label.clone(),
            pending: VecDeque::new(),
            dropped: 0,
            scratch: Scratch::default(),
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

    /// The next record into `self.record` and its line; `None` at the end.
    fn next_record(&mut self) -> Result<Option<u64>, LoadError> {
        if let Some((record, line)) = self.pending.pop_front() {
            self.record = record;
            return Ok(Some(line));
        }
        self.read_record()
    }

    /// The next record from the text (not the read-ahead) into `self.record`, and its line.
    fn read_record(&mut self) -> Result<Option<u64>, LoadError> {
        match self.csv.read_byte_record(&mut self.record) {
            Ok(true) => {}
            Ok(false) => return Ok(None),
            Err(e) => {
                return Err(match e.into_kind() {
                    csv::ErrorKind::Io(io) => read_failed(self.gzipped, self.last_line, io),
                    other => LoadError::NotText(format!("csv error after line {}: {other:?}", self.last_line)),
                })
            }
        }
        let line = self.record.position().map_or(self.last_line + 1, |p| p.line() + self.line_offset);
        // Lines the row parser passed over since the last record: blank or comments.
        self.skipped += line.saturating_sub(self.last_line + 1);
        self.last_line = line;
        Ok(Some(line))
    }

    /// The schema of a header CSV no built-in schema has (`names` its header at
    /// `line`): its first rows read ahead (kept to be read as rows) and its columns inferred.
    fn infer_schema(&mut self, names: Vec<String>, line: u64) -> Result<Arc<Schema>, LoadError> {
        let header = std::mem::take(&mut self.record);
        while self.pending.len() < custom::SNIFF_ROWS {
            let Some(l) = self.read_record()? else { break };
            self.pending.push_back((std::mem::take(&mut self.record), l));
        }
        self.record = header;
        let rows: Vec<Vec<String>> = self
            .pending
            .iter()
            .map(|(r, _)| r.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect())
            .collect();
        let is_number = |s: &str| super::fields::parse_number(s.as_bytes()).is_some();
        custom::infer(&names, &rows, self.label.as_ref(), self.non_finite, &is_number)
            .map(Arc::new)
            .map_err(|needs| LoadError::from_needs(needs, line, names.len()))
    }

    /// Rows left out so far for Infinity or NaN.
    pub fn dropped_rows(&self) -> u64 {
        self.dropped
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

    /// The format, once the first data row (or a known header) has been read.
    pub fn format(&self) -> Option<Format> {
        self.schema.as_ref().map(|s| s.format)
    }

    /// The schema, once the first data row (or a known header) has been read.
    pub fn schema(&self) -> Option<&Arc<Schema>> {
        self.schema.as_ref()
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
        let mut table = self.schema.clone().map(|s| {
            let mut t = Table::new(s);
            reserve(&mut t);
            t
        });
        let mut taken = 0usize;
        while taken < max_rows {
            let Some(line) = self.next_record()? else { break };
            let record = &self.record;
            let t = match &mut table {
                Some(t) => t,
                None => {
                    if is_header(record) {
                        let schema = match header_schema(record, line, self.non_finite)? {
                            Header::Known(s) => Some(s),
                            Header::Kdd => None,
                            Header::Other(names) => Some(self.infer_schema(names, line)?),
                        };
                        if let Some(schema) = schema {
                            self.schema = Some(schema.clone());
                            let mut t = Table::new(schema);
                            reserve(&mut t);
                            table = Some(t);
                        }
                        continue;
                    }
                    let schema = Schema::kdd(kdd_format(record, line)?);
                    self.schema = Some(schema.clone());
                    let mut t = Table::new(schema);
                    reserve(&mut t);
                    table.insert(t)
                }
            };
            if record.len() != t.schema.field_count() {
                return Err(LoadError::ColumnCount {
                    line,
                    found: record.len(),
                    expected: t.schema.field_count(),
                    format: t.schema.describe(),
                });
            }
            if t.numeric.is_full() {
                // Grow by an eighth, not double: the peak stays near the size needed.
                t.reserve((t.rows() / 8).max(4096));
            }
            let record = &self.record;
            if !push_row(t, record, line, &mut self.scratch)? {
                self.dropped += 1;
                continue;
            }
            taken += 1;
            self.rows += 1;
            if self.rows % PROGRESS_EVERY == 0 {
                progress(self.rows);
            }
        }
        match table {
            _ if self.rows == 0 => Err(LoadError::NoRows),
            Some(mut t) if taken > 0 => {
                t.finish();
                Ok(Some(t))
            }
            _ => Ok(None),
        }
    }
}

/// A first row is a header when its first field is not a number (`duration`, `id`)
/// and it has KDD's 41 fields or more, or (any other CSV) no field is a number.
fn is_header(record: &csv::ByteRecord) -> bool {
    let number = |f: &[u8]| parse_number(f.trim_ascii()).is_some();
    record.get(0).is_some_and(|f| !number(f))
        && (record.len() >= N_FEATURES || (record.len() >= 2 && record.iter().all(|f| !number(f))))
}

/// What a header row is.
enum Header {
    /// A built-in dataset's.
    Known(Arc<Schema>),
    /// KDD's (or any header of a KDD column count): the count decides the layout.
    Kdd,
    /// Any other header: its names.
    Other(Vec<String>),
}

/// What the header row `record` at `line` is.
fn header_schema(record: &csv::ByteRecord, line: u64, policy: NonFinite) -> Result<Header, LoadError> {
    let names: Vec<String> = record.iter().map(|f| String::from_utf8_lossy(f).trim().to_string()).collect();
    match schema::from_header(&names, policy) {
        HeaderMatch::Known(s) => Ok(Header::Known(s)),
        HeaderMatch::Kdd => Ok(Header::Kdd),
        HeaderMatch::Near { title, detail } => Err(LoadError::NearHeader { line, title, detail }),
        HeaderMatch::Unknown if Format::from_field_count(names.len()).is_some() => Ok(Header::Kdd),
        HeaderMatch::Unknown => Ok(Header::Other(names)),
    }
}

/// The KDD layout of a headerless first row, by its column count.
fn kdd_format(record: &csv::ByteRecord, line: u64) -> Result<Format, LoadError> {
    let found = record.len();
    Format::from_field_count(found).ok_or_else(|| {
        let text = record.as_slice();
        let tabs = text.iter().filter(|&&b| b == b'\t').count();
        let semicolons = text.iter().filter(|&&b| b == b';').count();
        match (found, tabs >= 40, semicolons >= 40) {
            (1, true, _) => LoadError::Separator { line, separator: "tabs" },
            (1, _, true) => LoadError::Separator { line, separator: "semicolons" },
            _ => LoadError::UnknownFormat { line, found },
        }
    })
}
