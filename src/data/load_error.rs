//! What can be wrong with a file being read: every problem named with the line (and
//! column) where it is, and that position as data for the page.

/// Why a file could not be read. Line numbers are 1-based lines of the (decompressed) text.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// Nothing at all in the file.
    #[error("the file is empty")]
    Empty,
    /// Only a header row, or only blank lines.
    #[error("the file has no data rows")]
    NoRows,
    /// A tar archive (plain or gzipped), which is not read.
    #[error("this is a {} archive; extract it and load the .csv/.txt inside (or a .zip or .gz of that file)", if *gzipped { "tar.gz" } else { "tar" })]
    Tar {
        /// Whether it was a gzipped tar.
        gzipped: bool,
    },
    /// A zip archive whose structure is damaged.
    #[error("this zip archive cannot be read: {0}")]
    ZipCorrupt(String),
    /// A zip entry that cannot be read.
    #[error("the zip entry {entry:?} {detail}")]
    ZipEntry {
        /// The entry's path.
        entry: String,
        /// Why.
        detail: String,
    },
    /// The wanted zip entry is not there, or no entry is a data file.
    #[error("{}; it holds: {}", match wanted { Some(w) => format!("this zip archive has no entry {w:?}"), None => "this zip archive holds no data file (csv, txt, arff, data)".into() }, list(entries))]
    ZipNoEntry {
        /// The entry asked for.
        wanted: Option<String>,
        /// Every entry's path.
        entries: Vec<String>,
    },
    /// Several data files in a zip archive and none chosen.
    #[error("this zip archive holds {} data files: {}; choose one (the CLI: --entry NAME)", entries.len(), list(entries))]
    ZipChoose {
        /// The data entries' paths.
        entries: Vec<String>,
    },
    /// A line far longer than any record: refused before it is read whole.
    #[error("line {line} is longer than {} bytes without a line break; this is not a table of records (a KDD record is 100-200 bytes)", super::line_cap::MAX_LINE)]
    LineTooLong {
        /// The line.
        line: u64,
    },
    /// An ARFF header that cannot be used.
    #[error("line {line}: {detail} (ARFF header)")]
    Arff {
        /// The header line.
        line: u64,
        /// What is wrong.
        detail: String,
    },
    /// Binary content that is not gzip.
    #[error("this is not a text file ({0}); expected KDD records as csv/txt/arff, optionally gzipped or zipped")]
    NotText(String),
    /// UTF-16 (or another wide encoding) text.
    #[error("the text is UTF-16 encoded; save it as UTF-8 (or ASCII) and load it again")]
    Utf16,
    /// Decompression failed part-way.
    #[error("the gzip data is truncated or corrupt (after line {line}): {detail}")]
    Gzip {
        /// Last line read completely.
        line: u64,
        /// What the decompressor said.
        detail: String,
    },
    /// Reading the underlying stream failed.
    #[error("reading failed after line {line}: {source}")]
    Io {
        /// Last line read completely.
        line: u64,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A header row close to a known dataset's, but not it.
    #[error("line {line}: this header looks like {title}'s but {detail}")]
    NearHeader {
        /// Line of the header.
        line: u64,
        /// The dataset it resembles.
        title: &'static str,
        /// The first difference.
        detail: String,
    },
    /// A header CSV with no column recognisably its label: one must be chosen.
    #[error("line {line}: a CSV with a header of {found} columns (not KDD, UNSW-NB15 or CIC-IDS2017) and no column called label, class or attack; choose its label column ({}), or none to score it without labels (the CLI: --label-column NAME or --label-column none)", list(columns))]
    ChooseLabel {
        /// Line of the header.
        line: u64,
        /// Columns in the header.
        found: usize,
        /// The columns that could be the label, best first.
        columns: Vec<String>,
    },
    /// A label column whose normal value is not recognisable: one must be chosen.
    #[error("line {line}: which values of the label column {column:?} mean normal traffic? It has {} (the CLI: --normal VALUE)", list(values))]
    ChooseNormal {
        /// Line of the header.
        line: u64,
        /// The label column.
        column: String,
        /// Its values in the first rows, most frequent first.
        values: Vec<String>,
    },
    /// A label column chosen that the header does not have.
    #[error("line {line}: the header has no column {column:?}")]
    NoLabelColumn {
        /// Line of the header.
        line: u64,
        /// The name asked for.
        column: String,
    },
    /// The first data row has a column count no KDD format has (and no header).
    #[error("line {line}: {found} columns and no header row; a KDD file has 41 (no label), 42 (KDD Cup 99) or 43 (NSL-KDD), and UNSW-NB15 (45) and CIC-IDS2017 (79) files start with their header row{}", hint(*found))]
    UnknownFormat {
        /// Line of the row.
        line: u64,
        /// Columns found.
        found: usize,
    },
    /// A row whose column count differs from the first row's.
    #[error("line {line}: {found} columns, but the file started with {expected} ({format})")]
    ColumnCount {
        /// Line of the row.
        line: u64,
        /// Columns in this row.
        found: usize,
        /// Columns in the first data row.
        expected: usize,
        /// The format the first row set.
        format: String,
    },
    /// A numeric field that does not parse.
    #[error("line {line}, column {column} ({name}): {value:?} is not a number")]
    NotNumeric {
        /// Line of the row.
        line: u64,
        /// 1-based column.
        column: usize,
        /// Feature name.
        name: String,
        /// The text found (shortened).
        value: String,
    },
    /// NaN, infinity, or a number too large for `f32`.
    #[error("line {line}, column {column} ({name}): {value:?} is not a finite number")]
    NotFinite {
        /// Line of the row.
        line: u64,
        /// 1-based column.
        column: usize,
        /// Feature name.
        name: String,
        /// The text found (shortened).
        value: String,
    },
    /// A negative value where KDD has only counts, bytes, seconds and rates.
    #[error("line {line}, column {column} ({name}): {value:?} is negative; KDD features are never negative")]
    Negative {
        /// Line of the row.
        line: u64,
        /// 1-based column.
        column: usize,
        /// Feature name.
        name: String,
        /// The text found.
        value: String,
    },
    /// An empty symbolic field or label.
    #[error("line {line}, column {column} ({name}): the value is empty")]
    EmptyField {
        /// Line of the row.
        line: u64,
        /// 1-based column.
        column: usize,
        /// Column name.
        name: String,
    },
    /// A NUL (or other control) byte inside a field: binary data, not text.
    #[error("line {line}, column {column} ({name}): a NUL byte; this is not a text file")]
    NulByte {
        /// Line of the row.
        line: u64,
        /// 1-based column.
        column: usize,
        /// Column name.
        name: String,
    },
    /// Fields separated by something other than commas.
    #[error("line {line}: the fields are separated by {separator}; a KDD file separates them with commas")]
    Separator {
        /// Line of the row.
        line: u64,
        /// "tabs" or "semicolons".
        separator: &'static str,
    },
    /// A file read again (to score it) no longer matches what was read the first time.
    #[error("the file changed since it was loaded ({found} rows where {expected} were read); load it again")]
    Changed {
        /// Rows read the first time.
        expected: usize,
        /// Rows read now.
        found: usize,
    },
    /// NSL-KDD's difficulty column is not an integer 0–255.
    #[error("line {line}, column 43 (difficulty): {value:?} is not a difficulty level (a whole number 0-255; NSL-KDD uses 0-21)")]
    Difficulty {
        /// Line of the row.
        line: u64,
        /// The text found.
        value: String,
    },
}

