import Foundation
import Spectral
import TensorCore
import Testing

@testable import GravitationalWaves

@Suite struct PowerSpectralDensityTests {
    /// The analytic design curves against LALSimulation's functions from 5 Hz to 8 kHz.
    @Test func designCurvesMatchLAL() throws {
        let fixture = try Fixtures.decode(Fixtures.DesignPSDs.self, "psd.json")
        var worst = (ligo: 0.0, virgo: 0.0)
        for (i, f) in fixture.frequencies.enumerated() {
            let ligo = try PowerSpectralDensity.advancedLIGODesign.value(at: f)
            let virgo = try PowerSpectralDensity.advancedVirgoDesign.value(at: f)
            let e1 = abs(ligo / fixture.aLIGOZeroDetHighPower[i] - 1)
            let e2 = abs(virgo / fixture.AdvVirgo[i] - 1)
            worst = (max(worst.ligo, e1), max(worst.virgo, e2))
            #expect(e1 < 1e-9, "aLIGO at \(f) Hz: \(ligo) vs \(fixture.aLIGOZeroDetHighPower[i])")
            #expect(e2 < 1e-9, "AdV at \(f) Hz: \(virgo) vs \(fixture.AdvVirgo[i])")
        }
        print("design PSDs: worst relative error aLIGO \(worst.ligo), AdV \(worst.virgo)")
        #expect(throws: GravitationalWaveError.self) { try PowerSpectralDensity.advancedLIGODesign.value(at: 0) }
    }

    @Test func asdFilesAreReadAndInterpolatedInLogLog() throws {
        // ASD ∝ f^{-2} (PSD ∝ f^{-4}) is a straight line in log–log: interpolation is exact.
        let text = """
            # frequency  ASD
            % another comment style
            10 1e-21

            100\t1e-23   # trailing comment
            1000,1e-25
            """
        let psd = try PowerSpectralDensity(text: text)
        #expect(psd.tabulatedRange == 10...1000)
        for f in [10.0, 31.6, 100, 250, 999.9, 1000] {
            let expected = pow(1e-21 * pow(10 / f, 2), 2)
            #expect(abs(try psd.value(at: f) / expected - 1) < 1e-12, "f = \(f)")
        }
        let grid = try FrequencyGrid(minimumFrequency: 20, maximumFrequency: 512, spacing: 0.5)
        let values = try psd.values(on: grid)
        #expect(values.count == grid.binCount)
        #expect(values[grid.firstBandBin - 1] == .infinity)
        #expect(abs(values[200] / pow(1e-21 * pow(10 / 100.0, 2), 2) - 1) < 1e-12)
        // A PSD file (second column already a PSD).
        let direct = try PowerSpectralDensity(text: "1 4\n2 1\n", isAmplitude: false)
        #expect(abs(try direct.value(at: 1.5) - 4 * pow(1.5, -2)) < 1e-12)
        // From a file on disk.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gw-asd-\(UUID()).txt")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try PowerSpectralDensity(contentsOfASDFile: url).name == url.lastPathComponent)
    }

    @Test func malformedSpectraGiveTypedErrors() throws {
        #expect(throws: GravitationalWaveError.malformedLine(line: 2, content: "20 abc")) {
            try PowerSpectralDensity(text: "10 1e-21\n20 abc\n")
        }
        #expect(throws: GravitationalWaveError.malformedLine(line: 1, content: "10")) {
            try PowerSpectralDensity(text: "10\n20 1e-22\n")
        }
        #expect(throws: GravitationalWaveError.nonPositiveValue(line: 3, value: 0)) {
            try PowerSpectralDensity(text: "10 1e-21\n20 1e-22\n30 0\n")
        }
        #expect(throws: GravitationalWaveError.nonPositiveValue(line: 1, value: -10)) {
            try PowerSpectralDensity(text: "-10 1e-21\n20 1e-22\n")
        }
        #expect(throws: GravitationalWaveError.unsortedFrequencies(line: 3, frequency: 15, previous: 20)) {
            try PowerSpectralDensity(text: "10 1e-21\n20 1e-22\n15 1e-22\n")
        }
        #expect(throws: GravitationalWaveError.unsortedFrequencies(line: 2, frequency: 10, previous: 10)) {
            try PowerSpectralDensity(text: "10 1e-21\n10 1e-22\n")
        }
        #expect(throws: GravitationalWaveError.tooFewPoints(1)) { try PowerSpectralDensity(text: "# only\n10 1e-21\n") }
        #expect(throws: GravitationalWaveError.self) {
            try PowerSpectralDensity(contentsOfASDFile: URL(fileURLWithPath: "/nonexistent/asd.txt"))
        }
        let psd = try PowerSpectralDensity(text: "10 1e-21\n100 1e-23\n")
        #expect(throws: GravitationalWaveError.frequencyOutsideTable(frequency: 200, lower: 10, upper: 100)) {
            try psd.value(at: 200)
        }
        let grid = try FrequencyGrid(minimumFrequency: 20, maximumFrequency: 512, spacing: 1)
        #expect(throws: GravitationalWaveError.self) { try NoiseSpectrum(psd: psd, grid: grid) }
        #expect(throws: GravitationalWaveError.self) { try NoiseSpectrum(grid: grid, values: [1, 2]) }
    }
}
