import Foundation
import Synchronization

/// Says which θ the simulator was running when it brought the worker down.
///
/// A trap or memory fault in a user's simulator ends the worker process; nothing in-process can
/// catch it. While a simulation run is active and a session directory is set, a handler for
/// SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE and SIGABRT writes one line per in-flight simulation
/// to `$GNPE_SESSION_DIR/crash-context.txt`, e.g.
///
/// ```
/// the simulator trapped while simulating θ = (omega0 = 2.314, beta = 0.102, t0 = -0.5) (simulation 40,321 of 100,000, seed 1)
/// ```
///
/// then restores the previous action and lets the signal end the process as before (the kernel
/// still sees the same signal in the wait status, appends these lines to its crash message and
/// deletes the file).
///
/// A signal handler may only make async-signal-safe calls, so everything is prepared before the
/// run: the file's path, the parameter names and the run's suffix as C strings, an output buffer
/// and a fixed table of slots. A work item claims a slot once (an atomic compare-exchange) and
/// records, per simulation, its index and θ as raw doubles — no allocation and no lock per
/// simulation. The handler finds the slot of the faulting thread (`pthread_self`), formats the
/// numbers with the small formatter below (no `printf`, no allocation), `open`s, `write`s and
/// `close`s. This is written by hand because no Swift package offers an async-signal-safe
/// writer.
final class SimulationCrashReport {
    /// The number of slots: more than the number of simulations that can be in flight at once.
    static let slotCount = 256

    private let layout: UnsafeMutablePointer<CrashRunLayout>
    private var isActive = false

    /// Prepares a report for one run, or `nil` when no session directory is set.
    /// - Parameters:
    ///   - directory: The session directory.
    ///   - parameterNames: θ's names.
    ///   - count: The run's number of simulations.
    ///   - seed: The run's seed.
    init(directory: URL, parameterNames: [String], count: Int, seed: UInt64) {
        let p = parameterNames.count
        let pieces = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: max(p, 1))
        for (k, name) in parameterNames.enumerated() { pieces[k] = strdup((k > 0 ? ", " : "") + name + " = ") }
        let claims = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: Self.slotCount)
        for s in 0..<Self.slotCount { (claims + s).initialize(to: Atomic(0)) }
        let outputCapacity = 1024 + 64 * p + parameterNames.reduce(0) { $0 + $1.utf8.count }
        layout = .allocate(capacity: 1)
        layout.initialize(
            to: CrashRunLayout(
                path: strdup(directory.appendingPathComponent("crash-context.txt").path),
                names: pieces, parameterCount: p,
                suffix: strdup(" of \(Count.grouped(count)), seed \(seed))\n"),
                claims: claims,
                threads: .allocate(capacity: Self.slotCount),
                rows: .allocate(capacity: Self.slotCount),
                thetas: .allocate(capacity: Self.slotCount * max(p, 1)),
                output: .allocate(capacity: outputCapacity), outputCapacity: outputCapacity))
        layout.pointee.threads.initialize(repeating: 0, count: Self.slotCount)
        layout.pointee.rows.initialize(repeating: 0, count: Self.slotCount)
        layout.pointee.thetas.initialize(repeating: 0, count: Self.slotCount * max(p, 1))
    }

    deinit {
        deactivate()
        let l = layout.pointee
        free(l.path)
        free(l.suffix)
        for k in 0..<l.parameterCount { free(l.names[k]) }
        l.names.deallocate()
        l.claims.deinitialize(count: Self.slotCount)
        l.claims.deallocate()
        l.threads.deallocate()
        l.rows.deallocate()
        l.thetas.deallocate()
        l.output.deallocate()
        layout.deallocate()
    }

    /// Makes this the run the handler reports (installing the handler on first use).
    func activate() {
        SimulationCrashHandler.installOnce()
        activeRun.store(Int(bitPattern: UInt(bitPattern: layout)), ordering: .releasing)
        isActive = true
    }

    /// Stops reporting this run.
    func deactivate() {
        guard isActive else { return }
        _ = activeRun.compareExchange(
            expected: Int(bitPattern: UInt(bitPattern: layout)), desired: 0, ordering: .acquiringAndReleasing)
        isActive = false
    }

    /// Claims a free slot for the calling thread (once per work item).
    /// - Returns: The slot, or `nil` if all are taken (the item then runs unrecorded).
    @inline(__always)
    func claimSlot() -> CrashSlot? {
        let l = layout.pointee
        for s in 0..<Self.slotCount
        where l.claims[s].compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged {
            l.threads[s] = UInt(pthread_self())
            return CrashSlot(
                index: s, row: l.rows + s, theta: l.thetas + s * max(l.parameterCount, 1),
                parameterCount: l.parameterCount, claim: l.claims + s)
        }
        return nil
    }
}

