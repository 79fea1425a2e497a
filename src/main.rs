//! `netanomaly`: the native command line. Runs the same river as the browser —
//! load, prepare, detect, metrics, charts — and writes the reference projects'
//! `outputs/` files: predictions CSV, metrics text and JSON, PNG charts, results table.

mod cli;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use netanomaly::data::streamed::StreamSettings;
use netanomaly::data::Preset;
use netanomaly::detect::{AeConfig, Backend, ForestConfig, ModelKind, ThresholdRule, TrainConfig};
use netanomaly::pipeline::TrainSettings;
use netanomaly::prepare::{Encoding, PrepareConfig};

use cli::threads::Threads;

#[derive(Parser)]
#[command(
    name = "netanomaly",
    version,
    about = "Unsupervised network-intrusion detection on KDD Cup 99 / NSL-KDD, UNSW-NB15, CIC-IDS2017 and any labelled CSV"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The file to read inside a zip archive that holds several (its path or file name).
    /// Repeat it for several: each archive reads the first it holds not yet read from it.
    #[arg(long, global = true)]
    entry: Vec<String>,
    /// A CSV with a header (not KDD, UNSW-NB15 or CIC-IDS2017): its label column, or
    /// `none` to read it without labels (scores only). Default: a column called label,
    /// class, attack…
    #[arg(long, global = true)]
    label_column: Option<String>,
    /// The label value(s) meaning normal traffic in such a CSV (repeatable). Default: a
    /// value called normal, benign or 0.
    #[arg(long, global = true)]
    normal: Vec<String>,
    /// Rows with Infinity or NaN (CIC-IDS2017, a CSV): `drop` them (counted) or `refuse` the file.
    #[arg(long, global = true, default_value = "drop")]
    non_finite: netanomaly::data::NonFinite,
}

