import Testing
import Foundation
@testable import TensorCore

@Suite struct MemoryBudgetTests {
    @Test(arguments: [
        ([1 << 40, 2, 4], (1 << 40) * 8),
        ([0, 1 << 62, 1 << 62], 0),
        ([Int.max, 2], Int.max),
        ([1 << 32, 1 << 32], Int.max),
        ([-5, 8], 0),
        ([3, 5, 4], 60),
    ])
    func byteEstimatesSaturateInsteadOfOverflowing(factors: [Int], expected: Int) {
        #expect(MemoryBudget.bytes(factors) == expected)
    }

    @Test func aRequestOverTheBudgetIsRefusedWithBothFigures() throws {
        let budget = MemoryBudget(availableBytes: 1 << 30)
        try budget.check(bytes: 1 << 30, for: "exactly the budget")
        let request = MemoryBudget.bytes(1 << 40, 2, 4)
        let error = #expect(throws: InsufficientMemoryError.self) {
            try budget.check(bytes: request, for: "sample(count: 1099511627776)")
        }
        #expect(error?.requestedBytes == request)
        #expect(error?.availableBytes == 1 << 30)
        let message = error?.description ?? ""
        #expect(message.contains("sample(count: 1099511627776)"))
        #expect(message.contains("8.0 TiB (8796093022208 bytes)"))
        #expect(message.contains("1.0 GiB"))
    }

    @Test func theSystemBudgetIsPositiveAndBelowTheMachinesMemory() {
        let budget = MemoryBudget.current()
        #expect(budget.availableBytes > 0)
        // No machine this runs on has an exbibyte; `Int.max` would mean nothing was read on Linux.
        #expect(budget.availableBytes < 1 << 60)
        #expect(!budget.admits(bytes: MemoryBudget.bytes(1 << 40, 2, 4)))
    }

    @Test(arguments: [
        ("MemTotal:       24684084 kB\nMemAvailable:   21300092 kB\n", 21_300_092 * 1024),
        ("MemTotal: 1 kB\n", nil),
        ("MemAvailable: lots\n", nil),
    ] as [(String, Int?)])
    func memAvailableIsParsedInBytes(text: String, expected: Int?) {
        #expect(MemoryBudget.parseMemAvailable(text) == expected)
    }

    @Test func formattingNamesTheUnit() {
        #expect(InsufficientMemoryError.format(bytes: 512) == "512 bytes")
        #expect(InsufficientMemoryError.format(bytes: 1536) == "1.5 KiB (1536 bytes)")
        #expect(InsufficientMemoryError.format(bytes: Int.max) == "more than 8.0 EiB")
    }
}

@Suite struct InterruptionSourceTests {
    @Test func aLocalSourceInterruptsOnlyItsOwnTask() throws {
        let source = InterruptionSource()
        try Interruption.withLocalSource(source) {
            try Interruption.checkpoint("before")
            source.request()
            #expect(throws: InterruptedError.self) { try Interruption.checkpoint("after the request") }
            try Interruption.checkpoint("the request is consumed")
        }
        source.request()
        try Interruption.checkpoint("outside the scope")
    }

    @Test func aCountdownSourceFiresAtTheGivenCheckpoint() throws {
        let source = InterruptionSource(afterCheckpoints: 3)
        var passed = 0
        let error = #expect(throws: InterruptedError.self) {
            try Interruption.withLocalSource(source) {
                for i in 0..<10 {
                    try Interruption.checkpoint("lap \(i)")
                    passed += 1
                }
            }
        }
        #expect(passed == 3)
        #expect(error?.location == "lap 3")
    }
}

@Suite struct FastMathEdgeTests {
    /// NaN used to reach `Int32(_:)` inside `FastMath.exp` and trap (a NaN observation given to
    /// an NPE posterior crashed the notebook worker this way).
    @Test(arguments: [Float.nan, .infinity, -.infinity, 1e30, -1e30, 0, 1])
    func expNeverTraps(x: Float) {
        let y = FastMath.exp(x)
        if x.isNaN {
            #expect(y.isNaN)
        } else {
            #expect(y.isFinite && y >= 0)
            if abs(x) <= 1 { #expect(abs(y - Float(Foundation.exp(Double(x)))) < 1e-6) }
        }
        #expect(!FastMath.tanh(x).isInfinite)
    }
}
