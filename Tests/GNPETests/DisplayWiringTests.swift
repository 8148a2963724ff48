import Foundation
import Testing
import GNPE

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Plots and progress displays reach the notebook as MIME bundles with an SVG and a text
/// fallback, and `display(_:)` / `updateDisplay(_:id:)` / progress displays write the JSON lines
/// the kernel's worker relays (the `GNPE_DISPLAY_FD` channel, see ``DisplayChannel``).
@Suite struct DisplayWiringTests {
    // MARK: MIME bundles

    @Test func cornerPlotBundleCarriesParsableSVGAndItsDescription() throws {
        var rng = RandomSource(seed: 7)
        let samples = (0 ..< 400).map { _ in [rng.nextNormal(), 2 + 0.5 * rng.nextNormal()] }
        let plot = try CornerPlot(
            sets: [.init("posterior", samples: samples)],
            parameters: [.init("a", truth: 0), .init("b", unit: "s", truth: 2)])
        let bundle = GNPE.mimeBundle(of: plot)
        let svg = try #require(bundle["image/svg+xml"])
        try expectSelfContainedSVG(svg)
        #expect(bundle["text/plain"] == plot.textDescription)
        #expect(plot.textDescription.contains("b"))
    }

    @Test func dataPlotBundleCarriesParsableSVGAndItsDescription() throws {
        let x = (0 ..< 50).map { Double($0) / 10 }
        let observed = x.map { sin($0) }
        let plot = try DataPlot(
            channels: [.init("H1", observed: observed, median: observed,
                             bands: [.init(level: 0.9, lower: observed.map { $0 - 0.2 }, upper: observed.map { $0 + 0.2 })])],
            x: x, xLabel: "time [s]")
        let bundle = GNPE.mimeBundle(of: plot)
        try expectSelfContainedSVG(try #require(bundle["image/svg+xml"]))
        let text = try #require(bundle["text/plain"])
        #expect(text == plot.textDescription)
        // All 50 points lie inside the ±0.2 band around themselves.
        #expect(text.contains("100"))
    }

    /// A restored estimator's display shows its whole run at once, finished, with a note.
    @Test func aRestoredRunIsShownFinishedWithItsHistory() throws {
        let recorder = BundleRecorder()
        let progress = TrainingProgressDisplay(
            title: "NPE", totalEpochs: 40, output: .custom { bundle, isUpdate in recorder.append(bundle, isUpdate) },
            clock: ManualClock().read)
        progress.show()
        progress.showFinishedRun(trainingLoss: [3, 2, 1.5], validationLoss: [3.2, 2.4, 1.9], note: "restored, not retrained")
        progress.finish()  // already finished: shows nothing more
        let shown = recorder.entries
        #expect(shown.map(\.isUpdate) == [false, true])
        let text = shown.last?.bundle["text/plain"] ?? ""
        #expect(text.contains("NPE · restored, not retrained") && text.contains("epoch 3/40") && text.contains("val 1.9"))
        #expect(progress.snapshot.isFinished && progress.snapshot.trainingLoss == [3, 2, 1.5])
        try expectSelfContainedSVG(try #require(shown.last?.bundle["image/svg+xml"]))
    }

    @Test func trainingProgressShowsOnceThenUpdatesInPlaceWithSVGAndText() throws {
        let recorder = BundleRecorder()
        let clock = ManualClock()
        let progress = TrainingProgressDisplay(
            title: "NPE", totalEpochs: 4, minimumInterval: 0.25,
            output: .custom { bundle, isUpdate in recorder.append(bundle, isUpdate) }, clock: clock.read)
        clock.advance(1)
        progress.update(epoch: 1, trainingLoss: 3.0, validationLoss: 3.2)
        clock.advance(0.1)  // within the throttle interval: not shown
        progress.update(epoch: 2, trainingLoss: 2.0, validationLoss: 2.4)
        clock.advance(1)
        progress.update(epoch: 3, trainingLoss: 1.5, validationLoss: 1.9)
        progress.update(epoch: 4, trainingLoss: 1.2, validationLoss: 1.7)  // the last epoch always shows
        progress.finish()

        let shown = recorder.entries
        // Shown: epoch 1 (the first), epoch 3, epoch 4 (the last) and the finished state; epoch 2
        // came 0.1 s after epoch 1 and was held back.
        #expect(shown.map(\.isUpdate) == [false, true, true, true])
        let texts = shown.map { $0.bundle["text/plain"] ?? "" }
        #expect(texts.map { $0.contains("epoch 1/4") } == [true, false, false, false])
        #expect(texts.map { $0.contains("epoch 3/4") } == [false, true, false, false])
        #expect(!texts.contains { $0.contains("epoch 2/4") })
        for entry in shown {
            try expectSelfContainedSVG(try #require(entry.bundle["image/svg+xml"]))
            #expect(entry.bundle["text/plain"]?.isEmpty == false)
        }
        #expect(progress.snapshot.trainingLoss == [3.0, 2.0, 1.5, 1.2])
        #expect(progress.snapshot.isFinished)
        #expect(shown.last?.bundle["text/plain"] == progress.snapshot.textDescription)
    }

    // MARK: The display channel (run in a child process: the channel is read once per process)

    @Test func displayAndUpdateWriteJSONLinesThroughTheChannel() async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            runChecks {
                let lines = try captureDisplayChannel {
                    display(Banner(text: "first"), id: "banner")
                    updateDisplay(Banner(text: "second"), id: "banner")
                    display(41 + 1)
                    GNPE._emitExecuteResult(Banner(text: "result"))
                    GNPE._emitExecuteResult(())
                    clearOutput(wait: true)
                }
                try check(lines.count == 5, "expected 5 lines (Void shows nothing), got \(lines.count): \(lines)")
                try check(lines[0]["type"] as? String == "display_data", "first line: \(lines[0])")
                try check(lines[0]["data"] as? [String: String] == ["text/html": "<b>first</b>", "text/plain": "Banner(text: \"first\")"],
                          "display bundle: \(lines[0])")
                try check((lines[0]["transient"] as? [String: String])?["display_id"] == "banner", "display id: \(lines[0])")
                try check(lines[1]["type"] as? String == "update_display_data", "second line: \(lines[1])")
                try check((lines[1]["data"] as? [String: String])?["text/html"] == "<b>second</b>", "update bundle: \(lines[1])")
                try check((lines[1]["transient"] as? [String: String])?["display_id"] == "banner", "update id: \(lines[1])")
                try check(lines[2]["type"] as? String == "display_data" && lines[2]["transient"] == nil
                          && lines[2]["data"] as? [String: String] == ["text/plain": "42"], "plain display: \(lines[2])")
                try check(lines[3]["type"] as? String == "execute_result"
                          && (lines[3]["data"] as? [String: String])?["text/html"] == "<b>result</b>", "result: \(lines[3])")
                try check(lines[4]["type"] as? String == "clear_output" && lines[4]["wait"] as? Bool == true,
                          "clear output: \(lines[4])")
            }
        }
        expectNoFailedChecks(result)
    }

    @Test func plotDisplayAndNotebookProgressWriteSVGBundlesThroughTheChannel() async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            runChecks {
                var progressID = ""
                let lines = try captureDisplayChannel {
                    let plot = try DataPlot(channels: [.init("x", observed: [0, 1, 0, -1, 0])])
                    display(plot)
                    let progress = TrainingProgressDisplay(title: "NPE", totalEpochs: 2, output: .notebook)
                    progressID = progress.displayID
                    progress.update(epoch: 1, trainingLoss: 2.0)
                    progress.update(epoch: 2, trainingLoss: 1.0)
                    progress.finish()
                }
                // The plot; the first epoch (shown at once); the last epoch; the finished state.
                try check(lines.count == 4, "expected 4 lines, got \(lines.count)")
                try check(lines.map { $0["type"] as? String } == ["display_data", "display_data", "update_display_data", "update_display_data"],
                          "types: \(lines.map { $0["type"] ?? "?" })")
                for (index, line) in lines.enumerated() {
                    let data = line["data"] as? [String: String] ?? [:]
                    try check(data["image/svg+xml"]?.contains("<svg") == true, "line \(index) has no SVG")
                    try check(data["text/plain"]?.isEmpty == false, "line \(index) has no text/plain")
                }
                try check(lines[0]["transient"] == nil, "a plain display has no display id")
                for line in lines.dropFirst() {
                    try check((line["transient"] as? [String: String])?["display_id"] == progressID,
                              "progress lines share the display id \(progressID): \(line["transient"] ?? "none")")
                }
            }
        }
        expectNoFailedChecks(result)
    }
}

