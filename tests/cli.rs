//! The `netanomaly` binary end to end on the real NSL-KDD files: the files it
//! writes, their headers and row counts, charts that are not blank, model files that
//! `score` can use, and clear errors with a non-zero exit.

mod common;

use std::path::Path;
use std::process::Command;

use netanomaly::data::{synth, Format};

fn netanomaly(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_netanomaly"))
        .args(args)
        .env("NETANOMALY_DATA", common::data_dir())
        .output()
        .expect("run netanomaly")
}

/// Run, and expect exit code 1 with `text` in the error message.
fn fails_with(args: &[&str], text: &str) {
    let o = netanomaly(args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(text), "expected {text:?} in: {err}");
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("netanomaly-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Share of pixels that differ from the top-left (background) colour.
fn ink(path: &Path) -> f64 {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let px = info.color_type.samples();
    let data = &buf[..info.buffer_size()];
    let bg = &data[..px];
    let painted = data.chunks(px).filter(|p| p != &bg).count();
    painted as f64 / (data.len() / px) as f64
}

fn csv_rows(path: &Path) -> (String, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().to_string();
    (header, lines.map(|l| l.split(',').map(str::to_string).collect()).collect())
}

#[test]
fn eval_nsl_writes_the_reference_outputs() {
    let out = tempdir("eval");
    let models = out.join("models");
    let o = netanomaly(&[
        "eval",
        "--protocol",
        "nsl",
        "--model",
        "if",
        "--out",
        out.to_str().unwrap(),
        "--save-models",
        models.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("| if | test+ |") && stdout.contains("| if | test-21 |"), "{stdout}");

    for (file, rows) in [("predictions_if.csv", 22_544), ("predictions_if_test-21.csv", 11_850)] {
        let (header, rows_read) = csv_rows(&out.join(file));
        assert_eq!(header, "record_id,anomaly_score,prediction_label,true_label");
        assert_eq!(rows_read.len(), rows, "{file}");
        assert_eq!(rows_read[0][0], "0");
        assert_eq!(rows_read.last().unwrap()[0], (rows - 1).to_string());
        assert!(rows_read.iter().all(|r| r[2] == "0" || r[2] == "1"));
        let attacks = rows_read.iter().filter(|r| r[3] == "1").count();
        if rows == 22_544 {
            assert_eq!(attacks, 22_544 - 9_711);
        }
    }
    // Predictions agree with the threshold and the metrics file.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("metrics_if.json")).unwrap()).unwrap();
    let threshold = json["threshold"].as_f64().unwrap();
    let auc = json["roc_auc"].as_f64().unwrap();
    assert!(auc >= 0.92, "{auc}");
    let (_, rows) = csv_rows(&out.join("predictions_if.csv"));
    let flagged = rows.iter().filter(|r| r[1].parse::<f64>().unwrap() > threshold).count() as u64;
    assert_eq!(flagged, json["confusion"]["tp"].as_u64().unwrap() + json["confusion"]["fp"].as_u64().unwrap());
    assert!(rows.iter().all(|r| (r[1].parse::<f64>().unwrap() > threshold) == (r[2] == "1")));
    let text = std::fs::read_to_string(out.join("metrics_if.txt")).unwrap();
    assert!(text.contains(&format!("ROC AUC Score: {auc:.4}")), "{text}");
    assert!(text.contains("Confusion Matrix"));

    for png in [
        "roc_if.png",
        "pr_if.png",
        "histogram_if.png",
        "confusion_if.png",
        "categories_if.png",
        "roc_all.png",
        "roc_if_test-21.png",
    ] {
        let share = ink(&out.join(png));
        assert!(share > 0.01, "{png} looks blank ({share:.4} of pixels drawn)");
    }
    let results = std::fs::read_to_string(out.join("results.md")).unwrap();
    assert!(results.starts_with("| Model | Test set | ROC AUC"));
    assert!(std::fs::read_to_string(out.join("report.html")).unwrap().contains("roc_if.png"));

    // The saved model scores a file it has never seen, even one without labels.
    let unlabelled = out.join("unlabelled.csv");
    std::fs::write(&unlabelled, synth::generate(250, 0.3, Format::Unlabelled, 3)).unwrap();
    let scored = out.join("scored");
    let o = netanomaly(&[
        "score",
        "--model-file",
        models.join("if.nam").to_str().unwrap(),
        unlabelled.to_str().unwrap(),
        "--out",
        scored.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no labels"));
    let (_, rows) = csv_rows(&scored.join("predictions_if.csv"));
    assert_eq!(rows.len(), 250);
    assert!(rows.iter().all(|r| r.len() == 4 && r[3].is_empty()));
    assert!(ink(&scored.join("histogram_if.png")) > 0.01);
    assert!(!scored.join("roc_if.png").exists(), "no ROC without labels");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn score_with_a_saved_model_reproduces_eval() {
    let out = tempdir("score");
    let models = out.join("m");
    let o = netanomaly(&["train", "--protocol", "nsl", "--out", models.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let test = common::data_dir().join("nsl-kdd/KDDTest+.txt.gz");
    let o = netanomaly(&[
        "score",
        "--model-file",
        models.join("if.nam").to_str().unwrap(),
        test.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("metrics_if.json")).unwrap()).unwrap();
    let model = netanomaly::model_file::Model::from_bytes(&std::fs::read(models.join("if.nam")).unwrap()).unwrap();
    let trained = model.header.metrics.iter().find(|m| m.test_set == "test+").unwrap();
    assert_eq!(json["roc_auc"].as_f64().unwrap(), trained.roc_auc);

    // `explain` on the file's top-scoring record: the same score as the predictions
    // file gives it, shares that sum to one, the top N as a table, a named error past the end.
    let (_, rows) = csv_rows(&out.join("predictions_if.csv"));
    let top = rows.iter().max_by(|a, b| a[1].parse::<f64>().unwrap().total_cmp(&b[1].parse().unwrap())).unwrap();
    let model_file = models.join("if.nam");
    let explain = |extra: &[&str]| {
        let mut args = vec!["explain", "--model-file", model_file.to_str().unwrap(), test.to_str().unwrap()];
        args.extend_from_slice(extra);
        netanomaly(&args)
    };
    let o = explain(&["--record", &top[0], "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let e: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(e["record_id"].as_u64().unwrap().to_string(), top[0]);
    assert_eq!(e["score"].as_f64().unwrap(), top[1].parse::<f64>().unwrap());
    let shares: Vec<f64> = e["features"].as_array().unwrap().iter().map(|f| f["share"].as_f64().unwrap()).collect();
    assert_eq!(shares.len(), 41);
    assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-9 && shares.windows(2).all(|w| w[0] >= w[1]));
    // The predictions' top_features column: the explanation's first three for a
    // flagged row, empty for the others.
    let with_top = out.join("top");
    let o = netanomaly(&[
        "score",
        "--model-file",
        model_file.to_str().unwrap(),
        test.to_str().unwrap(),
        "--out",
        with_top.to_str().unwrap(),
        "--top-features",
        "3",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (header, listed) = csv_rows(&with_top.join("predictions_if.csv"));
    assert_eq!(header, "record_id,anomaly_score,prediction_label,true_label,top_features");
    let first3: Vec<&str> =
        e["features"].as_array().unwrap()[..3].iter().map(|f| f["feature"].as_str().unwrap()).collect();
    let row = listed.iter().find(|r| r[0] == top[0]).unwrap();
    assert_eq!(row[4], first3.join(";"));
    assert!(listed.iter().all(|r| (r[2] == "1") != r[4].is_empty()), "listed for flagged rows only");
    let o = explain(&["--record", &top[0], "--top", "3"]);
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(table.starts_with("Isolation Forest, record "), "{table}");
    assert_eq!(table.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| feature")).count(), 3, "{table}");
    fails_with(
        &["explain", "--model-file", model_file.to_str().unwrap(), test.to_str().unwrap(), "--record", "22544"],
        "record 22544 is not in the file: it has 22544 records",
    );
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn inspect_prints_label_counts() {
    let f = common::data_dir().join("nsl-kdd/KDDTest-21.txt.gz");
    let o = netanomaly(&["inspect", f.to_str().unwrap()]);
    assert!(o.status.success());
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("NSL-KDD, 43 columns (11850 rows"), "{s}");
    assert!(s.contains("normal") && s.contains("2152"), "{s}");
}

#[test]
fn bad_files_and_settings_fail_with_a_message_and_exit_1() {
    let out = tempdir("bad");
    let bad = out.join("bad.csv");
    let text = synth::generate(20, 0.3, Format::Kdd99, 1);
    let lines: Vec<String> =
        text.lines().enumerate().map(|(i, l)| if i == 4 { format!("7,{l}") } else { l.to_string() }).collect();
    std::fs::write(&bad, lines.join("\n")).unwrap();
    fails_with(
        &["eval", "--protocol", "single-file", "--train", bad.to_str().unwrap(), "--out", out.to_str().unwrap()],
        "line 5: 43 columns, but the file started with 42",
    );

    let good = out.join("good.csv");
    std::fs::write(&good, synth::generate(200, 0.3, Format::Kdd99, 2)).unwrap();
    fails_with(
        &[
            "eval",
            "--protocol",
            "single-file",
            "--train",
            good.to_str().unwrap(),
            "--max-samples",
            "0",
            "--out",
            out.to_str().unwrap(),
        ],
        "max_samples must be at least 1",
    );

    fails_with(
        &["score", "--model-file", good.to_str().unwrap(), good.to_str().unwrap(), "--out", out.to_str().unwrap()],
        "not a netanomaly model file",
    );
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn sample_writes_synthetic_files_that_load_in_every_format() {
    let out = tempdir("sample");
    for (format, expected) in
        [("kdd99", Format::Kdd99), ("nsl-kdd", Format::NslKdd), ("unlabelled", Format::Unlabelled)]
    {
        let path = out.join(format!("{format}.csv"));
        let o = netanomaly(&["sample", path.to_str().unwrap(), "--rows", "123", "--format", format, "--seed", "9"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let table = netanomaly::data::read_bytes(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!((table.format, table.rows()), (expected, 123));
    }
    fails_with(&["sample", out.join("x.csv").to_str().unwrap(), "--format", "parquet"], "unknown format");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn train_every_kind_with_sizes_given_as_documented() {
    let out = tempdir("sizes");
    let data = out.join("train.csv");
    std::fs::write(&data, synth::generate(300, 0.3, Format::Kdd99, 4)).unwrap();
    let models = out.join("models");
    let o = netanomaly(&[
        "train",
        "--protocol",
        "single-file",
        "--train",
        data.to_str().unwrap(),
        "--model",
        "if,dense,lstm,deep",
        "--epochs",
        "1",
        "--trees",
        "5",
        "--lstm-hidden",
        "4",
        "--deep-sizes",
        "4,2",
        "--dense-sizes",
        "8,4",
        "--out",
        models.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for kind in ["if", "dense", "lstm", "deep"] {
        let m = netanomaly::model_file::Model::from_bytes(&std::fs::read(models.join(format!("{kind}.nam"))).unwrap())
            .unwrap();
        if kind == "deep" {
            assert_eq!(
                (m.header.config["deep_outer"].as_u64(), m.header.config["deep_inner"].as_u64()),
                (Some(4), Some(2))
            );
        }
    }
    fails_with(
        &[
            "train",
            "--protocol",
            "single-file",
            "--train",
            data.to_str().unwrap(),
            "--deep-sizes",
            "4",
            "--out",
            models.to_str().unwrap(),
        ],
        "two sizes",
    );
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
#[cfg(feature = "catalogue")]
fn catalogue_writes_every_case_and_inspect_gives_each_its_outcome() {
    use netanomaly::catalogue::{self, Expect, Target};
    let dir = tempdir("catalogue");
    let o = netanomaly(&["catalogue", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let cases = catalogue::cases();
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("catalogue.json")).unwrap()).unwrap();
    assert_eq!(index.as_array().unwrap().len(), cases.len());
    for (case, entry) in cases.iter().zip(index.as_array().unwrap()) {
        assert_eq!(entry["name"], case.name);
        let path = dir.join(case.name);
        assert_eq!(std::fs::read(&path).unwrap(), case.bytes, "{}", case.name);
        if case.target != Target::DataFile {
            continue;
        }
        // The command line reads data files through the same loader: same outcome.
        let o = netanomaly(&["inspect", path.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr);
        match &case.expect {
            Expect::Error { contains } => {
                assert_eq!(o.status.code(), Some(1), "{}: {err}", case.name);
                for fragment in contains {
                    assert!(err.contains(fragment), "{}: {fragment:?} not in {err}", case.name);
                }
            }
            Expect::Loads { .. } => assert!(o.status.success(), "{}: {err}", case.name),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_file_without_attacks_trains_and_scores_and_says_so_before_training() {
    let dir = tempdir("normals-only");
    let file = dir.join("normals.csv");
    std::fs::write(&file, synth::generate(2_000, 0.0, Format::Kdd99, 3)).unwrap();
    let out = dir.join("out");
    let o = netanomaly(&[
        "eval",
        "--protocol",
        "single-file",
        "--train",
        file.to_str().unwrap(),
        "--model",
        "if",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    let note = err.find("note: the test set all has no attack rows").expect(&err);
    let trained = err.find("Isolation Forest: trained").expect(&err);
    assert!(note < trained, "the note comes before training: {err}");
    let (_, rows) = csv_rows(&out.join("predictions_if.csv"));
    assert_eq!(rows.len(), 2_000);
    assert!(out.join("histogram_if.png").is_file());
}

#[test]
fn a_zip_archive_with_several_files_is_read_by_entry() {
    let dir = tempdir("zip-entry");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::FileOptions::default();
    for (name, rows) in [("NSL-KDD/KDDTrain+.txt", 300), ("NSL-KDD/KDDTest+.txt", 120)] {
        zip.start_file(name, options).unwrap();
        std::io::Write::write_all(&mut zip, synth::generate(rows, 0.3, Format::NslKdd, 4).as_bytes()).unwrap();
    }
    let archive = dir.join("NSL-KDD.zip");
    std::fs::write(&archive, zip.finish().unwrap().into_inner()).unwrap();
    let path = archive.to_str().unwrap();
    fails_with(&["inspect", path], "holds 2 data files: NSL-KDD/KDDTrain+.txt, NSL-KDD/KDDTest+.txt; choose one");
    let o = netanomaly(&["inspect", path, "--entry", "KDDTest+.txt"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("(120 rows") && text.contains("read from the zip entry NSL-KDD/KDDTest+.txt"), "{text}");
    // One archive twice, each --entry once: training on one file, testing on the other.
    let out = dir.join("out");
    let o = netanomaly(&[
        "eval",
        "--protocol",
        "custom",
        "--train",
        path,
        "--test",
        path,
        "--entry",
        "KDDTrain+.txt",
        "--entry",
        "KDDTest+.txt",
        "--model",
        "if",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (_, rows) = csv_rows(
        &out.join(
            std::fs::read_dir(&out)
                .unwrap()
                .filter_map(|e| e.ok())
                .map(|e| e.file_name())
                .find(|n| n.to_string_lossy().starts_with("predictions"))
                .unwrap(),
        ),
    );
    assert_eq!(rows.len(), 120);
}
