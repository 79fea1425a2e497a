//! Writing a run's files: `predictions_<model>.csv`, `metrics_<model>.txt/.json`,
//! PNG charts (drawn by the library's chart code on plotters' bitmap backend),
//! `results.md` and a `report.html` that shows them together.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Once;

use anyhow::{Context, Result};
use netanomaly::charts::{self, PrSeries, RocSeries};
use netanomaly::data::Subset;
use netanomaly::detect::ModelKind;
use netanomaly::metrics::{self, Evaluation};
use plotters::prelude::*;

/// Chart size in pixels.
const SIZE: (u32, u32) = (900, 640);

/// The PNG backend has no system fonts: register DejaVu Sans from the binary, once.
fn fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, dejavu::sans::bold());
    });
}

/// Draw one chart into a PNG file with `draw`.
pub fn png(
    path: &Path,
    draw: impl FnOnce(
        &DrawingArea<BitMapBackend<'_>, plotters::coord::Shift>,
    ) -> Result<charts::PlotMap, charts::ChartError>,
) -> Result<()> {
    fonts();
    let area = BitMapBackend::new(path, SIZE).into_drawing_area();
    draw(&area).with_context(|| format!("cannot draw {}", path.display()))?;
    drop(area);
    Ok(())
}

/// The predictions file (see [`metrics::predictions_csv`]), with a last column
/// `top_features` when `top` is given (one entry per row).
pub fn predictions(
    path: &Path,
    subset: &Subset<'_>,
    scores: &[f64],
    threshold: f64,
    top: Option<&[String]>,
) -> Result<()> {
    let mut csv = metrics::predictions_csv(subset, scores, threshold);
    if let Some(top) = top {
        let mut with = String::with_capacity(csv.len() + top.len() * 24);
        for (i, line) in csv.lines().enumerate() {
            let extra = if i == 0 { "top_features" } else { top.get(i - 1).map_or("", String::as_str) };
            with.push_str(&format!("{line},{extra}\n"));
        }
        csv = with;
    }
    std::fs::write(path, csv).with_context(|| format!("cannot write {}", path.display()))
}

/// The human-readable metrics file.
pub fn metrics_text(e: &Evaluation, kind: ModelKind) -> String {
    let c = &e.confusion;
    let mut s = String::new();
    let (title, set) = (kind.title(), &e.test_set);
    let _ = if e.normal_is_anomaly {
        writeln!(
            s,
            "{title} on {set} ({} rows: {} attack, {} normal; the normal rows are the anomalies)",
            e.rows, e.normals, e.attacks
        )
    } else {
        writeln!(s, "{title} on {set} ({} rows: {} normal, {} attack)", e.rows, e.normals, e.attacks)
    };
    let _ = writeln!(s, "ROC AUC Score: {:.4}", e.roc_auc);
    let _ = writeln!(s, "Average precision: {:.4}", e.average_precision);
    let _ = writeln!(s, "Threshold: {} (flag when the score is above it)", e.threshold);
    let _ = writeln!(s, "\nConfusion Matrix (rows: actual normal, attack; columns: predicted normal, attack):");
    let _ = writeln!(s, "[[{:>8} {:>8}]\n [{:>8} {:>8}]]", c.tn, c.fp, c.fn_, c.tp);
    let _ = writeln!(s, "\n{:>12} {:>10} {:>10} {:>10} {:>10}", "", "precision", "recall", "f1-score", "support");
    let normal = metrics::Confusion { tn: c.tp, fp: c.fn_, fn_: c.fp, tp: c.tn };
    let positive = if e.normal_is_anomaly { "Normal (1)" } else { "Anomaly (1)" };
    let _ = writeln!(
        s,
        "{:>12} {:>10.4} {:>10.4} {:>10.4} {:>10}",
        if e.normal_is_anomaly { "Attack (0)" } else { "Normal (0)" },
        normal.precision(),
        normal.recall(),
        normal.f1(),
        e.normals
    );
    let _ = writeln!(s, "{:>12} {:>10.4} {:>10.4} {:>10.4} {:>10}", positive, e.precision, e.recall, e.f1, e.attacks);
    let _ = writeln!(s, "\nAccuracy: {:.4}", e.accuracy);
    let r = &e.true_ratio;
    let _ = writeln!(
        s,
        "\nF1 at the true ratio: {:.4} (threshold {}, the score quantile at the true anomaly share; flag when the \
         score is at or above it, as DAGMM, GOAD and NeuTraL AD count)",
        r.f1, r.threshold
    );
    let _ = writeln!(s, "\nFlagged per category:");
    for d in &e.by_category {
        let _ = writeln!(s, "  {:<10} {:>8}/{:<8} {:.4}", d.name, d.flagged, d.total, d.rate());
    }
    let _ = writeln!(s, "\nFlagged per label:");
    for d in &e.by_label {
        let _ = writeln!(s, "  {:<16} {:<8} {:>8}/{:<8} {:.4}", d.name, d.category, d.flagged, d.total, d.rate());
    }
    s
}

/// Names of the files written for one model on one test set.
pub struct Names {
    base: PathBuf,
    suffix: String,
}

impl Names {
    /// Files in `out`; the first test set has no suffix, others `_<name>`.
    pub fn new(out: &Path, test_index: usize, test_name: &str) -> Self {
        let suffix = if test_index == 0 { String::new() } else { format!("_{}", sanitise(test_name)) };
        Self { base: out.to_path_buf(), suffix }
    }

    /// `<stem>_<model><suffix>.<ext>`.
    pub fn file(&self, stem: &str, model: &str, ext: &str) -> PathBuf {
        let model = if model.is_empty() { String::new() } else { format!("_{model}") };
        self.base.join(format!("{stem}{model}{}.{ext}", self.suffix))
    }
}

fn sanitise(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '+' { c } else { '_' }).collect()
}

/// Metrics text and JSON, and the per-model charts.
pub fn evaluation_files(names: &Names, kind: ModelKind, e: &Evaluation, scores: &[f64], truth: &[bool]) -> Result<()> {
    let m = kind.name();
    std::fs::write(names.file("metrics", m, "txt"), metrics_text(e, kind))?;
    std::fs::write(names.file("metrics", m, "json"), serde_json::to_string_pretty(e)?)?;
    let title = format!("{} — {}", kind.title(), e.test_set);
    png(&names.file("roc", m, "png"), |a| {
        charts::roc(
            a,
            &format!("ROC: {title}"),
            &[RocSeries { name: kind.title(), curve: &e.roc, auc: e.roc_auc, color: charts::color_of(kind) }],
            1.0,
        )
    })?;
    png(&names.file("pr", m, "png"), |a| {
        charts::precision_recall(
            a,
            &format!("Precision-recall: {title}"),
            &[PrSeries { name: kind.title(), curve: &e.pr, ap: e.average_precision, color: charts::color_of(kind) }],
            1.0,
        )
    })?;
    png(&names.file("confusion", m, "png"), |a| {
        charts::confusion(a, &format!("Confusion matrix: {title}"), &e.confusion, 1.0)
    })?;
    let h = metrics::histogram(scores, Some(truth), e.threshold, 60, kind != ModelKind::If);
    png(&names.file("histogram", m, "png"), |a| {
        charts::histogram(a, &format!("Scores: {title}"), &h, e.threshold, kind.score_name(), 1.0)
    })?;
    png(&names.file("categories", m, "png"), |a| {
        charts::category_recall(a, &format!("Flagged per category: {title}"), &e.by_category, 1.0)
    })?;
    Ok(())
}

/// Histogram only, for a test file without labels.
pub fn unlabelled_files(names: &Names, kind: ModelKind, scores: &[f64], threshold: f64) -> Result<()> {
    let h = metrics::histogram(scores, None, threshold, 60, kind != ModelKind::If);
    png(&names.file("histogram", kind.name(), "png"), |a| {
        let title = format!("Scores: {} (unlabelled file)", kind.title());
        charts::histogram(a, &title, &h, threshold, kind.score_name(), 1.0)
    })
}

/// All models' ROC and PR curves for one test set on one chart each.
pub fn combined_charts(names: &Names, test_set: &str, evals: &[(ModelKind, &Evaluation)]) -> Result<()> {
    let roc: Vec<RocSeries<'_>> = evals
        .iter()
        .map(|(k, e)| RocSeries { name: k.title(), curve: &e.roc, auc: e.roc_auc, color: charts::color_of(*k) })
        .collect();
    png(&names.file("roc_all", "", "png"), |a| charts::roc(a, &format!("ROC: all models — {test_set}"), &roc, 1.0))?;
    let pr: Vec<PrSeries<'_>> = evals
        .iter()
        .map(|(k, e)| PrSeries { name: k.title(), curve: &e.pr, ap: e.average_precision, color: charts::color_of(*k) })
        .collect();
    png(&names.file("pr_all", "", "png"), |a| {
        charts::precision_recall(a, &format!("Precision-recall: all models — {test_set}"), &pr, 1.0)
    })
}

/// `report.html`: the results table and every PNG in the folder, for a browser.
pub fn report(out: &Path, title: &str, table_md: &str) -> Result<()> {
    let mut pngs: Vec<String> = std::fs::read_dir(out)?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".png"))
        .collect();
    pngs.sort();
    let mut html = format!(
        "<!doctype html><meta charset=utf-8><title>{title}</title>\
         <style>body{{font:16px system-ui,sans-serif;margin:2em;max-width:1900px}}table{{border-collapse:collapse}}\
         td,th{{border:1px solid #999;padding:4px 8px;text-align:right}}img{{width:600px;margin:4px;border:1px solid #ddd}}</style>\
         <h1>{title}</h1><table>"
    );
    for (i, line) in table_md.lines().filter(|l| !l.starts_with("|---")).enumerate() {
        let cell = if i == 0 { "th" } else { "td" };
        html.push_str("<tr>");
        for c in line.trim_matches('|').split('|') {
            let _ = write!(html, "<{cell}>{}</{cell}>", c.trim());
        }
        html.push_str("</tr>");
    }
    html.push_str("</table><p>Files: predictions_*.csv, metrics_*.txt/.json, results.md.</p>");
    for p in pngs {
        let _ = write!(html, "<a href=\"{p}\"><img src=\"{p}\" alt=\"{p}\"></a>");
    }
    std::fs::write(out.join("report.html"), html)?;
    Ok(())
}
