//! Which tensor backend runs the autoencoders: burn-flex (pure Rust, native and wasm,
//! the default) or burn-ndarray (only with the `ndarray` cargo feature), and its device.

use burn::prelude::*;
use serde::{Deserialize, Serialize};

use super::network::AeError;

/// Which tensor backend runs the networks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// burn-flex: pure Rust, native and wasm (the default).
    #[default]
    Flex,
    /// burn-ndarray (deprecated in burn 0.22), only with the `ndarray` cargo feature.
    NdArray,
}

impl Backend {
    /// The device for inference.
    pub fn device(self) -> Result<Device, AeError> {
        match self {
            Self::Flex => Ok(Device::flex()),
            Self::NdArray => ndarray_device(),
        }
    }

    /// Name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Flex => "flex",
            Self::NdArray => "ndarray",
        }
    }
}

impl std::str::FromStr for Backend {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "flex" => Ok(Self::Flex),
            "ndarray" => Ok(Self::NdArray),
            _ => Err(format!("unknown backend {s:?}; choose flex or ndarray")),
        }
    }
}

// The one place a cargo feature reaches into the core: burn-ndarray is optional.
#[cfg(feature = "ndarray")]
#[allow(deprecated)]
fn ndarray_device() -> Result<Device, AeError> {
    Ok(Device::ndarray())
}

#[cfg(not(feature = "ndarray"))]
fn ndarray_device() -> Result<Device, AeError> {
    Err(AeError::Backend("this build has no ndarray backend (build with --features ndarray)".into()))
}
