// Plotting: plot values (corner plots, data plots, training curves, diagnostics) and an SVG
// renderer. The module depends on no other project module: its inputs are plain `[Double]` and
// `[[Double]]` arrays, so the numerical core and the notebook layer can both feed it.
//
// A plot is a value that knows its data and options (``Plot``); a ``Renderer`` draws it. The
// ``SVGRenderer`` writes deterministic, self-contained SVG 1.1 (fixed-precision numbers, no
// scripts, no external resources, ids unique per plot), which JupyterLab shows inside an `<img>`.
