//! `Numeric`: a table's numeric features, one column each, every column in the
//! narrowest encoding that holds its values exactly. KDD's columns are mostly flags,
//! small counts and rates in hundredths, so a row takes about 50 bytes instead of
//! 152 as `f32`s (the 10% set: 23 MB instead of 75 in the tab). Every value reads
//! back bit for bit as the `f32` it was parsed as: a column widens (re-encoding the
//! rows it holds) the first time a value does not fit.

/// One column's values.
#[derive(Clone, Debug)]
enum Column {
    /// Whole numbers 0–255.
    Small(Vec<u8>),
    /// Hundredths 0.00–2.55, as `k / 100` (a rate written with two decimals).
    Hundredths(Vec<u8>),
    /// Whole numbers 0–65,535.
    Wide(Vec<u16>),
    /// Anything else.
    Full(Vec<f32>),
}

/// Bit-exact: `decode(encode(x))` must be `x` itself (so `-0.0` is not `0`).
fn exact(x: f32, back: f32) -> bool {
    x.to_bits() == back.to_bits()
}

fn small(x: f32) -> Option<u8> {
    let k = x as u8;
    exact(x, k as f32).then_some(k)
}

fn hundredths(x: f32) -> Option<u8> {
    let k = (x * 100.0).round();
    // k / 100 with both exact is the correctly rounded quotient, as parsing "0.kk" is.
    (0.0..=255.0).contains(&k).then_some(k as u8).filter(|&k| exact(x, k as f32 / 100.0))
}

fn wide(x: f32) -> Option<u16> {
    let k = x as u16;
    exact(x, k as f32).then_some(k)
}

impl Column {
    fn len(&self) -> usize {
        match self {
            Column::Small(v) | Column::Hundredths(v) => v.len(),
            Column::Wide(v) => v.len(),
            Column::Full(v) => v.len(),
        }
    }

    fn get(&self, row: usize) -> f32 {
        match self {
            Column::Small(v) => v[row] as f32,
            Column::Hundredths(v) => v[row] as f32 / 100.0,
            Column::Wide(v) => v[row] as f32,
            Column::Full(v) => v[row],
        }
    }

    fn try_push(&mut self, x: f32) -> bool {
        match self {
            Column::Small(v) => small(x).map(|k| v.push(k)).is_some(),
            Column::Hundredths(v) => hundredths(x).map(|k| v.push(k)).is_some(),
            Column::Wide(v) => wide(x).map(|k| v.push(k)).is_some(),
            Column::Full(v) => {
                v.push(x);
                true
            }
        }
    }

    fn try_reserve(&mut self, rows: usize) -> bool {
        match self {
            Column::Small(v) | Column::Hundredths(v) => v.try_reserve_exact(rows).is_ok(),
            Column::Wide(v) => v.try_reserve_exact(rows).is_ok(),
            Column::Full(v) => v.try_reserve_exact(rows).is_ok(),
        }
    }

    fn capacity(&self) -> usize {
        match self {
            Column::Small(v) | Column::Hundredths(v) => v.capacity(),
            Column::Wide(v) => v.capacity(),
            Column::Full(v) => v.capacity(),
        }
    }

    fn bytes(&self) -> usize {
        match self {
            Column::Small(v) | Column::Hundredths(v) => v.capacity(),
            Column::Wide(v) => v.capacity() * 2,
            Column::Full(v) => v.capacity() * 4,
        }
    }

    /// The narrowest encoding holding every value so far and `x`, with room for as
    /// many rows as this one had.
    fn widened(&self, x: f32) -> Column {
        let values = (0..self.len()).map(|r| self.get(r)).chain([x]);
        let room = self.capacity().max(self.len() + 1);
        let all = |f: fn(f32) -> bool| values.clone().all(f);
        if all(|v| small(v).is_some()) {
            Column::Small(fill(room, values, |v| small(v).unwrap_or(0)))
        } else if all(|v| hundredths(v).is_some()) {
            Column::Hundredths(fill(room, values, |v| hundredths(v).unwrap_or(0)))
        } else if all(|v| wide(v).is_some()) {
            Column::Wide(fill(room, values, |v| wide(v).unwrap_or(0)))
        } else {
            Column::Full(fill(room, values, |v| v))
        }
    }
}

