//! The readers beyond plain text and gzip: zip archives (written here by the `zip`
//! crate, an independent implementation, and by the catalogue's own writer), ARFF,
//! comment and blank lines, tar, and lines far longer than any record. Every file is
//! made by the project's generator; none is cut from the real data.

use std::io::{Cursor, Read, Write};

use netanomaly::data::streamed::{self, Opened, StreamSettings};
use netanomaly::data::{self, synth, Format, LoadError};
use netanomaly::session::{Session, Slot};

fn zip_archive(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::FileOptions::default().compression_method(method);
    for (name, bytes) in entries {
        w.start_file(*name, options).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn a_zipped_file_reads_as_the_file_itself() {
    let text = synth::generate(3_000, 0.3, Format::NslKdd, 7);
    let plain = data::read_bytes(text.as_bytes()).unwrap();
    for method in [zip::CompressionMethod::Deflated, zip::CompressionMethod::Stored] {
        let archive = zip_archive(
            &[("NSL-KDD/index.html", b"<html></html>"), ("NSL-KDD/KDDTrain+.txt", text.as_bytes())],
            method,
        );
        let t = data::read_bytes(&archive).unwrap();
        assert_eq!(t.entry.as_deref(), Some("NSL-KDD/KDDTrain+.txt"));
        assert_eq!((t.format, t.rows()), (Format::NslKdd, 3_000));
        assert_eq!(t.numeric, plain.numeric);
        assert_eq!(t.label_counts(), plain.label_counts());
        assert_eq!(t.difficulty, plain.difficulty);
    }
}

#[test]
fn several_data_files_are_listed_and_one_is_chosen_by_name() {
    let train = synth::generate(200, 0.3, Format::NslKdd, 1);
    let test = synth::generate(120, 0.5, Format::NslKdd, 2);
    let archive = zip_archive(
        &[("KDDTrain+.txt", train.as_bytes()), ("KDDTest+.txt", test.as_bytes()), ("KDDTest1.jpg", b"\xFF\xD8")],
        zip::CompressionMethod::Deflated,
    );
    let e = data::read_bytes(&archive).unwrap_err();
    assert!(matches!(&e, LoadError::ZipChoose { entries } if entries == &["KDDTrain+.txt", "KDDTest+.txt"]), "{e:?}");
    assert_eq!(data::read_bytes_entry(&archive, Some("KDDTest+.txt")).unwrap().rows(), 120);
    assert_eq!(data::read_bytes_entry(&archive, Some("KDDTrain+.txt")).unwrap().rows(), 200);
    let e = data::read_bytes_entry(&archive, Some("KDDTest-21.txt")).unwrap_err();
    assert!(e.to_string().contains("no entry \"KDDTest-21.txt\"") && e.to_string().contains("KDDTest1.jpg"), "{e}");
    // Through a session, as the page loads it: the summary names the entry.
    let mut s = Session::new();
    let summary = s.load_entry(Slot::Train, "NSL-KDD.zip", &archive, Some("KDDTrain+.txt"), &mut |_| {}).unwrap();
    assert_eq!((summary.rows, summary.entry.as_deref()), (200, Some("KDDTrain+.txt")));
    let e = s.load(Slot::Test, "NSL-KDD.zip", &archive, &mut |_| {}).unwrap_err();
    assert!(e.to_string().contains("holds 2 data files"), "{e}");
    assert_eq!(s.files().0.map(|f| f.rows), Some(200), "the training file is kept");
}

#[test]
fn a_streamed_zip_entry_is_read_again_to_score() {
    let text = synth::generate(5_000, 0.3, Format::Kdd99, 3);
    let archive =
        zip_archive(&[("readme.md", b"# data"), ("kdd.csv", text.as_bytes())], zip::CompressionMethod::Deflated);
    let settings = StreamSettings { hold_rows: 1_000, sample_rows: 500, seed: 1, chunk_rows: 700 };
    let Opened::Streamed(s) = streamed::open(&archive, &Default::default(), settings, &mut |_| {}).unwrap() else {
        panic!("5,000 rows over a 1,000-row limit should stream")
    };
    assert_eq!((s.rows, s.entry.as_deref()), (5_000, Some("kdd.csv")));
    let mut rows = 0;
    streamed::for_each_chunk(&archive, &s.options, 700, &mut |chunk, first| {
        assert_eq!(first, rows);
        rows += chunk.rows();
        Ok(())
    })
    .unwrap();
    assert_eq!(rows, 5_000);
}

#[test]
fn arff_rows_load_and_errors_count_the_header_lines() {
    let text = synth::generate(400, 0.3, Format::KddArff, 5);
    let t = data::read_bytes(text.as_bytes()).unwrap();
    assert_eq!((t.format, t.rows()), (Format::KddArff, 400));
    let labels: Vec<String> = t.label_counts().into_iter().map(|(l, _)| l).collect();
    assert_eq!(labels, ["normal", "anomaly"]);
    // The same rows as the KDD99 text of the same seed, whatever the header.
    let kdd = data::read_bytes(synth::generate(400, 0.3, Format::Kdd99, 5).as_bytes()).unwrap();
    assert_eq!(t.numeric, kdd.numeric);
    assert_eq!(t.normal_rows(), kdd.normal_rows());
    // A bad value on the third data row is named with its line in the file.
    let header_lines = text.lines().position(|l| l == "@data").unwrap() + 1;
    let bad = text
        .lines()
        .enumerate()
        .map(|(i, l)| if i == header_lines + 2 { l.replacen("0,", "zero,", 1) } else { l.into() });
    let bad: String = bad.map(|l| l + "\n").collect();
    let e = data::read_bytes(bad.as_bytes()).unwrap_err();
    assert_eq!(e.position().0, Some(header_lines as u64 + 3), "{e}");
}

#[test]
fn comment_and_blank_lines_are_skipped_counted_and_lines_still_named() {
    let rows: Vec<String> = synth::generate(20, 0.3, Format::Kdd99, 9).lines().map(String::from).collect();
    let mut text = String::from("# exported 2026-12-01\n\n");
    text.push_str(&rows[..10].join("\n"));
    text.push_str("\n\n# hour two\n");
    text.push_str(&rows[10..].join("\n"));
    text.push('\n');
    let t = data::read_bytes(text.as_bytes()).unwrap();
    assert_eq!((t.rows(), t.skipped_lines), (20, 4));
    let mut s = Session::new();
    assert_eq!(s.load(Slot::Train, "c.csv", text.as_bytes(), &mut |_| {}).unwrap().skipped_lines, 4);
    // Row 15 is on line 15 + 4: the skipped lines still count in messages.
    let broken = text.replacen(&format!("{}\n", rows[14]), &format!("{},1\n", rows[14]), 1);
    let e = data::read_bytes(broken.as_bytes()).unwrap_err();
    assert_eq!(e.position().0, Some(19), "{e}");
}

/// An endless line, made as it is read: the reader must stop without holding it.
struct EndlessLine {
    given: usize,
}

impl Read for EndlessLine {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        buf.fill(b'1');
        self.given += buf.len();
        Ok(buf.len())
    }
}

#[test]
fn a_line_longer_than_any_record_is_refused_before_it_is_read_whole() {
    let mut endless = EndlessLine { given: 0 };
    let e = data::read(&mut endless).unwrap_err();
    assert!(matches!(e, LoadError::LineTooLong { line: 1 }), "{e:?}");
    assert!(endless.given < 2 << 20, "{} bytes read", endless.given);
    // Inside gzip too, after some good rows.
    let mut text = synth::generate(5, 0.3, Format::Kdd99, 4).into_bytes();
    text.extend(std::iter::repeat_n(b'2', 3 << 20));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&text).unwrap();
    let e = data::read_bytes(&gz.finish().unwrap()).unwrap_err();
    assert!(e.to_string().starts_with("line 6 is longer than"), "{e}");
}
