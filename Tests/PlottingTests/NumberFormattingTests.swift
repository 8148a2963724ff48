import Testing

@testable import Plotting

@Suite struct NumberFormattingTests {
    @Test(
        arguments: [
            (1.25, 1, "1.3"), (-0.04, 1, "0"), (-0.06, 1, "-0.1"), (2.5, 2, "2.5"), (100.0, 1, "100"),
            (0.001234, 4, "0.0012"), (-12.3456, 3, "-12.346"), (.nan, 2, "0"),
        ] as [(Double, Int, String)])
    func fixedFormatting(value: Double, decimals: Int, expected: String) {
        #expect(NumberFormatting.fixed(value, decimals: decimals) == expected)
    }

    @Test func keepsTrailingZerosWhenAsked() {
        #expect(NumberFormatting.fixed(2, decimals: 2, trimmingZeros: false) == "2.00")
        #expect(NumberFormatting.fixed(0.001, decimals: 2, trimmingZeros: false) == "0.00")
        #expect(NumberFormatting.fixed(-1.5, decimals: 3, trimmingZeros: false) == "-1.500")
    }

    @Test(
        arguments: [
            (123456.0, 3, "1.23e5"), (0.000123, 2, "1.2e-4"), (9.996, 3, "10"), (1234.5, 4, "1235"),
            (0.5, 3, "0.5"), (-0.0025, 2, "-0.0025"), (0, 3, "0"),
        ] as [(Double, Int, String)])
    func significantDigits(value: Double, digits: Int, expected: String) {
        #expect(NumberFormatting.significant(value, digits: digits) == expected)
    }

    @Test func formattingRoundTripsWithinHalfAUnit() {
        var random = TestRandom(seed: 7)
        for _ in 0..<2000 {
            let value = (random.uniform() - 0.5) * 2000
            let text = NumberFormatting.fixed(value, decimals: 2)
            let parsed = Double(text)!
            #expect(abs(parsed - value) <= 0.005 + 1e-9)
        }
    }

    @Test func durations() {
        #expect(NumberFormatting.duration(42.4) == "42 s")
        #expect(NumberFormatting.duration(185) == "3 min 05 s")
        #expect(NumberFormatting.duration(3720) == "1 h 02 min")
    }
}
