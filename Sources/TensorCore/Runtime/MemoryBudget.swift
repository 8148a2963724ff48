#if canImport(Glibc)
    import Glibc
#endif

/// The memory a request may use, checked *before* anything is allocated.
///
/// A notebook worker that asks for more memory than the machine has is killed by the kernel's
/// out-of-memory killer (or traps in the allocator), and every value of the session is lost. Entry
/// points that allocate in proportion to a user-supplied count (samples, simulations, training
/// data) estimate the bytes first and call ``check(bytes:for:)``, which throws
/// ``InsufficientMemoryError`` naming the figure instead.
///
/// ```swift
/// let bytes = MemoryBudget.bytes(count, dimension, MemoryLayout<Float>.size)  // overflow-safe
/// try MemoryBudget.current().check(bytes: bytes, for: "sample(count: \(count))")
/// ```
///
/// The available figure is the smaller of `MemAvailable` in `/proc/meminfo` and the room left
/// under the process's cgroup memory limit (v2 `memory.max` − `memory.current`, or v1
/// `memory.limit_in_bytes` − `memory.usage_in_bytes`), when there is one. Where neither can be
/// read (not Linux), nothing is refused.
public struct MemoryBudget: Sendable, Equatable {
    /// The bytes a single request may allocate.
    public var availableBytes: Int

    /// A budget of `availableBytes` (for tests, or to cap a notebook's requests by hand).
    /// - Parameter availableBytes: The largest request accepted; negative values count as 0.
    public init(availableBytes: Int) {
        self.availableBytes = max(0, availableBytes)
    }

    /// The memory available to this process now (see the type's discussion for the sources).
    ///
    /// - Returns: A budget of the available bytes, or of `Int.max` where nothing can be read.
    /// - Complexity: Reads two or three small files under `/proc` and `/sys`; call it once per
    ///   request, not in a loop.
    public static func current() -> MemoryBudget {
        MemoryBudget(availableBytes: availableSystemBytes() ?? Int.max)
    }

    /// The product of `factors` in bytes, saturating at `Int.max` instead of overflowing.
    ///
    /// - Parameter factors: Counts and the element size, e.g. `(count, dimension, 4)`. A negative
    ///   factor counts as 0.
    /// - Returns: The product, or `Int.max` when it does not fit in `Int`.
    public static func bytes(_ factors: Int...) -> Int {
        bytes(factors)
    }

    /// The product of `factors` in bytes, saturating at `Int.max` instead of overflowing.
    /// - Parameter factors: Counts and the element size; a negative factor counts as 0.
    /// - Returns: The product, or `Int.max` when it does not fit in `Int`.
    public static func bytes(_ factors: [Int]) -> Int {
        var product = 1
        for factor in factors {
            let (value, overflow) = product.multipliedReportingOverflow(by: max(0, factor))
            if overflow { return Int.max }
            product = value
        }
        return product
    }

    /// Whether a request of `bytes` fits.
    /// - Parameter bytes: The estimated size of the request.
    /// - Returns: `true` when `bytes` ≤ ``availableBytes``.
    public func admits(bytes: Int) -> Bool { bytes <= availableBytes }

    /// Throws unless a request of `bytes` fits.
    ///
    /// - Parameters:
    ///   - bytes: The estimated size of the request (use ``bytes(_:)-swift.type.method`` to form it
    ///     without overflow).
    ///   - purpose: What the memory is for, named in the error, e.g. `"sample(count: 1099511627776)"`.
    /// - Throws: ``InsufficientMemoryError`` when `bytes` exceeds ``availableBytes``.
    public func check(bytes: Int, for purpose: @autoclosure () -> String) throws {
        guard admits(bytes: bytes) else {
            throw InsufficientMemoryError(purpose: purpose(), requestedBytes: bytes, availableBytes: availableBytes)
        }
    }

    // MARK: Reading the system

    /// `MemAvailable` and the cgroup room, whichever is smaller; `nil` when neither is readable.
    static func availableSystemBytes() -> Int? {
        let figures = [memAvailableBytes(), cgroupRoomBytes()].compactMap { $0 }
        return figures.min()
    }

    /// `MemAvailable` from `/proc/meminfo`, in bytes.
    static func memAvailableBytes() -> Int? {
        guard let text = readSmallFile("/proc/meminfo") else { return nil }
        return parseMemAvailable(text)
    }

    /// Parses the `MemAvailable:  123 kB` line of a `/proc/meminfo` text.
    /// - Returns: Bytes, or `nil` when the line is missing or malformed.
    static func parseMemAvailable(_ text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kib = Int(fields[1]) else { return nil }
            return MemoryBudget.bytes(kib, 1024)
        }
        return nil
    }

    /// The room under the cgroup memory limit (v2 first, then v1), in bytes; `nil` when there is
    /// no limit or it cannot be read.
    static func cgroupRoomBytes() -> Int? {
        if let room = cgroupRoom(limitFile: "/sys/fs/cgroup/memory.max", usageFile: "/sys/fs/cgroup/memory.current") {
            return room
        }
        return cgroupRoom(
            limitFile: "/sys/fs/cgroup/memory/memory.limit_in_bytes",
            usageFile: "/sys/fs/cgroup/memory/memory.usage_in_bytes")
    }

    /// `limit − usage` from two cgroup files; `nil` for "max", an absurd limit (v1 writes
    /// ~2⁶³ for none), or unreadable files.
    static func cgroupRoom(limitFile: String, usageFile: String) -> Int? {
        guard let limitText = readSmallFile(limitFile) else { return nil }
        let trimmed = limitText.trimmingWhitespace
        guard trimmed != "max", let limit = Int(trimmed), limit < (1 << 60) else { return nil }
        let usage = readSmallFile(usageFile).flatMap { Int($0.trimmingWhitespace) } ?? 0
        return max(0, limit - usage)
    }

    /// The first 64 KiB of a file as text, or `nil` if it cannot be opened.
    static func readSmallFile(_ path: String) -> String? {
        #if canImport(Glibc)
            guard let file = fopen(path, "r") else { return nil }
            defer { fclose(file) }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let read = fread(&buffer, 1, buffer.count, file)
            return String(decoding: buffer[0..<read], as: UTF8.self)
        #else
            return nil
        #endif
    }
}

/// A request refused because it would not fit in the memory available; nothing was allocated.
public struct InsufficientMemoryError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What the memory was for, e.g. `"sample(count: 1099511627776)"`.
    public var purpose: String
    /// The estimated size of the request in bytes (`Int.max` when the estimate overflowed).
    public var requestedBytes: Int
    /// The bytes that were available.
    public var availableBytes: Int

    /// Creates the error.
    /// - Parameters:
    ///   - purpose: What the memory was for.
    ///   - requestedBytes: The estimated size of the request.
    ///   - availableBytes: The bytes available.
    public init(purpose: String, requestedBytes: Int, availableBytes: Int) {
        self.purpose = purpose
        self.requestedBytes = requestedBytes
        self.availableBytes = availableBytes
    }

    /// A one-line description for the user with both figures.
    public var description: String {
        "Not enough memory for \(purpose): it needs about \(Self.format(bytes: requestedBytes)) "
            + "but \(Self.format(bytes: availableBytes)) are available; nothing was allocated. "
            + "Ask for less (a smaller count, or in batches)."
    }

    /// `bytes` with a binary unit and one decimal, e.g. `"8.0 TiB (8796093022208 bytes)"`.
    /// - Parameter bytes: A byte count.
    /// - Returns: The formatted figure; `Int.max` reads as "more than 8.0 EiB".
    public static func format(bytes: Int) -> String {
        if bytes == Int.max { return "more than 8.0 EiB" }
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) bytes" }
        let tenths = (value * 10).rounded()
        let whole = Int(tenths) / 10
        let fraction = Int(tenths) % 10
        return "\(whole).\(fraction) \(units[unit]) (\(bytes) bytes)"
    }
}

extension String {
    /// The string without leading and trailing spaces and newlines (Foundation-free).
    fileprivate var trimmingWhitespace: String {
        String(drop(while: { $0.isWhitespace }).reversed().drop(while: { $0.isWhitespace }).reversed())
    }
}
