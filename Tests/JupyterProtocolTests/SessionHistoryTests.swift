import Foundation
import Testing

@testable import JupyterProtocol

@Suite struct SessionHistoryTests {
    func filled() -> SessionHistory {
        let history = SessionHistory()
        for (line, code) in ["let a = 1", "print(a)", "let b = 2", "print(a)", "a + b"].enumerated() {
            history.append(code, line: line + 1)
        }
        return history
    }

    func inputs(_ entries: [[Any]]) -> [String] { entries.map { $0[2] as? String ?? "?" } }

    @Test func tailReturnsTheLastCellsOldestFirst() {
        let entries = filled().entries(for: ["hist_access_type": "tail", "n": 2])
        #expect(inputs(entries) == ["print(a)", "a + b"])
        #expect(entries.map { $0[1] as? Int } == [4, 5])
        #expect(entries.allSatisfy { $0[0] as? Int == SessionHistory.session })
    }

    @Test func rangeIsHalfOpen() {
        let entries = filled().entries(for: ["hist_access_type": "range", "session": 1, "start": 2, "stop": 4])
        #expect(inputs(entries) == ["print(a)", "let b = 2"])
        let open = filled().entries(for: ["hist_access_type": "range", "start": 4])
        #expect(inputs(open) == ["print(a)", "a + b"])
    }

    @Test func searchMatchesGlobsWithUniqueAndN() {
        let history = filled()
        #expect(inputs(history.entries(for: ["hist_access_type": "search", "pattern": "let *"]))
            == ["let a = 1", "let b = 2"])
        #expect(inputs(history.entries(for: ["hist_access_type": "search", "pattern": "print(?)"]))
            == ["print(a)", "print(a)"])
        let unique = history.entries(for: ["hist_access_type": "search", "pattern": "print*", "unique": true])
        #expect(unique.map { $0[1] as? Int } == [4])
        #expect(history.entries(for: ["hist_access_type": "search", "pattern": "*", "n": 3]).count == 3)
    }

    @Test func outputRequestsPairInputWithNull() {
        let entries = filled().entries(for: ["hist_access_type": "tail", "n": 1, "output": true])
        let pair = entries[0][2] as? [Any]
        #expect(pair?.count == 2)
        #expect(pair?[0] as? String == "a + b")
        #expect(pair?[1] is NSNull)
    }
}
