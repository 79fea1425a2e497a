//! Load: flow tables — KDD Cup 99 / NSL-KDD (text, ARFF), UNSW-NB15, CIC-IDS2017; gzipped or
//! zipped — into a [`Table`] by their [`Schema`], and the evaluation protocols that split
//! tables into training normals and test sets.

pub mod arff;
pub mod columns;
mod fields;
mod line_cap;
pub mod load;
mod load_error;
pub mod protocol;
pub mod rows;
pub mod schema;
pub mod sniff;
pub mod streamed;
pub mod synth;
pub mod table;
pub mod zip;

pub use load::{
    read, read_bytes, read_bytes_entry, read_entry_with_progress, read_with_options, read_with_progress, zip_entry,
    LoadError, ReadOptions, Reader,
};
pub use protocol::{Preset, Split, SplitError, Subset};
pub use rows::Rows;
pub use schema::{Format, LabelChoice, NonFinite, Schema};
pub use table::{Symbols, Table};
