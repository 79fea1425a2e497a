//! The catalogue's model files: a tiny Isolation Forest trained through
//! [`pipeline::train`] on generated normals, written whole, cut, flipped, foreign, and
//! with another model's preparation in its header.

use super::bytes::{gzip, png};
use super::{err, kdd, Case, Expect, Outcome, Target};
use crate::data::{self, protocol};
use crate::detect::{Control, ForestConfig, ModelKind};
use crate::pipeline::{self, TrainSettings};
use crate::prepare::{Encoding, PrepareConfig};

/// Model files: a tiny Isolation Forest trained on synthetic normals.
struct Models {
    /// Label encoding (the default preparation).
    label: Vec<u8>,
    /// One-hot encoding with log1p.
    one_hot: Vec<u8>,
    /// The label-encoded forest with the one-hot model's preparation in its header.
    mismatched: Vec<u8>,
}

fn tiny_forest(encoding: Encoding, log1p: bool) -> Result<crate::model_file::Model, crate::Error> {
    let table = data::read_bytes(kdd(400, 5).as_bytes())?;
    let split = protocol::single_file(&table)?;
    let settings = TrainSettings {
        forest: ForestConfig { n_estimators: 4, max_samples: 64, ..ForestConfig::default() },
        prepare: PrepareConfig::new(encoding, log1p),
        ..TrainSettings::default()
    };
    pipeline::train(&settings, &split.train, "single-file (catalogue)", &mut |_| Control::Continue)
}

fn models() -> Result<Models, crate::Error> {
    let label = tiny_forest(Encoding::Label, false)?;
    let one_hot = tiny_forest(Encoding::OneHot, true)?;
    let mut mismatched = label.clone();
    mismatched.header.preparation = one_hot.header.preparation.clone();
    Ok(Models { label: label.to_bytes()?, one_hot: one_hot.to_bytes()?, mismatched: mismatched.to_bytes()? })
}

fn model(name: &'static str, what: &'static str, bytes: impl Into<Vec<u8>>, expect: Expect) -> Case {
    Case { name, what, target: Target::ModelFile, bytes: bytes.into(), expect }
}

pub(super) fn cases() -> Vec<Case> {
    let m = match models() {
        Ok(m) => m,
        // Cannot happen with the generator's data; an empty list makes the suites fail loudly.
        Err(_) => return Vec::new(),
    };
    let header_len = m.label.get(12..16).map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
    let mut flipped_header = m.label.clone();
    // The header is JSON from byte 16; damage its first key.
    for b in flipped_header.iter_mut().skip(17).take(4) {
        *b ^= 0xFF;
    }
    let mut flipped_payload = m.label.clone();
    // The last node of a forest is always a leaf; flipping its value's top byte makes it
    // negative or not finite, which no leaf may be.
    if let Some(last) = flipped_payload.last_mut() {
        *last ^= 0xFF;
    }
    let mut newer = m.label.clone();
    if let Some(v) = newer.get_mut(8..12) {
        v.copy_from_slice(&7u32.to_le_bytes());
    }
    vec![
        model(
            "model-one-hot.nam",
            "a valid Isolation Forest trained with another preparation (one-hot, log1p): it carries its own",
            m.one_hot,
            Expect::Loads { outcome: Outcome::Model { kind: ModelKind::If } },
        ),
        model("model-empty.nam", "an empty model file", Vec::new(), err(&["not a netanomaly model file"])),
        model(
            "model-truncated-header.nam",
            "a model file cut inside its JSON header",
            m.label[..16 + header_len / 2].to_vec(),
            err(&["model file is truncated", "header"]),
        ),
        model(
            "model-truncated-payload.nam",
            "a model file cut inside the forest's node arrays",
            m.label[..m.label.len() - 10].to_vec(),
            err(&["if payload is damaged", "Isolation Forest"]),
        ),
        model(
            "model-flipped-header.nam",
            "a model file with four bytes of its header flipped",
            flipped_header,
            err(&["model file header is damaged"]),
        ),
        model(
            "model-flipped-payload.nam",
            "a model file with the last byte of its forest flipped",
            flipped_payload,
            err(&["if payload is damaged", "is damaged"]),
        ),
        model("model-newer-version.nam", "a model file claiming layout version 7", newer, err(&["version 7 is newer"])),
        model(
            "model-is-data.nam",
            "a KDD csv file loaded as a model",
            kdd(5, 112),
            err(&["not a netanomaly model file"]),
        ),
        model("model-is-png.nam", "a PNG image loaded as a model", png(), err(&["not a netanomaly model file"])),
        model(
            "model-is-gzip.nam",
            "a gzipped model file (the page wants the .nam itself)",
            gzip(&m.label),
            err(&["not a netanomaly model file"]),
        ),
        model(
            "model-mismatched-preparation.nam",
            "a label-encoded forest whose header carries a one-hot preparation",
            m.mismatched,
            err(&["model file is inconsistent", "features"]),
        ),
    ]
}
