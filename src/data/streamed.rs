//! Files too large to hold (the full KDD Cup 99 set is 4.9 million rows, 745 MB as
//! `f32` features): read a chunk at a time, never all at once. One pass keeps only
//! each row's label and a seeded reservoir sample of normal rows to train on; each
//! scoring pass reads the file again and keeps only the scores.

use std::io::{BufReader, Cursor, Read};
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::load::{LoadError, ReadOptions, Reader};
use super::schema::{Format, Schema};
use super::table::{Symbols, Table};
use crate::rng::Rng;

/// Something that can be read from its start as often as needed: a file on disk, a
/// browser `Blob`, bytes in memory.
pub trait Source {
    /// A fresh reader at the start.
    fn open(&self) -> std::io::Result<Box<dyn Read + '_>>;

    /// Its size in bytes and its first two and last four bytes, when cheap to know:
    /// enough to estimate the text's size (a gzip file's last four bytes are its
    /// uncompressed size) and so the rows to make room for.
    fn ends(&self) -> Option<(u64, [u8; 2], [u8; 4])> {
        None
    }
}

/// The size of the text in a file of `len` bytes starting with `head` and ending
/// with `tail`: the gzip trailer's size (modulo 4 GiB, of the last member) or `len`.
pub fn text_size(len: u64, head: [u8; 2], tail: [u8; 4]) -> u64 {
    if head == [0x1f, 0x8b] {
        // Deflate expands at most about 1032 times: a larger trailer is not a size
        // (a truncated or corrupt file ends in arbitrary bytes).
        u64::from(u32::from_le_bytes(tail)).min(len.saturating_mul(1032))
    } else {
        len
    }
}

impl Source for Vec<u8> {
    fn open(&self) -> std::io::Result<Box<dyn Read + '_>> {
        Ok(Box::new(&self[..]))
    }

    fn ends(&self) -> Option<(u64, [u8; 2], [u8; 4])> {
        let n = self.len();
        (n >= 6).then(|| (n as u64, [self[0], self[1]], [self[n - 4], self[n - 3], self[n - 2], self[n - 1]]))
    }
}

impl Source for PathBuf {
    fn open(&self) -> std::io::Result<Box<dyn Read + '_>> {
        Ok(Box::new(BufReader::with_capacity(1 << 20, std::fs::File::open(self)?)))
    }

    fn ends(&self) -> Option<(u64, [u8; 2], [u8; 4])> {
        use std::io::{Seek, SeekFrom};
        let mut f = std::fs::File::open(self).ok()?;
        let len = f.metadata().ok()?.len();
        let (mut head, mut tail) = ([0u8; 2], [0u8; 4]);
        f.read_exact(&mut head).ok()?;
        f.seek(SeekFrom::End(-4)).ok()?;
        f.read_exact(&mut tail).ok()?;
        Some((len, head, tail))
    }
}

/// When a file is streamed, and how it is sampled.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct StreamSettings {
    /// Files with more data rows than this are streamed rather than held.
    pub hold_rows: usize,
    /// Normal rows sampled (seeded reservoir) to train on.
    pub sample_rows: usize,
    /// Seed of the sample.
    pub seed: u64,
    /// Rows read, and scored, per chunk.
    pub chunk_rows: usize,
}

impl Default for StreamSettings {
    fn default() -> Self {
        // 750k rows hold the KDD99 10% set (494k) and NSL-KDD with room to spare; a
        // held table of that size is ~125 MB of features.
        Self { hold_rows: 750_000, sample_rows: 100_000, seed: 42, chunk_rows: 65_536 }
    }
}

/// A streamed file: every row's label, the training sample, and which rows test.
#[derive(Clone, Debug)]
pub struct Streamed {
    /// The file's format.
    pub format: Format,
    /// Its layout.
    pub schema: Arc<Schema>,
    /// Data rows.
    pub rows: usize,
    /// Every row's label, indexed by record id (`None` for unlabelled files).
    pub labels: Option<Symbols>,
    /// The sampled normal rows, in file order.
    pub sample: Table,
    /// Their record ids, ascending.
    pub sample_ids: Vec<usize>,
    /// Every other record id, ascending: the rows a model is tested on.
    pub test_ids: Vec<u32>,
    /// The settings it was read with.
    pub settings: StreamSettings,
    /// Blank and comment lines passed over.
    pub skipped_lines: u64,
    /// Rows left out for Infinity or NaN.
    pub dropped_rows: u64,
    /// The zip entry read, when the file was a zip archive (read again to score).
    pub entry: Option<String>,
    /// How it was read (so each scoring pass reads it the same way).
    pub options: ReadOptions,
}

impl super::rows::Rows for Streamed {
    fn name(&self) -> &str {
        "holdout"
    }
    fn len(&self) -> usize {
        self.test_ids.len()
    }
    fn record_id(&self, i: usize) -> usize {
        self.test_ids[i] as usize
    }
    fn labels(&self) -> Option<&Symbols> {
        self.labels.as_ref()
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
}

/// A file small enough to hold, or one that was streamed.
#[allow(clippy::large_enum_variant)]
pub enum Opened {
    /// Held in memory.
    Held(Table),
    /// Streamed.
    Streamed(Streamed),
}

/// Read `source`: held when it has at most `settings.hold_rows` rows, else streamed
/// (survey pass). `progress(rows so far)` as it goes.
/// A zip archive's entry is chosen first (`entry`, else its one data file; see
/// [`super::zip::choose`]).
pub fn open(
    source: &dyn Source,
    options: &ReadOptions,
    settings: StreamSettings,
    progress: &mut dyn FnMut(usize),
) -> Result<Opened, LoadError> {
    let (mut reader, entry) = open_choosing(source, options)?;
    let expected = source.ends().and_then(|(len, head, tail)| reader.size_hint(text_size(len, head, tail)));
    let hold = settings.hold_rows.max(1);
    // Clearly too large to hold (by its size): stream from the first row, so no
    // hold-sized chunk is ever allocated.
    let first_chunk = if expected.is_some_and(|e| e / 2 > hold) { settings.chunk_rows.clamp(1, hold) } else { hold };
    let first = reader.next_chunk(first_chunk, progress)?.ok_or(LoadError::NoRows)?;
    let second =
        if first.rows() >= first_chunk { reader.next_chunk(settings.chunk_rows.max(1), progress)? } else { None };
    let Some(second) = second else {
        progress(reader.rows_read());
        let mut first = first;
        first.skipped_lines = reader.skipped_lines();
        first.dropped_rows = reader.dropped_rows();
        first.entry = entry;
        return Ok(Opened::Held(first));
    };
    let mut survey = Survey::new(first.schema.clone(), settings);
    survey.add(&first)?;
    drop(first);
    survey.add(&second)?;
    drop(second);
    while let Some(chunk) = reader.next_chunk(settings.chunk_rows.max(1), progress)? {
        survey.add(&chunk)?;
    }
    progress(reader.rows_read());
    let mut streamed = survey.finish();
    streamed.skipped_lines = reader.skipped_lines();
    streamed.dropped_rows = reader.dropped_rows();
    streamed.options = ReadOptions { entry: entry.clone(), ..options.clone() };
    streamed.entry = entry;
    Ok(Opened::Streamed(streamed))
}

fn opened(source: &dyn Source) -> Result<Box<dyn Read + '_>, LoadError> {
    source.open().map_err(|e| LoadError::Io { line: 0, source: e })
}

fn reader<'s>(source: &'s dyn Source, options: &ReadOptions) -> Result<Reader<'s>, LoadError> {
    Reader::with_options(opened(source)?, options)
}

/// A reader of `source` and the zip entry it reads: when `source` is a zip archive its
/// entries are listed (one pass over the archive's headers), one chosen (`wanted`, else
/// the one data file) and the source opened again; anything else is read from the one
/// opening (a source is opened as often as it is read, no more).
fn open_choosing<'s>(source: &'s dyn Source, options: &ReadOptions) -> Result<(Reader<'s>, Option<String>), LoadError> {
    let wanted = options.entry.as_deref();
    let (head, rest) = super::sniff::split_head(opened(source)?).map_err(|e| LoadError::Io { line: 0, source: e })?;
    if !super::sniff::is_zip(&head) {
        return Ok((Reader::with_options(Cursor::new(head).chain(rest), options)?, wanted.map(str::to_owned)));
    }
    let entries = super::zip::entries(BufReader::with_capacity(1 << 16, Cursor::new(head).chain(rest)))?;
    let entry = super::zip::choose(&entries, wanted)?;
    let options = ReadOptions { entry: Some(entry.clone()), ..options.clone() };
    Ok((reader(source, &options)?, Some(entry)))
}

/// Read `source` again from the start, a chunk at a time: `visit(chunk, first record
/// id in it)` for each.
pub fn for_each_chunk(
    source: &dyn Source,
    options: &ReadOptions,
    chunk_rows: usize,
    visit: &mut dyn FnMut(&Table, usize) -> Result<(), crate::Error>,
) -> Result<(), crate::Error> {
    let mut reader = reader(source, options)?;
    let mut first_id = 0;
    while let Some(chunk) = reader.next_chunk(chunk_rows.max(1), &mut |_| {})? {
        visit(&chunk, first_id)?;
        first_id += chunk.rows();
    }
    Ok(())
}

/// The survey pass: labels of every row, and Algorithm R over the normal rows.
struct Survey {
    schema: Arc<Schema>,
    settings: StreamSettings,
    rng: Rng,
    labels: Option<Symbols>,
    rows: usize,
    normals_seen: usize,
    /// The reservoir: record id and difficulty per kept row; its symbol codes (into
    /// `symbols`) and features, `n_symbolic` and `n_numeric` a row.
    kept: Vec<(usize, u8)>,
    kept_codes: Vec<u32>,
    kept_numeric: Vec<f32>,
    /// Distinct symbolic values seen in kept rows (only their names are used).
    symbols: Vec<Symbols>,
    row: Vec<f32>,
}

impl Survey {
    fn new(schema: Arc<Schema>, settings: StreamSettings) -> Self {
        Self {
            settings,
            rng: Rng::new(settings.seed),
            labels: schema.label_column().map(|_| Symbols::default()),
            rows: 0,
            normals_seen: 0,
            kept: Vec::new(),
            kept_codes: Vec::new(),
            kept_numeric: Vec::new(),
            symbols: vec![Symbols::default(); schema.n_symbolic()],
            row: vec![0.0; schema.n_numeric()],
            schema,
        }
    }

    fn add(&mut self, chunk: &Table) -> Result<(), LoadError> {
        if self.rows + chunk.rows() > u32::MAX as usize {
            return Err(LoadError::NotText(format!("more than {} rows; split the file", u32::MAX)));
        }
        let (nn, ns) = (self.row.len(), self.symbols.len());
        for r in 0..chunk.rows() {
            let id = self.rows + r;
            if let (Some(all), Some(label)) = (&mut self.labels, chunk.label(r)) {
                all.push(label.as_bytes());
            }
            if chunk.is_attack(r) != Some(false) {
                continue;
            }
            let k = self.settings.sample_rows;
            let seen = self.normals_seen;
            self.normals_seen += 1;
            let j = if seen < k {
                self.kept.push((0, 0));
                self.kept_codes.resize(self.kept.len() * ns, 0);
                self.kept_numeric.resize(self.kept.len() * nn, 0.0);
                self.kept.len() - 1
            } else {
                match self.rng.below(seen + 1) {
                    j if j < k => j,
                    _ => continue,
                }
            };
            for s in 0..ns {
                self.kept_codes[j * ns + s] = self.symbols[s].intern(chunk.symbolic[s].get(r).as_bytes());
            }
            let difficulty = chunk.difficulty.as_ref().map_or(0, |d| d[r]);
            self.kept[j] = (id, difficulty);
            chunk.numeric.row_into(r, &mut self.row);
            self.kept_numeric[j * nn..(j + 1) * nn].copy_from_slice(&self.row);
        }
        self.rows += chunk.rows();
        Ok(())
    }

    fn finish(self) -> Streamed {
        let (nn, ns) = (self.row.len(), self.symbols.len());
        let mut order: Vec<usize> = (0..self.kept.len()).collect();
        order.sort_unstable_by_key(|&j| self.kept[j].0);
        let mut sample = Table::new(self.schema.clone());
        sample.reserve(order.len());
        let mut sample_ids = Vec::with_capacity(order.len());
        for &j in &order {
            let (id, difficulty) = self.kept[j];
            sample_ids.push(id);
            sample.numeric.push(&self.kept_numeric[j * nn..(j + 1) * nn]);
            for s in 0..ns {
                let c = self.kept_codes[j * ns + s];
                sample.symbolic[s].push(self.symbols[s].names[c as usize].as_bytes());
            }
            if let (Some(l), Some(all)) = (&mut sample.labels, &self.labels) {
                l.push(all.get(id).as_bytes());
            }
            if let Some(d) = &mut sample.difficulty {
                d.push(difficulty);
            }
        }
        sample.finish();
        let mut test_ids = Vec::with_capacity(self.rows - sample_ids.len());
        let mut next = sample_ids.iter().peekable();
        for id in 0..self.rows {
            if next.peek() == Some(&&id) {
                next.next();
            } else {
                test_ids.push(id as u32);
            }
        }
        Streamed {
            format: self.schema.format,
            schema: self.schema,
            rows: self.rows,
            labels: self.labels,
            sample,
            sample_ids,
            test_ids,
            settings: self.settings,
            skipped_lines: 0,
            dropped_rows: 0,
            entry: None,
            options: ReadOptions::default(),
        }
    }
}
