//! The real KDD Cup 99 and NSL-KDD files from `../shared/data`: exact loading,
//! preparation, the Isolation Forest acceptance figures, reproducibility, model
//! files, and the CLI end to end.

mod common;

use netanomaly::data::Rows;
use std::collections::BTreeMap;

use netanomaly::data::{protocol, Format, Subset, Table};
use netanomaly::detect::Control;
use netanomaly::metrics::roc_auc;
use netanomaly::model_file::Model;
use netanomaly::pipeline::{self, TrainSettings};
use netanomaly::prepare::{Encoding, Preparation, PrepareConfig};

fn counts(t: &Table) -> BTreeMap<String, usize> {
    t.label_counts().into_iter().collect()
}

fn category_totals(t: &Table) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for (label, n) in t.label_counts() {
        *out.entry(t.schema.category(&label).to_string()).or_insert(0) += n;
    }
    out
}

/// Train on the split's normals with `settings`, return the first test set's AUC.
fn auc(split: &protocol::Split<'_>, settings: &TrainSettings, test: usize) -> f64 {
    let model = pipeline::train(settings, &split.train, "test", &mut |_| Control::Continue).unwrap();
    let t = &split.tests[test];
    let scores = pipeline::score(&model, t, &mut |_, _| {}).unwrap();
    roc_auc(&scores, &t.truth().unwrap()).unwrap()
}

#[test]
fn kdd10_loads_exactly() {
    let t = common::kdd10();
    assert_eq!(t.format, Format::Kdd99);
    assert_eq!(t.rows(), 494_021);
    let c = counts(t);
    assert_eq!(c.len(), 23);
    for (label, n) in [
        ("smurf", 280_790),
        ("neptune", 107_201),
        ("normal", 97_278),
        ("back", 2_203),
        ("satan", 1_589),
        ("ipsweep", 1_247),
        ("portsweep", 1_040),
        ("warezclient", 1_020),
        ("teardrop", 979),
        ("pod", 264),
        ("nmap", 231),
        ("guess_passwd", 53),
        ("buffer_overflow", 30),
        ("land", 21),
        ("warezmaster", 20),
        ("imap", 12),
        ("rootkit", 10),
        ("loadmodule", 9),
        ("ftp_write", 8),
        ("multihop", 7),
        ("phf", 4),
        ("perl", 3),
        ("spy", 2),
    ] {
        assert_eq!(c.get(label), Some(&n), "{label}");
    }
    assert_eq!(t.normal_rows().len(), 97_278);
    // The category totals usually quoted for the 10% set.
    let cats = category_totals(t);
    assert_eq!(cats.get("dos"), Some(&391_458));
    assert_eq!(cats.get("probe"), Some(&4_107));
    assert_eq!(cats.get("r2l"), Some(&1_126));
    assert_eq!(cats.get("u2r"), Some(&52));
    assert_eq!(cats.get("unknown"), None);
    assert_eq!(t.symbolic[0].names.len(), 3, "tcp, udp, icmp");
}

#[test]
fn corrected_and_nsl_load_exactly_with_every_label_categorised() {
    let c = common::corrected();
    assert_eq!((c.format, c.rows(), c.normal_rows().len(), counts(c).len()), (Format::Kdd99, 311_029, 60_593, 38));
    for (label, n) in [("snmpgetattack", 7_741), ("mailbomb", 5_000), ("mscan", 1_053), ("apache2", 794)] {
        assert_eq!(counts(c).get(label), Some(&n), "{label}");
    }
    for (t, rows, normals, labels) in [
        (common::nsl_train(), 125_973, 67_343, 23),
        (common::nsl_test(), 22_544, 9_711, 38),
        (common::nsl_test21(), 11_850, 2_152, 38),
    ] {
        assert_eq!(t.format, Format::NslKdd);
        assert_eq!((t.rows(), t.normal_rows().len(), counts(t).len()), (rows, normals, labels));
        assert_eq!(t.difficulty.as_ref().map(Vec::len), Some(rows));
        assert!(t.difficulty.as_ref().unwrap().iter().all(|&d| d <= 21));
    }
    for t in [c, common::nsl_test(), common::nsl_test21()] {
        let unknown: Vec<_> = counts(t).into_keys().filter(|l| t.schema.category(l) == "unknown").collect();
        assert!(unknown.is_empty(), "uncategorised labels: {unknown:?}");
    }
    // KDDTest-21 is KDDTest+ without the records every classifier got right.
    assert!(common::nsl_test21().difficulty.as_ref().unwrap().iter().all(|&d| d < 21));
}

