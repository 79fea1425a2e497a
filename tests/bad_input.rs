//! Bad input: every kind of broken file gives an error that names the line (and
//! column) and the problem — never a panic. Fixtures are made by the project's own
//! synthetic generator or written here by hand.

use std::io::{Read, Write};

use flate2::write::GzEncoder;
use netanomaly::data::{self, protocol, synth, Format, LoadError, SplitError};
use netanomaly::detect::Control;
use netanomaly::detect::{ForestConfig, ForestError, ModelKind};
use netanomaly::model_file::{Model, ModelFileError};
use netanomaly::pipeline::{self, TrainSettings};

fn kdd(rows: usize, seed: u64) -> String {
    synth::generate(rows, 0.3, Format::Kdd99, seed)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// Replace field `col` (0-based) of line `line` (1-based).
fn with_field(text: &str, line: usize, col: usize, value: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 != line {
                return l.to_string();
            }
            let mut f: Vec<&str> = l.split(',').collect();
            f[col] = value;
            f.join(",")
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn err(bytes: &[u8]) -> LoadError {
    match data::read_bytes(bytes) {
        Ok(t) => panic!("expected an error, loaded {} rows", t.rows()),
        Err(e) => e,
    }
}

#[test]
fn empty_file() {
    assert!(matches!(err(b""), LoadError::Empty));
    assert_eq!(err(b"").to_string(), "the file is empty");
    assert!(matches!(err(&gzip(b"")), LoadError::Empty));
}

#[test]
fn only_a_header_or_blank_lines() {
    let header = netanomaly::data::schema::FEATURE_NAMES.join(",") + ",label\n";
    assert!(matches!(err(header.as_bytes()), LoadError::NoRows));
    assert!(matches!(err(b"\n\n\n"), LoadError::NoRows));
}

#[test]
fn header_row_is_recognised_and_skipped() {
    let body = kdd(100, 1);
    let header = netanomaly::data::schema::FEATURE_NAMES.join(",") + ",label\n";
    let with = data::read_bytes((header + &body).as_bytes()).unwrap();
    let without = data::read_bytes(body.as_bytes()).unwrap();
    assert_eq!(with.rows(), 100);
    assert_eq!(with.numeric, without.numeric);
    assert_eq!(with.label_counts(), without.label_counts());
}

#[test]
fn binary_garbage() {
    let mut rng = netanomaly::rng::Rng::new(5);
    let garbage: Vec<u8> = (0..10_000).map(|_| rng.next_u64() as u8).collect();
    let e = err(&garbage);
    assert!(matches!(e, LoadError::NotText(_)), "{e}");
    assert!(e.to_string().contains("NUL"), "{e}");
}

#[test]
fn image_and_pdf_renamed_to_csv() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    assert!(err(png).to_string().contains("PNG image"));
    assert!(err(b"%PDF-1.7\n%....").to_string().contains("PDF"));
}

#[test]
fn a_zip_archive_cut_inside_its_first_header() {
    let e = err(b"PK\x03\x04\x14\0\0\0\x08\0");
    assert!(matches!(e, LoadError::ZipCorrupt(_)), "{e:?}");
    assert!(e.to_string().contains("ends early or is damaged"), "{e}");
}

#[test]
fn utf16_text_with_and_without_bom() {
    let text = kdd(5, 2);
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    assert!(matches!(err(&le), LoadError::Utf16));
    let no_bom: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    assert!(matches!(err(&no_bom), LoadError::Utf16));
}

#[test]
fn utf8_bom_and_crlf_load_like_plain_text() {
    let text = kdd(200, 3);
    let plain = data::read_bytes(text.as_bytes()).unwrap();
    let crlf = text.replace('\n', "\r\n");
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(crlf.as_bytes());
    let t = data::read_bytes(&bom).unwrap();
    assert_eq!(t.rows(), 200);
    assert_eq!(t.numeric, plain.numeric);
    assert_eq!(t.label_counts(), plain.label_counts());
    assert!(t.labels.as_ref().unwrap().names.iter().all(|n| !n.contains('\r')));
}

#[test]
fn wrong_column_count_on_line_n() {
    let text = kdd(50, 4);
    let broken: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| if i + 1 == 37 { l.rsplit_once(',').unwrap().0.to_string() } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n");
    let e = err(broken.as_bytes());
    assert!(matches!(&e, LoadError::ColumnCount { line: 37, found: 41, expected: 42, .. }), "{e}");
    assert!(e.to_string().starts_with("line 37: 41 columns"), "{e}");
}

#[test]
fn unknown_column_count() {
    let e = err(b"1,2,3\n");
    assert!(matches!(&e, LoadError::UnknownFormat { line: 1, found: 3 }), "{e}");
}

#[test]
fn mixed_kdd99_and_nsl_rows() {
    let mut text = kdd(10, 5);
    text.push_str(&synth::generate(3, 0.3, Format::NslKdd, 6));
    let e = err(text.as_bytes());
    assert!(matches!(&e, LoadError::ColumnCount { line: 11, found: 43, expected: 42, .. }), "{e}");
    assert!(e.to_string().contains("KDD Cup 99"), "{e}");
}

#[test]
fn non_numeric_value_names_line_column_and_feature() {
    let text = with_field(&kdd(20, 7), 12, 4, "lots");
    let e = err(text.as_bytes());
    assert!(matches!(&e, LoadError::NotNumeric { line: 12, column: 5, name, .. } if name == "src_bytes"), "{e}");
    assert_eq!(e.to_string(), "line 12, column 5 (src_bytes): \"lots\" is not a number");
}

#[test]
fn nan_inf_and_huge_numbers() {
    for bad in ["NaN", "inf", "-inf", "1e40"] {
        let text = with_field(&kdd(20, 8), 3, 0, bad);
        let e = err(text.as_bytes());
        assert!(
            matches!(&e, LoadError::NotFinite { line: 3, column: 1, name, .. } if name == "duration"),
            "{bad}: {e}"
        );
    }
}

#[test]
fn negative_counts() {
    let text = with_field(&kdd(20, 9), 4, 22, "-5");
    let e = err(text.as_bytes());
    assert!(matches!(&e, LoadError::Negative { line: 4, column: 23, name, .. } if name == "count"), "{e}");
}

#[test]
fn empty_symbolic_field_and_bad_difficulty() {
    let text = with_field(&kdd(10, 10), 2, 2, "");
    assert!(
        matches!(err(text.as_bytes()), LoadError::EmptyField { line: 2, column: 3, name, .. } if name == "service")
    );
    let nsl = with_field(&synth::generate(10, 0.3, Format::NslKdd, 11), 6, 42, "hard");
    assert!(matches!(err(nsl.as_bytes()), LoadError::Difficulty { line: 6, .. }));
}

#[test]
fn truncated_gzip() {
    let gz = gzip(kdd(5_000, 12).as_bytes());
    let e = err(&gz[..gz.len() * 2 / 3]);
    assert!(matches!(&e, LoadError::Gzip { .. }), "{e}");
    assert!(e.to_string().contains("truncated or corrupt"), "{e}");
}

#[test]
fn gzip_of_garbage_and_corrupt_gzip() {
    let mut rng = netanomaly::rng::Rng::new(13);
    let garbage: Vec<u8> = (0..5_000).map(|_| rng.next_u64() as u8).collect();
    assert!(matches!(err(&gzip(&garbage)), LoadError::NotText(_)));
    let mut gz = gzip(kdd(2_000, 14).as_bytes());
    let mid = gz.len() / 2;
    for b in &mut gz[mid..mid + 64] {
        *b ^= 0x5A;
    }
    // Whatever the damaged stream decodes to, the CRC check at its end fails at the latest.
    assert!(data::read_bytes(&gz).is_err());
}

/// A reader that hands out one byte per call, like a slow stream.
struct Trickle<'a>(&'a [u8]);
impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.0.is_empty() || buf.is_empty() {
            return Ok(0);
        }
        buf[0] = self.0[0];
        self.0 = &self.0[1..];
        Ok(1)
    }
}