/// One claimed slot: where a work item records the simulation in flight.
struct CrashSlot {
    let index: Int
    let row: UnsafeMutablePointer<Int>
    let theta: UnsafeMutablePointer<Double>
    let parameterCount: Int
    let claim: UnsafeMutablePointer<Atomic<Int>>

    /// Records simulation `row` (0-based) at θ `[parameterCount]`: a few stores, no allocation.
    @inline(__always)
    func record(row index: Int, theta values: UnsafeBufferPointer<Double>) {
        let n = min(parameterCount, values.count)
        for k in 0..<n { theta[k] = values[k] }
        row.pointee = index
    }

    /// Frees the slot at the end of the work item.
    @inline(__always)
    func release() {
        claim.pointee.store(0, ordering: .releasing)
    }
}

/// What the handler reads: plain pointers and integers only (reading them retains nothing).
struct CrashRunLayout {
    var path: UnsafeMutablePointer<CChar>?
    var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    var parameterCount: Int
    var suffix: UnsafeMutablePointer<CChar>?
    var claims: UnsafeMutablePointer<Atomic<Int>>
    var threads: UnsafeMutablePointer<UInt>
    var rows: UnsafeMutablePointer<Int>
    var thetas: UnsafeMutablePointer<Double>
    var output: UnsafeMutablePointer<UInt8>
    var outputCapacity: Int
}

/// The address of the active run's ``CrashRunLayout``, or 0.
private let activeRun = Atomic<Int>(0)

/// The signals a crashing simulator raises.
private let reportedSignals: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT]

/// The actions installed before ours, indexed by signal number (chained to after reporting).
private let previousActions: UnsafeMutablePointer<sigaction> = {
    let p = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
    p.initialize(repeating: sigaction(), count: 65)
    return p
}()

/// Installs the handler once per process.
enum SimulationCrashHandler {
    private static let installed: Bool = {
        _ = activeRun.load(ordering: .relaxed)  // initialise the globals before any signal
        _ = previousActions
        for sig in reportedSignals {
            var action = sigaction()
            action.__sigaction_handler.sa_sigaction = simulationCrashHandler
            action.sa_flags = SA_SIGINFO | SA_ONSTACK
            sigemptyset(&action.sa_mask)
            sigaction(sig, &action, previousActions + Int(sig))
        }
        return true
    }()

    /// Installs the handler (the first call does it; later calls do nothing).
    static func installOnce() { _ = installed }
}

/// The handler: reports the active run if any, restores the previous action, and lets the
/// signal end the process (re-raised if it was sent, re-triggered by the faulting instruction
/// otherwise). Async-signal-safe: no allocation, no locks, only `open`/`write`/`close`/
/// `sigaction`/`raise`/`pthread_self`.
private func simulationCrashHandler(
    _ sig: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?
) {
    let address = activeRun.load(ordering: .acquiring)
    if address != 0, let run = UnsafeMutablePointer<CrashRunLayout>(bitPattern: address) {
        writeCrashContext(run.pointee, signal: sig)
    }
    let previous = previousActions + Int(sig)
    // SIG_IGN (1) would let a faulting instruction run again forever: fall back to the default.
    if previous.pointee.sa_flags & SA_SIGINFO == 0,
        unsafeBitCast(previous.pointee.__sigaction_handler, to: Int.self) == 1
    {
        var fallback = sigaction()
        fallback.__sigaction_handler.sa_handler = SIG_DFL
        sigaction(sig, &fallback, nil)
    } else {
        sigaction(sig, previous, nil)
    }
    if info == nil || (info?.pointee.si_code ?? 0) <= 0 { raise(sig) }
}

