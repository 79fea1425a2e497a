//! Every built-in dataset end to end on files our generators write in its published
//! layout: UNSW-NB15 and CIC-IDS2017 detected from their headers, Infinity/NaN rows
//! dropped (counted) or refused, CIC-IDS2017's Windows-1252 dash read, a CSV with any
//! header read by its label column (suggested or chosen) or without labels, and
//! models refusing another dataset's rows.

use netanomaly::data::{self, protocol, synth, Format, LabelChoice, LoadError, NonFinite, ReadOptions};
use netanomaly::detect::{Control, ModelKind};
use netanomaly::pipeline::{self, TrainSettings};
use netanomaly::prepare::PrepareConfig;

fn options(label: Option<LabelChoice>, non_finite: NonFinite) -> ReadOptions {
    ReadOptions { entry: None, label, non_finite }
}

fn read(bytes: &[u8], o: &ReadOptions) -> Result<data::Table, LoadError> {
    data::read_with_options(bytes, o, &mut |_| {})
}

/// Train Isolation Forest and the dense autoencoder on the table's normals, score every
/// row, and return each model's ROC AUC.
fn aucs(table: &data::Table) -> Vec<(ModelKind, f64)> {
    let split = protocol::single_file(table).unwrap();
    [ModelKind::If, ModelKind::Dense]
        .into_iter()
        .map(|kind| {
            let mut settings = TrainSettings::new(kind);
            settings.prepare = PrepareConfig::new(Default::default(), true);
            settings.autoencoder.train.epochs = 4;
            let mut model =
                pipeline::train(&settings, &split.train, "single-file", &mut |_| Control::Continue).unwrap();
            let scores = pipeline::score(&model, &split.tests[0], &mut |_, _| {}).unwrap();
            let e = pipeline::evaluate(&mut model, &split.tests[0], &scores).unwrap();
            (kind, e.roc_auc)
        })
        .collect()
}

#[test]
fn unsw_nb15_is_read_by_its_header_and_detected() {
    let text = synth::unsw::generate(20_000, 0.68, 3);
    let t = data::read_bytes(text.as_bytes()).unwrap();
    assert_eq!((t.format, t.rows(), t.schema.id.as_str()), (Format::UnswNb15, 20_000, "unsw-nb15"));
    assert_eq!((t.schema.n_numeric(), t.symbolic.len()), (39, 3));
    // `service` keeps `-` (none) as a value of its own; `id` and `label` are not features.
    assert!(t.symbolic[1].names.iter().any(|s| s == "-"));
    assert!(!t.schema.features.iter().any(|f| f.name == "id" || f.name == "label"));
    let normals = t.normal_rows().len();
    assert!((0.28..0.36).contains(&(normals as f64 / 20_000.0)), "{normals} normals");
    assert_eq!(t.category(t.normal_rows()[0]), Some("normal"));
    let cats: std::collections::BTreeSet<&str> = (0..t.rows()).filter_map(|r| t.category(r)).collect();
    assert!(cats.contains("generic") && cats.contains("exploits") && !cats.contains("unknown"), "{cats:?}");
    for (kind, auc) in aucs(&t) {
        assert!(auc > 0.75, "{kind:?}: AUC {auc}");
    }
}

#[test]
fn cic_ids2017_drops_or_refuses_infinity_and_reads_its_dash() {
    let bytes = synth::cic::generate(30_000, 0.37, 5);
    let t = read(&bytes, &ReadOptions::default()).unwrap();
    assert_eq!((t.format, t.schema.n_numeric()), (Format::CicIds2017, 78));
    assert!(t.dropped_rows > 0, "the generator writes Infinity and NaN rows");
    assert_eq!(t.rows() as u64 + t.dropped_rows, 30_000);
    assert!(t.schema.features.iter().any(|f| f.name == "Fwd Header Length.1"));
    // The Web Attack labels' dash is the byte 0x96 in the file: read as an en dash.
    let labels: Vec<(String, usize)> = t.label_counts();
    let web = labels.iter().find(|(l, _)| l.starts_with("Web Attack")).expect("a web attack");
    assert!(web.0.contains('\u{2013}'), "{:?}", web.0);
    assert_eq!(t.schema.category(&web.0), "web-attack");
    // Refused: the first such line and its column named.
    let e = read(&bytes, &options(None, NonFinite::Refuse)).unwrap_err();
    let (line, column) = e.position();
    assert!(matches!(e, LoadError::NotFinite { .. }), "{e}");
    assert!(line.is_some() && matches!(column, Some(15) | Some(16)), "{e}");
    for (kind, auc) in aucs(&t) {
        assert!(auc > 0.65, "{kind:?}: AUC {auc}");
    }
}

