//! A browser `Blob` (a dropped `File`) as a [`Source`]: read from its start in slices
//! with the worker's synchronous `FileReaderSync`, so a file of any size is never
//! copied whole into memory.

use std::io::Read;

use js_sys::Uint8Array;
use wasm_bindgen::JsValue;
use web_sys::{Blob, FileReaderSync};

use super::js_text;
use crate::data::streamed::Source;

/// A `Blob` read from its start in slices with `FileReaderSync` (workers only).
pub(super) struct BlobSource {
    pub(super) blob: Blob,
}

impl Source for BlobSource {
    fn open(&self) -> std::io::Result<Box<dyn Read + '_>> {
        let reader = FileReaderSync::new().map_err(|e| io_error(&e))?;
        Ok(Box::new(BlobReader { blob: &self.blob, reader, at: 0.0, buffer: Vec::new(), used: 0 }))
    }

    fn ends(&self) -> Option<(u64, [u8; 2], [u8; 4])> {
        let size = self.blob.size();
        if size < 6.0 {
            return None;
        }
        let reader = FileReaderSync::new().ok()?;
        let read = |from, to| read_slice(&reader, &self.blob, from, to).ok();
        let (head, tail) = (read(0.0, 2.0)?, read(size - 4.0, size)?);
        Some((size as u64, head.try_into().ok()?, tail.try_into().ok()?))
    }
}

/// Slices of this size are read at a time.
const BLOB_SLICE: f64 = 4.0 * 1024.0 * 1024.0;

struct BlobReader<'a> {
    blob: &'a Blob,
    reader: FileReaderSync,
    at: f64,
    buffer: Vec<u8>,
    used: usize,
}

impl Read for BlobReader<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.used == self.buffer.len() {
            let size = self.blob.size();
            if self.at >= size {
                return Ok(0);
            }
            let end = (self.at + BLOB_SLICE).min(size);
            self.buffer = read_slice(&self.reader, self.blob, self.at, end).map_err(|e| io_error(&e))?;
            self.used = 0;
            self.at = end;
        }
        let n = out.len().min(self.buffer.len() - self.used);
        out[..n].copy_from_slice(&self.buffer[self.used..self.used + n]);
        self.used += n;
        Ok(n)
    }
}

/// Bytes `from..to` of `blob`, read synchronously.
fn read_slice(reader: &FileReaderSync, blob: &Blob, from: f64, to: f64) -> Result<Vec<u8>, JsValue> {
    let slice = blob.slice_with_f64_and_f64(from, to)?;
    let bytes: JsValue = reader.read_as_array_buffer(&slice)?.into();
    Ok(Uint8Array::new(&bytes).to_vec())
}

fn io_error(e: &JsValue) -> std::io::Error {
    std::io::Error::other(format!("reading the file failed: {}", js_text(e)))
}
