//! One model-file format for every detector: a tag, a JSON header (kind, settings,
//! the fitted feature preparation, threshold, training protocol, a hash of the
//! training data, metrics measured at training time) and the detector's own bytes.

use serde::{Deserialize, Serialize};

use crate::data::Subset;
use crate::detect::{Backend, Detector, ModelKind};
use crate::prepare::Preparation;

const MAGIC: &[u8; 8] = b"NAMODEL\x01";
/// Version of the header layout written by this build.
pub const VERSION: u32 = 1;

/// Why a model file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ModelFileError {
    /// Wrong tag: some other file.
    #[error("this is not a netanomaly model file (it does not start with the model tag)")]
    NotAModel,
    /// Written by a newer layout.
    #[error("model file version {0} is newer than this build understands ({VERSION})")]
    Version(u32),
    /// Cut short.
    #[error("the model file is truncated ({0})")]
    Truncated(&'static str),
    /// Header JSON that does not parse.
    #[error("the model file header is damaged: {0}")]
    Header(String),
    /// The detector bytes are damaged.
    #[error("the model's {kind} payload is damaged: {detail}")]
    Payload {
        /// Which detector.
        kind: ModelKind,
        /// What was wrong.
        detail: String,
    },
    /// Parts that do not fit together.
    #[error("the model file is inconsistent: {0}")]
    Mismatch(String),
    /// A model of one dataset asked to score another's rows.
    #[error("{0}")]
    OtherSchema(String),
}

/// A few headline numbers measured at training time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Test set name.
    pub test_set: String,
    /// ROC AUC.
    pub roc_auc: f64,
    /// Average precision.
    pub average_precision: f64,
    /// F1 at the threshold.
    pub f1: f64,
}

/// Everything about a model except the detector's own bytes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelHeader {
    /// Detector kind.
    pub kind: ModelKind,
    /// Its hyper-parameters.
    pub config: serde_json::Value,
    /// The fitted feature preparation, applied before scoring.
    pub preparation: Preparation,
    /// Decision threshold on the score.
    pub threshold: f64,
    /// Protocol it was trained with (`nsl`, `kdd10-holdout`, …).
    pub protocol: String,
    /// Number of training rows.
    pub train_rows: u64,
    /// FNV-1a hash of the training rows (features and categories), in hex.
    pub data_hash: String,
    /// Metrics measured right after training.
    pub metrics: Vec<Summary>,
    /// The program that wrote it.
    pub created_by: String,
}

/// A trained model: its preparation plus the detector.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// Header.
    pub header: ModelHeader,
    /// The detector.
    pub detector: Detector,
}

impl Model {
    /// Serialise to one byte blob.
    pub fn to_bytes(&self) -> Result<Vec<u8>, crate::Error> {
        let header = serde_json::to_vec(&self.header).unwrap_or_default();
        let payload = self.detector.to_bytes()?;
        let mut out = Vec::with_capacity(16 + header.len() + payload.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(header.len() as u32).to_le_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(&payload);
        Ok(out)
    }

    /// Read a blob written by [`Model::to_bytes`], checking that its parts agree
    /// (autoencoders run on the default backend).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelFileError> {
        Self::from_bytes_on(bytes, Backend::default())
    }

    /// [`Model::from_bytes`] with autoencoders placed on `backend`.
    pub fn from_bytes_on(bytes: &[u8], backend: Backend) -> Result<Self, ModelFileError> {
        let rest = bytes.strip_prefix(MAGIC).ok_or(ModelFileError::NotAModel)?;
        let word = |b: &[u8]| -> Option<u32> { Some(u32::from_le_bytes(b.get(..4)?.try_into().ok()?)) };
        let version = word(rest).ok_or(ModelFileError::Truncated("version"))?;
        if version > VERSION || version == 0 {
            return Err(ModelFileError::Version(version));
        }
        let len = word(&rest[4..]).ok_or(ModelFileError::Truncated("header length"))? as usize;
        let rest = &rest[8..];
        if rest.len() < len {
            return Err(ModelFileError::Truncated("header"));
        }
        let header: ModelHeader =
            serde_json::from_slice(&rest[..len]).map_err(|e| ModelFileError::Header(e.to_string()))?;
        let detector = Detector::from_bytes(header.kind, &rest[len..], backend)
            .map_err(|e| ModelFileError::Payload { kind: header.kind, detail: e.to_string() })?;
        let prep = &header.preparation;
        prep.check().map_err(ModelFileError::Mismatch)?;
        if prep.scale.iter().any(|s| !(s.is_finite() && *s > 0.0)) || prep.mean.iter().any(|m| !m.is_finite()) {
            return Err(ModelFileError::Mismatch("preparation holds a non-finite or zero scale".into()));
        }
        if detector.n_features() != prep.n_features() {
            return Err(ModelFileError::Mismatch(format!(
                "the detector takes {} features but the preparation makes {}",
                detector.n_features(),
                prep.n_features()
            )));
        }
        Ok(Self { header, detector })
    }
}

/// FNV-1a 64 over the training rows' numeric bits and category names.
pub fn data_hash(rows: &Subset<'_>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for &r in rows.rows.iter() {
        for v in rows.table.numeric.row(r) {
            eat(&v.to_bits().to_le_bytes());
        }
        for s in &rows.table.symbolic {
            eat(s.get(r).as_bytes());
            eat(b",");
        }
    }
    format!("{h:016x}")
}