/// A CSV of our own: UNSW-NB15's rows under other column names, `attack_cat` renamed
/// `label_name` and the 0/1 `label` column left out.
fn renamed_csv(label_name: &str, rows: usize) -> String {
    let text = synth::unsw::generate(rows, 0.5, 9);
    let drop_last = |l: &str| l.rsplit_once(',').map_or(String::new(), |(head, _)| head.to_string());
    let mut lines = text.lines();
    let header: Vec<String> = drop_last(lines.next().unwrap_or_default())
        .split(',')
        .map(|n| if n == "attack_cat" { label_name.to_string() } else { format!("f_{n}") })
        .collect();
    std::iter::once(header.join(",")).chain(lines.map(drop_last)).collect::<Vec<_>>().join("\n") + "\n"
}

#[test]
fn any_header_csv_is_read_by_its_label_column() {
    // A column called `class` is taken as the label, `Normal` as its normal value.
    let t = read(renamed_csv("class", 3_000).as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(t.format, Format::Csv);
    assert_eq!(t.schema.symbolic_names(), ["f_proto", "f_service", "f_state"]);
    // UNSW-NB15's 39 numeric features and `f_id` (only a column called `id` is ignored).
    assert_eq!(t.schema.n_numeric(), 40);
    assert!(t.normal_rows().len() > 1_000);
    assert_eq!(t.category(t.normal_rows()[0]), Some("normal"));
    assert!((0..t.rows()).any(|r| t.category(r) == Some("Exploits")));
    for (kind, auc) in aucs(&t) {
        assert!(auc > 0.7, "{kind:?}: AUC {auc}");
    }
}

#[test]
fn a_header_csv_without_a_recognisable_label_asks_and_the_choice_is_taken() {
    let text = renamed_csv("verdict", 500);
    let e = read(text.as_bytes(), &ReadOptions::default()).unwrap_err();
    let LoadError::ChooseLabel { line: 1, ref columns, .. } = e else { panic!("{e}") };
    // Text columns first: the three symbolic ones and the label.
    assert!(columns[..4].contains(&"verdict".to_string()), "{columns:?}");
    assert!(e.to_string().contains("--label-column"), "{e}");
    // The user picks `verdict`: `Normal` is recognised as its normal value.
    let pick = LabelChoice { column: Some("verdict".into()), ..LabelChoice::default() };
    let t = read(text.as_bytes(), &options(Some(pick), NonFinite::Drop)).unwrap();
    assert!(t.is_labelled() && !t.normal_rows().is_empty());
    // A label whose normal value cannot be guessed: its values are offered.
    let odd = text.replace(",Normal\n", ",Benevolent\n");
    let pick = LabelChoice { column: Some("verdict".into()), ..LabelChoice::default() };
    let Err(e) = read(odd.as_bytes(), &options(Some(pick.clone()), NonFinite::Drop)) else { panic!("read") };
    let LoadError::ChooseNormal { ref column, ref values, .. } = e else { panic!("{e}") };
    assert_eq!(column, "verdict");
    assert!(values.contains(&"Benevolent".to_string()), "{values:?}");
    let chosen = LabelChoice { normal: vec!["Benevolent".into()], ..pick };
    let t3 = read(odd.as_bytes(), &options(Some(chosen), NonFinite::Drop)).unwrap();
    assert_eq!(t3.normal_rows(), t.normal_rows());
    // No labels: read for scoring only, every non-id column a feature.
    let none = LabelChoice { none: true, ..LabelChoice::default() };
    let t4 = read(text.as_bytes(), &options(Some(none), NonFinite::Drop)).unwrap();
    assert!(!t4.is_labelled());
    assert_eq!(t4.schema.features.len(), 44);
    // A column that is not there is named.
    let missing = LabelChoice { column: Some("nope".into()), ..LabelChoice::default() };
    let e = read(text.as_bytes(), &options(Some(missing), NonFinite::Drop)).unwrap_err();
    assert_eq!(e.to_string(), "line 1: the header has no column \"nope\"");
}

#[test]
fn a_header_csv_names_a_bad_number_by_line_and_column() {
    let text = renamed_csv("class", 400);
    // Row 300 (line 301, past the rows read ahead): its second field, `f_dur`, is text.
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut fields: Vec<&str> = lines[300].split(',').collect();
    fields[1] = "oops";
    lines[300] = fields.join(",");
    let text = lines.join("\n") + "\n";
    let e = read(text.as_bytes(), &ReadOptions::default()).unwrap_err();
    assert_eq!(e.to_string(), "line 301, column 2 (f_dur): \"oops\" is not a number");
}

#[test]
fn models_and_test_files_of_another_dataset_are_refused() {
    let unsw = data::read_bytes(synth::unsw::generate(2_000, 0.5, 1).as_bytes()).unwrap();
    let kdd = data::read_bytes(synth::generate(2_000, 0.3, Format::Kdd99, 1).as_bytes()).unwrap();
    let split = protocol::single_file(&unsw).unwrap();
    let model =
        pipeline::train(&TrainSettings::new(ModelKind::If), &split.train, "single-file", &mut |_| Control::Continue)
            .unwrap();
    assert_eq!(model.header.preparation.schema, "unsw-nb15");
    let kdd_split = protocol::single_file(&kdd).unwrap();
    let e = pipeline::score(&model, &kdd_split.tests[0], &mut |_, _| {}).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the model was trained on UNSW-NB15 data (42 features) and this file is KDD Cup 99 / NSL-KDD (41 features); load a model trained on this dataset"
    );
    // A model file keeps its schema through bytes.
    let back = netanomaly::model_file::Model::from_bytes(&model.to_bytes().unwrap()).unwrap();
    assert_eq!(back.header.preparation.features, unsw.schema.features);
    let e = protocol::train_test(&unsw, &[("kdd", &kdd)]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the test file kdd is KDD Cup 99, 42 columns, but the training file is UNSW-NB15, 45 columns; test on a file of the same dataset"
    );
}

