//! Explanations: a record with one feature pushed far outside the training normals
//! ranks that feature first, for every detector; the explained score is the score
//! the file gets; the shares sum to one; a record not in the file is a named error.

use netanomaly::data::{self, protocol, synth, Format};
use netanomaly::detect::{Control, ModelKind};
use netanomaly::explain::explain;
use netanomaly::pipeline::{self, TrainSettings};

fn settings(kind: ModelKind) -> TrainSettings {
    let mut s = TrainSettings::new(kind);
    s.autoencoder.train.epochs = if kind == ModelKind::Dense { 8 } else { 3 };
    s
}

#[test]
fn a_feature_pushed_far_out_ranks_first_for_every_detector() {
    let text = synth::generate(3000, 0.2, Format::Kdd99, 11);
    let table = data::read_bytes(text.as_bytes()).unwrap();
    let split = protocol::single_file(&table).unwrap();
    let normal_line = text.lines().find(|l| l.ends_with(",normal.") || l.ends_with(",normal")).expect("a normal line");
    let names: Vec<String> = table.schema.features.iter().map(|f| f.name.clone()).collect();
    for kind in ModelKind::ALL {
        let model = pipeline::train(&settings(kind), &split.train, "synthetic", &mut |_| Control::Continue).unwrap();
        // Not a feature whose training normals pile up at their maximum (the synthetic
        // dst_host_srv_count sits at 255 for whole profiles): a forest's splits fall
        // inside the training range, so a value past such a pile is not isolated.
        for feature in ["src_bytes", "count", "dst_bytes", "duration"] {
            let f = names.iter().position(|n| n == feature).unwrap();
            let mut fields: Vec<&str> = normal_line.split(',').collect();
            let far = "90000000"; // exact in f32, as the table keeps it
            fields[f] = far;
            // The pushed record between two ordinary ones: record 1.
            let file = format!("{normal_line}\n{}\n{normal_line}\n", fields.join(","));
            let t = data::read_bytes(file.as_bytes()).unwrap();
            let e = explain(&model, &t, 1).unwrap();
            assert_eq!(e.features[0].feature, feature, "{kind}: {:?}", &e.features[..3]);
            assert_eq!(e.features[0].value, far);
            let total: f64 = e.features.iter().map(|s| s.share).sum();
            assert!((total - 1.0).abs() < 1e-9, "{kind}: shares sum to {total}");
            let subset =
                data::Subset { name: "all".into(), table: &t, rows: vec![0, 1, 2].into(), normal_is_anomaly: false };
            let scores = pipeline::score(&model, &subset, &mut |_, _| {}).unwrap();
            assert!(
                (e.score - scores[1]).abs() <= 1e-6 * scores[1].abs().max(1.0),
                "{kind}: {} vs {}",
                e.score,
                scores[1]
            );
            assert!(scores[1] > scores[0], "{kind}: the pushed record scores above the ordinary one");
            if kind != ModelKind::If {
                assert!(e.features[0].reconstruction.is_some() && e.features[0].standardised.unwrap() > 10.0);
            }
        }
        let err = explain(&model, &table, table.rows()).unwrap_err().to_string();
        assert!(err.contains(&format!("record {}", table.rows())) && err.contains("records"), "{err}");
    }
}
