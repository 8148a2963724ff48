import Testing

@testable import Plotting

@Suite struct TickTests {
    static let ranges: [ClosedRange<Double>] = [
        0...1, -3.2...7.9, 0.013...0.0171, 410...2600, -1e-5...3e-5, 1.0e6...7.5e6, 36...36.4,
        -0.047...0.051, 0...6.283,
    ]

    @Test(arguments: ranges)
    func ticksAreNiceInsideAndEvenlySpaced(range: ClosedRange<Double>) {
        let ticks = Ticks.linear(in: range, targetCount: 5)
        #expect(ticks.values.count >= 3 && ticks.values.count <= 11, "\(ticks.values) for \(range)")
        // The step is 1, 2 or 5 times a power of ten.
        let exponent = (log10(ticks.step)).rounded(.down)
        let mantissa = ticks.step / pow(10, exponent)
        #expect([1.0, 2.0, 5.0, 10.0].contains { abs($0 - mantissa) < 1e-9 }, "step \(ticks.step)")
        for value in ticks.values {
            #expect(value >= range.lowerBound - 1e-12 && value <= range.upperBound + 1e-12)
            let multiple = value / ticks.step
            #expect(abs(multiple - multiple.rounded()) < 1e-6)
        }
        for (a, b) in zip(ticks.values, ticks.values.dropFirst()) {
            #expect(abs((b - a) - ticks.step) < ticks.step * 1e-9)
        }
        // Labels are distinct and parse back to their values.
        #expect(Set(ticks.labels).count == ticks.labels.count, "\(ticks.labels)")
        for (value, label) in zip(ticks.values, ticks.labels) {
            let parsed = Double(label)!
            #expect(abs(parsed - value) <= ticks.step * 1e-6 + 1e-300, "\(label) for \(value)")
        }
    }

    @Test func scientificNotationForLargeAndTinyValues() {
        let large = Ticks.linear(in: 1.0e6...7.5e6)
        #expect(large.labels.allSatisfy { $0.contains("e") }, "\(large.labels)")
        let tiny = Ticks.linear(in: -1e-5...3e-5)
        #expect(tiny.labels.filter { $0 != "0" }.allSatisfy { $0.contains("e-") }, "\(tiny.labels)")
        let plain = Ticks.linear(in: 410...2600)
        #expect(plain.labels.allSatisfy { !$0.contains("e") && !$0.contains(".") }, "\(plain.labels)")
    }

    @Test func integerTicksForEpochs() {
        let few = Ticks.integers(in: 1...3)
        #expect(few.values == [1, 2, 3] && few.labels == ["1", "2", "3"])
        let many = Ticks.integers(in: 1...200)
        #expect(many.values.allSatisfy { $0 == $0.rounded() } && many.step >= 1)
    }

    @Test func niceNumbers() {
        #expect(Ticks.niceNumber(0.37, rounding: true) == 0.5)
        #expect(Ticks.niceNumber(0.37, rounding: false) == 0.5)
        #expect(Ticks.niceNumber(1.2, rounding: true) == 1)
        #expect(Ticks.niceNumber(1.2, rounding: false) == 2)
        #expect(abs(Ticks.niceNumber(2.9e-4, rounding: true) - 2e-4) < 1e-18)
        #expect(Ticks.niceNumber(7.1e5, rounding: true) == 1e6)
    }

    @Test func logarithmicTicksArePowersOfTen() {
        let ticks = Ticks.logarithmic(in: 0.003...250)
        let expected = [0.01, 0.1, 1, 10, 100]
        #expect(ticks.values.count == expected.count)
        for (value, target) in zip(ticks.values, expected) { #expect(abs(value / target - 1) < 1e-12) }
        for value in ticks.values {
            let exponent = log10(value)
            #expect(abs(exponent - exponent.rounded()) < 1e-9)
        }
        #expect(ticks.labels.contains("1") && ticks.labels.contains("0.01"), "\(ticks.labels)")
    }
}

#if canImport(Glibc)
    import Glibc
#endif
