//! The charts' pixel ↔ data maps and hit-testing, checked on real draws into a bitmap:
//! a curve point's pixel maps back to that point and to a threshold that reproduces
//! its rates, a bar's centre gives that bar's counts, a matrix cell's centre its
//! count, and the pixels there are really inked.
#![cfg(feature = "cli")]

use netanomaly::charts::{self, PlotMap, PrSeries, RocSeries, PALETTE};
use netanomaly::data::rows::Rows;
use netanomaly::data::{self, protocol, synth, Format};
use netanomaly::detect::Control;
use netanomaly::metrics::{self, Confusion, Detected, Histogram};
use netanomaly::pipeline::{self, TrainSettings};
use netanomaly::rng::Rng;
use plotters::prelude::*;

const W: u32 = 900;
const H: u32 = 640;

fn fonts() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular());
    });
}

/// An RGB image drawn by `draw` at `scale` (size × scale), with the chart's map.
struct Drawn {
    pixels: Vec<u8>,
    width: u32,
    map: PlotMap,
}

fn draw(
    scale: f64,
    draw: impl FnOnce(&DrawingArea<BitMapBackend<'_>, plotters::coord::Shift>, f64) -> Result<PlotMap, charts::ChartError>,
) -> Drawn {
    fonts();
    let (width, height) = ((f64::from(W) * scale) as u32, (f64::from(H) * scale) as u32);
    let mut pixels = vec![0u8; (width * height * 3) as usize];
    let map = {
        let area = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        draw(&area, scale).unwrap()
    };
    Drawn { pixels, width, map }
}

impl Drawn {
    fn rgb(&self, (x, y): (i64, i64)) -> [u8; 3] {
        let i = ((y * i64::from(self.width) + x) * 3) as usize;
        [self.pixels[i], self.pixels[i + 1], self.pixels[i + 2]]
    }

    /// Whether a pixel within `r` of `p` has roughly `colour` (or any ink when `None`).
    fn inked(&self, p: (f64, f64), r: i64, colour: Option<RGBColor>) -> bool {
        let (cx, cy) = (p.0.round() as i64, p.1.round() as i64);
        (-r..=r).flat_map(|dx| (-r..=r).map(move |dy| (cx + dx, cy + dy))).any(|q| {
            let [r, g, b] = self.rgb(q);
            match colour {
                Some(c) => {
                    (i32::from(r) - i32::from(c.0)).abs()
                        + (i32::from(g) - i32::from(c.1)).abs()
                        + (i32::from(b) - i32::from(c.2)).abs()
                        < 60
                }
                None => r < 230 || g < 230 || b < 230,
            }
        })
    }
}

/// Seeded scores with ties (rounded to 3 decimals): 500 normals low, 250 attacks
/// overlapping them; `shift` makes a second, weaker model.
fn scores(seed: u64, shift: f64) -> (Vec<f64>, Vec<bool>) {
    let mut rng = Rng::new(seed);
    let (mut s, mut t) = (Vec::new(), Vec::new());
    for i in 0..750 {
        let attack = i % 3 == 0;
        let v = if attack { 0.25 + shift + 0.75 * rng.next_f64() } else { 0.7 * rng.next_f64() };
        s.push((v * 1000.0).round() / 1000.0);
        t.push(attack);
    }
    (s, t)
}

#[test]
fn every_roc_point_maps_back_to_itself_and_a_threshold_that_gives_its_rates() {
    let (s0, t0) = scores(1, 0.0);
    let (s1, t1) = scores(2, -0.2);
    let c0 = metrics::roc_curve(&s0, &t0, true).unwrap().thinned(400);
    let c1 = metrics::roc_curve(&s1, &t1, true).unwrap().thinned(400);
    for scale in [1.0, 2.0] {
        let series = [
            RocSeries { name: "a", curve: &c0, auc: c0.auc(), color: 0 },
            RocSeries { name: "b", curve: &c1, auc: c1.auc(), color: 1 },
        ];
        let d = draw(scale, |a, s| charts::roc(a, "ROC", &series, s));
        let data = [(&s0, &t0), (&s1, &t1)];
        let mut inked = 0;
        for (k, curve) in [&c0, &c1].into_iter().enumerate() {
            for i in 1..curve.fpr.len() {
                let p = d.map.to_pixel((curve.fpr[i], curve.tpr[i]));
                let hit = charts::roc_hit(&series, &d.map, p, 40.0 * scale).expect("a point under its own pixel");
                // Both curves end at (1, 1): a point shared by two curves goes to the first.
                assert_eq!((hit.fpr, hit.tpr, hit.x, hit.y), (curve.fpr[i], curve.tpr[i], p.0, p.1), "scale {scale}");
                assert!((hit.series, hit.point) == (k, i) || hit.series < k, "{hit:?} for point {i} of {k}");
                assert_eq!(hit.name, ["a", "b"][hit.series]);
                assert_eq!(hit.score, Some(series[hit.series].curve.thresholds[hit.point]));
                let (scores, truth) = data[hit.series];
                let c = Confusion::at(scores, truth, hit.threshold.unwrap());
                assert_eq!((c.false_positive_rate(), c.recall()), (hit.fpr, hit.tpr), "point {i} of {k}");
                inked += usize::from(d.inked(p, scale as i64 + 1, Some(PALETTE[k])));
            }
        }
        let points = c0.fpr.len() + c1.fpr.len() - 2;
        assert!(inked * 10 >= points * 9, "only {inked} of {points} points drawn where the map puts them");
        // (0, 0) is "flag nothing" at +∞: the pointer there gets a reachable point or none.
        let origin = d.map.to_pixel((0.0, 0.0));
        if let Some(h) = charts::roc_hit(&series, &d.map, origin, 40.0 * scale) {
            assert!(h.point > 0 && h.threshold.is_some_and(f64::is_finite), "{h:?}");
        }
        // Far below both curves there is nothing within reach.
        assert_eq!(charts::roc_hit(&series, &d.map, d.map.to_pixel((0.9, 0.1)), 40.0 * scale), None);
    }
}

#[test]
fn every_pr_point_maps_back_with_its_precision_recall_and_threshold() {
    let (s, t) = scores(3, 0.0);
    let curve = metrics::pr_curve(&s, &t).unwrap().thinned(400);
    let series = [PrSeries { name: "a", curve: &curve, ap: curve.average_precision(), color: 2 }];
    let d = draw(1.0, |a, sc| charts::precision_recall(a, "PR", &series, sc));
    for i in 0..curve.thresholds.len() {
        let p = d.map.to_pixel((curve.recall[i], curve.precision[i]));
        let hit = charts::pr_hit(&series, &d.map, p, 40.0).unwrap();
        assert_eq!(hit.point, i);
        let c = Confusion::at(&s, &t, hit.threshold.unwrap());
        assert_eq!((c.precision(), c.recall()), (hit.precision, hit.recall), "point {i}");
    }
    // The last point (recall 0, precision 1) has no threshold: never offered.
    let last = curve.recall.len() - 1;
    let end = d.map.to_pixel((curve.recall[last], curve.precision[last]));
    assert!(charts::pr_hit(&series, &d.map, end, 40.0).is_none_or(|h| h.point < last));
}

fn check_histogram(h: &Histogram, threshold: f64, scale: f64) {
    let d = draw(scale, |a, s| charts::histogram(a, "Scores", h, threshold, "score", s));
    let bins = h.normal.len();
    let mut checked = 0;
    for b in 0..bins {
        let tallest = h.normal[b].max(h.attack[b]);
        if tallest == 0 {
            continue;
        }
        let cx = (d.map.x_pixel(h.edges[b]) + d.map.x_pixel(h.edges[b + 1])) / 2.0;
        let (_, cy) = d.map.to_pixel((0.0, (0.8 * tallest as f64).sqrt()));
        let hit = charts::histogram_hit(h, &d.map, (cx, cy)).unwrap();
        assert_eq!(
            (hit.bin, hit.lo, hit.hi, hit.normal, hit.attack),
            (b, h.edges[b], h.edges[b + 1], h.normal[b], h.attack[b])
        );
        assert!(hit.left < cx && cx < hit.right);
        checked += usize::from(d.inked((cx, cy), 0, None));
    }
    let filled = (0..bins).filter(|&b| h.normal[b].max(h.attack[b]) > 0).count();
    assert!(checked * 10 >= filled * 9, "{checked} of {filled} bars inked where the map puts them");
    // value_at inverts x_of on the axis, clamps beyond it.
    let (lo, hi) = (h.edges[0], h.edges[bins]);
    for f in [0.0, 0.013, 0.37, 0.5, 0.99, 1.0] {
        let t = if h.log_x { lo * (hi / lo).powf(f) } else { lo + f * (hi - lo) };
        let back = charts::histogram_value_at(&d.map, charts::histogram_x_of(&d.map, t));
        assert!((back - t).abs() <= 1e-9 * t.abs().max(1e-12), "{back} vs {t}");
    }
    assert_eq!(charts::histogram_value_at(&d.map, d.map.left - 50.0), lo);
    assert_eq!(charts::histogram_value_at(&d.map, d.map.left + d.map.width + 50.0), hi);
    assert_eq!(charts::histogram_x_of(&d.map, hi * 10.0 + 1.0), d.map.left + d.map.width);
    // The threshold line is drawn (black) at x_of(threshold).
    let x = charts::histogram_x_of(&d.map, threshold);
    let mid = d.map.top + d.map.height * 0.6;
    assert!(d.inked((x, mid), 1, Some(BLACK)), "threshold line at {x}");
    assert!(charts::histogram_hit(h, &d.map, (d.map.left - 5.0, mid)).is_none());
}

#[test]
fn histogram_bars_map_back_to_their_counts_on_log_and_linear_axes() {
    let (s, t) = scores(4, 0.0);
    let positive: Vec<f64> = s.iter().map(|v| v + 1e-3).collect();
    for (scores, log, threshold) in [(&s, false, 0.5382683925), (&positive, true, 0.3)] {
        let h = metrics::histogram(scores, Some(&t), threshold, 60, log);
        assert_eq!(h.log_x, log);
        check_histogram(&h, threshold, 1.0);
        check_histogram(&h, threshold, 2.0);
    }
}

#[test]
fn confusion_cells_map_back_to_their_counts_and_shares() {
    let c = Confusion { tn: 900, fp: 100, fn_: 30, tp: 270 };
    let d = draw(1.5, |a, s| charts::confusion(a, "Confusion", &c, s));
    let expected = [
        ((0.5, 0.5), "normal", "normal", 900, 0.9),
        ((1.5, 0.5), "normal", "attack", 100, 0.1),
        ((0.5, 1.5), "attack", "normal", 30, 0.1),
        ((1.5, 1.5), "attack", "attack", 270, 0.9),
    ];
    for (centre, actual, predicted, count, share) in expected {
        let p = d.map.to_pixel(centre);
        let hit = charts::confusion_hit(&c, &d.map, p).unwrap();
        assert_eq!((hit.actual, hit.predicted, hit.count), (actual, predicted, count));
        assert!((hit.share - share).abs() < 1e-12);
        assert!((hit.x - p.0).abs() < 1e-9 && (hit.y - p.1).abs() < 1e-9);
        // The cell is shaded a quarter of the way in from its centre (the text is at the centre).
        assert!(d.inked(d.map.to_pixel((centre.0 - 0.3, centre.1 - 0.3)), 0, None), "cell {actual}/{predicted}");
    }
    assert!(charts::confusion_hit(&c, &d.map, (d.map.left - 3.0, d.map.top + 10.0)).is_none());
}

/// The 23 labels of KDD Cup 99.
const KDD: [&str; 23] = [
    "smurf",
    "neptune",
    "normal",
    "back",
    "satan",
    "ipsweep",
    "portsweep",
    "warezclient",
    "teardrop",
    "pod",
    "nmap",
    "guess_passwd",
    "buffer_overflow",
    "land",
    "warezmaster",
    "imap",
    "rootkit",
    "loadmodule",
    "ftp_write",
    "multihop",
    "phf",
    "perl",
    "spy",
];

fn kdd_rows() -> Vec<Detected> {
    let mut rng = Rng::new(5);
    KDD.iter()
        .map(|&n| {
            let total = 1 + rng.below(300_000) as u64;
            let flagged = rng.below(total as usize + 1) as u64;
            Detected {
                name: n.into(),
                category: netanomaly::data::Schema::kdd(netanomaly::data::Format::Kdd99).category(n).to_string(),
                total,
                flagged,
                rate: flagged as f64 / total as f64,
            }
        })
        .collect()
}

#[test]
fn per_label_bars_map_back_to_their_rows() {
    let rows = kdd_rows();
    for scale in [1.0, 0.5, 2.0] {
        let d = draw(scale, |a, s| charts::category_recall(a, "Per label", &rows, s));
        for (i, r) in rows.iter().enumerate() {
            let (cx, top) = d.map.to_pixel((i as f64 + 0.5, r.rate()));
            let y = (top + d.map.top + d.map.height) / 2.0;
            let hit = charts::bar_hit(&rows, &d.map, (cx, y)).unwrap();
            assert_eq!(
                (hit.index, hit.name.as_str(), hit.flagged, hit.total),
                (i, r.name.as_str(), r.flagged, r.total)
            );
            if r.rate() > 0.05 {
                assert!(d.inked((cx, y), 0, None), "bar {} at {scale}", r.name);
            }
        }
        assert!(charts::bar_hit(&rows, &d.map, (d.map.left + 2.0, d.map.top - 4.0)).is_none());
    }
}

#[test]
fn many_labels_never_overlap() {
    fonts();
    let names: Vec<String> = KDD.iter().map(|s| s.to_string()).collect();
    let font = TextStyle::from(("sans-serif", 13.0).into_font());
    let mut buf = vec![0u8; 3];
    let area = BitMapBackend::with_buffer(&mut buf, (1, 1)).into_drawing_area();
    let measure = |t: &str| {
        let (w, h) = area.estimate_text_size(t, &font).unwrap();
        (f64::from(w), f64::from(h))
    };
    let (gap, mut rotated, mut thinned) = (6.0, false, false);
    for slot in [80.0, 36.0, 20.0, 9.0, 4.0] {
        let layout = charts::x_label_layout(&names, slot, gap, measure);
        rotated |= layout.rotated;
        thinned |= layout.step > 1;
        let shown: Vec<(usize, f64)> = layout
            .labels
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.is_empty())
            .map(|(i, l)| (i, if layout.rotated { measure(l).1 } else { measure(l).0 }))
            .collect();
        assert!(shown.len() * 2 >= names.len() / layout.step, "most labels kept at slot {slot}");
        for w in shown.windows(2) {
            let ((i, a), (j, b)) = (w[0], w[1]);
            let apart = (j - i) as f64 * slot;
            assert!(a / 2.0 + b / 2.0 + gap <= apart + 1e-9, "labels {i} and {j} overlap at slot {slot}");
        }
        let longest = layout.labels.iter().map(|l| l.chars().count()).max().unwrap();
        assert!(longest <= 16, "long names are shortened");
    }
    assert!(rotated && thinned, "narrow slots rotate, then thin");
}

