// The contract between the kernel process (gnpe-kernel, which speaks the Jupyter protocol) and
// the part that compiles cells and runs them in a supervised worker process.
// The kernel depends only on this protocol, so it can be tested with a fake engine.

/// Where the output of a running cell goes. Called from any thread, in the order produced.
public protocol ExecutionSink: AnyObject, Sendable {
    /// Text the cell wrote to standard output (streamed while the cell runs).
    func standardOutput(_ text: String)
    /// Text the cell wrote to standard error.
    func standardError(_ text: String)
    /// One rich-output message from the cell's display channel (see `GNPE.DisplayChannel`):
    /// keys `type`, `data`, `metadata`, optional `transient`, or `wait` for `clear_output`.
    func richOutput(_ message: [String: any Sendable])
    /// The cell called `readLine()`: ask the front end (`input_request`) and return its answer,
    /// or nil when the front end does not allow stdin.
    func requestInput(prompt: String, password: Bool) -> String?
}

/// How a cell's execution ended.
public enum ExecutionOutcome: Sendable, Equatable {
    /// The cell ran to completion.
    case ok
    /// The cell did not run: it did not compile, or threw, or crashed, or was interrupted.
    /// `name`/`value`/`traceback` map to Jupyter's `ename`/`evalue`/`traceback`; the traceback
    /// lines are what the user sees (compiler-style `line:column: error: …` with a caret under
    /// the cell's own source for compile errors).
    case error(name: String, value: String, traceback: [String])
}

/// The result of a completion request, positions in Unicode scalars of the cell text.
public struct CompletionResult: Sendable, Equatable {
    /// Candidate texts that replace `cursorStart..<cursorEnd`.
    public var matches: [String]
    /// Start of the replaced range (Unicode scalars).
    public var cursorStart: Int
    /// End of the replaced range (Unicode scalars).
    public var cursorEnd: Int
    /// Creates a completion result.
    public init(matches: [String], cursorStart: Int, cursorEnd: Int) {
        self.matches = matches
        self.cursorStart = cursorStart
        self.cursorEnd = cursorEnd
    }
}

/// Whether a cell's text is ready to run (the answer to `is_complete_request`).
public enum CompletenessStatus: String, Sendable {
    case complete, incomplete, invalid, unknown
}

/// Compiles and runs cells, keeping their state between executions.
public protocol ExecutionEngine: AnyObject, Sendable {
    /// Compiles `code` as cell number `executionCount` and runs it in the worker, streaming
    /// output to `sink`. Blocks until the cell has finished and all its output was delivered.
    func execute(code: String, executionCount: Int, sink: ExecutionSink) -> ExecutionOutcome
    /// Interrupts the running cell (SIGINT to the worker; restart after a grace period if the
    /// cell does not stop). Safe to call from another thread while `execute` runs.
    func interrupt()
    /// Restarts the worker and forgets all cells (the front end's "restart kernel").
    func restart()
    /// Stops the worker for good.
    func shutdown()
    /// Completions at `cursor` (Unicode scalars) in `code`.
    func complete(code: String, cursor: Int) -> CompletionResult
    /// The declaration and documentation of the symbol at `cursor`, as plain text, or nil.
    func inspect(code: String, cursor: Int, detailLevel: Int) -> String?
    /// Whether `code` is complete (lexical, fast), and the indent to continue with if not.
    func isComplete(code: String) -> (status: CompletenessStatus, indent: String)
}