private func writeCrashContext(_ run: CrashRunLayout, signal sig: Int32) {
    guard let path = run.path else { return }
    var out = SignalSafeBuffer(base: run.output, capacity: run.outputCapacity)
    let me = UInt(pthread_self())
    var own = -1
    for s in 0..<SimulationCrashReport.slotCount
    where run.claims[s].load(ordering: .relaxed) == 1 && run.threads[s] == me {
        own = s
        break
    }
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return }
    for s in 0..<SimulationCrashReport.slotCount {
        guard own < 0 ? run.claims[s].load(ordering: .relaxed) == 1 : s == own else { continue }
        out.reset()
        switch sig {
        case SIGILL, SIGTRAP: out.append("the simulator trapped")
        case SIGSEGV, SIGBUS: out.append("the simulator crashed with a memory fault")
        case SIGFPE: out.append("the simulator crashed with an arithmetic fault")
        default: out.append("the simulator aborted")
        }
        if own < 0 { out.append(" (on another thread)") }
        out.append(" while simulating θ = (")
        for k in 0..<run.parameterCount {
            out.append(cString: run.names[k])
            out.append(number: run.thetas[s * max(run.parameterCount, 1) + k])
        }
        out.append(") (simulation ")
        out.append(grouped: run.rows[s] + 1)
        out.append(cString: run.suffix)
        _ = write(fd, out.base, out.count)
    }
    close(fd)
}

/// A fixed buffer filled without allocation (for the signal handler).
struct SignalSafeBuffer {
    let base: UnsafeMutablePointer<UInt8>
    let capacity: Int
    private(set) var count = 0

    init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    mutating func reset() { count = 0 }

    mutating func append(byte: UInt8) {
        guard count < capacity else { return }
        base[count] = byte
        count += 1
    }

    mutating func append(_ text: StaticString) {
        let p = text.utf8Start
        for i in 0..<text.utf8CodeUnitCount { append(byte: p[i]) }
    }

    mutating func append(cString: UnsafeMutablePointer<CChar>?) {
        guard let cString else { return }
        var i = 0
        while cString[i] != 0 {
            append(byte: UInt8(bitPattern: cString[i]))
            i += 1
        }
    }

    /// A non-negative integer with thousands separators (`40,321`).
    mutating func append(grouped n: Int) {
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var v = n.magnitude
        var length = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[length] = UInt8(v % 10) + 48
                v /= 10
                length += 1
            } while v > 0 && length < d.count
            if n < 0 { append(byte: 45) }
            for i in stride(from: length - 1, through: 0, by: -1) {
                append(byte: d[i])
                if i > 0, i % 3 == 0 { append(byte: 44) }
            }
        }
    }

    /// A double to 6 significant digits as `%.6g` writes it (`2.314`, `-0.5`, `1.5e-07`,
    /// `nan`), by arithmetic only.
    mutating func append(number value: Double) {
        if value.isNaN {
            append("nan")
            return
        }
        if value.isInfinite {
            append(value > 0 ? "inf" : "-inf")
            return
        }
        var x = value
        if x < 0 {
            append(byte: 45)
            x = -x
        }
        if x == 0 {
            append(byte: 48)
            return
        }
        var exponent = 0
        while x >= 10 {
            x /= 10
            exponent += 1
        }
        while x < 1 {
            x *= 10
            exponent -= 1
        }
        var mantissa = Int((x * 100_000).rounded())  // 6 digits: 100000 ... 1000000
        if mantissa >= 1_000_000 {
            mantissa /= 10
            exponent += 1
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { d in
            var m = mantissa
            for i in stride(from: 5, through: 0, by: -1) {
                d[i] = UInt8(m % 10)
                m /= 10
            }
            var last = 5
            while last > 0 && d[last] == 0 { last -= 1 }
            if exponent >= -4 && exponent < 6 {  // as printf's %.6g
                if exponent < 0 {
                    append(byte: 48)
                    append(byte: 46)
                    for _ in 0..<(-exponent - 1) { append(byte: 48) }
                    for i in 0...last { append(byte: d[i] + 48) }
                } else {
                    for i in 0...exponent { append(byte: i < 6 ? d[i] + 48 : 48) }
                    if last > exponent {
                        append(byte: 46)
                        for i in (exponent + 1)...last { append(byte: d[i] + 48) }
                    }
                }
            } else {
                append(byte: d[0] + 48)
                if last > 0 {
                    append(byte: 46)
                    for i in 1...last { append(byte: d[i] + 48) }
                }
                append(byte: 101)
                append(byte: exponent < 0 ? 45 : 43)
                let e = exponent.magnitude
                if e < 10 { append(byte: 48) }
                append(grouped: Int(e))
            }
        }
    }
}
