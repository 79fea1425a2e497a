//! One-hot encoding capped at N columns per symbolic feature (the most frequent values
//! and one "other"), and the memory estimate that refuses, before any matrix is made, a
//! run a tab cannot hold; a file without attacks trains and says up front what it lacks.

use netanomaly::data::{self, protocol, synth, Format};
use netanomaly::detect::{Control, ModelKind};
use netanomaly::pipeline::{self, TrainSettings};
use netanomaly::prepare::{Encoding, Preparation, PrepareConfig, MAX_CATEGORIES};
use netanomaly::session::{ProtocolChoice, Session, Slot};

/// `rows` rows of generated traffic where every row has its own `service` value.
fn distinct_services(rows: usize, seed: u64) -> String {
    synth::generate(rows, 0.3, Format::Kdd99, seed)
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let mut f: Vec<&str> = l.split(',').collect();
            let name = format!("svc{i}");
            f[2] = &name;
            f.join(",") + "\n"
        })
        .collect()
}

#[test]
fn one_hot_keeps_the_most_frequent_values_and_puts_the_rest_in_other() {
    let text = synth::generate(3_000, 0.3, Format::Kdd99, 11);
    let table = data::read_bytes(text.as_bytes()).unwrap();
    let split = protocol::single_file(&table).unwrap();
    let services = |p: &Preparation| p.columns.iter().filter(|c| c.starts_with("service=")).count();
    let capped = Preparation::fit(
        PrepareConfig { max_categories: Some(4), ..PrepareConfig::new(Encoding::OneHot, false) },
        &split.train,
    )
    .unwrap();
    let uncapped = Preparation::fit(
        PrepareConfig { max_categories: None, ..PrepareConfig::new(Encoding::OneHot, false) },
        &split.train,
    )
    .unwrap();
    let seen = uncapped.vocab[1].len();
    assert!(seen > 4, "{seen} services among the normals");
    assert_eq!((services(&capped), services(&uncapped)), (4, seen + 1));
    assert!(capped.columns.contains(&"service=<other>".to_string()));
    assert!(uncapped.columns.contains(&"service=<unseen>".to_string()));
    // The three kept are the three most frequent training values.
    let mut counts = std::collections::HashMap::<&str, usize>::new();
    for &r in split.train.rows.iter() {
        *counts.entry(table.symbolic[1].get(r)).or_default() += 1;
    }
    let mut by_count: Vec<(&str, usize)> = counts.into_iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let mut top: Vec<String> = by_count[..3].iter().map(|(n, _)| n.to_string()).collect();
    top.sort();
    assert_eq!(capped.vocab[1], top);
    // A row with an infrequent service and one with a never-seen service both set the "other" column.
    let x = capped.transform(&split.train);
    let other = capped.columns.iter().position(|c| c == "service=<other>").unwrap();
    let raw_other = |r: usize| x.row(r)[other] * capped.scale[other] + capped.mean[other];
    let infrequent = split.train.rows.iter().position(|&r| !top.iter().any(|t| t == table.symbolic[1].get(r))).unwrap();
    assert!((raw_other(infrequent) - 1.0).abs() < 1e-5);
    // Label encoding is not capped: every training value keeps its code.
    let label = Preparation::fit(PrepareConfig::default(), &split.train).unwrap();
    assert_eq!(label.vocab[1].len(), seen);
    assert_eq!(PrepareConfig::default().max_categories, Some(MAX_CATEGORIES));
}

#[test]
fn a_model_file_written_before_the_cap_reads_back_uncapped() {
    let old: PrepareConfig = serde_json::from_str(r#"{"encoding":"one-hot","log1p":true}"#).unwrap();
    assert_eq!(old.max_categories, None);
}

#[test]
fn twenty_thousand_services_train_capped_and_an_uncapped_run_is_refused_with_its_numbers() {
    let text = distinct_services(20_000, 12);
    let mut s = Session::new();
    s.load(Slot::Train, "svc.csv", text.as_bytes(), &mut |_| {}).unwrap();
    s.set_protocol(ProtocolChoice::SingleFile).unwrap();
    let settings = |kind, max_categories| TrainSettings {
        prepare: PrepareConfig { max_categories, ..PrepareConfig::new(Encoding::OneHot, false) },
        ..TrainSettings::new(kind)
    };
    let e = s.start_training(settings(ModelKind::Dense, None)).unwrap_err().to_string();
    assert!(
        e.contains("training the Dense autoencoder on") && e.contains("needs about") && e.contains("1536 MB"),
        "{e}"
    );
    // Capped (the default), the forest trains and scores every row.
    s.start_training(settings(ModelKind::If, Some(MAX_CATEGORIES))).unwrap();
    while !s.train_epoch(&mut |_| Control::Continue, false).unwrap().done {}
    let r = s.finish_training(&mut |_, _| {}).unwrap();
    assert!(r.views[0].evaluation.as_ref().unwrap().roc_auc > 0.8);
    // The estimate, and a budget the CLI may set.
    let table = data::read_bytes(text.as_bytes()).unwrap();
    let split = protocol::single_file(&table).unwrap();
    let columns = netanomaly::prepare::planned_columns(settings(ModelKind::If, Some(32)).prepare, &split.train);
    let p = Preparation::fit(settings(ModelKind::If, Some(32)).prepare, &split.train).unwrap();
    assert_eq!(columns, p.n_features());
    assert_eq!(p.columns.iter().filter(|c| c.starts_with("service=")).count(), 32);
    assert!(columns <= 38 + 3 * 32, "{columns} columns: 38 numeric and at most 32 per symbolic feature");
    let tight = TrainSettings { memory_budget: Some(1 << 20), ..settings(ModelKind::If, Some(32)) };
    assert!(pipeline::train(&tight, &split.train, "t", &mut |_| Control::Continue).is_err());
}

#[test]
fn a_test_set_without_attacks_is_named_up_front_and_still_scored() {
    let text = synth::generate(2_000, 0.0, Format::Kdd99, 13);
    let mut s = Session::new();
    s.load(Slot::Train, "normals.csv", text.as_bytes(), &mut |_| {}).unwrap();
    let split = s.set_protocol(ProtocolChoice::SingleFile).unwrap();
    let notice = split.tests[0].notice.as_deref().expect("a notice");
    assert!(notice.contains("has no attack rows") && notice.contains("ROC"), "{notice}");
    s.start_training(TrainSettings::default()).unwrap();
    while !s.train_epoch(&mut |_| Control::Continue, false).unwrap().done {}
    let r = s.finish_training(&mut |_, _| {}).unwrap();
    assert!(r.views[0].evaluation.is_none());
    assert_eq!(r.views[0].histogram.normal.iter().sum::<u64>() as usize, 2_000);
}
