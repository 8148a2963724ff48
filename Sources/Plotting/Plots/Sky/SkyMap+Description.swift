extension SkyMap {
    /// A plain-text summary: the sets, their credible areas, and whether each region holds the
    /// truth (the `text/plain` representation).
    public var textDescription: String {
        var lines: [String] = []
        let levels = credibleLevels.map { CornerPlot.percent($0) }.joined(separator: ", ")
        lines.append(
            "Sky map" + (title.map { " '\($0)'" } ?? "")
                + " (Mollweide projection, right ascension increasing to the left) of "
                + "\(sets.count) sample set" + (sets.count == 1 ? "" : "s") + "; credible regions at \(levels):")
        for s in sets.indices {
            let skipped = sets[s].rightAscension.count - finiteCounts[s]
            var line = "  " + areaLine(set: s) + " (\(finiteCounts[s]) samples"
            if skipped > 0 { line += ", \(skipped) non-finite skipped" }
            line += ")"
            if let truth, finiteCounts[s] > 0 {
                let inside = credibleLevels.indices.filter { contains(truth, set: s, levelIndex: $0) }
                line +=
                    inside.isEmpty
                    ? "; truth outside every region"
                    : "; truth inside the " + CornerPlot.percent(credibleLevels[inside[0]]) + " region"
            }
            lines.append(line)
        }
        if let truth {
            lines.append(
                "  truth: α " + NumberFormatting.fixed(truth.rightAscension * 12 / Double.pi, decimals: 2) + " h, δ "
                    + NumberFormatting.fixed(truth.declination * 180 / Double.pi, decimals: 1) + "°")
        }
        return lines.joined(separator: "\n")
    }

    /// Whether `position` lies inside set `s`'s credible region of ``credibleLevels``[`levelIndex`]
    /// (its grid cell's smoothed density is at or above the region's level).
    /// - Parameters:
    ///   - position: A sky position in radians.
    ///   - s: The set index.
    ///   - levelIndex: The index into ``credibleLevels``.
    /// - Returns: `false` for indices out of range or a set without finite samples.
    public func contains(_ position: Position, set s: Int, levelIndex: Int) -> Bool {
        guard sets.indices.contains(s), credibleLevels.indices.contains(levelIndex), finiteCounts[s] > 0,
            position.rightAscension.isFinite, position.declination.isFinite
        else { return false }
        let density = densities[s]
        let twoPi = 2 * Double.pi
        let alpha = position.rightAscension - twoPi * (position.rightAscension / twoPi).rounded(.down)
        let c = min(max(Int(alpha / twoPi * Double(density.columns)), 0), density.columns - 1)
        let r = min(max(Int((sin(position.declination) + 1) / 2 * Double(density.rows)), 0), density.rows - 1)
        let level = thresholds[s][levelIndex]
        return level.isFinite && density.values[r * density.columns + c] >= level
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif
