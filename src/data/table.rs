//! `Table`: the records of one file as loaded — numeric features by column, each in
//! its narrowest exact encoding (`columns.rs`), symbolic features and labels
//! interned — before any preparation.

use std::collections::HashMap;
use std::sync::Arc;

use super::columns::Numeric;
use super::schema::{Format, Schema};

/// Text of a field: UTF-8 as is; otherwise Windows-1252 (CIC-IDS2017 writes the dash
/// of its Web Attack labels as the byte 0x96), every byte a character.
fn decode(value: &[u8]) -> String {
    match std::str::from_utf8(value) {
        Ok(s) => s.to_owned(),
        Err(_) => value.iter().map(|&b| windows_1252(b)).collect(),
    }
}

fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[(b - 0x80) as usize],
        _ => char::from(b),
    }
}

/// Interned strings of one column: `names[codes[row]]` is the row's value.
#[derive(Clone, Debug, Default)]
pub struct Symbols {
    /// Distinct values in order of first appearance.
    pub names: Vec<String>,
    /// One code per row.
    pub codes: Vec<u32>,
    index: HashMap<Vec<u8>, u32>,
}

impl Symbols {
    /// Append one row's value.
    pub fn push(&mut self, value: &[u8]) {
        let code = self.intern(value);
        self.codes.push(code);
    }

    /// The code of `value`, adding it to the distinct values if new (no row added).
    pub fn intern(&mut self, value: &[u8]) -> u32 {
        match self.index.get(value) {
            Some(&c) => c,
            None => {
                let c = self.names.len() as u32;
                self.names.push(decode(value));
                self.index.insert(value.to_vec(), c);
                c
            }
        }
    }

    /// The value of `row`.
    pub fn get(&self, row: usize) -> &str {
        &self.names[self.codes[row] as usize]
    }

    /// Rows per distinct value, most frequent first (ties by name).
    pub fn counts(&self) -> Vec<(String, usize)> {
        let mut counts = vec![0usize; self.names.len()];
        for &c in &self.codes {
            counts[c as usize] += 1;
        }
        let mut out: Vec<(String, usize)> = self.names.iter().cloned().zip(counts).collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }
}

/// The records of one file.
#[derive(Clone, Debug)]
pub struct Table {
    /// The file format the rows came in.
    pub format: Format,
    /// The layout: feature names and kinds, label rules.
    pub schema: Arc<Schema>,
    /// Numeric features, in schema order.
    pub numeric: Numeric,
    /// Symbolic features, in schema order (KDD: `protocol_type`, `service`, `flag`).
    pub symbolic: Vec<Symbols>,
    /// Labels with KDD99's trailing dot removed; `None` for unlabelled files.
    pub labels: Option<Symbols>,
    /// NSL-KDD's difficulty level per row.
    pub difficulty: Option<Vec<u8>>,
    /// Blank and comment lines the reader passed over.
    pub skipped_lines: u64,
    /// Rows left out for Infinity or NaN (the schema's `drop` policy).
    pub dropped_rows: u64,
    /// The zip entry the rows came from, when the file was a zip archive.
    pub entry: Option<String>,
    /// Attack flag per distinct label (indexed by label code).
    label_is_attack: Vec<bool>,
}

impl Table {
    /// An empty table of `schema`'s layout.
    pub fn new(schema: Arc<Schema>) -> Self {
        Self {
            format: schema.format,
            numeric: Numeric::new(schema.n_numeric()),
            symbolic: vec![Symbols::default(); schema.n_symbolic()],
            labels: schema.label_column().map(|_| Symbols::default()),
            difficulty: schema.has_difficulty().then(Vec::new),
            schema,
            skipped_lines: 0,
            dropped_rows: 0,
            entry: None,
            label_is_attack: Vec::new(),
        }
    }

    /// Room for `rows` more rows without reallocating, when it can be had: the
    /// estimate comes from the file (a gzip trailer may be garbage), so a reservation
    /// that cannot be made is skipped and the buffers grow as rows arrive.
    pub(crate) fn reserve(&mut self, rows: usize) {
        if !self.numeric.try_reserve(rows) {
            return;
        }
        for s in &mut self.symbolic {
            let _ = s.codes.try_reserve_exact(rows);
        }
        if let Some(l) = &mut self.labels {
            let _ = l.codes.try_reserve_exact(rows);
        }
        if let Some(d) = &mut self.difficulty {
            let _ = d.try_reserve_exact(rows);
        }
    }

    /// Called once all rows are in: caches the attack flag of every distinct label.
    pub(crate) fn finish(&mut self) {
        if let Some(l) = &self.labels {
            self.label_is_attack = l.names.iter().map(|n| !self.schema.is_normal(n)).collect();
        }
    }

    /// Number of records.
    pub fn rows(&self) -> usize {
        self.numeric.rows()
    }

    /// Whether the file carried labels (and so can be evaluated).
    pub fn is_labelled(&self) -> bool {
        self.labels.is_some()
    }

    /// The numeric features of `row`.
    pub fn numeric_row(&self, row: usize) -> Vec<f32> {
        self.numeric.row(row)
    }

    /// The label of `row` (no trailing dot), if labelled.
    pub fn label(&self, row: usize) -> Option<&str> {
        self.labels.as_ref().map(|l| l.get(row))
    }

    /// Whether `row` is an attack, if labelled.
    pub fn is_attack(&self, row: usize) -> Option<bool> {
        let l = self.labels.as_ref()?;
        Some(self.label_is_attack[l.codes[row] as usize])
    }

    /// The attack category of `row` ("normal", "dos", …), if labelled.
    pub fn category(&self, row: usize) -> Option<&str> {
        self.label(row).map(|l| self.schema.category(l))
    }

    /// The value of symbolic feature `slot` (0-based among the symbolic ones) at `row`.
    pub fn symbol(&self, slot: usize, row: usize) -> &str {
        self.symbolic[slot].get(row)
    }

    /// Feature `f` of `row` as text (a number as parsed, or a symbol).
    pub fn feature_text(&self, f: usize, row: usize) -> String {
        match self.schema.features[f].kind {
            super::schema::Kind::Numeric => self.numeric.get(row, self.schema.slot(f)).to_string(),
            super::schema::Kind::Symbolic => self.symbol(self.schema.slot(f), row).to_string(),
        }
    }

    /// Indices of the rows labelled `normal` (empty when unlabelled).
    pub fn normal_rows(&self) -> Vec<usize> {
        (0..self.rows()).filter(|&r| self.is_attack(r) == Some(false)).collect()
    }

    /// Row count of every label, most frequent first (ties by name).
    pub fn label_counts(&self) -> Vec<(String, usize)> {
        self.labels.as_ref().map(Symbols::counts).unwrap_or_default()
    }
}
