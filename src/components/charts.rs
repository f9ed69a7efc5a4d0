//! Bar charts drawn as inline SVG by the app itself: no charting library to download, and
//! every chart sits beside a table of its numbers (the page's), which is what screen readers
//! and the export read. The SVG is a picture of that table, hidden from assistive technology
//! behind one label.

use leptos::prelude::*;

/// Rows of bars: each row a label and one value per series, drawn side by side or stacked.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub series: Vec<String>,
    pub rows: Vec<(String, Vec<f64>)>,
    pub stacked: bool,
    /// The value a full bar stands for (100 for percentages); the largest row when none.
    pub max: Option<f64>,
    /// Appended to a value's text (`%`).
    pub unit: &'static str,
}

const WIDTH: f64 = 480.0;
const LABEL: f64 = 128.0;
const VALUE: f64 = 56.0;
const BAR: f64 = 14.0;
const GAP: f64 = 10.0;

/// One rectangle and the text after its row's bar (or its own, side by side).
#[derive(Debug, Clone, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub series: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub height: f64,
    pub rects: Vec<Rect>,
    /// Row labels at their baseline.
    pub labels: Vec<(f64, String)>,
    /// Value texts: x, baseline, text.
    pub values: Vec<(f64, f64, String)>,
}

fn number(v: f64, unit: &str) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}{unit}")
    } else {
        format!("{v:.1}{unit}")
    }
}

impl Chart {
    /// Where everything goes, in a viewBox `WIDTH` wide.
    pub fn layout(&self) -> Layout {
        let per_row = if self.stacked {
            1
        } else {
            self.series.len().max(1)
        };
        let row_height = per_row as f64 * BAR + GAP;
        let total = |vs: &[f64]| vs.iter().sum::<f64>();
        let largest = self
            .rows
            .iter()
            .map(|(_, vs)| {
                if self.stacked {
                    total(vs)
                } else {
                    vs.iter().copied().fold(0.0, f64::max)
                }
            })
            .fold(0.0, f64::max);
        let max = self.max.unwrap_or(largest).max(f64::MIN_POSITIVE);
        let span = WIDTH - LABEL - VALUE;
        let scale = |v: f64| (v.max(0.0) / max).min(1.0) * span;
        let mut out = Layout {
            height: (self.rows.len() as f64 * row_height).max(row_height),
            rects: Vec::new(),
            labels: Vec::new(),
            values: Vec::new(),
        };
        for (i, (label, values)) in self.rows.iter().enumerate() {
            let top = i as f64 * row_height;
            out.labels
                .push((top + per_row as f64 * BAR / 2.0 + 4.0, label.clone()));
            if self.stacked {
                let mut x = LABEL;
                for (s, v) in values.iter().enumerate() {
                    let w = scale(*v);
                    if w > 0.0 {
                        out.rects.push(Rect {
                            x,
                            y: top,
                            w,
                            h: BAR,
                            series: s,
                        });
                    }
                    x += w;
                }
                out.values
                    .push((x + 4.0, top + BAR - 3.0, number(total(values), self.unit)));
            } else {
                for (s, v) in values.iter().enumerate() {
                    let y = top + s as f64 * BAR;
                    let w = scale(*v);
                    out.rects.push(Rect {
                        x: LABEL,
                        y,
                        w,
                        h: BAR - 2.0,
                        series: s,
                    });
                    out.values
                        .push((LABEL + w + 4.0, y + BAR - 4.0, number(*v, self.unit)));
                }
            }
        }
        out
    }
}

/// The chart as SVG, with a legend when there is more than one series.
#[component]
pub fn BarChart(chart: Chart, #[prop(into)] label: Signal<String>) -> impl IntoView {
    let layout = chart.layout();
    let legend = (chart.series.len() > 1).then(|| {
        view! {
            <ul class="legend" aria-hidden="true">
                {chart.series.iter().enumerate().map(|(i, s)| view! {
                    <li><span class=format!("swatch s{}", i % 6)></span>{s.clone()}</li>
                }).collect_view()}
            </ul>
        }
    });
    view! {
        <div class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {}", layout.height) role="img" aria-label=move || label.get()
                preserveAspectRatio="xMinYMin meet">
                {layout.labels.into_iter().map(|(y, text)| view! {
                    <text x="0" y=y.to_string() class="label">{text}</text>
                }).collect_view()}
                {layout.rects.into_iter().map(|r| view! {
                    <rect x=r.x.to_string() y=r.y.to_string() width=r.w.to_string() height=r.h.to_string()
                        class=format!("s{}", r.series % 6)></rect>
                }).collect_view()}
                {layout.values.into_iter().map(|(x, y, text)| view! {
                    <text x=x.to_string() y=y.to_string() class="value">{text}</text>
                }).collect_view()}
            </svg>
            {legend}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn chart(stacked: bool) -> Chart {
        Chart {
            series: vec!["a".into(), "b".into()],
            rows: vec![
                ("青石镇".into(), vec![2.0, 1.0]),
                ("柳河镇".into(), vec![1.0, 0.0]),
            ],
            stacked,
            max: None,
            unit: "",
        }
    }

    #[wasm_bindgen_test]
    fn stacked_bars_share_the_longest_rows_length() {
        let l = chart(true).layout();
        // The first row fills the span; the second is a third of it; a zero draws nothing.
        let span = WIDTH - LABEL - VALUE;
        let first: f64 = l.rects.iter().filter(|r| r.y == 0.0).map(|r| r.w).sum();
        assert!((first - span).abs() < 1e-9);
        let second: Vec<&Rect> = l.rects.iter().filter(|r| r.y > 0.0).collect();
        assert_eq!(second.len(), 1);
        assert!((second[0].w - span / 3.0).abs() < 1e-9);
        assert_eq!(l.values[0].2, "3");
        assert_eq!(l.labels.len(), 2);
    }

    #[wasm_bindgen_test]
    fn grouped_bars_sit_side_by_side_and_percentages_stop_at_a_full_bar() {
        let mut c = chart(false);
        c.max = Some(100.0);
        c.unit = "%";
        c.rows = vec![("青石镇".into(), vec![75.0, 150.0])];
        let l = c.layout();
        assert_eq!(l.rects.len(), 2);
        assert!(l.rects[1].y > l.rects[0].y);
        let span = WIDTH - LABEL - VALUE;
        assert!((l.rects[0].w - span * 0.75).abs() < 1e-9);
        assert!((l.rects[1].w - span).abs() < 1e-9);
        assert_eq!(l.values[0].2, "75%");
        // Nothing to draw still has a height, and no division by zero.
        let empty = Chart {
            rows: vec![("x".into(), vec![0.0])],
            ..chart(true)
        }
        .layout();
        assert!(empty.height > 0.0 && empty.rects.is_empty());
    }
}
