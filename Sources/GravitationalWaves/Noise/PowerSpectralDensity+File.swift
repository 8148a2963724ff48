import Foundation

extension PowerSpectralDensity {
    /// Reads an amplitude spectral density in the usual two-column text format (frequency in
    /// Hz, ASD in strain/√Hz), as the LIGO/Virgo noise curves are published: one point per line,
    /// columns separated by spaces, tabs or a comma; blank lines and lines starting with `#` or
    /// `%` are skipped (as is anything after a `#` on a line). Further columns are ignored.
    ///
    /// - Parameters:
    ///   - url: The file.
    ///   - isAmplitude: `true` (default) if the second column is an ASD, `false` if a PSD.
    /// - Returns: The tabulated PSD (the ASD squared), interpolated in log–log.
    /// - Throws: ``GravitationalWaveError/unreadableFile(path:reason:)``, and the errors of
    ///   ``init(text:isAmplitude:name:)``.
    public init(contentsOfASDFile url: URL, isAmplitude: Bool = true) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw GravitationalWaveError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        try self.init(text: text, isAmplitude: isAmplitude, name: url.lastPathComponent)
    }

    /// Parses a two-column spectral-density table (see ``init(contentsOfASDFile:isAmplitude:)``).
    /// - Parameters:
    ///   - text: The file's contents.
    ///   - isAmplitude: Whether the second column is an ASD (default) rather than a PSD.
    ///   - name: A short name.
    /// - Throws: ``GravitationalWaveError/malformedLine(line:content:)`` for a line that is not
    ///   two numbers, ``GravitationalWaveError/nonPositiveValue(line:value:)``,
    ///   ``GravitationalWaveError/unsortedFrequencies(line:frequency:previous:)`` (line numbers
    ///   are the file's, 1-based), ``GravitationalWaveError/tooFewPoints(_:)``.
    public init(text: String, isAmplitude: Bool = true, name: String = "table") throws {
        var frequencies: [Double] = []
        var values: [Double] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty || trimmed.hasPrefix("%") { continue }
            let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).map(String.init)
            guard fields.count >= 2, let f = Double(fields[0]), let v = Double(fields[1]) else {
                throw GravitationalWaveError.malformedLine(line: lineNumber, content: String(rawLine))
            }
            for x in [f, v] where !(x.isFinite && x > 0) {
                throw GravitationalWaveError.nonPositiveValue(line: lineNumber, value: x)
            }
            if let previous = frequencies.last, f <= previous {
                throw GravitationalWaveError.unsortedFrequencies(line: lineNumber, frequency: f, previous: previous)
            }
            frequencies.append(f)
            values.append(v)
        }
        try self.init(frequencies: frequencies, values: values, isAmplitude: isAmplitude, name: name)
    }
}
