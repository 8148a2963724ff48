/// Where the map, the legend and the area lines of a ``SkyMap`` go.
struct SkyMapLayout {
    let left = 48.0
    let top: Double
    let mapWidth: Double
    let mapHeight: Double
    let legendSize: Size
    let lineHeight: Double
    let size: Size

    init(plot: SkyMap) {
        top = plot.title == nil ? 14 : plot.theme.fontSize * 1.2 + 22
        legendSize = legendBoxSize(plot.legendEntries, theme: plot.theme)
        mapWidth = max(120, plot.width - left - 16 - legendSize.width - 16)
        mapHeight = mapWidth / 2
        lineHeight = plot.theme.fontSize * 0.9 * 1.5
        let height = top + mapHeight + 14 + Double(plot.sets.count) * lineHeight + 10
        size = Size(width: plot.width, height: height.rounded(.up))
    }

    /// The map's centre in pixels.
    var center: Point { Point(left + mapWidth / 2, top + mapHeight / 2) }

    /// Pixels per unit of the Mollweide map of the unit sphere.
    var scale: Double { mapWidth / (2 * Mollweide.semiMajorAxis) }

    /// The pixel position of right ascension `alpha` and declination `delta` (radians), with α
    /// increasing to the left and 12 h at the centre.
    func pixel(alpha: Double, delta: Double) -> Point {
        let (x, y) = Mollweide.project(longitude: Double.pi - alpha, latitude: delta)
        return Point(center.x + x * scale, center.y - y * scale)
    }
}

extension SkyMap {
    /// The drawing size in pixels.
    public var size: Size { SkyMapLayout(plot: self).size }

    /// Draws the map: graticule, densities and credible regions, truth, outline, legend, areas.
    public func draw<R: Renderer>(into renderer: inout R) {
        let layout = SkyMapLayout(plot: self)
        renderer.beginDrawing(
            size: layout.size, background: theme.background, title: title ?? "Sky map", description: textDescription)
        ChartFrame.drawTitle(title, size: layout.size, theme: theme, into: &renderer)
        let outline = (0..<180).map { k -> Point in
            let t = 2 * Double.pi * Double(k) / 180
            return Point(
                layout.center.x + Mollweide.semiMajorAxis * layout.scale * cos(t),
                layout.center.y - Mollweide.semiMinorAxis * layout.scale * sin(t))
        }
        renderer.drawPolygons([outline], fill: FillStyle(color: theme.grid, opacity: 0.25), stroke: nil)
        drawGraticule(layout: layout, into: &renderer)
        for s in sets.indices { drawDensity(set: s, layout: layout, into: &renderer) }
        drawGraticuleLabels(layout: layout, into: &renderer)
        if let truth {
            let p = layout.pixel(alpha: truth.rightAscension, delta: truth.declination)
            let stroke = StrokeStyle(color: theme.reference, width: 1.5)
            renderer.drawCircle(center: p, radius: 5, fill: nil, stroke: stroke)
            renderer.drawLine(from: Point(p.x - 10, p.y), to: Point(p.x - 5, p.y), stroke: stroke)
            renderer.drawLine(from: Point(p.x + 5, p.y), to: Point(p.x + 10, p.y), stroke: stroke)
            renderer.drawLine(from: Point(p.x, p.y - 10), to: Point(p.x, p.y - 5), stroke: stroke)
            renderer.drawLine(from: Point(p.x, p.y + 5), to: Point(p.x, p.y + 10), stroke: stroke)
        }
        renderer.drawPolygons([outline], fill: nil, stroke: StrokeStyle(color: theme.foreground, width: 1))
        if finiteCounts.contains(0) {
            let names = sets.indices.filter { finiteCounts[$0] == 0 }.map { sets[$0].name }.joined(separator: ", ")
            renderer.drawText(
                "no finite samples" + (sets.count > 1 ? " (\(names))" : ""),
                at: Point(layout.center.x, layout.center.y - theme.fontSize),
                style: TextStyle(size: theme.fontSize, color: theme.mutedForeground, anchor: .middle))
        }
        drawLegend(
            legendEntries, topRight: Point(layout.size.width - 16, layout.top), theme: theme, into: &renderer)
        let textSize = theme.fontSize * 0.9
        for s in sets.indices {
            renderer.drawText(
                areaLine(set: s),
                at: Point(layout.left, layout.top + layout.mapHeight + 14 + Double(s) * layout.lineHeight + textSize),
                style: TextStyle(size: textSize, color: sets.count == 1 ? theme.foreground : color(ofSet: s)))
        }
    }

    // MARK: - Parts

