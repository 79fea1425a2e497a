//! What metrics and exports need of the rows a set of scores belongs to — their
//! record ids and labels — whether the rows are held in a [`Table`] ([`Subset`]) or
//! were streamed past and only their labels kept (a file too large to hold).

use super::protocol::Subset;
use super::schema::Schema;
use super::table::Symbols;

/// The rows behind one set of scores, in score order.
pub trait Rows {
    /// A short name for outputs (`holdout`, `corrected`, …).
    fn name(&self) -> &str;
    /// Number of rows.
    fn len(&self) -> usize;
    /// Whether there are no rows.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The `i`-th row's 0-based position among the data rows of its file.
    fn record_id(&self, i: usize) -> usize;
    /// The file's labels, indexed by record id; `None` when the file has none.
    fn labels(&self) -> Option<&Symbols>;
    /// The file's layout: which labels are normal, each label's category.
    fn schema(&self) -> &Schema;

    /// Whether the normal rows are the anomaly class (`kddcup`); attacks otherwise.
    fn normal_is_anomaly(&self) -> bool {
        false
    }

    /// Whether each of the file's labels is the anomaly class, indexed like
    /// `labels().names`, when labelled.
    fn anomalous_labels(&self) -> Option<Vec<bool>> {
        let flip = self.normal_is_anomaly();
        Some(self.labels()?.names.iter().map(|n| self.schema().is_normal(n) == flip).collect())
    }

    /// Binary truth (anomaly = true: an attack, or a normal row under `kddcup`) per
    /// row, when labelled.
    fn truth(&self) -> Option<Vec<bool>> {
        let (l, anomalous) = (self.labels()?, self.anomalous_labels()?);
        Some((0..self.len()).map(|i| anomalous[l.codes[self.record_id(i)] as usize]).collect())
    }

    /// The `i`-th row's label, when labelled.
    fn label(&self, i: usize) -> Option<&str> {
        let l = self.labels()?;
        Some(&l.names[l.codes[self.record_id(i)] as usize])
    }
}

impl Rows for Subset<'_> {
    fn name(&self) -> &str {
        &self.name
    }
    fn len(&self) -> usize {
        self.rows.len()
    }
    fn record_id(&self, i: usize) -> usize {
        self.rows[i]
    }
    fn labels(&self) -> Option<&Symbols> {
        self.table.labels.as_ref()
    }
    fn schema(&self) -> &Schema {
        &self.table.schema
    }
    fn normal_is_anomaly(&self) -> bool {
        self.normal_is_anomaly
    }
}