#[test]
fn preparation_scales_training_normals_and_never_makes_nan() {
    let t = common::kdd10();
    let split = protocol::holdout(t, 0.8, 42).unwrap();
    assert_eq!(split.train.len(), 77_822);
    assert_eq!(split.tests[0].len(), 494_021 - 77_822);
    for config in [PrepareConfig::default(), PrepareConfig::new(Encoding::OneHot, true)] {
        let prep = Preparation::fit(config, &split.train).unwrap();
        let x = prep.transform(&split.train);
        assert_eq!(x.rows, 77_822);
        assert!(x.data.iter().all(|v| v.is_finite()), "{config:?}");
        for c in 0..x.cols {
            let col: Vec<f64> = (0..x.rows).map(|r| f64::from(x.row(r)[c])).collect();
            let mean = col.iter().sum::<f64>() / col.len() as f64;
            let var = col.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / col.len() as f64;
            assert!(mean.abs() < 1e-3, "{config:?} column {} mean {mean}", prep.columns[c]);
            // Constant columns (e.g. num_outbound_cmds, always 0) stay 0, not NaN.
            assert!((var - 1.0).abs() < 1e-3 || var < 1e-12, "{config:?} column {} var {var}", prep.columns[c]);
        }
        let test = prep.transform(&split.tests[0]);
        assert!(test.data.iter().all(|v| v.is_finite()));
        if config.encoding == Encoding::OneHot {
            // Under the cap (KDD10's normals use 24 services, fewer than 32) every training
            // value has a column and "other" takes the unseen.
            assert!(prep.columns.iter().any(|c| c == "service=<other>"));
            assert_eq!(prep.columns.iter().filter(|c| c.starts_with("service=")).count(), prep.vocab[1].len() + 1);
            assert!(x.cols > 41);
        }
    }
}

#[test]
fn isolation_forest_meets_the_auc_targets() {
    let settings = TrainSettings::default();
    assert_eq!((settings.forest.n_estimators, settings.forest.max_samples, settings.forest.seed), (100, 256, 42));
    let holdout = auc(&protocol::holdout(common::kdd10(), 0.8, 42).unwrap(), &settings, 0);
    let corrected =
        auc(&protocol::train_test(common::kdd10(), &[("corrected", common::corrected())]).unwrap(), &settings, 0);
    let nsl_split = protocol::train_test(common::nsl_train(), &[("test+", common::nsl_test())]).unwrap();
    let nsl = auc(&nsl_split, &settings, 0);
    eprintln!("IF ROC AUC: kdd10-holdout {holdout:.4}, kdd10-corrected {corrected:.4}, nsl test+ {nsl:.4}");
    assert!(holdout >= 0.96, "kdd10-holdout {holdout}");
    assert!(corrected >= 0.96, "kdd10-corrected {corrected}");
    assert!(nsl >= 0.92, "nsl {nsl}");
}

