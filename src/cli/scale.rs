//! Scale: `enlarge` writes a file the size of the full KDD Cup 99 set from a real
//! one (copies, perturbed and seeded, never committed), and `bench-file` takes one
//! file through the page's own session code — load (held or streamed), train, score
//! — printing the time and peak memory of each step.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use flate2::bufread::MultiGzDecoder;
use flate2::write::GzEncoder;
use netanomaly::data::streamed::StreamSettings;
use netanomaly::detect::{Control, ModelKind};
use netanomaly::pipeline::TrainSettings;
use netanomaly::rng::Rng;
use netanomaly::session::{ProtocolChoice, Session, Slot};

use super::bench::peak_rss_mb;

fn open_text(path: &Path) -> Result<Box<dyn BufRead>> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut raw = BufReader::with_capacity(1 << 20, file);
    Ok(if raw.fill_buf()?.starts_with(&[0x1f, 0x8b]) {
        Box::new(BufReader::with_capacity(1 << 20, MultiGzDecoder::new(raw)))
    } else {
        Box::new(raw)
    })
}

/// Write `copies` copies of `from` to `out` (gzip when it ends in `.gz`). Copy 0 is
/// verbatim; in every later copy each row's `src_bytes` and `dst_bytes` are scaled
/// by a seeded factor in [0.95, 1.05], so the copies are not duplicates of each other.
pub fn enlarge(from: &Path, out: &Path, copies: usize, seed: u64) -> Result<()> {
    let start = Instant::now();
    let file = std::fs::File::create(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut sink: Box<dyn Write> = if out.extension().is_some_and(|e| e == "gz") {
        Box::new(GzEncoder::new(BufWriter::with_capacity(1 << 20, file), flate2::Compression::fast()))
    } else {
        Box::new(BufWriter::with_capacity(1 << 20, file))
    };
    let mut rng = Rng::new(seed);
    let mut rows = 0u64;
    for copy in 0..copies {
        for line in open_text(from)?.lines() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            if copy == 0 {
                writeln!(sink, "{line}")?;
            } else {
                let mut fields: Vec<String> = line.split(',').map(str::to_string).collect();
                for f in fields.iter_mut().skip(4).take(2) {
                    if let Ok(v) = f.trim().parse::<u64>() {
                        *f = ((v as f64) * (0.95 + 0.1 * rng.next_f64())).round().to_string();
                    }
                }
                writeln!(sink, "{}", fields.join(","))?;
            }
            rows += 1;
        }
    }
    sink.flush()?;
    drop(sink);
    let size = std::fs::metadata(out)?.len();
    println!(
        "wrote {} rows ({copies} copies of {}) to {}: {:.1} MB, {:.1} s",
        rows,
        from.display(),
        out.display(),
        size as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

fn memory() -> String {
    peak_rss_mb().map_or_else(|| "peak memory unknown".into(), |mb| format!("peak memory {mb:.0} MB"))
}

/// Load `file` as the page does, train `models` (IF by default), score, and print
/// each step's time and the process's peak memory so far.
pub fn bench_file(file: &Path, models: &[ModelKind], settings: StreamSettings, epochs: usize) -> Result<()> {
    let threads = rayon::current_num_threads();
    println!("netanomaly bench-file (native, {threads} thread(s) for fitting and scoring) on {}", file.display());
    let mut session = Session::new();
    session.set_stream_settings(settings);
    let begin = Instant::now();
    let start = Instant::now();
    let name = file.file_name().map_or("file".into(), |n| n.to_string_lossy().into_owned());
    let summary = session.load_source(Slot::Train, &name, Box::new(PathBuf::from(file)), &mut |_| {})?;
    let t = start.elapsed().as_secs_f64();
    let how = match &summary.streamed {
        Some(s) => format!("streamed; {} sampled normals train, {} rows test", s.sample_rows, s.test_rows),
        None => "held in memory".into(),
    };
    println!(
        "  load    {:>8.2} s  {:>9.0} rows/s  {} rows, {how}  ({})",
        t,
        summary.rows as f64 / t,
        summary.rows,
        memory()
    );
    let split = session.set_protocol(ProtocolChoice::Holdout { train_fraction: 0.8, seed: settings.seed })?;
    for &kind in models {
        let mut s = TrainSettings::new(kind);
        s.autoencoder.train.epochs = epochs;
        let start = Instant::now();
        session.start_training(s)?;
        while !session.train_epoch(&mut |_| Control::Continue, false)?.done {}
        let t_train = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let result = session.finish_training(&mut |_, _| {})?;
        let t_score = start.elapsed().as_secs_f64();
        let rows = split.tests.first().map_or(0, |t| t.rows);
        let auc = result.views.first().and_then(|v| v.evaluation.as_ref()).map_or(f64::NAN, |e| e.roc_auc);
        println!(
            "  {:<6}  train {:>7.2} s ({} rows)  score {:>7.2} s  {:>9.0} rows/s  ROC AUC {auc:.4}  ({})",
            kind.name(),
            t_train,
            split.train_rows,
            t_score,
            rows as f64 / t_score,
            memory()
        );
    }
    println!("  total   {:>8.2} s  ({})", begin.elapsed().as_secs_f64(), memory());
    Ok(())
}
