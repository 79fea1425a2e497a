//! The catalogue's file makers: gzip, zip and tar archives, images and a PDF, random
//! bytes — every byte made here, none cut from real data.

use std::io::Write;

pub(super) fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

pub(super) fn zlib(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

pub(super) fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    crc.sum()
}

pub(super) fn garbage(n: usize, seed: u64) -> Vec<u8> {
    let mut rng = crate::rng::Rng::new(seed);
    // Start with a byte no sniffed format starts with, so the case is "garbage", not "gzip".
    std::iter::once(0x07).chain((1..n).map(|_| rng.next_u64() as u8)).collect()
}

/// How a zip entry is written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ZipMethod {
    /// Stored, sizes in the local header.
    Stored,
    /// Deflated, sizes in the local header.
    Deflated,
    /// Deflated, sizes only in a data descriptor after the data (as a streaming zipper writes).
    DeflatedStreaming,
    /// Claims a compression method the reader does not have (bzip2, 12), data stored.
    Bzip2,
}

/// A real zip archive of `entries` (name, bytes, method), with its central directory.
pub(super) fn zip_of(entries: &[(&str, &[u8], ZipMethod)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for &(name, data, method) in entries {
        let crc = crc32(data);
        let packed = match method {
            ZipMethod::Stored | ZipMethod::Bzip2 => data.to_vec(),
            ZipMethod::Deflated | ZipMethod::DeflatedStreaming => deflate(data),
        };
        let (code, flags) = match method {
            ZipMethod::Stored => (0u16, 0u16),
            ZipMethod::Deflated => (8, 0),
            ZipMethod::DeflatedStreaming => (8, 8),
            ZipMethod::Bzip2 => (12, 0),
        };
        let streaming = flags & 8 != 0;
        let (n, size, csize) = (name.len() as u16, data.len() as u32, packed.len() as u32);
        let offset = out.len() as u32;
        out.extend_from_slice(b"PK\x03\x04");
        for v in [20u16, flags, code, 0, 0x21] {
            out.extend_from_slice(&v.to_le_bytes()); // version, flags, method, time, date
        }
        for v in if streaming { [0, 0, 0] } else { [crc, csize, size] } {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&packed);
        if streaming {
            out.extend_from_slice(b"PK\x07\x08");
            for v in [crc, csize, size] {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        central.extend_from_slice(b"PK\x01\x02");
        for v in [20u16, 20, flags, code, 0, 0x21] {
            central.extend_from_slice(&v.to_le_bytes()); // made by, needed, flags, method, time, date
        }
        for v in [crc, csize, size] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        for v in [n, 0, 0, 0, 0] {
            central.extend_from_slice(&v.to_le_bytes()); // name, extra, comment lengths, disk, internal attrs
        }
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let (start, len) = (out.len() as u32, central.len() as u32);
    out.extend_from_slice(&central);
    // End of central directory.
    out.extend_from_slice(b"PK\x05\x06");
    let count = entries.len() as u16;
    for v in [0u16, 0, count, count] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// Raw deflate (no zlib or gzip wrapper), as zip stores it.
pub(super) fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

/// A POSIX (ustar) tar archive of one file.
pub(super) fn tar_of(name: &str, data: &[u8]) -> Vec<u8> {
    let mut header = [0u8; 512];
    header[..name.len().min(100)].copy_from_slice(&name.as_bytes()[..name.len().min(100)]);
    header[100..108].copy_from_slice(b"0000644\0");
    header[108..116].copy_from_slice(b"0000000\0");
    header[116..124].copy_from_slice(b"0000000\0");
    header[124..136].copy_from_slice(format!("{:011o}\0", data.len()).as_bytes());
    header[136..148].copy_from_slice(b"00000000000\0");
    header[156] = b'0';
    header[257..263].copy_from_slice(b"ustar\0");
    header[263..265].copy_from_slice(b"00");
    // The checksum is computed with its own field as spaces.
    header[148..156].copy_from_slice(b"        ");
    let sum: u32 = header.iter().map(|&b| u32::from(b)).sum();
    header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    let mut out = header.to_vec();
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512 + 1024, 0);
    out
}

/// A valid 8×8 grey PNG image.
pub(super) fn png() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&8u32.to_be_bytes());
    ihdr.extend_from_slice(&8u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit greyscale, no interlace
    chunk(&mut out, b"IHDR", &ihdr);
    let raw: Vec<u8> = (0..8u8).flat_map(|y| std::iter::once(0).chain((0..8u8).map(move |x| x * 16 + y))).collect();
    chunk(&mut out, b"IDAT", &zlib(&raw));
    chunk(&mut out, b"IEND", &[]);
    out
}

/// The start of a JPEG/JFIF file (SOI, APP0) and its end marker.
pub(super) fn jpeg() -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    out.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// A minimal one-page PDF.
pub(super) fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
      2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n\
      trailer << /Root 1 0 R >>\n%%EOF\n"
        .to_vec()
}
