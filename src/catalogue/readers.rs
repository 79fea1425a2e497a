//! The catalogue's archives and other readers' files: zip (one data file, several,
//! none, streamed entries, a method we lack, zip in zip), tar and tar.gz, ARFF, comment
//! and blank lines, and a line far longer than any record.

use super::bytes::{gzip, tar_of, zip_of, ZipMethod};
use super::{data, err, kdd, loads, Case, Format, Training};
use crate::data::synth;

pub(super) fn cases() -> Vec<Case> {
    let nsl = synth::generate(50, 0.3, Format::NslKdd, 121);
    let base = kdd(30, 122);
    let page = b"<html><body>NSL-KDD</body></html>".as_slice();
    let arff = synth::generate(60, 0.3, Format::KddArff, 123);
    let bad_arff = arff.replacen("@attribute 'protocol_type'", "@attribute 'protocol'", 1);
    let mut commented = String::from("# exported by a capture tool\n# columns: the 41 KDD features and a label\n\n");
    for (i, line) in base.lines().enumerate() {
        commented.push_str(line);
        commented.push('\n');
        if i == 9 {
            commented.push_str("\n# the second hour\n\n");
        }
    }
    let mut long_line = kdd(3, 124).into_bytes();
    long_line.extend(std::iter::repeat_n(b'7', (1 << 20) + 4096));
    vec![
        data(
            "nsl-kdd.zip",
            "a zip archive as downloaded: one deflated NSL-KDD file beside a web page and macOS metadata",
            zip_of(&[
                ("NSL-KDD/index.html", page, ZipMethod::Deflated),
                ("__MACOSX/NSL-KDD/._KDDTrain+.txt", b"\0\x05\x16\x07", ZipMethod::Stored),
                ("NSL-KDD/KDDTrain+.txt", nsl.as_bytes(), ZipMethod::Deflated),
            ]),
            loads(50, Format::NslKdd, Training::Trains),
        ),
        data(
            "streamed.zip",
            "a zip archive written as a stream (sizes after the data), its data file second",
            zip_of(&[
                ("notes.html", page, ZipMethod::DeflatedStreaming),
                ("traffic.csv", base.as_bytes(), ZipMethod::DeflatedStreaming),
            ]),
            loads(30, Format::Kdd99, Training::Trains),
        ),
        data(
            "several.zip",
            "a zip archive holding a training and a test file",
            zip_of(&[
                ("KDDTrain+.txt", nsl.as_bytes(), ZipMethod::Deflated),
                ("KDDTest+.txt", nsl.as_bytes(), ZipMethod::Deflated),
            ]),
            err(&["holds 2 data files", "KDDTrain+.txt", "KDDTest+.txt", "choose one", "--entry"]),
        ),
        data(
            "no-data.zip",
            "a zip archive holding only a web page and an image",
            zip_of(&[("index.html", page, ZipMethod::Deflated), ("plot.jpg", b"\xFF\xD8\xFF", ZipMethod::Stored)]),
            err(&["holds no data file", "index.html", "plot.jpg"]),
        ),
        data(
            "bzip2.zip",
            "a zip archive whose entry is compressed with bzip2",
            zip_of(&[("kdd.csv", base.as_bytes(), ZipMethod::Bzip2)]),
            err(&["kdd.csv", "compressed with bzip2", "Deflate"]),
        ),
        data(
            "zip-in-zip.zip",
            "a zip archive whose data file is itself a zip archive",
            zip_of(&[("kdd.csv", &zip_of(&[("kdd.csv", base.as_bytes(), ZipMethod::Stored)]), ZipMethod::Stored)]),
            err(&["zip archive inside another archive"]),
        ),
        data(
            "data.tar",
            "a tar archive of a KDD file",
            tar_of("kdd.csv", base.as_bytes()),
            err(&["tar archive", "extract it"]),
        ),
        data(
            "data.tar.gz",
            "a gzipped tar archive of a KDD file",
            gzip(&tar_of("kdd.csv", base.as_bytes())),
            err(&["tar.gz archive", "extract it"]),
        ),
        data(
            "KDDTrain+.arff",
            "NSL-KDD's ARFF layout: @attribute lines, nominal values, a normal/anomaly class",
            arff,
            loads(60, Format::KddArff, Training::Trains),
        ),
        data(
            "bad-attribute.arff",
            "an ARFF file whose second attribute is not protocol_type",
            bad_arff,
            err(&["ARFF header", "attribute 2", "protocol", "protocol_type"]),
        ),
        data(
            "comments.csv",
            "# comment lines at the top and between the rows, and blank lines",
            commented,
            loads(30, Format::Kdd99, Training::Trains),
        ),
        data(
            "one-long-line.csv",
            "three rows, then a line of over 1 MB without a line break",
            long_line,
            err(&["line 4 is longer than", "not a table of records"]),
        ),
    ]
}