/// An ARFF file of our own (not the KDD layout): `rows` flows, every fifth an attack
/// with large transfers; the class attribute `class_name` with values `normal_value`
/// and `attack`.
fn own_arff(rows: usize, class_name: &str, normal_value: &str) -> String {
    let mut out = format!(
        "% flows exported by hand\n@relation 'flows'\n@attribute duration real\n@attribute 'proto' {{tcp, udp}}\n@attribute bytes numeric\n@attribute 'when' string\n@attribute {class_name} {{{normal_value}, attack}}\n@data\n"
    );
    for i in 0..rows {
        let attack = i % 5 == 4;
        let bytes = if attack { 90_000 + i * 37 % 5_000 } else { 200 + i * 13 % 900 };
        let class = if attack { "attack" } else { normal_value };
        out.push_str(&format!(
            "{}.{},{},{bytes},'t{i}',{class}\n",
            i % 7,
            i % 10,
            if i % 3 == 0 { "udp" } else { "tcp" }
        ));
    }
    out
}

#[test]
fn any_arff_file_is_read_by_its_attributes() {
    let t = read(own_arff(500, "class", "normal").as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!((t.format, t.rows()), (Format::Arff, 500));
    assert_eq!(t.schema.numeric_names(), ["duration", "bytes"]);
    assert_eq!(t.schema.symbolic_names(), ["proto", "when"]);
    assert_eq!(t.normal_rows().len(), 400);
    assert_eq!(t.category(4), Some("attack"));
    let split = protocol::single_file(&t).unwrap();
    let mut model =
        pipeline::train(&TrainSettings::new(ModelKind::If), &split.train, "single-file", &mut |_| Control::Continue)
            .unwrap();
    let scores = pipeline::score(&model, &split.tests[0], &mut |_, _| {}).unwrap();
    let auc = pipeline::evaluate(&mut model, &split.tests[0], &scores).unwrap().roc_auc;
    assert!(auc > 0.9, "AUC {auc}");
    // Weka's convention: the last nominal attribute is the class, whatever its name;
    // a normal value that cannot be guessed is asked for, with the attribute's values.
    let odd = own_arff(50, "verdict", "fine");
    let e = read(odd.as_bytes(), &ReadOptions::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 8: which values of the label column \"verdict\" mean normal traffic? It has fine, attack (the CLI: --normal VALUE)"
    );
    let choice = LabelChoice { normal: vec!["fine".into()], ..LabelChoice::default() };
    let t = read(odd.as_bytes(), &options(Some(choice), NonFinite::Drop)).unwrap();
    assert_eq!(t.normal_rows().len(), 40);
}