impl LoadError {
    /// The line and (1-based) column the error names, where it names them.
    pub fn position(&self) -> (Option<u64>, Option<usize>) {
        use LoadError::*;
        match self {
            NotNumeric { line, column, .. }
            | NotFinite { line, column, .. }
            | Negative { line, column, .. }
            | EmptyField { line, column, .. }
            | NulByte { line, column, .. } => (Some(*line), Some(*column)),
            Difficulty { line, .. } => (Some(*line), Some(43)),
            Gzip { line, .. }
            | Io { line, .. }
            | LineTooLong { line }
            | Arff { line, .. }
            | UnknownFormat { line, .. }
            | NearHeader { line, .. }
            | ChooseLabel { line, .. }
            | ChooseNormal { line, .. }
            | NoLabelColumn { line, .. }
            | ColumnCount { line, .. }
            | Separator { line, .. } => (Some(*line), None),
            Empty
            | NoRows
            | Tar { .. }
            | ZipCorrupt(_)
            | ZipEntry { .. }
            | ZipNoEntry { .. }
            | ZipChoose { .. }
            | NotText(_)
            | Utf16
            | Changed { .. } => (None, None),
        }
    }
}

/// Names for a message: the first eight, then how many more.
fn list(names: &[String]) -> String {
    let mut out: Vec<String> = names.iter().take(8).cloned().collect();
    if names.len() > 8 {
        out.push(format!("and {} more", names.len() - 8));
    }
    if out.is_empty() {
        "nothing".into()
    } else {
        out.join(", ")
    }
}

/// A failed read of the text: a line too long (see `line_cap`), the gzip stream, or I/O.
pub(crate) fn read_failed(gzipped: bool, line: u64, e: std::io::Error) -> LoadError {
    if let Some(line) = super::line_cap::too_long(&e) {
        LoadError::LineTooLong { line }
    } else if gzipped {
        LoadError::Gzip { line, detail: e.to_string() }
    } else {
        LoadError::Io { line, source: e }
    }
}

impl LoadError {
    /// What a header CSV needs chosen, as the error that asks for it.
    pub(super) fn from_needs(needs: super::schema::custom::Needs, line: u64, found: usize) -> Self {
        use super::schema::custom::Needs;
        match needs {
            Needs::Label(columns) => Self::ChooseLabel { line, found, columns },
            Needs::Normal { column, values } => Self::ChooseNormal { line, column, values },
            Needs::NoColumn(column) => Self::NoLabelColumn { line, column },
        }
    }
}

/// A guess at a headerless file's dataset from its column count.
fn hint(found: usize) -> &'static str {
    match found {
        45 => "; 45 columns is UNSW-NB15's layout: put its header row back",
        49 => "; 49 columns is UNSW-NB15's raw UNSW-NB15_1..4.csv layout, which is not read: use its training or testing set",
        79 => "; 79 columns is CIC-IDS2017's layout: put its header row back",
        _ => "",
    }
}