#[test]
fn gzip_is_detected_by_magic_bytes_even_from_a_trickling_stream() {
    let text = kdd(300, 15);
    let from_gz = data::read(Trickle(&gzip(text.as_bytes()))).unwrap();
    let from_text = data::read(Trickle(text.as_bytes())).unwrap();
    assert_eq!(from_gz.rows(), 300);
    assert_eq!(from_gz.numeric, from_text.numeric);
}

#[test]
fn unlabelled_file_scores_but_cannot_train_or_evaluate() {
    let t = data::read_bytes(synth::generate(100, 0.3, Format::Unlabelled, 16).as_bytes()).unwrap();
    assert_eq!(t.format, Format::Unlabelled);
    assert!(!t.is_labelled());
    assert!(matches!(protocol::single_file(&t), Err(SplitError::Unlabelled(_))));
    // Train on a labelled file, score the unlabelled one: scores yes, metrics no.
    let train = data::read_bytes(kdd(400, 17).as_bytes()).unwrap();
    let split = protocol::train_test(&train, &[("unlabelled", &t)]).unwrap();
    let mut model =
        pipeline::train(&TrainSettings::default(), &split.train, "custom", &mut |_| Control::Continue).unwrap();
    let scores = pipeline::score(&model, &split.tests[0], &mut |_, _| {}).unwrap();
    assert_eq!(scores.len(), 100);
    let e = pipeline::evaluate(&mut model, &split.tests[0], &scores).unwrap_err();
    assert!(e.to_string().contains("no labels"), "{e}");
}

