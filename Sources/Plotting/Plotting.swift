// Plotting: plot values (corner plots, data plots, training curves, diagnostics, progress cards)
// and an SVG renderer. The module depends on no other project module: its inputs are plain
// `[Double]` and `[[Double]]` arrays, so the numerical core and the notebook layer can both feed it.
//
// A plot is a value that knows its data and options (`Plot`); a `Renderer` draws it (SwiftPlot's
// Plot/Renderer split). `SVGRenderer` writes deterministic, self-contained SVG 1.1: xmlns, version,
// width, height and viewBox on the root; generic font families only; no scripts, links or images;
// coordinates with one fixed decimal; clip-path ids prefixed with a hash of the document so that
// plots never share ids. JupyterLab shows it inside an `<img>`.
//
//     let plot = try CornerPlot(
//         sets: [.init("GNPE", samples: gnpe), .init("NPE", samples: npe)],   // [count, parameters]
//         parameters: [.init("m₁", unit: "M☉", truth: 36), .init("φ", range: 0...6.283)])
//     plot.svg                     // the SVG document
//     plot.textDescription         // the text/plain fallback
//     try plot.save(to: "corner.svg")
//
// Plots: `CornerPlot` (marginals, smoothed 2-D histograms with credible contours, truths, several
// sets, medians and intervals, periodic axes that wrap), `SkyMap` (right ascension and declination
// on a Mollweide projection with credible regions and their areas in deg²), `DataPlot` (observed
// series with predictive median and bands, one panel per channel, from given bands or from
// predicted series), `ImportanceWeightPlot` (distribution of normalised weights, weight share of
// the largest, ESS and efficiency), `TrainingCurvePlot` (losses per epoch, best epoch),
// `CoveragePlot` (P–P plot with a binomial band), `DriftPlot` (Gibbs proxy drift),
// `TrainingProgress` and `TaskProgress` (live progress cards, throttled by `UpdateThrottle`).
// Building blocks: `Ticks` (nice numbers), `NumberFormatting`, `Histogram`, `Histogram2D`,
// `ContourTracer`, `Quantiles`, `Mollweide`, `Theme` (light, dark; Okabe–Ito palette).
