//! The loaded files: parsing into a slot (held or streamed), the built-in sample, and
//! what each file holds.

use super::{FileSummary, LabelCount, Session, Slot, StreamedSummary};
use crate::data::streamed::{self, Opened, Source, StreamSettings};
use crate::data::{self, synth, Format, ReadOptions, Schema, Symbols, Table};
use crate::Error;

fn summary(name: &str, table: &Table, synthetic: bool) -> FileSummary {
    let mut s = summary_of(name, &table.schema, table.rows(), table.labels.as_ref(), synthetic);
    s.skipped_lines = table.skipped_lines;
    s.dropped_rows = table.dropped_rows;
    s.entry = table.entry.clone();
    s
}

fn summary_of(name: &str, schema: &Schema, rows: usize, labelled: Option<&Symbols>, synthetic: bool) -> FileSummary {
    let labels: Vec<LabelCount> = labelled
        .map(Symbols::counts)
        .unwrap_or_default()
        .into_iter()
        .map(|(label, count)| LabelCount { category: schema.category(&label).to_string(), label, count })
        .collect();
    let normals = labels.iter().filter(|l| l.category == "normal").map(|l| l.count).sum();
    FileSummary {
        name: name.into(),
        format: schema.format,
        schema: schema.id.clone(),
        categories: schema.category_order(),
        rows,
        labelled: labelled.is_some(),
        normals,
        attacks: if labelled.is_some() { rows - normals } else { 0 },
        synthetic,
        labels,
        streamed: None,
        skipped_lines: 0,
        entry: None,
        dropped_rows: 0,
    }
}

impl Session {
    /// Parse `bytes` (text, gzip, or a zip archive's one data file) into `slot`,
    /// calling `progress(rows)` as it goes. On error the slot keeps what it had.
    pub fn load(
        &mut self,
        slot: Slot,
        name: &str,
        bytes: &[u8],
        progress: &mut dyn FnMut(usize),
    ) -> Result<FileSummary, Error> {
        self.load_entry(slot, name, bytes, None, progress)
    }

    /// [`Session::load`], naming the zip entry to read when the archive holds several.
    pub fn load_entry(
        &mut self,
        slot: Slot,
        name: &str,
        bytes: &[u8],
        entry: Option<&str>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<FileSummary, Error> {
        let options = ReadOptions { entry: entry.map(str::to_owned), ..ReadOptions::default() };
        self.load_with(slot, name, bytes, &options, progress)
    }

    /// [`Session::load`] with every reading choice (zip entry, a CSV's label column and
    /// normal values, the Infinity/NaN policy).
    pub fn load_with(
        &mut self,
        slot: Slot,
        name: &str,
        bytes: &[u8],
        options: &ReadOptions,
        progress: &mut dyn FnMut(usize),
    ) -> Result<FileSummary, Error> {
        let entry = data::zip_entry(bytes, options.entry.as_deref())?;
        let options = ReadOptions { entry, ..options.clone() };
        let table = data::read_with_options(bytes, &options, progress)?;
        Ok(self.put(slot, summary(name, &table, false), table))
    }

    /// When later loads stream a file rather than hold it, and how it is sampled.
    pub fn set_stream_settings(&mut self, settings: StreamSettings) {
        self.stream_settings = settings;
    }

    /// Read a file that can be re-read (a path, a browser `Blob`) into `slot`: held
    /// when it has at most `hold_rows` rows, else (training slot only) streamed — one
    /// pass now keeps every row's label and a seeded sample of normal rows, and every
    /// scoring reads it again. On error the slot keeps what it had.
    pub fn load_source(
        &mut self,
        slot: Slot,
        name: &str,
        source: Box<dyn Source>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<FileSummary, Error> {
        self.load_source_entry(slot, name, source, None, progress)
    }

    /// [`Session::load_source`], naming the zip entry to read when the archive holds several.
    pub fn load_source_entry(
        &mut self,
        slot: Slot,
        name: &str,
        source: Box<dyn Source>,
        entry: Option<&str>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<FileSummary, Error> {
        let options = ReadOptions { entry: entry.map(str::to_owned), ..ReadOptions::default() };
        self.load_source_with(slot, name, source, &options, progress)
    }

    /// [`Session::load_source`] with every reading choice.
    pub fn load_source_with(
        &mut self,
        slot: Slot,
        name: &str,
        source: Box<dyn Source>,
        options: &ReadOptions,
        progress: &mut dyn FnMut(usize),
    ) -> Result<FileSummary, Error> {
        let settings = match slot {
            Slot::Train => self.stream_settings,
            // Test files are held: any size is read whole, there is no sample to take.
            Slot::Test => StreamSettings { hold_rows: usize::MAX, ..self.stream_settings },
        };
        match streamed::open(&*source, options, settings, progress)? {
            Opened::Held(table) => Ok(self.put(slot, summary(name, &table, false), table)),
            Opened::Streamed(s) => {
                let mut summary = summary_of(name, &s.schema, s.rows, s.labels.as_ref(), false);
                summary.skipped_lines = s.skipped_lines;
                summary.dropped_rows = s.dropped_rows;
                summary.entry = s.entry.clone();
                summary.streamed = Some(StreamedSummary {
                    sample_rows: s.sample_ids.len(),
                    test_rows: s.test_ids.len(),
                    settings: s.settings,
                });
                self.bump();
                self.train = None;
                self.streamed = Some((summary.clone(), s, source));
                Ok(summary)
            }
        }
    }

    /// Load `rows` rows of synthetic KDD99-format traffic (normal plus loud and quiet
    /// attacks of all four categories), made by our own generator, as the training file.
    pub fn load_sample(&mut self, rows: usize, seed: u64) -> Result<FileSummary, Error> {
        let text = synth::generate(rows.clamp(100, 1_000_000), 0.35, Format::Kdd99, seed);
        let table = data::read_bytes(text.as_bytes())?;
        self.test = None;
        Ok(self.put(Slot::Train, summary("synthetic sample (generated, not real traffic)", &table, true), table))
    }

    pub(super) fn put(&mut self, slot: Slot, s: FileSummary, table: Table) -> FileSummary {
        self.bump();
        match slot {
            Slot::Train => {
                self.streamed = None;
                self.train = Some((s.clone(), table));
            }
            Slot::Test => self.test = Some((s.clone(), table)),
        }
        s
    }

    /// Forget the test file.
    pub fn clear_test(&mut self) {
        self.bump();
        self.test = None;
    }

    /// What is loaded.
    pub fn files(&self) -> (Option<&FileSummary>, Option<&FileSummary>) {
        let train = self.train.as_ref().map(|t| &t.0).or(self.streamed.as_ref().map(|s| &s.0));
        (train, self.test.as_ref().map(|t| &t.0))
    }
}
