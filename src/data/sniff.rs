//! What a file is, from its first bytes: text (and whether ARFF), gzip, zip, tar, or a
//! binary format named for a useful message.

use std::io::Read;

use super::load_error::LoadError;

/// Bytes inspected before parsing (magic numbers, BOM, NUL bytes).
pub const HEAD: usize = 4096;

/// Read up to [`HEAD`] bytes (however few each read returns), keeping the rest unread.
pub fn split_head<R: Read>(mut reader: R) -> std::io::Result<(Vec<u8>, R)> {
    let mut head = Vec::with_capacity(HEAD);
    (&mut reader).take(HEAD as u64).read_to_end(&mut head)?;
    Ok((head, reader))
}

/// Whether `head` starts a zip archive (a local file header, or an empty archive).
pub fn is_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
}

/// Whether `head` starts a tar archive: POSIX `ustar` (or GNU `ustar  `) at byte 257.
pub fn is_tar(head: &[u8]) -> bool {
    head.get(257..262) == Some(b"ustar")
}

/// Refuse what is not UTF-8/ASCII text: nothing, other formats, wide encodings, NUL bytes.
/// `gzipped`: whether this text came out of gzip (for the tar message).
pub fn check_text(head: &[u8], gzipped: bool) -> Result<(), LoadError> {
    if head.is_empty() {
        return Err(LoadError::Empty);
    }
    if is_tar(head) {
        return Err(LoadError::Tar { gzipped });
    }
    sniff_binary(head)?;
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Err(LoadError::Utf16);
    }
    if let Some(at) = head.iter().position(|&b| b == 0) {
        // Every other byte zero near the start: UTF-16 without a byte-order mark.
        let zeros = head.iter().filter(|&&b| b == 0).count();
        if zeros * 3 >= head.len() && at <= 1 {
            return Err(LoadError::Utf16);
        }
        if zeros > 8 {
            return Err(LoadError::NotText(format!("it contains NUL bytes, the first at byte {at}")));
        }
        // A stray NUL or two in text: the row parser names its line and column.
    }
    Ok(())
}

/// Recognise common binary formats by their first bytes, for a useful message.
fn sniff_binary(head: &[u8]) -> Result<(), LoadError> {
    const KNOWN: [(&[u8], &str); 8] = [
        (b"PK\x03\x04", "a zip archive inside another archive; extract the inner one first"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"%PDF", "a PDF document"),
        (b"BZh", "bzip2 data"),
        (b"\xFD7zXZ", "xz data"),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
    ];
    for (magic, what) in KNOWN {
        if head.starts_with(magic) {
            return Err(LoadError::NotText(format!("it is {what}")));
        }
    }
    Ok(())
}

/// Whether the text starts (after blank and `%` comment lines) with an ARFF header line.
pub fn is_arff(text_head: &[u8]) -> bool {
    let text = text_head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(text_head);
    text.split(|&b| b == b'\n').map(<[u8]>::trim_ascii).find(|l| !l.is_empty() && !l.starts_with(b"%")).is_some_and(
        |l| {
            let lower = l.to_ascii_lowercase();
            lower.starts_with(b"@relation") || lower.starts_with(b"@attribute")
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archives_and_arff_are_recognised() {
        let mut tar = vec![0u8; 512];
        tar[..8].copy_from_slice(b"kdd.csv\0");
        tar[257..263].copy_from_slice(b"ustar\0");
        assert!(is_tar(&tar));
        assert!(matches!(check_text(&tar, true), Err(LoadError::Tar { gzipped: true })));
        assert!(!is_tar(b"0,tcp,http,SF"));
        assert!(is_zip(b"PK\x03\x04rest"));
        assert!(is_arff(b"% a comment\n\n@RELATION 'KDDTrain'\n@attribute 'duration' real\n"));
        assert!(is_arff(b"@attribute duration numeric\n"));
        assert!(!is_arff(b"0,tcp,http,SF,181,5450\n"));
        assert!(!is_arff(b"# @relation in a comment\n0,tcp\n"));
    }
}
