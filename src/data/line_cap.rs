//! A line far longer than any record is refused as soon as it is seen, not read whole:
//! the reader below counts the bytes since the last line break as the text passes
//! through, and fails the read past [`MAX_LINE`]. (Without it the row parser buffers
//! the whole line: a 200 MB single-line file took 791 MB of memory.)

use std::io::{self, Read};

/// The longest line accepted, in bytes. A KDD record is 100–200 bytes, a CIC-IDS2017
/// row under 1 kB, an ARFF attribute line with every `service` value about 1 kB.
pub const MAX_LINE: usize = 1 << 20;

/// The error a capped reader fails with; its payload is the 1-based line.
#[derive(Debug)]
pub struct LineTooLong(pub u64);

impl std::fmt::Display for LineTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {} is longer than {} bytes", self.0, MAX_LINE)
    }
}

impl std::error::Error for LineTooLong {}

/// The line an I/O error from a [`LineCap`] names, when it is that error.
pub fn too_long(e: &io::Error) -> Option<u64> {
    e.get_ref().and_then(|inner| inner.downcast_ref::<LineTooLong>()).map(|l| l.0)
}

/// Text passed through unchanged, counting line breaks and the bytes since the last.
pub struct LineCap<R> {
    inner: R,
    /// Line breaks seen.
    lines: u64,
    /// Bytes since the last line break.
    run: usize,
}

impl<R: Read> LineCap<R> {
    /// Cap the lines of `inner`; `first_line` is the 1-based number of its first line.
    pub fn new(inner: R, first_line: u64) -> Self {
        Self { inner, lines: first_line.saturating_sub(1), run: 0 }
    }
}

impl<R: Read> Read for LineCap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let got = &buf[..n];
        match memchr::memrchr(b'\n', got) {
            Some(last) => {
                self.lines += memchr::memchr_iter(b'\n', got).count() as u64;
                self.run = n - last - 1;
            }
            None => self.run += n,
        }
        if self.run > MAX_LINE {
            return Err(io::Error::new(io::ErrorKind::InvalidData, LineTooLong(self.lines + 1)));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_fails_early_and_is_named() {
        let mut text = b"a,b\nc,d\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', 3 * MAX_LINE));
        let mut capped = LineCap::new(&text[..], 1);
        let mut read = 0usize;
        let mut buf = vec![0u8; 64 * 1024];
        let err = loop {
            match capped.read(&mut buf) {
                Ok(0) => panic!("read to the end"),
                Ok(n) => read += n,
                Err(e) => break e,
            }
        };
        assert_eq!(too_long(&err), Some(3));
        assert!(read <= MAX_LINE + 64 * 1024, "{read} bytes read before the refusal");
        // Ordinary lines pass untouched.
        let mut out = Vec::new();
        LineCap::new(&b"1,2\n3,4\n"[..], 1).read_to_end(&mut out).unwrap();
        assert_eq!(out, b"1,2\n3,4\n");
    }
}
