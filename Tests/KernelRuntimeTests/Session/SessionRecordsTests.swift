import Foundation
import Testing

@testable import KernelRuntime

/// Reading what the library leaves in the session directory, from files written here.
struct SessionRecordsTests {
    func makeDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "gnpe-records-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path + "/kept", withIntermediateDirectories: true)
        return path
    }

    func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func keptItemsOldestFirstAndMalformedSidecarsSkippedWithANote() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write("""
            {"kind": "estimator", "summary": "NPE on 10000 simulations", "restore": "let npe = try NPEEstimator.load(\\"/s/kept/b\\")", "path": "/s/kept/b", "createdAt": "2026-11-27T12:00:05Z"}
            """, to: directory + "/kept/b.json")
        try write("""
            {"kind": "simulations", "summary": "10000 simulations", "restore": "let sims = try SimulationSet.load(\\"/s/kept/a\\")", "path": "/s/kept/a", "createdAt": "2026-11-27T12:00:01.250Z"}
            """, to: directory + "/kept/a.json")
        try write("{\"kind\": \"estimator\", \"summary\": ", to: directory + "/kept/c.json")
        try write("[1, 2]", to: directory + "/kept/d.json")
        try write("""
            {"kind": "estimator", "summary": "s", "restore": "let a = 1\\nlet b = 2", "path": "p", "createdAt": "2026-11-27T12:00:00Z"}
            """, to: directory + "/kept/e.json")
        try write("""
            {"kind": "model", "summary": "s", "restore": "x", "path": "p", "createdAt": "2026-11-27T12:00:00Z"}
            """, to: directory + "/kept/f.json")
        try write("""
            {"kind": "estimator", "summary": "s", "restore": "x", "path": "p", "createdAt": "yesterday"}
            """, to: directory + "/kept/g.json")
        try write("not a sidecar", to: directory + "/kept/notes.txt")

        let kept = SessionRecords(directory: directory).keptItems()
        #expect(kept.items.map(\.summary) == ["10000 simulations", "NPE on 10000 simulations"])
        #expect(kept.items.first?.kind == "simulations")
        #expect(kept.items.first?.restore == "let sims = try SimulationSet.load(\"/s/kept/a\")")
        #expect(kept.notes == [
            "(skipped kept/c.json: not JSON)",
            "(skipped kept/d.json: not a JSON object)",
            "(skipped kept/e.json: \"restore\" is not one line of Swift)",
            "(skipped kept/f.json: unknown kind \"model\")",
            "(skipped kept/g.json: \"createdAt\" is not an ISO 8601 date: yesterday)",
        ])
    }

    @Test func crashReportShowsTheContextOnceThenTheKeptItems() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write("simulating batch 3 of 10\n\nθ = [1.0, 2.0]\n", to: directory + "/crash-context.txt")
        try write("""
            {"kind": "simulations", "summary": "5000 simulations", "restore": "let s = try load()", "path": "/p", "createdAt": "2026-11-27T12:00:00Z"}
            """, to: directory + "/kept/x.json")
        let records = SessionRecords(directory: directory)
        #expect(records.crashReport() == [
            "While it crashed:",
            "    simulating batch 3 of 10",
            "    θ = [1.0, 2.0]",
            "Kept from this session (restore with one line each):",
            "  5000 simulations",
            "    let s = try load()",
            SessionRecords.restartNoteWithKeptItems,
        ])
        // The context belongs to one crash: it is deleted once shown.
        #expect(!FileManager.default.fileExists(atPath: directory + "/crash-context.txt"))
        try FileManager.default.removeItem(atPath: directory + "/kept/x.json")
        #expect(records.crashReport() == [SessionRecords.restartNote])
    }

    @Test func nothingWrittenGivesTheRestartNoteAlone() {
        let records = SessionRecords(directory: "/nonexistent/gnpe-session")
        #expect(records.crashReport() == [SessionRecords.restartNote])
    }
}