#[test]
fn a_chart_drawn_at_twice_the_scale_has_twice_the_plot_area() {
    let (s, t) = scores(6, 0.0);
    let c = metrics::roc_curve(&s, &t, true).unwrap();
    let series = [RocSeries { name: "a", curve: &c, auc: c.auc(), color: 0 }];
    let one = draw(1.0, |a, sc| charts::roc(a, "ROC", &series, sc)).map;
    let two = draw(2.0, |a, sc| charts::roc(a, "ROC", &series, sc)).map;
    // plotters pads the caption by a fixed 10 px whatever the font size, hence `top`'s slack.
    for (a, b, slack) in [
        (one.left, two.left, 2.0),
        (one.top, two.top, 12.0),
        (one.width, two.width, 4.0),
        (one.height, two.height, 14.0),
    ] {
        assert!((2.0 * a - b).abs() <= slack, "{a} × 2 vs {b}");
    }
    let css = two.shrunk(2.0);
    assert!((css.width - one.width).abs() <= 2.0 && css.x == one.x && css.y == one.y);
}

#[test]
fn an_evaluations_own_curves_and_labels_answer_the_pointer() {
    // The curves exactly as the session holds them (thinned, from a trained forest).
    let train = data::read_bytes(synth::generate(3000, 0.3, Format::Kdd99, 21).as_bytes()).unwrap();
    let test = data::read_bytes(synth::generate(2000, 0.4, Format::Kdd99, 22).as_bytes()).unwrap();
    let split = protocol::train_test(&train, &[("test", &test)]).unwrap();
    let mut model =
        pipeline::train(&TrainSettings::default(), &split.train, "synth", &mut |_| Control::Continue).unwrap();
    let t = &split.tests[0];
    let scores = pipeline::score(&model, t, &mut |_, _| {}).unwrap();
    let e = pipeline::evaluate(&mut model, t, &scores).unwrap();
    let truth = t.truth().unwrap();
    assert!(e.roc.fpr.len() > 50 && e.by_label.len() >= 5, "{} points, {} labels", e.roc.fpr.len(), e.by_label.len());
    let series = [RocSeries { name: "forest", curve: &e.roc, auc: e.roc_auc, color: 0 }];
    let d = draw(2.0, |a, s| charts::roc(a, "ROC", &series, s));
    for i in 1..e.roc.fpr.len() {
        let hit = charts::roc_hit(&series, &d.map, d.map.to_pixel((e.roc.fpr[i], e.roc.tpr[i])), 80.0).unwrap();
        assert_eq!(hit.point, i);
        let c = Confusion::at(&scores, &truth, hit.threshold.unwrap());
        assert_eq!((c.false_positive_rate(), c.recall()), (hit.fpr, hit.tpr), "point {i}");
    }
    let d = draw(1.0, |a, s| charts::category_recall(a, "Per label", &e.by_label, s));
    for (i, r) in e.by_label.iter().enumerate() {
        let hit = charts::bar_hit(&e.by_label, &d.map, d.map.to_pixel((i as f64 + 0.5, 0.01))).unwrap();
        assert_eq!((hit.name.as_str(), hit.flagged, hit.total), (r.name.as_str(), r.flagged, r.total));
    }
}

#[test]
fn legend_text_shrinks_until_the_widest_label_fits() {
    fonts();
    let mut pixels = vec![0u8; 400 * 100 * 3];
    let area = BitMapBackend::with_buffer(&mut pixels, (400, 100)).into_drawing_area();
    let labels = vec!["Simple LSTM autoencoder (AUC 0.9538)".to_string(), "short".to_string()];
    let width =
        |size: f64| area.estimate_text_size(&labels[0], &TextStyle::from(("sans-serif", size).into_font())).unwrap().0;
    // Plenty of room: the full size; three quarters of the text's width: smaller, and it fits.
    assert_eq!(charts::fitting_font(&area, &labels, 1000, 14.0, 9.0), 14.0);
    let room = width(14.0) as i32 * 3 / 4;
    let size = charts::fitting_font(&area, &labels, room, 14.0, 9.0);
    assert!(size < 14.0 && width(size) as i32 <= room, "size {size}: {} > {room}", width(size));
    // No room at all: never below the smallest size.
    assert_eq!(charts::fitting_font(&area, &labels, 1, 14.0, 9.0), 9.0);
}
