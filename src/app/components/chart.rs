//! A bar chart drawn as SVG by the component itself, so it renders on the server (visible before
//! hydration, without JavaScript, and in screenshots) and costs the wasm bundle nothing. A
//! charting crate was not taken: `charming` draws through ECharts in the browser, `plotters`'
//! SVG backend writes strings outside the view tree and more code than these bars need.

use leptos::prelude::*;

const PALETTE: [&str; 8] = ["#4f46e5", "#0891b2", "#ca8a04", "#db2777", "#16a34a", "#9333ea", "#ea580c", "#64748b"];
const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 40.0;
const BOTTOM: f64 = 24.0;
const TOP: f64 = 8.0;

/// A round axis maximum at or above `max` (1, 2 or 5 times a power of ten).
fn axis_max(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).find(|v| *v >= max).unwrap_or(10.0 * magnitude)
}

/// A value with its unit ("7.5 h"), or a plain count when there is no unit.
fn amount(v: f64, unit: &str) -> String {
    if unit.is_empty() { format!("{v:.0}") } else { format!("{v:.1} {unit}") }
}

/// Bars per label: stacked (parts of one total, like hours by person) or side by side.
#[component]
pub fn BarChart(#[prop(into)] title: String, labels: Vec<String>, series: Vec<(String, Vec<f64>)>, #[prop(into)] unit: String, stacked: bool) -> impl IntoView {
    if labels.is_empty() || series.is_empty() {
        return view! { <p class="text-sm text-slate-500" data-testid="chart-empty">{format!("{title}: nothing synced in this period.")}</p> }.into_any();
    }
    let n = labels.len();
    let totals: Vec<f64> = (0..n).map(|i| series.iter().map(|(_, v)| v[i]).sum()).collect();
    let peak = if stacked { totals.iter().copied().fold(0.0, f64::max) } else { series.iter().flat_map(|(_, v)| v.iter().copied()).fold(0.0, f64::max) };
    let top = axis_max(peak);
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = (WIDTH - LEFT) / n as f64;
    let y = move |v: f64| TOP + plot_h * (1.0 - v / top);
    let mut bars = Vec::new();
    for i in 0..n {
        let x0 = LEFT + slot * i as f64 + slot * 0.15;
        let width = slot * 0.7;
        let mut base = 0.0;
        for (k, (name, values)) in series.iter().enumerate() {
            let v = values[i];
            if v <= 0.0 {
                continue;
            }
            let (x, w, from) = if stacked { (x0, width, base) } else { (x0 + width / series.len() as f64 * k as f64, width / series.len() as f64, 0.0) };
            let (y_top, y_bottom) = (y(from + v), y(from));
            bars.push(view! {
                <rect x=format!("{x:.1}") y=format!("{y_top:.1}") width=format!("{:.1}", w.max(1.0)) height=format!("{:.1}", (y_bottom - y_top).max(0.5)) fill=PALETTE[k % PALETTE.len()]>
                    <title>{format!("{} · {name}: {}", labels[i], amount(v, &unit))}</title>
                </rect>
            });
            if stacked {
                base += v;
            }
        }
    }
    let every = n.div_ceil(12).max(1);
    let ticks: Vec<_> = labels
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, l)| view! { <text x=format!("{:.1}", LEFT + slot * (i as f64 + 0.5)) y=format!("{:.1}", HEIGHT - 6.0) text-anchor="middle" font-size="10" fill="#64748b">{l.clone()}</text> })
        .collect();
    let summary = format!("{title}: {} series over {n} weeks, at most {}", series.len(), amount(peak, &unit));
    let legend: Vec<_> = series
        .iter()
        .enumerate()
        .map(|(k, (name, values))| {
            let total: f64 = values.iter().sum();
            view! {
                <li class="flex items-center gap-1">
                    <span class="inline-block h-3 w-3 rounded-sm" style=format!("background:{}", PALETTE[k % PALETTE.len()])></span>
                    {format!("{name} ({})", amount(total, &unit))}
                </li>
            }
        })
        .collect();
    view! {
        <figure class="mb-4" data-testid="chart">
            <figcaption class="mb-1 text-sm font-medium">{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") class="h-auto w-full" role="img" aria-label=summary>
                <line x1=LEFT y1=TOP x2=LEFT y2=HEIGHT - BOTTOM stroke="#cbd5e1"/>
                <line x1=LEFT y1=HEIGHT - BOTTOM x2=WIDTH y2=HEIGHT - BOTTOM stroke="#cbd5e1"/>
                <text x=LEFT - 4.0 y=TOP + 8.0 text-anchor="end" font-size="10" fill="#64748b">{format!("{top}")}</text>
                <text x=LEFT - 4.0 y=HEIGHT - BOTTOM text-anchor="end" font-size="10" fill="#64748b">"0"</text>
                {bars}
                {ticks}
            </svg>
            <ul class="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">{legend}</ul>
        </figure>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(super::axis_max(0.0), 1.0);
        assert_eq!(super::axis_max(7.3), 10.0);
        assert_eq!(super::axis_max(13.0), 20.0);
        assert_eq!(super::axis_max(41.0), 50.0);
        assert_eq!(super::axis_max(100.0), 100.0);
    }
}