fn fill<T>(room: usize, values: impl Iterator<Item = f32>, encode: impl Fn(f32) -> T) -> Vec<T> {
    let mut out = Vec::with_capacity(room);
    out.extend(values.map(encode));
    out
}

/// The numeric features of a table's rows.
#[derive(Clone, Debug, Default)]
pub struct Numeric {
    columns: Vec<Column>,
    rows: usize,
}

impl PartialEq for Numeric {
    /// Equal values, whatever the encodings.
    fn eq(&self, other: &Self) -> bool {
        self.rows == other.rows
            && self.width() == other.width()
            && (0..self.rows).all(|r| (0..self.width()).all(|c| self.get(r, c).to_bits() == other.get(r, c).to_bits()))
    }
}

impl Numeric {
    /// An empty store of `width` columns.
    pub fn new(width: usize) -> Self {
        Self { columns: (0..width).map(|_| Column::Small(Vec::new())).collect(), rows: 0 }
    }

    /// Columns held.
    pub fn width(&self) -> usize {
        self.columns.len()
    }

    /// Rows held.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Append one row (`width` values).
    pub fn push(&mut self, row: &[f32]) {
        debug_assert_eq!(row.len(), self.columns.len());
        for (c, &x) in self.columns.iter_mut().zip(row) {
            if !c.try_push(x) {
                *c = c.widened(x);
            }
        }
        self.rows += 1;
    }

    /// Row `row`'s values, as parsed.
    pub fn row(&self, row: usize) -> Vec<f32> {
        self.columns.iter().map(|c| c.get(row)).collect()
    }

    /// Row `row`'s values written into `out` (`width` long), without allocating.
    pub fn row_into(&self, row: usize, out: &mut [f32]) {
        for (o, c) in out.iter_mut().zip(&self.columns) {
            *o = c.get(row);
        }
    }

    /// One value.
    pub fn get(&self, row: usize, column: usize) -> f32 {
        self.columns[column].get(row)
    }

    /// Room for `rows` more rows in every column's current encoding; false (and
    /// nothing promised) when that cannot be had.
    pub fn try_reserve(&mut self, rows: usize) -> bool {
        self.columns.iter_mut().all(|c| c.try_reserve(rows))
    }

    /// Whether the next row may need a reallocation.
    pub fn is_full(&self) -> bool {
        self.columns.iter().any(|c| c.capacity() == self.rows)
    }

    /// Bytes allocated for the values.
    pub fn bytes(&self) -> usize {
        self.columns.iter().map(Column::bytes).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const N_NUMERIC: usize = 38;

    fn row(x: f32) -> [f32; N_NUMERIC] {
        [x; N_NUMERIC]
    }

    #[test]
    fn values_read_back_bit_for_bit_as_columns_widen() {
        let values = [0.0, 1.0, 0.5, 0.07, 2.55, 255.0, 256.0, 65_535.0, 1e9, 0.333, -0.0, 3.25];
        let mut n = Numeric::new(N_NUMERIC);
        for (i, &x) in values.iter().enumerate() {
            n.push(&row(x));
            // Every value so far reads back exactly after each widening.
            for (r, &y) in values[..=i].iter().enumerate() {
                assert_eq!(n.row(r)[0].to_bits(), y.to_bits(), "row {r} ({y}) after pushing {x}");
            }
        }
    }

    #[test]
    fn each_column_takes_the_narrowest_encoding() {
        let mut n = Numeric::new(N_NUMERIC);
        let mut a = [0.0; N_NUMERIC];
        for k in 0..1000 {
            a[0] = (k % 2) as f32; // a flag
            a[1] = (k % 101) as f32 / 100.0; // a rate
            a[2] = k as f32; // a count past 255
            a[3] = k as f32 * 1e6; // bytes
            n.push(&a);
        }
        assert!(matches!(n.columns[0], Column::Small(_)));
        assert!(matches!(n.columns[1], Column::Hundredths(_)));
        assert!(matches!(n.columns[2], Column::Wide(_)));
        assert!(matches!(n.columns[3], Column::Full(_)));
        assert_eq!(n.row(999)[1], 0.9); // 999 % 101 = 90 hundredths
        assert!(n.bytes() < 1000 * N_NUMERIC * 4 / 2, "{} bytes", n.bytes());
    }
}