// MARK: - Helpers

private struct Banner: RichDisplayable {
    var text: String
    var mimeBundle: [String: String] { ["text/html": "<b>\(text)</b>"] }
}

private struct CheckFailure: Error, CustomStringConvertible {
    var description: String
}

/// Runs an exit test's checks; a failed check writes its message to standard error, which the
/// parent reads with ``expectNoFailedChecks(_:sourceLocation:)``. (The child still exits
/// normally: `#expect(processExitsWith:)` returns no output when the status differs, and the
/// message would be lost. A crash in the child still fails the status expectation.)
private func runChecks(_ body: () throws -> Void) {
    do {
        try body()
    } catch {
        FileHandle.standardError.write(Data("check failed: \(error)\n".utf8))
    }
}

/// Reports the messages of the checks that failed in an exit test's child.
private func expectNoFailedChecks(_ result: ExitTest.Result?, sourceLocation: SourceLocation = #_sourceLocation) {
    let errors = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(!errors.contains("check failed"), "\(errors)", sourceLocation: sourceLocation)
}

/// Throws (ending an exit test's child with a failure status) when `condition` is false.
private func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition {
        throw CheckFailure(description: message())
    }
}

/// Points the display channel at a temporary file (as the worker points it at its pipe), runs
/// `body`, and returns the JSON objects written, one per line. Call it once per process, before
/// anything else touches the channel.
private func captureDisplayChannel(_ body: () throws -> Void) throws -> [[String: Any]] {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("gnpe-display-\(getpid())-\(UUID().uuidString).jsonl").path
    let fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
    try check(fd >= 0, "cannot create \(path)")
    defer { unlink(path) }
    setenv("GNPE_DISPLAY_FD", String(fd), 1)
    try check(DisplayChannel.isConnected, "the channel did not pick up GNPE_DISPLAY_FD")
    try body()
    close(fd)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    try check(text.hasSuffix("\n"), "every message ends with a newline")
    return try text.split(separator: "\n").map { line in
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        guard let dictionary = object as? [String: Any] else {
            throw CheckFailure(description: "not a JSON object: \(line)")
        }
        return dictionary
    }
}

