//! The `eval`, `train`, `score`, `inspect`, `sample` and `catalogue` commands.

use netanomaly::data::Rows;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use netanomaly::data::{protocol, Preset, Split, Subset};
use netanomaly::detect::{Control, ModelKind, Progress};
use netanomaly::explain;
use netanomaly::metrics::{self, results_table, Evaluation};
use netanomaly::model_file::Model;
use netanomaly::pipeline;

use super::files::{self, bar, Loaded};
use super::output::{self, Names};
use crate::RunArgs;

fn split<'a>(run: &RunArgs, loaded: &'a Loaded) -> Result<Split<'a>> {
    let tests: Vec<(&str, &_)> = loaded.tests.iter().map(|(n, t)| (n.as_str(), t)).collect();
    let split = match run.protocol {
        Preset::Kdd10Holdout => protocol::holdout(&loaded.train, run.train_fraction, run.seed)?,
        Preset::Kddcup => protocol::kddcup(&loaded.train, run.seed)?,
        Preset::KddcupRev => protocol::kddcup_rev(&loaded.train, run.seed)?,
        Preset::SingleFile => protocol::single_file(&loaded.train)?,
        _ => protocol::train_test(&loaded.train, &tests)?,
    };
    // Said before any training, not found out after it.
    for notice in split.tests.iter().filter_map(|t| metrics::one_class_notice(&t.name, &t.truth()?)) {
        eprintln!("note: {notice}");
    }
    Ok(split)
}

fn score_with_bar(model: &Model, test: &Subset<'_>) -> Result<Vec<f64>> {
    let pb = bar(test.len() as u64, "scoring", false);
    let scores = pipeline::score(model, test, &mut |done, _| pb.set_position(done as u64))?;
    pb.finish_and_clear();
    Ok(scores)
}