#[test]
fn same_seed_same_scores_other_seed_other_scores() {
    let split = protocol::train_test(common::nsl_train(), &[("test+", common::nsl_test())]).unwrap();
    let run = |seed| {
        let mut s = TrainSettings::default();
        s.forest.seed = seed;
        let m = pipeline::train(&s, &split.train, "nsl", &mut |_| Control::Continue).unwrap();
        pipeline::score(&m, &split.tests[0], &mut |_, _| {}).unwrap()
    };
    let a = run(42);
    assert_eq!(a, run(42));
    assert_ne!(a, run(7));
    // The hold-out split itself is seeded.
    let s1 = protocol::holdout(common::kdd10(), 0.8, 1).unwrap();
    assert_eq!(s1.train.rows, protocol::holdout(common::kdd10(), 0.8, 1).unwrap().train.rows);
    assert_ne!(s1.train.rows, protocol::holdout(common::kdd10(), 0.8, 2).unwrap().train.rows);
}

#[test]
fn saved_model_reloads_and_scores_identically() {
    let split = protocol::train_test(common::nsl_train(), &[("test+", common::nsl_test())]).unwrap();
    let mut model =
        pipeline::train(&TrainSettings::default(), &split.train, "nsl", &mut |_| Control::Continue).unwrap();
    let scores = pipeline::score(&model, &split.tests[0], &mut |_, _| {}).unwrap();
    let e = pipeline::evaluate(&mut model, &split.tests[0], &scores).unwrap();
    let bytes = model.to_bytes().unwrap();
    let back = Model::from_bytes(&bytes).unwrap();
    assert_eq!(back.header.metrics[0].roc_auc, e.roc_auc);
    assert_eq!(back.header.threshold, model.header.threshold, "thresholds survive JSON exactly");
    assert_eq!(back.header.protocol, "nsl");
    assert_eq!(back.header.train_rows, 67_343);
    assert_eq!(pipeline::score(&back, &split.tests[0], &mut |_, _| {}).unwrap(), scores);
    eprintln!("IF model file: {} bytes", bytes.len());
    assert!(bytes.len() < 1_000_000, "model file is {} bytes", bytes.len());
}

#[test]
fn per_category_recall_adds_up_to_the_confusion_matrix() {
    let split = protocol::train_test(common::kdd10(), &[("corrected", common::corrected())]).unwrap();
    let mut model =
        pipeline::train(&TrainSettings::default(), &split.train, "kdd10-corrected", &mut |_| Control::Continue)
            .unwrap();
    let t: &Subset<'_> = &split.tests[0];
    let scores = pipeline::score(&model, t, &mut |_, _| {}).unwrap();
    let e = pipeline::evaluate(&mut model, t, &scores).unwrap();
    let attack_flagged: u64 = e.by_category.iter().filter(|d| d.name != "normal").map(|d| d.flagged).sum();
    let normal = e.by_category.iter().find(|d| d.name == "normal").unwrap();
    assert_eq!(attack_flagged, e.confusion.tp);
    assert_eq!(normal.flagged, e.confusion.fp);
    assert_eq!(normal.total, 60_593);
    assert_eq!(e.by_label.iter().map(|d| d.total).sum::<u64>(), 311_029);
}

/// The reference's mistake on the real KDD99 10% set (80% attacks): a dense
/// autoencoder trained on every row learns to reconstruct attacks, so it separates
/// them far worse than the same network trained on normal rows only.
#[test]
fn training_on_attack_heavy_data_is_the_reference_mistake() {
    use netanomaly::session::{ProtocolChoice, Session, Slot};
    let bytes = std::fs::read(common::data_dir().join("kdd99/kddcup.data_10_percent.gz")).unwrap();
    let mut s = Session::new();
    s.load(Slot::Train, "kdd10", &bytes, &mut |_| {}).unwrap();
    let mut auc = |choice| {
        s.set_protocol(choice).unwrap();
        let mut settings = TrainSettings::new(netanomaly::detect::ModelKind::Dense);
        settings.autoencoder.train.epochs = 3;
        s.start_training(settings).unwrap();
        while !s.train_epoch(&mut |_| Control::Continue, false).unwrap().done {}
        s.finish_training(&mut |_, _| {}).unwrap().views[0].evaluation.as_ref().unwrap().roc_auc
    };
    let right = auc(ProtocolChoice::SingleFile);
    let wrong = auc(ProtocolChoice::AllRows);
    eprintln!("dense AE on the 10% set: normal-only training AUC {right:.4}, all-rows training AUC {wrong:.4}");
    assert!(right > 0.98, "{right}");
    assert!(wrong < right - 0.1, "all rows {wrong} vs normals {right}");
}