#[derive(Subcommand)]
enum Command {
    /// Train on a protocol's normal rows, score its test sets, write predictions, metrics and charts.
    Eval {
        #[command(flatten)]
        run: RunArgs,
        /// Output folder.
        #[arg(long, default_value = "outputs")]
        out: PathBuf,
        /// Also save each trained model here (a folder; one `<model>.nam` file per model).
        #[arg(long)]
        save_models: Option<PathBuf>,
        /// Add a `top_features` column to the predictions: the K features with the
        /// largest shares of each flagged row's score (`explain`), `;`-separated.
        #[arg(long, default_value_t = 0)]
        top_features: usize,
    },
    /// Train models on a protocol and write model files (metrics on its test sets go in their headers).
    Train {
        #[command(flatten)]
        run: RunArgs,
        /// Folder for the model files (`<model>.nam`).
        #[arg(long, default_value = "models")]
        out: PathBuf,
    },
    /// Score a file with a saved model (of the file's dataset); evaluate too when the file has labels.
    Score {
        /// A model file written by `train` or `eval --save-models`.
        #[arg(long)]
        model_file: PathBuf,
        /// The file to score (csv / txt / arff, gz or zip; any layout the model was trained on).
        input: PathBuf,
        /// Output folder.
        #[arg(long, default_value = "outputs")]
        out: PathBuf,
        /// Add a `top_features` column to the predictions (as `eval --top-features`).
        #[arg(long, default_value_t = 0)]
        top_features: usize,
        #[command(flatten)]
        threads: Threads,
    },
    /// Why one record scores what it does: each feature's share of its score (an
    /// autoencoder's reconstruction error, or the forest's DIFFI path credit).
    Explain {
        /// A model file written by `train` or `eval --save-models`.
        #[arg(long)]
        model_file: PathBuf,
        /// The file the record is in.
        input: PathBuf,
        /// The record: its 0-based position among the file's data rows (as `record_id`
        /// in the predictions file).
        #[arg(long)]
        record: usize,
        /// Show only the top N features (0: all).
        #[arg(long, default_value_t = 0)]
        top: usize,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Also draw the shares as a bar chart into this PNG file.
        #[arg(long)]
        chart: Option<PathBuf>,
    },
    /// Write synthetic traffic (made by our generators, not real data) to a file: a KDD
    /// format, or UNSW-NB15's and CIC-IDS2017's layouts.
    Sample {
        /// Output file.
        out: PathBuf,
        /// Rows.
        #[arg(long, default_value_t = 10_000)]
        rows: usize,
        /// Share of attack rows.
        #[arg(long, default_value_t = 0.3)]
        attack_share: f64,
        /// kdd99, nsl-kdd, kdd-arff, unlabelled, unsw-nb15 or cic-ids2017.
        #[arg(long, default_value = "kdd99")]
        format: String,
        /// Seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Write the bad-input catalogue: every kind of broken or unusual data and model
    /// file (made by our own code) into DIR, plus DIR/catalogue.json with what each
    /// one is and the outcome it must give.
    Catalogue {
        /// Output folder (created if missing).
        dir: PathBuf,
    },
    /// Describe a KDD file: format, rows, label and category counts.
    Inspect {
        /// The file (csv / txt / gz).
        file: PathBuf,
    },
    /// Print throughput figures: parsing rows/s, preparation, Isolation Forest fit and
    /// score, autoencoder training samples/s and scoring rows/s per backend.
    Bench {
        /// Folder holding kdd99/ and nsl-kdd/ (default: $NETANOMALY_DATA or ../shared/data).
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// Seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Training rows per autoencoder measurement.
        #[arg(long, default_value_t = 20_000)]
        ae_rows: usize,
        #[command(flatten)]
        threads: Threads,
    },
    /// The benchmark the tab also runs (scripts/bench.sh sets them side by side): the
    /// built-in generator's 494,021 rows, parse, forest fit and score, each
    /// autoencoder's training and scoring; warmed up, repeated, median and range.
    BenchSuite {
        /// Timed repetitions.
        #[arg(long, default_value_t = 5)]
        reps: usize,
        /// Untimed passes first.
        #[arg(long, default_value_t = 1)]
        warmup: usize,
        /// Seed of every model.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Also write the figures here, one JSON object per line.
        #[arg(long)]
        json: Option<PathBuf>,
        #[command(flatten)]
        threads: Threads,
    },
    /// Write a file the size of the full KDD Cup 99 set for scale tests: copies of a
    /// real file, each after the first with src_bytes/dst_bytes scaled by a seeded
    /// factor in [0.95, 1.05]. Gzipped when OUT ends in .gz. Never commit the result.
    Enlarge {
        /// The file to copy (e.g. kddcup.data_10_percent.gz).
        from: PathBuf,
        /// Output file.
        out: PathBuf,
        /// Copies (10 copies of the 10% set: 4,940,210 rows).
        #[arg(long, default_value_t = 10)]
        copies: usize,
        /// Seed of the perturbation.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Time and peak memory of one file through the page's own session code: load
    /// (held, or streamed when over --hold-rows), train, score the hold-out.
    BenchFile {
        /// The file (csv / txt / gz).
        file: PathBuf,
        /// Models to train (comma-separated): if, dense, lstm, deep.
        #[arg(long, value_delimiter = ',', default_value = "if")]
        model: Vec<ModelKind>,
        /// Files with more rows are streamed.
        #[arg(long, default_value_t = StreamSettings::default().hold_rows)]
        hold_rows: usize,
        /// Normal rows sampled to train on when streamed.
        #[arg(long, default_value_t = StreamSettings::default().sample_rows)]
        sample_rows: usize,
        /// Epochs for autoencoders.
        #[arg(long, default_value_t = 3)]
        epochs: usize,
        /// Seed (sample and hold-out).
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[command(flatten)]
        threads: Threads,
    },
}

/// Which data, which models, which settings.
#[derive(Args, Clone)]
struct RunArgs {
    /// kdd10-holdout, kdd10-corrected, nsl, kddcup, kddcup-rev, single-file or custom.
    #[arg(long, default_value = "nsl")]
    protocol: Preset,
    /// Models to run (comma-separated or repeated): if, dense, lstm, deep.
    #[arg(long, value_delimiter = ',', default_value = "if")]
    model: Vec<ModelKind>,
    /// Folder holding kdd99/ and nsl-kdd/ (default: $NETANOMALY_DATA or ../shared/data).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Training file for `single-file` and `custom`.
    #[arg(long)]
    train: Option<PathBuf>,
    /// Test file(s) for `custom`.
    #[arg(long)]
    test: Vec<PathBuf>,
    /// Seed for the split, subsamples and splits.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Share of normal rows that train in `kdd10-holdout`.
    #[arg(long, default_value_t = 0.8)]
    train_fraction: f64,
    /// Encoding of protocol_type, service, flag: label or one-hot.
    #[arg(long, default_value = "label")]
    encoding: Encoding,
    /// Apply log1p to heavy-tailed counts before scaling.
    #[arg(long)]
    log1p: bool,
    /// One-hot: at most this many columns per symbolic feature, its most frequent values
    /// and one "other" (0: no cap, a column for every training value plus "unseen").
    #[arg(long, default_value_t = netanomaly::prepare::MAX_CATEGORIES)]
    max_categories: u32,
    /// Refuse a training run whose estimated memory exceeds this many MB (none: no
    /// limit; the page uses 1536).
    #[arg(long)]
    memory_budget_mb: Option<u64>,
    /// Isolation Forest: number of trees.
    #[arg(long, default_value_t = 100)]
    trees: usize,
    /// Isolation Forest: rows per tree.
    #[arg(long, default_value_t = 256)]
    max_samples: usize,
    /// Expected share of anomalies in training data; threshold at the (1 - c) quantile of training scores.
    #[arg(long, default_value_t = 0.05, conflicts_with = "percentile")]
    contamination: f64,
    /// Threshold at this percentile of training scores (autoencoders: default 95;
    /// Isolation Forest: instead of --contamination).
    #[arg(long)]
    percentile: Option<f64>,
    /// Autoencoders: maximum epochs.
    #[arg(long, default_value_t = 10)]
    epochs: usize,
    /// Autoencoders: batch size.
    #[arg(long, default_value_t = 256)]
    batch_size: usize,
    /// Autoencoders: Adam learning rate.
    #[arg(long, default_value_t = 1e-3)]
    lr: f64,
    /// Autoencoders: share of training normals held out for validation / early stopping.
    #[arg(long, default_value_t = 0.1)]
    validation_split: f64,
    /// Autoencoders: epochs without validation improvement before stopping (0 = never).
    #[arg(long, default_value_t = 3)]
    patience: usize,
    /// Autoencoders: records per window (1 = each record alone).
    #[arg(long, default_value_t = 1)]
    seq_len: usize,
    /// Simple LSTM autoencoder: hidden size.
    #[arg(long, default_value_t = 64)]
    lstm_hidden: usize,
    /// Deep LSTM autoencoder: outer and inner sizes, e.g. 128,64.
    #[arg(long, value_delimiter = ',', default_values_t = [128, 64])]
    deep_sizes: Vec<usize>,
    /// Dense autoencoder: hidden and code sizes, e.g. 32,16.
    #[arg(long, value_delimiter = ',', default_values_t = [32, 16])]
    dense_sizes: Vec<usize>,
    /// Tensor backend for the autoencoders: flex, or ndarray (with the ndarray feature).
    #[arg(long, default_value = "flex")]
    backend: Backend,
    #[command(flatten)]
    threads: Threads,
}

impl RunArgs {
    /// Settings clap cannot check by itself.
    fn check(&self) -> anyhow::Result<()> {
        for (flag, v) in [("--deep-sizes", &self.deep_sizes), ("--dense-sizes", &self.dense_sizes)] {
            if v.len() != 2 {
                anyhow::bail!("{flag} takes two sizes separated by a comma (e.g. 128,64), got {}", v.len());
            }
        }
        Ok(())
    }

    fn settings(&self, kind: ModelKind) -> TrainSettings {
        let threshold = match self.percentile {
            Some(p) => ThresholdRule::Percentile(p),
            None => ThresholdRule::Contamination(self.contamination),
        };
        let pair = |v: &[usize], default: (usize, usize)| {
            (v.first().copied().unwrap_or(default.0), v.get(1).copied().unwrap_or(default.1))
        };
        let (deep_outer, deep_inner) = pair(&self.deep_sizes, (128, 64));
        let (dense_hidden, dense_code) = pair(&self.dense_sizes, (32, 16));
        TrainSettings {
            kind,
            prepare: PrepareConfig {
                encoding: self.encoding,
                log1p: self.log1p,
                max_categories: Some(self.max_categories).filter(|&m| m > 0),
            },
            forest: ForestConfig {
                n_estimators: self.trees,
                max_samples: self.max_samples,
                threshold,
                seed: self.seed,
            },
            autoencoder: AeConfig {
                kind,
                seq_len: self.seq_len,
                dense_hidden,
                dense_code,
                lstm_hidden: self.lstm_hidden,
                deep_outer,
                deep_inner,
                train: TrainConfig {
                    epochs: self.epochs,
                    batch_size: self.batch_size,
                    learning_rate: self.lr,
                    validation_split: self.validation_split,
                    patience: self.patience,
                    min_delta: 0.0,
                    seed: self.seed,
                },
                threshold: ThresholdRule::Percentile(self.percentile.unwrap_or(95.0)),
            },
            backend: self.backend,
            memory_budget: self.memory_budget_mb.map(|mb| mb << 20),
        }
    }
}

fn main() {
    let cli = Cli::parse();
    cli::files::set_entries(cli.entry);
    let label = match (cli.label_column, cli.normal) {
        (None, normal) if normal.is_empty() => None,
        (column, normal) => Some(netanomaly::data::LabelChoice {
            none: column.as_deref().is_some_and(|c| c.eq_ignore_ascii_case("none")),
            column,
            normal,
        }),
    };
    cli::files::set_read_options(netanomaly::data::ReadOptions { entry: None, label, non_finite: cli.non_finite });
    let result = run(cli.command);
    if let Err(e) = result {
        eprintln!("error: {e}");
        for cause in e.chain().skip(1) {
            eprintln!("  caused by: {cause}");
        }
        std::process::exit(1);
    }
}

fn run(command: Command) -> anyhow::Result<()> {
    let threads = match &command {
        Command::Eval { run, .. } | Command::Train { run, .. } => Some(run.threads),
        Command::Score { threads, .. }
        | Command::Bench { threads, .. }
        | Command::BenchSuite { threads, .. }
        | Command::BenchFile { threads, .. } => Some(*threads),
        _ => None,
    };
    if let Some(threads) = threads {
        threads.install()?;
    }
    match command {
        Command::Eval { run, out, save_models, top_features } => {
            run.check().and_then(|_| cli::run::eval(&run, &out, save_models.as_deref(), top_features))
        }
        Command::Train { run, out } => run.check().and_then(|_| cli::run::train(&run, &out)),
        Command::Score { model_file, input, out, top_features, .. } => {
            cli::run::score(&model_file, &input, &out, top_features)
        }
        Command::Explain { model_file, input, record, top, json, chart } => {
            cli::explain::run(&model_file, &input, record, top, json, chart.as_deref())
        }
        Command::Inspect { file } => cli::run::inspect(&file),
        Command::Catalogue { dir } => cli::run::catalogue(&dir),
        Command::Sample { out, rows, attack_share, format, seed } => {
            cli::run::sample(&out, rows, attack_share, &format, seed)
        }
        Command::Bench { data_dir, seed, ae_rows, .. } => cli::bench::run(data_dir.as_deref(), seed, ae_rows),
        Command::BenchSuite { reps, warmup, seed, json, .. } => {
            cli::bench_suite::run(netanomaly::bench::SuiteConfig { reps, warmup, seed }, json.as_deref())
        }
        Command::Enlarge { from, out, copies, seed } => cli::scale::enlarge(&from, &out, copies, seed),
        Command::BenchFile { file, model, hold_rows, sample_rows, epochs, seed, .. } => {
            let settings = StreamSettings { hold_rows, sample_rows, seed, ..Default::default() };
            cli::scale::bench_file(&file, &model, settings, epochs)
        }
    }
}
