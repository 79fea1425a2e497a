//! Zip archives read as a stream: the local headers in order, the chosen entry inflated
//! (flate2) as its rows are read, the archive never held whole. The `zip` crate's
//! streaming reader lends each entry out borrowed from the archive, which cannot feed a
//! row reader that owns its stream, and its archive reader needs `Seek`; a local header
//! is 30 bytes plus a name, so it is read here.

use std::io::{self, BufRead, Read};

use flate2::bufread::DeflateDecoder;

use super::load_error::LoadError;

/// One entry of an archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Its path in the archive.
    pub name: String,
    /// Its uncompressed size, when the header says.
    pub size: Option<u64>,
}

impl Entry {
    /// Whether it looks like a data file: not a folder, not macOS's metadata, not a
    /// document, image or program by its extension (so `kddcup.data_10_percent.gz`,
    /// `corrected`, `.csv`, `.txt` and `.arff` all are).
    pub fn is_data(&self) -> bool {
        let name = self.name.as_str();
        if name.ends_with('/') || name.split('/').any(|part| part == "__MACOSX") {
            return false;
        }
        let base = name.rsplit('/').next().unwrap_or(name);
        if base.starts_with('.') {
            return false;
        }
        let lower = base.to_ascii_lowercase();
        let lower = lower.strip_suffix(".gz").unwrap_or(&lower);
        // Documents, images and code beside the data, as the data sets' archives ship them.
        const NOT_DATA: [&str; 22] = [
            "html", "htm", "jpg", "jpeg", "png", "gif", "svg", "pdf", "md", "doc", "docx", "xls", "xlsx", "ppt",
            "json", "xml", "py", "ipynb", "r", "names", "zip", "exe",
        ];
        lower.rsplit_once('.').is_none_or(|(_, ext)| !NOT_DATA.contains(&ext))
    }
}

struct Header {
    entry: Entry,
    method: u16,
    flags: u16,
    compressed: u64,
    zip64: bool,
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn corrupt(detail: impl Into<String>) -> LoadError {
    LoadError::ZipCorrupt(detail.into())
}

fn io_corrupt(e: io::Error) -> LoadError {
    corrupt(format!("it ends early or is damaged ({e})"))
}

/// The next local header, or `None` at the central directory (the entries' end).
fn next_header<R: BufRead>(r: &mut R) -> Result<Option<Header>, LoadError> {
    let mut sig = [0u8; 4];
    match r.read_exact(&mut sig) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(io_corrupt(e)),
    }
    match &sig {
        b"PK\x03\x04" => {}
        b"PK\x01\x02" | b"PK\x05\x06" | b"PK\x06\x06" => return Ok(None),
        _ => return Err(corrupt("an entry does not start where the previous one ended")),
    }
    let mut fixed = [0u8; 26];
    r.read_exact(&mut fixed).map_err(io_corrupt)?;
    let (flags, method) = (u16_at(&fixed, 2), u16_at(&fixed, 4));
    let (mut compressed, mut size) = (u64::from(u32_at(&fixed, 14)), u64::from(u32_at(&fixed, 18)));
    let (name_len, extra_len) = (usize::from(u16_at(&fixed, 22)), usize::from(u16_at(&fixed, 24)));
    let mut name = vec![0u8; name_len];
    r.read_exact(&mut name).map_err(io_corrupt)?;
    let mut extra = vec![0u8; extra_len];
    r.read_exact(&mut extra).map_err(io_corrupt)?;
    let mut zip64 = false;
    // The zip64 extra field carries the sizes the 32-bit fields mark 0xFFFFFFFF.
    let mut at = 0;
    while at + 4 <= extra.len() {
        let (id, len) = (u16_at(&extra, at), usize::from(u16_at(&extra, at + 2)));
        let body = &extra[(at + 4).min(extra.len())..(at + 4 + len).min(extra.len())];
        if id == 1 && body.len() >= 16 {
            zip64 = true;
            size = u64::from_le_bytes(body[0..8].try_into().unwrap_or_default());
            compressed = u64::from_le_bytes(body[8..16].try_into().unwrap_or_default());
        }
        at += 4 + len;
    }
    let sized = flags & 8 == 0;
    let entry = Entry { name: String::from_utf8_lossy(&name).into_owned(), size: sized.then_some(size) };
    Ok(Some(Header { entry, method, flags, compressed, zip64 }))
}

fn method_name(method: u16) -> String {
    match method {
        9 => "Deflate64".into(),
        12 => "bzip2".into(),
        14 => "LZMA".into(),
        93 => "Zstandard".into(),
        95 => "xz".into(),
        m => format!("method {m}"),
    }
}

/// Check that the entry can be read: not encrypted, stored or deflated.
fn readable(h: &Header) -> Result<(), LoadError> {
    let name = &h.entry.name;
    if h.flags & 1 != 0 {
        return Err(LoadError::ZipEntry { entry: name.clone(), detail: "is encrypted".into() });
    }
    match h.method {
        0 if h.flags & 8 != 0 => Err(LoadError::ZipEntry {
            entry: name.clone(),
            detail: "is stored without its size in the header, which a stream cannot read".into(),
        }),
        0 | 8 => Ok(()),
        m => Err(LoadError::ZipEntry {
            entry: name.clone(),
            detail: format!("is compressed with {}; zip it again with Deflate, or gzip the file", method_name(m)),
        }),
    }
}

