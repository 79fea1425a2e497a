//! Load: KDD Cup 99 / NSL-KDD files into a [`Table`], labels into categories, and the
//! evaluation protocols that split tables into training normals and test sets.

pub mod columns;
pub mod labels;
pub mod load;
mod load_error;
pub mod protocol;
pub mod rows;
pub mod schema;
pub mod streamed;
pub mod synth;
pub mod table;

pub use labels::Category;
pub use load::{read, read_bytes, read_with_progress, LoadError, Reader};
pub use protocol::{Preset, Split, SplitError, Subset};
pub use rows::Rows;
pub use schema::Format;
pub use table::{Symbols, Table};
