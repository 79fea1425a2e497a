//! The `explain` command: one record's score and each feature's share of it, as a
//! table (or JSON).

use std::path::Path;

use anyhow::{Context, Result};
use netanomaly::explain::{explain, Explanation};
use netanomaly::model_file::Model;

use super::files;

/// Explain record `record` (0-based among the file's data rows) of `input` under the
/// model in `model_file`; `top` features (all when 0).
pub fn run(model_file: &Path, input: &Path, record: usize, top: usize, json: bool, chart: Option<&Path>) -> Result<()> {
    let bytes = std::fs::read(model_file).with_context(|| format!("cannot read {}", model_file.display()))?;
    let model = Model::from_bytes(&bytes).with_context(|| format!("cannot load {}", model_file.display()))?;
    let table = files::load(input)?;
    let e = explain(&model, &table, record).with_context(|| format!("cannot explain record {record}"))?;
    if let Some(path) = chart {
        let title = format!("{}: why record {} scores {:.4}", model.header.kind.title(), e.record_id, e.score);
        let shares = shares(&e);
        let color = netanomaly::charts::color_of(e.model);
        super::output::png(path, |a| netanomaly::charts::feature_shares(a, &title, &shares, color, 1.0))?;
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&e)?);
    } else {
        print!("{}", text(&e, model.header.kind.title(), top));
    }
    Ok(())
}

/// (feature, share) of every feature, largest first.
pub fn shares(e: &Explanation) -> Vec<(String, f64)> {
    e.features.iter().map(|f| (f.feature.clone(), f.share)).collect()
}

/// The explanation as a heading and a Markdown table.
pub fn text(e: &Explanation, title: &str, top: usize) -> String {
    let flagged = if e.score > e.threshold { "flagged" } else { "not flagged" };
    let label = e.label.as_deref().map(|l| format!(", label {l}")).unwrap_or_default();
    let mut s = format!(
        "{title}, record {}{label}: score {:.6}, threshold {:.6} ({flagged})\n\n",
        e.record_id, e.score, e.threshold
    );
    s.push_str("| feature | share | value | standardised | reconstruction | reconstructed, standardised |\n");
    s.push_str("|---|---:|---|---:|---|---:|\n");
    let num = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_else(|| "—".into());
    let shown = if top == 0 { e.features.len() } else { top };
    for f in e.features.iter().take(shown) {
        s.push_str(&format!(
            "| {} | {:.1} % | {} | {} | {} | {} |\n",
            f.feature,
            f.share * 100.0,
            f.value,
            num(f.standardised),
            f.reconstruction.as_deref().unwrap_or("—"),
            num(f.reconstruction_standardised)
        ));
    }
    s
}