#[test]
fn no_normal_rows_to_train_on() {
    let attacks = synth::generate(200, 1.0, Format::Kdd99, 18);
    let t = data::read_bytes(attacks.as_bytes()).unwrap();
    let e = protocol::single_file(&t).unwrap_err();
    assert!(matches!(e, SplitError::NoNormalRows(_)));
    assert!(e.to_string().contains("no normal rows"), "{e}");
    assert!(matches!(protocol::holdout(&t, 0.8, 1), Err(SplitError::NoNormalRows(_))));
}

#[test]
fn holdout_with_too_few_normals_or_bad_fraction() {
    let t = data::read_bytes(kdd(200, 19).as_bytes()).unwrap();
    assert!(matches!(protocol::holdout(&t, 1.0, 1), Err(SplitError::Fraction(_))));
    assert!(matches!(protocol::holdout(&t, 0.0, 1), Err(SplitError::Fraction(_))));
    let one_normal = data::read_bytes(synth::generate(1, 0.0, Format::Kdd99, 20).as_bytes()).unwrap();
    assert!(matches!(protocol::holdout(&one_normal, 0.8, 1), Err(SplitError::TooFewNormals { .. })));
}

#[test]
fn a_single_row_trains_and_scores() {
    let t = data::read_bytes(synth::generate(1, 0.0, Format::Kdd99, 21).as_bytes()).unwrap();
    let split = protocol::single_file(&t).unwrap();
    let model =
        pipeline::train(&TrainSettings::default(), &split.train, "single-file", &mut |_| Control::Continue).unwrap();
    let scores = pipeline::score(&model, &split.tests[0], &mut |_, _| {}).unwrap();
    assert_eq!(scores.len(), 1);
    assert!(scores[0].is_finite());
}

#[test]
fn unseen_protocol_service_and_flag_map_to_the_unseen_code() {
    let train = data::read_bytes(synth::generate(300, 0.0, Format::Kdd99, 22).as_bytes()).unwrap();
    let mut test_text = kdd(20, 23);
    test_text = with_field(&test_text, 1, 1, "sctp");
    test_text = with_field(&test_text, 1, 2, "gopher_v9");
    test_text = with_field(&test_text, 1, 3, "WEIRD");
    let test = data::read_bytes(test_text.as_bytes()).unwrap();
    let split = protocol::train_test(&train, &[("test", &test)]).unwrap();
    let model = pipeline::train(&TrainSettings::default(), &split.train, "custom", &mut |_| Control::Continue).unwrap();
    let prep = &model.header.preparation;
    let x = prep.transform(&split.tests[0]);
    // Label encoding: the unseen code is the vocabulary size, then scaled.
    let service_col = 2;
    let unseen = (prep.vocab[1].len() as f32 - prep.mean[service_col]) / prep.scale[service_col];
    assert_eq!(x.row(0)[service_col], unseen);
    assert!(x.data.iter().all(|v| v.is_finite()));
    assert!(pipeline::score(&model, &split.tests[0], &mut |_, _| {}).unwrap().iter().all(|s| s.is_finite()));
}

#[test]
fn unknown_attack_label_is_an_attack_of_unknown_category() {
    let text = with_field(&synth::generate(10, 0.0, Format::Kdd99, 24), 3, 41, "zeroday.");
    let t = data::read_bytes(text.as_bytes()).unwrap();
    assert_eq!(t.label(2), Some("zeroday"));
    assert_eq!(t.is_attack(2), Some(true));
    assert_eq!(t.category(2), Some("unknown"));
}

#[test]
fn max_samples_zero_and_no_trees_are_named_errors() {
    let t = data::read_bytes(kdd(100, 25).as_bytes()).unwrap();
    let split = protocol::single_file(&t).unwrap();
    let mut settings =
        TrainSettings { forest: ForestConfig { max_samples: 0, ..Default::default() }, ..Default::default() };
    let e = pipeline::train(&settings, &split.train, "x", &mut |_| Control::Continue).unwrap_err();
    assert!(e.to_string().contains("max_samples must be at least 1"), "{e}");
    settings.forest = ForestConfig { n_estimators: 0, ..Default::default() };
    assert!(matches!(
        pipeline::train(&settings, &split.train, "x", &mut |_| Control::Continue),
        Err(netanomaly::Error::Forest(ForestError::NoTrees))
    ));
}

