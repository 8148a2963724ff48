import Foundation

/// Reads a line of input; inside the kernel, asks the notebook's front end for it.
///
/// Notebook cells have no terminal: in the kernel's worker (environment variable
/// `GNPE_INPUT_FD` set) this sends an `input_request` with `prompt` on the display channel and
/// waits for the front end's answer. Outside the kernel it reads standard input like the
/// standard library's `readLine(strippingNewline:)`, which it shadows in cells.
///
/// - Parameters:
///   - prompt: The text shown in front of the input box.
///   - password: Whether the front end hides the typed text.
///   - strippingNewline: Kept for compatibility with the standard library; the answer from a
///     front end never ends in a newline.
/// - Returns: The line, or nil when no input is available (the front end does not allow stdin).
public func readLine(prompt: String, password: Bool = false, strippingNewline: Bool = true) -> String? {
    guard let channel = InputChannel.shared else {
        if !prompt.isEmpty { print(prompt, terminator: "") }
        return Swift.readLine(strippingNewline: strippingNewline)
    }
    return channel.request(prompt: prompt, password: password)
}

/// Reads a line of input (the standard library's signature); see ``readLine(prompt:password:strippingNewline:)``.
/// - Parameter strippingNewline: Whether to remove the line's newline.
/// - Returns: The line, or nil when no input is available.
public func readLine(strippingNewline: Bool = true) -> String? {
    readLine(prompt: "", password: false, strippingNewline: strippingNewline)
}

/// The answer pipe from the kernel: one line per request, `+text` for an answer (newlines
/// escaped as `\n`, backslashes as `\\`) or `-` when the front end gives none.
final class InputChannel: @unchecked Sendable {
    static let shared: InputChannel? = {
        guard let text = ProcessInfo.processInfo.environment["GNPE_INPUT_FD"],
            let fd = Int32(text), fd >= 0, DisplayChannel.isConnected
        else { return nil }
        return InputChannel(fd: fd)
    }()

    private let fd: Int32
    private let lock = NSLock()

    init(fd: Int32) { self.fd = fd }

    func request(prompt: String, password: Bool) -> String? {
        lock.lock()
        defer { lock.unlock() }
        DisplayChannel.sendMessage(["type": "input_request", "prompt": prompt, "password": password])
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let n = read(fd, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            if byte == 0x0A { break }
            line.append(byte)
        }
        guard line.first == UInt8(ascii: "+") else { return nil }
        var text = ""
        var escaped = false
        for scalar in String(decoding: line.dropFirst(), as: UTF8.self).unicodeScalars {
            if escaped {
                text.unicodeScalars.append(scalar == "n" ? "\n" : scalar)
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return text
    }
}