/// Checks that `svg` is one well-formed XML document with an `<svg>` root, no scripts and no
/// external references (JupyterLab draws SVG inside an `<img>`, where neither would work).
private func expectSelfContainedSVG(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = ElementCollector()
    parser.delegate = collector
    #expect(parser.parse(), "SVG is not well-formed XML: \(String(describing: parser.parserError))", sourceLocation: sourceLocation)
    #expect(collector.elements.first == "svg", sourceLocation: sourceLocation)
    #expect(!collector.elements.contains("script"), sourceLocation: sourceLocation)
    #expect(!collector.elements.contains("foreignObject"), sourceLocation: sourceLocation)
    for (name, value) in collector.references {
        #expect(value.hasPrefix("#") || value.hasPrefix("data:"), "external \(name)=\(value)", sourceLocation: sourceLocation)
    }
}

private final class ElementCollector: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var references: [(String, String)] = []

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elements.append(elementName)
        for (name, value) in attributeDict where name == "href" || name.hasSuffix(":href") || name == "src" {
            references.append((name, value))
        }
    }
}

/// Collects what a `.custom` progress output receives.
private final class BundleRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [(bundle: [String: String], isUpdate: Bool)] = []

    func append(_ bundle: [String: String], _ isUpdate: Bool) {
        lock.lock()
        defer { lock.unlock() }
        stored.append((bundle, isUpdate))
    }

    var entries: [(bundle: [String: String], isUpdate: Bool)] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

/// A clock the test advances by hand.
private final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now = 100.0

    func advance(_ seconds: Double) {
        lock.lock()
        defer { lock.unlock() }
        now += seconds
    }

    var read: @Sendable () -> Double { { [self] in lock.lock(); defer { lock.unlock() }; return now } }
}