/// Read past an entry's data (and its data descriptor).
fn skip<R: BufRead>(r: &mut R, h: &Header) -> Result<(), LoadError> {
    if h.flags & 8 == 0 {
        let copied = io::copy(&mut r.take(h.compressed), &mut io::sink()).map_err(io_corrupt)?;
        return if copied == h.compressed { Ok(()) } else { Err(corrupt("it ends inside an entry")) };
    }
    if h.method != 8 {
        return Err(LoadError::ZipEntry {
            entry: h.entry.name.clone(),
            detail: "has no size in its header and is not deflated, so it cannot be skipped".into(),
        });
    }
    io::copy(&mut DeflateDecoder::new(&mut *r), &mut io::sink()).map_err(io_corrupt)?;
    // Data descriptor: an optional signature, the CRC, then both sizes.
    let optional_sig = r.fill_buf().map_err(io_corrupt)?.starts_with(b"PK\x07\x08");
    let len = if optional_sig { 4 } else { 0 } + 4 + if h.zip64 { 16 } else { 8 };
    let mut descriptor = vec![0u8; len];
    r.read_exact(&mut descriptor).map_err(io_corrupt)
}

/// Every entry of the archive `r`, in order.
pub fn entries<R: BufRead>(mut r: R) -> Result<Vec<Entry>, LoadError> {
    let mut out = Vec::new();
    while let Some(h) = next_header(&mut r)? {
        skip(&mut r, &h)?;
        out.push(h.entry);
    }
    Ok(out)
}

/// Every entry of `r` when it is a zip archive (one pass over its headers); `None` when
/// it is not one.
pub fn entries_if_zip<R: Read>(r: R) -> Result<Option<Vec<Entry>>, LoadError> {
    let (head, rest) = super::sniff::split_head(r).map_err(|source| LoadError::Io { line: 0, source })?;
    if !super::sniff::is_zip(&head) {
        return Ok(None);
    }
    entries(io::BufReader::with_capacity(1 << 16, io::Cursor::new(head).chain(rest))).map(Some)
}

/// The entry to read: `wanted` (its path or its file name), else the only data entry.
/// Several data entries and none wanted: an error listing them, to choose from.
pub fn choose(entries: &[Entry], wanted: Option<&str>) -> Result<String, LoadError> {
    let data: Vec<&Entry> = entries.iter().filter(|e| e.is_data()).collect();
    let names = |list: &[&Entry]| list.iter().map(|e| e.name.clone()).collect::<Vec<_>>();
    match wanted {
        Some(w) => {
            let base = |e: &&Entry| e.name.rsplit('/').next() == Some(w);
            let hit = entries.iter().find(|e| e.name == w).or_else(|| {
                let by_base: Vec<&Entry> = entries.iter().filter(base).collect();
                (by_base.len() == 1).then(|| by_base[0])
            });
            hit.map(|e| e.name.clone()).ok_or_else(|| LoadError::ZipNoEntry {
                wanted: Some(w.into()),
                entries: names(&entries.iter().collect::<Vec<_>>()),
            })
        }
        None => match data.as_slice() {
            [one] => Ok(one.name.clone()),
            [] => Err(LoadError::ZipNoEntry { wanted: None, entries: names(&entries.iter().collect::<Vec<_>>()) }),
            several => Err(LoadError::ZipChoose { entries: names(several) }),
        },
    }
}

/// The named entry's bytes as a stream (`None`: the first data entry), with its name.
pub fn open<'r, R: BufRead + 'r>(mut r: R, wanted: Option<&str>) -> Result<(String, Box<dyn Read + 'r>), LoadError> {
    let mut seen = Vec::new();
    while let Some(h) = next_header(&mut r)? {
        let hit = match wanted {
            Some(w) => h.entry.name == w,
            None => h.entry.is_data(),
        };
        if hit {
            readable(&h)?;
            let name = h.entry.name.clone();
            let stream: Box<dyn Read + 'r> =
                if h.method == 0 { Box::new(r.take(h.compressed)) } else { Box::new(DeflateDecoder::new(r)) };
            return Ok((name, stream));
        }
        skip(&mut r, &h)?;
        seen.push(h.entry.name);
    }
    Err(LoadError::ZipNoEntry { wanted: wanted.map(str::to_owned), entries: seen })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str) -> Entry {
        Entry { name: name.into(), size: None }
    }

    #[test]
    fn data_entries_are_told_from_the_rest() {
        for name in ["KDDTrain+.txt", "NSL-KDD/KDDTrain+.ARFF", "kddcup.data_10_percent.gz", "corrected", "a.csv"] {
            assert!(entry(name).is_data(), "{name}");
        }
        for name in ["index.html", "KDDTrain1.jpg", "__MACOSX/._a.csv", "dir/", "._a.csv", "readme.pdf", "kddcup.names"]
        {
            assert!(!entry(name).is_data(), "{name}");
        }
    }

    #[test]
    fn the_entry_is_chosen_or_the_choice_asked_for() {
        let list = [entry("NSL/KDDTrain+.txt"), entry("NSL/KDDTest+.txt"), entry("NSL/index.html")];
        assert!(matches!(choose(&list, None), Err(LoadError::ZipChoose { entries }) if entries.len() == 2));
        assert_eq!(choose(&list, Some("KDDTest+.txt")).unwrap(), "NSL/KDDTest+.txt");
        assert_eq!(choose(&list, Some("NSL/KDDTrain+.txt")).unwrap(), "NSL/KDDTrain+.txt");
        assert!(matches!(choose(&list, Some("x.csv")), Err(LoadError::ZipNoEntry { .. })));
        assert_eq!(choose(&list[1..], None).unwrap(), "NSL/KDDTest+.txt");
    }
}