    /// Meridians every 3 h of right ascension, parallels every 30° of declination.
    private func drawGraticule<R: Renderer>(layout: SkyMapLayout, into renderer: inout R) {
        let stroke = StrokeStyle(color: theme.grid, width: 0.8)
        for hour in stride(from: 3, through: 21, by: 3) {
            let alpha = Double(hour) / 24 * 2 * Double.pi
            let points = (0...90).map { k in
                layout.pixel(alpha: alpha, delta: -Double.pi / 2 + Double.pi * Double(k) / 90)
            }
            renderer.drawPolyline(points, stroke: stroke)
        }
        for degrees in stride(from: -60, through: 60, by: 30) {
            let delta = Double(degrees) * Double.pi / 180
            renderer.drawLine(
                from: layout.pixel(alpha: 2 * Double.pi, delta: delta), to: layout.pixel(alpha: 0, delta: delta),
                stroke: stroke)
        }
    }

    private func drawGraticuleLabels<R: Renderer>(layout: SkyMapLayout, into renderer: inout R) {
        let size = theme.fontSize * 0.8
        for hour in stride(from: 3, through: 21, by: 3) {
            let p = layout.pixel(alpha: Double(hour) / 24 * 2 * Double.pi, delta: 0)
            renderer.drawText(
                "\(hour)h", at: Point(p.x, p.y + size + 2),
                style: TextStyle(size: size, color: theme.mutedForeground, anchor: .middle))
        }
        for degrees in stride(from: -60, through: 60, by: 30) {
            let p = layout.pixel(alpha: 2 * Double.pi, delta: Double(degrees) * Double.pi / 180)
            let label = (degrees > 0 ? "+" : degrees < 0 ? "−" : "") + "\(abs(degrees))°"
            renderer.drawText(
                label, at: Point(p.x - 4, p.y + size * 0.35),
                style: TextStyle(size: size, color: theme.mutedForeground, anchor: .end))
        }
    }

    private func drawDensity<R: Renderer>(set s: Int, layout: SkyMapLayout, into renderer: inout R) {
        let density = densities[s]
        guard density.count > 0, let peak = density.values.max(), peak > 0 else { return }
        let color = color(ofSet: s)
        func pixelRings(_ level: Double) -> [[Point]] {
            density.rings(level: level).map { ring in
                ring.map { layout.pixel(alpha: $0.rightAscension, delta: asin($0.sinDeclination)) }
            }
        }
        let shade = sets.count == 1
        if shade {
            let steps = 7
            for k in 1...steps {
                renderer.drawPolygons(
                    pixelRings(peak * Double(k) / Double(steps + 1)), fill: FillStyle(color: color, opacity: 0.13),
                    stroke: nil)
            }
        }
        for (index, level) in thresholds[s].enumerated() where level.isFinite && level > 0 {
            // The smallest region (first level) is drawn thickest.
            let width = index == 0 ? 1.6 : 1.1
            renderer.drawPolygons(
                pixelRings(level), fill: shade ? nil : FillStyle(color: color, opacity: 0.15),
                stroke: StrokeStyle(color: color, width: width))
        }
    }

    /// The legend: the sets (when several), the truth, the credible levels.
    var legendEntries: [LegendEntry] {
        var entries: [LegendEntry] = []
        if sets.count > 1 {
            for s in sets.indices {
                entries.append(LegendEntry(label: sets[s].name, color: color(ofSet: s), key: .swatch(opacity: 0.35)))
            }
        }
        if truth != nil { entries.append(LegendEntry(label: "truth", color: theme.reference, key: .marker)) }
        if !credibleLevels.isEmpty {
            let levels = credibleLevels.map { CornerPlot.percent($0) }.joined(separator: ", ")
            entries.append(
                LegendEntry(label: "credible: \(levels)", color: theme.mutedForeground, key: .line(dash: [])))
        }
        return entries
    }

    /// "GNPE: 50% area 120 deg², 90% area 420 deg²" for set `s`.
    func areaLine(set s: Int) -> String {
        let name = sets[s].name + ": "
        guard finiteCounts[s] > 0 else { return name + "no finite samples" }
        let areas = credibleAreas[s]
        let parts = credibleLevels.indices.map { k in
            CornerPlot.percent(credibleLevels[k]) + " area " + Self.formatArea(areas[k]) + " deg²"
        }
        return name + parts.joined(separator: ", ")
    }

    /// An area in square degrees: whole degrees from 100 deg² up, one decimal below.
    static func formatArea(_ area: Double) -> String {
        NumberFormatting.fixed(area, decimals: area >= 100 ? 0 : 1)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif
