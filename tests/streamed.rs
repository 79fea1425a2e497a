//! Files too large to hold, natively: a file over the hold limit is streamed — one
//! pass keeps labels and a seeded reservoir of normal rows, each scoring pass reads
//! it again — and every number equals the held computation on the same split.

mod common;

use std::cell::Cell;
use std::io::Read;
use std::path::PathBuf;

use netanomaly::data::streamed::{Source, StreamSettings};
use netanomaly::data::{self, synth, Format, Subset};
use netanomaly::detect::{Control, ModelKind};
use netanomaly::pipeline::{self, TrainSettings};
use netanomaly::session::{ProtocolChoice, Session, Slot};

fn small_settings(seed: u64) -> StreamSettings {
    StreamSettings { hold_rows: 1_000, sample_rows: 600, seed, chunk_rows: 700 }
}

fn streamed_session(text: &str, seed: u64) -> (Session, netanomaly::session::FileSummary) {
    let mut s = Session::new();
    s.set_stream_settings(small_settings(seed));
    let mut calls = 0;
    let summary =
        s.load_source(Slot::Train, "big.csv", Box::new(text.as_bytes().to_vec()), &mut |_| calls += 1).unwrap();
    assert!(calls > 0, "progress is reported");
    (s, summary)
}

fn train(s: &mut Session, settings: TrainSettings) -> netanomaly::session::ModelResult {
    s.start_training(settings).unwrap();
    while !s.train_epoch(&mut |_| Control::Continue, true).unwrap().done {}
    s.finish_training(&mut |_, _| {}).unwrap()
}

#[test]
fn a_file_over_the_hold_limit_is_streamed_and_scores_exactly_as_if_held() {
    let text = synth::generate(5_000, 0.35, Format::Kdd99, 7);
    let held = data::read_bytes(text.as_bytes()).unwrap();
    let (mut s, summary) = streamed_session(&text, 3);
    let info = summary.streamed.clone().expect("streamed");
    assert_eq!(summary.rows, 5_000);
    assert_eq!(info.sample_rows, 600);
    assert_eq!(info.test_rows, 4_400);
    // Label counts are those of the whole file.
    let counts: Vec<(String, usize)> = summary.labels.iter().map(|l| (l.label.clone(), l.count)).collect();
    assert_eq!(counts, held.label_counts());
    let split = s.set_protocol(ProtocolChoice::Holdout { train_fraction: 0.8, seed: 1 }).unwrap();
    assert_eq!(split.train_rows, 600);
    assert_eq!(split.tests[0].rows, 4_400);
    assert_eq!(split.tests[0].normals + 600, summary.normals);

    // The same split, held: the sampled rows train, every other row tests.
    let top = s.top_records(1, "holdout", 5, None).unwrap_err();
    assert!(top.to_string().contains("no model 1"), "{top}");
    for kind in [ModelKind::If, ModelKind::Dense] {
        let mut settings = TrainSettings::new(kind);
        settings.autoencoder.train.epochs = 2;
        let r = train(&mut s, settings);
        let id = r.model.id;
        let sorted = s.sorted_scores(id, "holdout").unwrap();
        assert_eq!(sorted.normal.len() + sorted.attack.len(), 4_400);

        let csv = s.predictions_csv(id, "holdout", None).unwrap();
        let lines: Vec<&str> = csv.lines().skip(1).collect();
        let test_ids: Vec<usize> = lines.iter().map(|l| l.split(',').next().unwrap().parse().unwrap()).collect();
        let streamed_scores: Vec<f64> = lines.iter().map(|l| l.split(',').nth(1).unwrap().parse().unwrap()).collect();
        let test_set: std::collections::HashSet<usize> = test_ids.iter().copied().collect();
        let train_ids: Vec<usize> = (0..5_000).filter(|r| !test_set.contains(r)).collect();
        assert_eq!(train_ids.len(), 600);
        assert!(train_ids.iter().all(|&r| held.is_attack(r) == Some(false)), "only normals are sampled");
        let train_subset =
            Subset { name: "train".into(), table: &held, rows: train_ids.into(), normal_is_anomaly: false };
        let test_subset =
            Subset { name: "holdout".into(), table: &held, rows: test_ids.clone().into(), normal_is_anomaly: false };
        let model = pipeline::train(&settings, &train_subset, "x", &mut |_| Control::Continue).unwrap();
        let scores = pipeline::score(&model, &test_subset, &mut |_, _| {}).unwrap();
        for (a, b) in scores.iter().zip(&streamed_scores) {
            assert!((a - b).abs() <= 1e-12 * a.abs().max(1.0), "{kind}: held {a} vs streamed {b}");
        }
        let auc = r.views[0].evaluation.as_ref().unwrap().roc_auc;
        let mut m = model.clone();
        let e = pipeline::evaluate(&mut m, &test_subset, &scores).unwrap();
        assert!((e.roc_auc - auc).abs() < 1e-12, "{kind}: AUC held {} vs streamed {auc}", e.roc_auc);

        // Exports in parts add up to the whole file.
        let mut parts = String::new();
        for start in (0..4_400).step_by(1_000) {
            parts.push_str(&s.predictions_csv_part(id, "holdout", None, start, 1_000).unwrap());
        }
        assert_eq!(parts, csv);

        // The kept top records are the highest-scoring rows, with their raw values.
        let top = s.top_records(id, "holdout", 10, Some(f64::NEG_INFINITY)).unwrap();
        assert_eq!(top.len(), 10);
        let mut order: Vec<usize> = (0..scores.len()).collect();
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(test_ids[a].cmp(&test_ids[b])));
        for (rec, &i) in top.iter().zip(&order) {
            assert!((rec.score - scores[i]).abs() <= 1e-12 * scores[i].abs().max(1.0));
            assert!(rec.flagged);
            assert_eq!(rec.label.as_deref(), held.label(test_ids[i]));
            let service = &rec.features.iter().find(|(n, _)| n == "service").unwrap().1;
            assert_eq!(service, held.symbolic[1].get(rec.record_id));
        }
        let breakdown = s.label_breakdown(id, "holdout", f64::NEG_INFINITY).unwrap();
        assert_eq!(breakdown.by_label.iter().map(|d| d.flagged).sum::<u64>(), 4_400);
    }
}

#[test]
fn the_sample_is_seeded_and_small_files_are_held() {
    let text = synth::generate(3_000, 0.3, Format::NslKdd, 9);
    let sample_ids = |seed| {
        let (mut s, _) = streamed_session(&text, seed);
        let r = train(&mut s, TrainSettings::default());
        let csv = s.predictions_csv(r.model.id, "holdout", None).unwrap();
        csv.lines().skip(1).map(|l| l.split(',').next().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(sample_ids(1), sample_ids(1));
    assert_ne!(sample_ids(1), sample_ids(2));

    let mut s = Session::new();
    s.set_stream_settings(StreamSettings { hold_rows: 3_000, ..small_settings(1) });
    let summary = s.load_source(Slot::Train, "small.txt", Box::new(text.into_bytes()), &mut |_| {}).unwrap();
    assert!(summary.streamed.is_none(), "3,000 rows at a hold limit of 3,000 are held");
    assert_eq!(summary.format, Format::NslKdd);
}

#[test]
fn streamed_files_refuse_what_needs_them_held_and_notice_a_changed_file() {
    let text = synth::generate(2_500, 0.3, Format::Kdd99, 11);
    let (mut s, _) = streamed_session(&text, 1);
    let e = s.set_protocol(ProtocolChoice::AllRows).unwrap_err();
    assert!(e.to_string().contains("streamed"), "{e}");
    // Test files are always held, whatever their size.
    let test = synth::generate(1_500, 0.3, Format::Kdd99, 12);
    let t = s.load_source(Slot::Test, "test.csv", Box::new(test.into_bytes()), &mut |_| {}).unwrap();
    assert!(t.streamed.is_none());
    let split = s.set_protocol(ProtocolChoice::TrainTest).unwrap();
    assert_eq!((split.train_rows, split.tests[0].rows), (600, 1_500));
    let r = train(&mut s, TrainSettings::default());
    assert!(r.views[0].evaluation.as_ref().unwrap().roc_auc > 0.9);

    // A source whose content changes between the survey and the scoring pass.
    struct Changing {
        calls: Cell<u32>,
        before: Vec<u8>,
        after: Vec<u8>,
    }
    impl Source for Changing {
        fn open(&self) -> std::io::Result<Box<dyn Read + '_>> {
            self.calls.set(self.calls.get() + 1);
            Ok(Box::new(if self.calls.get() == 1 { &self.before[..] } else { &self.after[..] }))
        }
    }
    let mut s = Session::new();
    s.set_stream_settings(small_settings(1));
    let shorter = text.lines().take(2_000).map(|l| format!("{l}\n")).collect::<String>();
    let source = Changing { calls: Cell::new(0), before: text.clone().into_bytes(), after: shorter.into_bytes() };
    s.load_source(Slot::Train, "changing.csv", Box::new(source), &mut |_| {}).unwrap();
    s.start_training(TrainSettings::default()).unwrap();
    while !s.train_epoch(&mut |_| Control::Continue, false).unwrap().done {}
    let e = s.finish_training(&mut |_, _| {}).unwrap_err();
    assert!(e.to_string().contains("the file changed since it was loaded (2000 rows where 2500"), "{e}");
    assert!(s.results().is_empty());

    // An unlabelled streamed file loads, but there is nothing to train on.
    let unlabelled = synth::generate(2_500, 0.3, Format::Unlabelled, 13);
    let mut s = Session::new();
    s.set_stream_settings(small_settings(1));
    let summary = s.load_source(Slot::Train, "u.csv", Box::new(unlabelled.into_bytes()), &mut |_| {}).unwrap();
    assert!(!summary.labelled && summary.streamed.is_some());
    let e = s.start_training(TrainSettings::default()).unwrap_err();
    assert!(e.to_string().contains("has no labels"), "{e}");
}

#[test]
fn the_real_10_percent_set_streamed_from_disk() {
    let path: PathBuf = common::data_dir().join("kdd99/kddcup.data_10_percent.gz");
    let mut s = Session::new();
    s.set_stream_settings(StreamSettings { hold_rows: 100_000, sample_rows: 50_000, seed: 42, chunk_rows: 65_536 });
    let summary = s.load_source(Slot::Train, "kddcup.data_10_percent.gz", Box::new(path), &mut |_| {}).unwrap();
    assert_eq!((summary.rows, summary.normals), (494_021, 97_278));
    assert_eq!(summary.streamed.as_ref().unwrap().test_rows, 444_021);
    let r = train(&mut s, TrainSettings::default());
    let e = r.views[0].evaluation.as_ref().unwrap();
    assert_eq!(e.rows, 444_021);
    assert!(e.roc_auc > 0.95, "IF on the streamed 10% set: AUC {}", e.roc_auc);
    assert_eq!(s.top_records(r.model.id, "holdout", 500, None).unwrap().len(), 100);
}

/// A gzip trailer is only a hint: a truncated or corrupt file ends in arbitrary bytes,
/// and a size no deflate stream can reach from the file's length is not believed (in
/// wasm32 a reservation for it would overflow).
#[test]
fn an_impossible_gzip_trailer_is_not_a_size() {
    use netanomaly::data::streamed::text_size;
    assert_eq!(text_size(1_000, [0x1f, 0x8b], 500_000u32.to_le_bytes()), 500_000);
    assert!(text_size(100, [0x1f, 0x8b], u32::MAX.to_le_bytes()) <= 100 * 1032);
    assert_eq!(text_size(100, *b"0,", *b"al.\n"), 100);
    // The test slot holds any size: a truncated gzip there is a message, not a panic.
    let mut gz = {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(synth::generate(3_000, 0.3, Format::Kdd99, 3).as_bytes()).unwrap();
        e.finish().unwrap()
    };
    gz.truncate(gz.len() / 2);
    gz.extend_from_slice(&u32::MAX.to_le_bytes());
    let mut s = Session::new();
    s.load_sample(500, 1).unwrap();
    let e = s.load_source(Slot::Test, "t.gz", Box::new(gz), &mut |_| {}).unwrap_err();
    assert!(e.to_string().contains("truncated or corrupt"), "{e}");
}
