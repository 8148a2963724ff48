import Testing
import TensorCore

@Suite struct RandomSourceTests {
    @Test func sameSeedSameStream() {
        var a = RandomSource(seed: 7)
        var b = RandomSource(seed: 7)
        #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
    }

    @Test func streamsDependOnlyOnSeedAndIndex() {
        var base = RandomSource(seed: 7)
        let before = base.stream(3)
        _ = base.next()
        var s1 = before
        var s2 = base.stream(3)
        #expect(s1.next() == s2.next())
        var s4 = base.stream(4)
        var s3 = base.stream(3)
        #expect(s3.next() != s4.next())
    }

    @Test func normalMomentsAreStandard() {
        var rng = RandomSource(seed: 1)
        let n = 200_000
        let xs = (0..<n).map { _ in rng.nextNormal() }
        let mean = xs.reduce(0, +) / Double(n)
        let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)
        #expect(abs(mean) < 0.01)
        #expect(abs(variance - 1) < 0.02)
    }
}