/// The papers' protocols on the 10 % set (97,278 normals, 396,743 attacks): the
/// sizes DAGMM, GOAD and NeuTraL AD give, disjoint seeded halves, the normal rows as
/// the positives under `kddcup`, and the forest's F1 at the true ratio.
#[test]
fn kddcup_and_kddcup_rev_make_the_papers_splits() {
    let t = common::kdd10();
    let cup = protocol::kddcup(t, 42).unwrap();
    let test = &cup.tests[0];
    assert_eq!((cup.train.len(), test.len()), (198_371, 198_372 + 97_278));
    assert!(cup.train.rows.iter().all(|&r| t.is_attack(r) == Some(true)), "kddcup trains on attacks only");
    let truth = test.truth().unwrap();
    assert_eq!(truth.iter().filter(|&&a| a).count(), 97_278, "under kddcup the normal rows are the anomalies");
    assert!(test.rows.iter().zip(&truth).all(|(&r, &a)| a == (t.is_attack(r) == Some(false))));
    let csv = netanomaly::metrics::predictions_csv(test, &vec![0.0; test.len()], 1.0);
    assert_eq!(csv.lines().filter(|l| l.ends_with(",1")).count(), 97_278, "the export's true_label follows it");

    let rev = protocol::kddcup_rev(t, 42).unwrap();
    let test_rev = &rev.tests[0];
    assert_eq!((rev.train.len(), test_rev.len()), (48_639, 48_639 + 24_319));
    assert!(rev.train.rows.iter().all(|&r| t.is_attack(r) == Some(false)));
    assert_eq!(test_rev.truth().unwrap().iter().filter(|&&a| a).count(), 24_319);

    for split in [&cup, &rev] {
        let test = &split.tests[0];
        let held: std::collections::HashSet<_> = split.train.rows.iter().collect();
        assert!(test.rows.iter().all(|r| !held.contains(r)), "{}: train and test are disjoint", test.name);
    }
    assert_eq!(rev.tests[0].rows, protocol::kddcup_rev(t, 42).unwrap().tests[0].rows);
    assert_ne!(rev.tests[0].rows, protocol::kddcup_rev(t, 1).unwrap().tests[0].rows);
    assert_ne!(cup.train.rows, protocol::kddcup(t, 1).unwrap().train.rows);

    let settings = TrainSettings::default();
    for split in [&cup, &rev] {
        let mut model = pipeline::train(&settings, &split.train, "papers", &mut |_| Control::Continue).unwrap();
        let test = &split.tests[0];
        let scores = pipeline::score(&model, test, &mut |_, _| {}).unwrap();
        let e = pipeline::evaluate(&mut model, test, &scores).unwrap();
        let flagged = e.true_ratio.confusion.tp + e.true_ratio.confusion.fp;
        eprintln!("IF {}: ROC AUC {:.4}, F1 at true ratio {:.4}", test.name, e.roc_auc, e.true_ratio.f1);
        // At least the true share is flagged; beyond it, only rows tied at the threshold.
        let above = scores.iter().filter(|&&s| s > e.true_ratio.threshold).count() as u64;
        assert!(flagged + 1 >= e.attacks && above <= e.attacks, "{}: {above} above, {flagged} flagged", test.name);
        assert!(e.true_ratio.f1 >= 0.93, "{}: F1 at true ratio {}", test.name, e.true_ratio.f1);
    }
}
