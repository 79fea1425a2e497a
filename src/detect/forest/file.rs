//! The forest as bytes: a magic tag, a JSON header (settings, sizes, threshold), then
//! the flat node arrays; reading checks every index, so a damaged file is an error,
//! never a panic or an endless walk at scoring time.

use serde::{Deserialize, Serialize};

use super::{ForestConfig, ForestError, IsolationForest, LEAF};

impl IsolationForest {
    /// Serialise: a magic tag, a JSON header (settings), then the node arrays.
    pub fn to_bytes(&self) -> Vec<u8> {
        #[derive(Serialize)]
        struct Header<'a> {
            config: &'a ForestConfig,
            n_features: usize,
            psi: usize,
            threshold: f64,
            n_trees: usize,
            n_nodes: usize,
        }
        let header = serde_json::to_vec(&Header {
            config: &self.config,
            n_features: self.n_features,
            psi: self.psi,
            threshold: self.threshold,
            n_trees: self.n_trees(),
            n_nodes: self.n_nodes(),
        })
        .unwrap_or_default();
        let mut out = Vec::with_capacity(16 + header.len() + 4 * (self.roots.len() + 3 * self.n_nodes()));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(header.len() as u32).to_le_bytes());
        out.extend_from_slice(&header);
        for v in self.roots.iter().chain(&self.feature).chain(&self.left) {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in &self.value {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// Deserialise and check every index, so a damaged file is an error, never a
    /// panic or an endless walk at scoring time.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ForestError> {
        #[derive(Deserialize)]
        struct Header {
            config: ForestConfig,
            n_features: usize,
            psi: usize,
            threshold: f64,
            n_trees: usize,
            n_nodes: usize,
        }
        let bad = |m: &str| ForestError::Corrupt(m.to_string());
        let rest = bytes.strip_prefix(MAGIC).ok_or_else(|| bad("missing the forest tag"))?;
        let (len, rest) = take_u32s(rest, 1).ok_or_else(|| bad("truncated header"))?;
        let len = len[0] as usize;
        if rest.len() < len {
            return Err(bad("truncated header"));
        }
        let h: Header =
            serde_json::from_slice(&rest[..len]).map_err(|e| ForestError::Corrupt(format!("header: {e}")))?;
        let rest = &rest[len..];
        h.config.validate()?;
        if h.n_trees == 0 || h.n_features == 0 || h.psi == 0 {
            return Err(bad("empty forest"));
        }
        let expected = h.n_trees.checked_add(h.n_nodes.checked_mul(3).ok_or_else(|| bad("sizes"))?);
        if expected.and_then(|n| n.checked_mul(4)) != Some(rest.len()) {
            return Err(bad("node arrays have the wrong length"));
        }
        let (roots, rest) = take_u32s(rest, h.n_trees).ok_or_else(|| bad("roots"))?;
        let (feature, rest) = take_u32s(rest, h.n_nodes).ok_or_else(|| bad("features"))?;
        let (left, rest) = take_u32s(rest, h.n_nodes).ok_or_else(|| bad("children"))?;
        let value: Vec<f32> = rest.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
        for (i, &f) in feature.iter().enumerate() {
            let ok = if f == LEAF {
                value[i].is_finite() && value[i] >= 0.0
            } else {
                // Children come after their parent, so a walk always ends at a leaf.
                (f as usize) < h.n_features
                    && (left[i] as usize) > i
                    && (left[i] as usize) + 1 < h.n_nodes
                    && !value[i].is_nan()
            };
            if !ok {
                return Err(ForestError::Corrupt(format!("node {i} is damaged")));
            }
        }
        if roots.iter().any(|&r| r as usize >= h.n_nodes) {
            return Err(bad("a tree root points outside the forest"));
        }
        if !h.threshold.is_finite() {
            return Err(bad("threshold is not finite"));
        }
        Ok(Self {
            config: h.config,
            n_features: h.n_features,
            psi: h.psi,
            threshold: h.threshold,
            roots,
            feature,
            value,
            left,
        })
    }
}

const MAGIC: &[u8; 8] = b"NAFOREST";

fn take_u32s(bytes: &[u8], n: usize) -> Option<(Vec<u32>, &[u8])> {
    let size = n.checked_mul(4)?;
    if bytes.len() < size {
        return None;
    }
    let (head, rest) = bytes.split_at(size);
    Some((head.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect(), rest))
}
