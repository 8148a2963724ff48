extension CornerPlot {
    /// A plain-text summary: parameters, sets, contour levels, and each marginal's median and
    /// credible interval (the `text/plain` representation).
    public var textDescription: String {
        var lines: [String] = []
        let setList = sets.map { "\($0.name) (\($0.samples.count) samples)" }.joined(separator: ", ")
        let levels = credibleLevels.sorted().map { Self.percent($0) }.joined(separator: ", ")
        lines.append(
            "Corner plot" + (title.map { " '\($0)'" } ?? "") + " of \(parameters.count) parameter"
                + (parameters.count == 1 ? "" : "s") + " for \(sets.count) sample set"
                + (sets.count == 1 ? "" : "s") + ": \(setList); 2-D contours at \(levels) credible levels.")
        lines.append("Medians with \(Self.percent(intervalLevel)) credible intervals:")
        for p in parameters.indices {
            var line = "  \(parameters[p].axisLabel)" + (parameters[p].isPeriodic ? " (periodic):" : ":")
            for s in sets.indices {
                let summary = summaries[s][p]
                let name = sets.count > 1 ? " \(sets[s].name)" : ""
                guard !summary.median.isNaN else {
                    line += "\(name) no finite samples"
                    if s < sets.count - 1 { line += ";" }
                    continue
                }
                line +=
                    "\(name) " + NumberFormatting.significant(summary.median, digits: 4) + " ["
                    + NumberFormatting.significant(summary.lower, digits: 4) + ", "
                    + NumberFormatting.significant(summary.upper, digits: 4) + "]"
                if s < sets.count - 1 { line += ";" }
            }
            if let truth = parameters[p].truth {
                line += " (truth " + NumberFormatting.significant(truth, digits: 4) + ")"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
