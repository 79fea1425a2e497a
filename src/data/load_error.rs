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
    /// A zip archive rather than text or gzip.
    #[error("this is a zip archive; unzip it and load the .csv/.txt inside (or gzip it)")]
    Zip,
    /// Binary content that is not gzip.
    #[error("this is not a text file ({0}); expected KDD records as csv/txt, optionally gzipped")]
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
    /// The first data row has a column count no KDD format has.
    #[error("line {line}: {found} columns; a KDD file has 41 (no label), 42 (KDD Cup 99) or 43 (NSL-KDD)")]
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
        format: &'static str,
    },
    /// A numeric field that does not parse.
    #[error("line {line}, column {column} ({name}): {value:?} is not a number")]
    NotNumeric {
        /// Line of the row.
        line: u64,
        /// 1-based column.
        column: usize,
        /// Feature name.
        name: &'static str,
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
        name: &'static str,
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
        name: &'static str,
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
        name: &'static str,
    },
    /// A NUL (or other control) byte inside a field: binary data, not text.
    #[error("line {line}, column {column} ({name}): a NUL byte; this is not a text file")]
    NulByte {
        /// Line of the row.
        line: u64,
        /// 1-based column.
        column: usize,
        /// Column name.
        name: &'static str,
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
            | UnknownFormat { line, .. }
            | ColumnCount { line, .. }
            | Separator { line, .. } => (Some(*line), None),
            Empty | NoRows | Zip | NotText(_) | Utf16 | Changed { .. } => (None, None),
        }
    }
}
