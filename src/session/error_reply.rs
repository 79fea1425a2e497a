//! [`ErrorReply`]: a failure as the page needs it — the stage, the message, the line and
//! column it names, and what the user may choose to go on (a zip entry, a CSV's label
//! column or normal value) — so the page never parses message text.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::detect::ModelKind;
use crate::Error;

/// A failure, as the page needs it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct ErrorReply {
    /// The stage that failed (`load`, `split`, `model_file`, `session`, `request`, …).
    pub code: String,
    /// For people.
    pub message: String,
    /// The file line it names, if any.
    pub line: Option<u64>,
    /// The 1-based column it names, if any.
    pub column: Option<usize>,
    /// The model it concerns, if any (a training or re-scoring failure).
    pub kind: Option<ModelKind>,
    /// The WebAssembly module trapped: the worker must be restarted.
    #[serde(default)]
    pub fatal: bool,
    /// What the user may choose from to go on: a zip archive's data files (send the
    /// load again with one as its `entry`), a CSV's candidate label columns or its label
    /// values (send it again with `label`).
    #[serde(default)]
    pub choices: Vec<String>,
    /// What `choices` are: `entry`, `label` (a column; none is also a choice) or
    /// `normal` (the label column named in `choosing_column`); empty when none.
    #[serde(default)]
    pub choosing: String,
    /// The label column whose normal values are being chosen.
    #[serde(default)]
    pub choosing_column: Option<String>,
}

impl ErrorReply {
    /// From a library error.
    pub fn of(e: &Error, kind: Option<ModelKind>) -> Self {
        let (line, column) = e.position();
        use crate::data::LoadError as L;
        let (choosing, choices, choosing_column) = match e {
            Error::Load(L::ZipChoose { entries }) => ("entry", entries.clone(), None),
            Error::Load(L::ChooseLabel { columns, .. }) => ("label", columns.clone(), None),
            Error::Load(L::ChooseNormal { column, values, .. }) => ("normal", values.clone(), Some(column.clone())),
            _ => ("", Vec::new(), None),
        };
        Self {
            code: e.code().into(),
            message: e.to_string(),
            line,
            column,
            kind,
            fatal: false,
            choices,
            choosing: choosing.into(),
            choosing_column,
        }
    }

    /// A request that cannot be understood or answered.
    pub fn request(message: impl Into<String>) -> Self {
        Self {
            code: "request".into(),
            message: message.into(),
            line: None,
            column: None,
            kind: None,
            fatal: false,
            choices: Vec::new(),
            choosing: String::new(),
            choosing_column: None,
        }
    }
}
