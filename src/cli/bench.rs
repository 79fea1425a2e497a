//! `bench`: throughput figures on the real data — gunzip MB/s, parsing rows/s,
//! preparation seconds, Isolation Forest fit and score on `kdd10-holdout` — printed,
//! not asserted.

use netanomaly::data::Rows;
use std::io::Read;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use netanomaly::data::{self, protocol};
use netanomaly::detect::{Backend, ForestConfig, IsolationForest, ModelKind};
use netanomaly::prepare::{Features, Preparation, PrepareConfig};

use super::files;

fn best_of<T>(runs: usize, mut f: impl FnMut() -> Result<T>) -> Result<(f64, T)> {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f()?;
        best = best.min(t.elapsed().as_secs_f64());
        last = Some(v);
    }
    Ok((best, last.context("no runs")?))
}

/// Peak resident memory of this process, from /proc (Linux), in MB.
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Run the benchmark and print its figures.
pub fn run(data_dir: Option<&Path>, seed: u64, ae_rows: usize) -> Result<()> {
    let dir = files::data_dir(data_dir)?;
    let path = dir.join("kdd99/kddcup.data_10_percent.gz");
    let gz = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
    println!(
        "netanomaly bench (native; parsing and preparation on one thread, IF fit and score and AE scoring on {}; \
         best of 3) on {}",
        rayon::current_num_threads(),
        path.display()
    );

    let (t, text) = best_of(3, || {
        let mut text = Vec::new();
        flate2::read::MultiGzDecoder::new(&gz[..]).read_to_end(&mut text)?;
        Ok(text)
    })?;
    println!(
        "  gunzip           {:>8.3} s  {:>8.1} MB/s of text ({:.1} MB)",
        t,
        text.len() as f64 / 1e6 / t,
        text.len() as f64 / 1e6
    );

    let (t, table) = best_of(3, || Ok(data::read_bytes(&text)?))?;
    let rows = table.rows() as f64;
    println!("  parse text       {:>8.3} s  {:>8.0} rows/s  {:>6.1} MB/s", t, rows / t, text.len() as f64 / 1e6 / t);
    let (t, _) = best_of(3, || Ok(data::read_bytes(&gz)?))?;
    println!("  parse .gz        {:>8.3} s  {:>8.0} rows/s  (gunzip + parse)", t, rows / t);

    let split = protocol::holdout(&table, 0.8, seed)?;
    let test = &split.tests[0];
    let (t, prep) = best_of(3, || Ok(Preparation::fit(PrepareConfig::default(), &split.train)?))?;
    println!("  prepare fit      {:>8.3} s  ({} training normals)", t, split.train.len());
    let (t, x_test) = best_of(3, || Ok(prep.transform(test)))?;
    println!(
        "  prepare test     {:>8.3} s  {:>8.0} rows/s ({} rows x {} features)",
        t,
        test.len() as f64 / t,
        x_test.rows,
        x_test.cols
    );
    let x_train = prep.transform(&split.train);

    let config = ForestConfig { seed, ..Default::default() };
    let (t_fit, forest) = best_of(3, || Ok(IsolationForest::fit(config, &x_train)?))?;
    println!(
        "  IF fit           {:>8.3} s  ({} trees, {} nodes; includes scoring the {} training rows for the threshold)",
        t_fit,
        forest.n_trees(),
        forest.n_nodes(),
        x_train.rows
    );
    let (t_score, scores) = best_of(3, || Ok(forest.score(&x_test)?))?;
    println!(
        "  IF score         {:>8.3} s  {:>8.0} rows/s ({} rows)",
        t_score,
        x_test.rows as f64 / t_score,
        scores.len()
    );
    println!("  IF fit + score   {:>8.3} s", t_fit + t_score);
    let truth = test.truth().context("labels")?;
    println!(
        "  IF ROC AUC       {:>8.4}   (kdd10-holdout, seed {seed})",
        netanomaly::metrics::roc_auc(&scores, &truth)?
    );
    autoencoders(&x_train, &x_test, seed, ae_rows)?;
    if let Some(mb) = peak_rss_mb() {
        println!("  peak memory      {mb:>8.0} MB (whole benchmark process)");
    }
    Ok(())
}

/// Training samples/s (one epoch over `rows` training normals, batch 256, no
/// validation) and scoring rows/s (the first 100k test rows) per model and backend.
fn autoencoders(x_train: &Features, x_test: &Features, seed: u64, rows: usize) -> Result<()> {
    let train = netanomaly::bench::head(x_train, rows);
    let test = netanomaly::bench::head(x_test, 100_000);
    println!(
        "  autoencoders (training on one thread = 1 epoch over {} rows, batch 256; scoring = {} rows on {} thread(s))",
        train.rows,
        test.rows,
        rayon::current_num_threads()
    );
    println!("  {:<8} {:<8} {:>16} {:>16}", "model", "backend", "train samples/s", "score rows/s");
    for backend in [Backend::Flex, Backend::NdArray] {
        if backend.device().is_err() {
            println!("  (ndarray not compiled in: build with --features ndarray to compare)");
            continue;
        }
        for kind in [ModelKind::Dense, ModelKind::Lstm, ModelKind::Deep] {
            let f = netanomaly::bench::autoencoder(kind, backend, &train, &test, seed)?;
            println!(
                "  {:<8} {:<8} {:>16.0} {:>16.0}",
                kind.name(),
                backend.name(),
                f.train_samples_per_sec,
                f.score_rows_per_sec
            );
        }
    }
    Ok(())
}