#[test]
fn corrupt_truncated_and_foreign_model_files() {
    let t = data::read_bytes(kdd(300, 26).as_bytes()).unwrap();
    let split = protocol::single_file(&t).unwrap();
    let model =
        pipeline::train(&TrainSettings::default(), &split.train, "single-file", &mut |_| Control::Continue).unwrap();
    let bytes = model.to_bytes().unwrap();
    let back = Model::from_bytes(&bytes).unwrap();
    assert_eq!(back, model);
    assert_eq!(back.header.kind, ModelKind::If);
    assert!(matches!(Model::from_bytes(b"PK\x03\x04 a zip"), Err(ModelFileError::NotAModel)));
    assert!(matches!(Model::from_bytes(&[]), Err(ModelFileError::NotAModel)));
    for cut in [9, 14, 40, bytes.len() / 2, bytes.len() - 1] {
        assert!(Model::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    // Every single-byte corruption is an error or a model that still scores without panic.
    for i in (0..bytes.len()).step_by((bytes.len() / 500).max(1)) {
        let mut b = bytes.clone();
        b[i] ^= 0xFF;
        if let Ok(m) = Model::from_bytes(&b) {
            let _ = pipeline::score(&m, &split.tests[0], &mut |_, _| {});
        }
    }
}

#[test]
fn model_file_with_mismatched_preparation() {
    let t = data::read_bytes(kdd(300, 27).as_bytes()).unwrap();
    let split = protocol::single_file(&t).unwrap();
    let mut model =
        pipeline::train(&TrainSettings::default(), &split.train, "single-file", &mut |_| Control::Continue).unwrap();
    // Swap in a one-hot preparation: the forest takes 41 features, the preparation makes more.
    let mut settings = TrainSettings::default();
    settings.prepare.encoding = netanomaly::prepare::Encoding::OneHot;
    model.header.preparation =
        pipeline::train(&settings, &split.train, "x", &mut |_| Control::Continue).unwrap().header.preparation;
    let e = Model::from_bytes(&model.to_bytes().unwrap()).unwrap_err();
    assert!(matches!(e, ModelFileError::Mismatch(_)), "{e}");
    assert!(e.to_string().contains("features"), "{e}");
}

#[test]
fn a_model_file_whose_vocabulary_disagrees_with_its_columns_is_refused() {
    // Found by fuzzing the model-file loader: a service dropped from a one-hot header's
    // vocabulary left its column list one longer than the rows it prepared, and scoring
    // read past the end of the prepared matrix.
    let t = data::read_bytes(kdd(400, 28).as_bytes()).unwrap();
    let split = protocol::single_file(&t).unwrap();
    let mut settings = TrainSettings::default();
    settings.prepare.encoding = netanomaly::prepare::Encoding::OneHot;
    let mut model = pipeline::train(&settings, &split.train, "single-file", &mut |_| Control::Continue).unwrap();
    assert!(model.header.preparation.vocab[1].len() > 1);
    model.header.preparation.vocab[1].pop();
    let e = Model::from_bytes(&model.to_bytes().unwrap()).unwrap_err();
    assert!(matches!(e, ModelFileError::Mismatch(_)), "{e}");
    assert!(e.to_string().contains("vocabularies and encoding make"), "{e}");
}

#[test]
#[cfg(feature = "catalogue")] // the catalogue rebuilds the input; the CLI and the suites enable it
fn the_fuzzers_model_file_crash_is_an_error() {
    // The very input the fuzzer found, rebuilt: the catalogue's one-hot forest with its
    // header's service vocabulary cut short.
    let case = netanomaly::catalogue::cases().into_iter().find(|c| c.name == "model-one-hot.nam").unwrap();
    let mut model = Model::from_bytes(&case.bytes).unwrap();
    model.header.preparation.vocab[1].remove(0);
    assert!(Model::from_bytes(&model.to_bytes().unwrap()).is_err());
}

#[test]
fn the_fuzzers_model_with_an_integer_weight_tensor_is_read_without_a_panic() {
    // Found by the model_file fuzz target (session 6): a deep LSTM model file (made by our
    // CLI from synthetic data, then mutated) whose burn record declares a weight tensor's
    // dtype as an integer. The backend panicked turning it into floats; the record is now
    // cast to the network's dtype first, so it loads (or is refused) and scores without one.
    let bytes = include_bytes!("fixtures/fuzz-model-dtype.nam");
    let table = data::read_bytes(synth::generate(64, 0.3, Format::Kdd99, 1).as_bytes()).unwrap();
    let all = netanomaly::data::Subset {
        name: "all".into(),
        table: &table,
        rows: (0..table.rows()).collect(),
        normal_is_anomaly: false,
    };
    if let Ok(model) = netanomaly::model_file::Model::from_bytes(bytes) {
        let _ = netanomaly::pipeline::score(&model, &all, &mut |_, _| {});
    }
}
