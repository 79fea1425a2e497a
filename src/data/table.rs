//! `Table`: the records of one file as loaded — numeric features by column, each in
//! its narrowest exact encoding (`columns.rs`), symbolic features and labels
//! interned — before any preparation.

use std::collections::HashMap;

use super::columns::Numeric;
use super::labels::{self, Category};
use super::schema::{Format, N_NUMERIC};

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
                self.names.push(String::from_utf8_lossy(value).into_owned());
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
    /// Numeric features.
    pub numeric: Numeric,
    /// `protocol_type`, `service`, `flag`.
    pub symbolic: [Symbols; 3],
    /// Labels with KDD99's trailing dot removed; `None` for unlabelled files.
    pub labels: Option<Symbols>,
    /// NSL-KDD's difficulty level per row.
    pub difficulty: Option<Vec<u8>>,
    /// Blank and comment lines the reader passed over.
    pub skipped_lines: u64,
    /// The zip entry the rows came from, when the file was a zip archive.
    pub entry: Option<String>,
    /// Attack flag per distinct label (indexed by label code).
    label_is_attack: Vec<bool>,
}

impl Table {
    pub(crate) fn new(format: Format) -> Self {
        Self {
            format,
            numeric: Numeric::default(),
            symbolic: Default::default(),
            labels: (format != Format::Unlabelled).then(Symbols::default),
            difficulty: (format == Format::NslKdd).then(Vec::new),
            skipped_lines: 0,
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
            self.label_is_attack = labels::attack_flags(&l.names);
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
    pub fn numeric_row(&self, row: usize) -> [f32; N_NUMERIC] {
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

    /// The attack category of `row`, if labelled.
    pub fn category(&self, row: usize) -> Option<Category> {
        self.label(row).map(labels::category)
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
