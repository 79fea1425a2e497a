//! `bench-suite`: the benchmark the tab also runs (`tests/web_bench.rs`), natively:
//! the same input and measurements (`netanomaly::bench::suite`), warmed up and
//! repeated; prints each figure's median and range, and with `--json` writes one
//! JSON object per figure for `scripts/bench.sh` to set beside the tab's.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use netanomaly::bench::{self, Figure, SuiteConfig};

/// Run the suite and print (and optionally write) its figures.
pub fn run(config: SuiteConfig, json: Option<&Path>) -> Result<()> {
    let (train, test, text) = bench::standard_input()?;
    eprintln!(
        "bench-suite: {} training and {} test rows × {} features; {} untimed pass(es), {} timed; {} thread(s)",
        train.rows,
        test.rows,
        train.cols,
        config.warmup,
        config.reps,
        rayon::current_num_threads()
    );
    let figures = bench::suite(config, &train, &test, &text, &mut |done, total| eprintln!("  pass {done}/{total}"))?;
    println!("{:<40} {:>14} {:>14} {:>14}  unit", "figure", "median", "min", "max");
    for f in &figures {
        println!(
            "{:<40} {:>14} {:>14} {:>14}  {}",
            f.label,
            show(f.spread.median),
            show(f.spread.min),
            show(f.spread.max),
            f.unit
        );
    }
    if let Some(path) = json {
        let mut out = std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
        for f in &figures {
            writeln!(out, "{}", serde_json::to_string::<Figure>(f)?)?;
        }
    }
    Ok(())
}

fn show(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}")
    }
}
