//! Shared by the wasm-bindgen tests: JSON values to and from JS as the worker sends
//! them, and a progress callback that never asks to stop.
#![allow(dead_code)]

use js_sys::Function;
use serde_json::Value;
use wasm_bindgen::JsValue;

/// A JSON value as JS (maps as plain objects, like the worker's messages).
pub fn js(v: Value) -> JsValue {
    serde::Serialize::serialize(&v, &serde_wasm_bindgen::Serializer::json_compatible()).unwrap()
}

/// A JS value as JSON.
pub fn rust(v: JsValue) -> Value {
    serde_wasm_bindgen::from_value(v).unwrap()
}

/// A progress callback whose falsy return never stops the work.
pub fn never_stop() -> Function {
    Function::new_with_args("p", "return false")
}