/// Score every test set with `model` and write its files (with the `top_features`
/// column when `top_features > 0`); returns the evaluations.
fn score_and_write(
    model: &mut Model,
    tests: &[Subset<'_>],
    out: &Path,
    top_features: usize,
) -> Result<Vec<Evaluation>> {
    let kind = model.header.kind;
    let mut evals = Vec::new();
    for (i, test) in tests.iter().enumerate() {
        let t = Instant::now();
        let scores = score_with_bar(model, test)?;
        eprintln!("  {kind}: scored {} rows of {} in {:.2}s", test.len(), test.name, t.elapsed().as_secs_f64());
        let names = Names::new(out, i, &test.name);
        let top = (top_features > 0)
            .then(|| explain::top_features(model, &model.header.preparation.transform(test), &scores, top_features))
            .transpose()?;
        output::predictions(
            &names.file("predictions", kind.name(), "csv"),
            test,
            &scores,
            model.header.threshold,
            top.as_deref(),
        )?;
        match test.truth() {
            Some(truth) if metrics::only_class(&truth).is_none() => {
                let e = pipeline::evaluate(model, test, &scores)?;
                output::evaluation_files(&names, kind, &e, &scores, &truth)?;
                evals.push(e);
            }
            Some(_) => {
                eprintln!("  {}: one class only, so predictions and a histogram only (no ROC, no metrics)", test.name);
                output::unlabelled_files(&names, kind, &scores, model.header.threshold)?;
            }
            None => {
                eprintln!("  {}: no labels, so predictions and a histogram only (no ROC, no metrics)", test.name);
                output::unlabelled_files(&names, kind, &scores, model.header.threshold)?;
            }
        }
    }
    Ok(evals)
}

fn train_models(run: &RunArgs, split: &Split<'_>) -> Result<Vec<Model>> {
    let mut models = Vec::new();
    for &kind in &run.model {
        let t = Instant::now();
        let settings = run.settings(kind);
        let pb = bar((settings.autoencoder.train.epochs) as u64, kind.name(), false);
        let mut report = |p: &Progress| {
            if p.epoch_done {
                pb.set_position(p.epoch as u64);
                let val = p.val_loss.map(|v| format!(", val {v:.5}")).unwrap_or_default();
                pb.println(format!(
                    "  {kind} epoch {}/{}: loss {:.5}{val}, {:.0} samples/s",
                    p.epoch, p.epochs, p.train_loss, p.samples_per_sec
                ));
            } else {
                pb.set_message(format!("{kind} loss {:.4}", p.train_loss));
            }
            Control::Continue
        };
        let model = pipeline::train(&settings, &split.train, run.protocol.name(), &mut report)
            .with_context(|| format!("training {}", kind.title()))?;
        pb.finish_and_clear();
        let stop = model
            .detector
            .history()
            .map(|h| format!(" ({:?} after {} epochs, best {})", h.stop, h.epochs.len(), h.best_epoch))
            .unwrap_or_default();
        eprintln!(
            "{}: trained on {} {} rows ({} features) in {:.2}s{stop}; threshold {:.6}",
            kind.title(),
            split.train.len(),
            if split.train.normal_is_anomaly { "attack" } else { "normal" },
            model.header.preparation.n_features(),
            t.elapsed().as_secs_f64(),
            model.header.threshold
        );
        models.push(model);
    }
    Ok(models)
}

/// `eval`: train, score, write everything.
pub fn eval(run: &RunArgs, out: &Path, save_models: Option<&Path>, top_features: usize) -> Result<()> {
    let loaded = files::load_protocol(run.protocol, run.data_dir.as_deref(), run.train.as_deref(), &run.test)?;
    let split = split(run, &loaded)?;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut all: Vec<Evaluation> = Vec::new();
    let mut models = train_models(run, &split)?;
    for model in &mut models {
        all.extend(score_and_write(model, &split.tests, out, top_features)?);
    }
    if let Some(dir) = save_models {
        save(&models, dir)?;
    }
    finish(out, &format!("netanomaly — protocol {}", run.protocol), &split, &all)
}

/// Combined charts, `results.md`, `report.html`, and the table on stdout.
fn finish(out: &Path, title: &str, split: &Split<'_>, all: &[Evaluation]) -> Result<()> {
    for (i, test) in split.tests.iter().enumerate() {
        let evals: Vec<(ModelKind, &Evaluation)> =
            all.iter().filter(|e| e.test_set == test.name).filter_map(|e| Some((e.model.parse().ok()?, e))).collect();
        if !evals.is_empty() {
            output::combined_charts(&Names::new(out, i, &test.name), &test.name, &evals)?;
        }
    }
    let table = results_table(all);
    std::fs::write(out.join("results.md"), &table)?;
    output::report(out, title, &table)?;
    println!("{table}");
    eprintln!("wrote {}", out.display());
    Ok(())
}

fn save(models: &[Model], dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for m in models {
        let path = dir.join(format!("{}.nam", m.header.kind.name()));
        std::fs::write(&path, m.to_bytes()?).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("saved {}", path.display());
    }
    Ok(())
}

/// `train`: train and write model files whose headers carry the test metrics.
pub fn train(run: &RunArgs, out: &Path) -> Result<()> {
    let loaded = files::load_protocol(run.protocol, run.data_dir.as_deref(), run.train.as_deref(), &run.test)?;
    let split = split(run, &loaded)?;
    let mut models = train_models(run, &split)?;
    let mut all = Vec::new();
    for model in &mut models {
        for test in split.tests.iter().filter(|t| t.table.is_labelled()) {
            let scores = score_with_bar(model, test)?;
            all.push(pipeline::evaluate(model, test, &scores)?);
        }
    }
    save(&models, out)?;
    println!("{}", results_table(&all));
    Ok(())
}

/// `score`: a saved model on any file.
pub fn score(model_file: &Path, input: &Path, out: &Path, top_features: usize) -> Result<()> {
    let bytes = std::fs::read(model_file).with_context(|| format!("cannot read {}", model_file.display()))?;
    let mut model = Model::from_bytes(&bytes).with_context(|| format!("cannot load {}", model_file.display()))?;
    let table = files::load(input)?;
    let test = Subset {
        name: files::stem(input),
        table: &table,
        rows: (0..table.rows()).collect::<Vec<_>>().into(),
        normal_is_anomaly: false,
    };
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let all = score_and_write(&mut model, std::slice::from_ref(&test), out, top_features)?;
    let split = Split {
        train: Subset { name: "train".into(), table: &table, rows: Vec::new().into(), normal_is_anomaly: false },
        tests: vec![test],
    };
    finish(out, &format!("netanomaly — {} scored with {}", input.display(), model_file.display()), &split, &all)
}

/// `inspect`: what is in a file.
pub fn inspect(file: &Path) -> Result<()> {
    let t = Instant::now();
    let table = files::load(file)?;
    println!(
        "{}: {} ({} rows, read in {:.2}s)",
        file.display(),
        table.format.describe(),
        table.rows(),
        t.elapsed().as_secs_f64()
    );
    if let Some(entry) = &table.entry {
        println!("  read from the zip entry {entry}");
    }
    if table.skipped_lines > 0 {
        println!("  {} blank or comment lines skipped", table.skipped_lines);
    }
    if table.dropped_rows > 0 {
        println!("  {} rows with Infinity or NaN left out", table.dropped_rows);
    }
    let schema = &table.schema;
    println!("  {} numeric and {} symbolic features", schema.n_numeric(), schema.n_symbolic());
    for (slot, name) in schema.symbolic_names().iter().enumerate() {
        println!("  {name}: {} distinct values", table.symbolic[slot].names.len());
    }
    if !table.is_labelled() {
        println!("  no labels: this file can be scored but not evaluated");
        return Ok(());
    }
    let counts = table.label_counts();
    let order = schema.category_order();
    let mut per_category = vec![0usize; order.len()];
    println!("  {} distinct labels:", counts.len());
    for (label, n) in &counts {
        let c = schema.category(label);
        if let Some(i) = order.iter().position(|x| x == c) {
            per_category[i] += n;
        }
        println!("    {label:<24} {c:<16} {n:>8}");
    }
    println!("  per category:");
    for (c, n) in order.iter().zip(per_category).filter(|(_, n)| *n > 0) {
        println!("    {c:<16} {n:>8}");
    }
    Ok(())
}

/// `sample`: synthetic KDD-format traffic to a file.
pub fn sample(out: &Path, rows: usize, attack_share: f64, format: &str, seed: u64) -> Result<()> {
    use netanomaly::data::{synth, Format};
    if !(0.0..=1.0).contains(&attack_share) {
        anyhow::bail!("--attack-share must be between 0 and 1, got {attack_share}");
    }
    let kdd = |f| Some(synth::generate(rows, attack_share, f, seed).into_bytes());
    let bytes = match format {
        "kdd99" => kdd(Format::Kdd99),
        "nsl-kdd" | "nsl" => kdd(Format::NslKdd),
        "kdd-arff" | "arff" => kdd(Format::KddArff),
        "unlabelled" => kdd(Format::Unlabelled),
        "unsw-nb15" | "unsw" => None,
        "cic-ids2017" | "cic" => None,
        other => anyhow::bail!(
            "unknown format {other:?}; choose kdd99, nsl-kdd, kdd-arff, unlabelled, unsw-nb15 or cic-ids2017"
        ),
    };
    let cannot = || format!("cannot write {}", out.display());
    match bytes {
        Some(b) => std::fs::write(out, b).with_context(cannot)?,
        None => {
            // Written as made: a CIC-IDS2017 day file is some 300 MB.
            let mut file = std::io::BufWriter::new(std::fs::File::create(out).with_context(cannot)?);
            if format.starts_with("unsw") {
                synth::unsw::write(rows, attack_share, seed, &mut file).with_context(cannot)?;
            } else {
                synth::cic::write(rows, attack_share, seed, &mut file).with_context(cannot)?;
            }
            std::io::Write::flush(&mut file).with_context(cannot)?;
        }
    }
    eprintln!("wrote {rows} synthetic rows ({format}) to {}", out.display());
    Ok(())
}

/// `catalogue`: every bad-input case as a file in `dir`, plus `dir/catalogue.json`.
pub fn catalogue(dir: &Path) -> Result<()> {
    use netanomaly::catalogue::{self, Target};
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let cases = catalogue::cases();
    for case in &cases {
        let path = dir.join(case.name);
        std::fs::write(&path, &case.bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let index = dir.join("catalogue.json");
    std::fs::write(&index, catalogue::index_json(&cases))
        .with_context(|| format!("cannot write {}", index.display()))?;
    let models = cases.iter().filter(|c| c.target == Target::ModelFile).count();
    eprintln!(
        "wrote {} data-file and {models} model-file cases and catalogue.json to {}",
        cases.len() - models,
        dir.display()
    );
    Ok(())
}
