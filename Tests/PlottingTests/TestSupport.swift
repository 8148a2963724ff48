import Foundation
import Testing

@testable import Plotting

/// SplitMix64 with Box–Muller normals: deterministic test data independent of other modules.
struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func normal() -> Double {
        let u = max(uniform(), 1e-300)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * uniform())
    }
}

/// Correlated Gaussian samples, `[count, dimension]`, with a shift on every coordinate.
func gaussianSamples(count: Int, dimension: Int, shift: Double = 0, seed: UInt64) -> [[Double]] {
    var random = TestRandom(seed: seed)
    return (0..<count).map { _ in
        var z = (0..<dimension).map { _ in random.normal() }
        for d in 1..<max(dimension, 1) { z[d] = 0.6 * z[d - 1] + 0.8 * z[d] }
        return z.map { $0 + shift }
    }
}

/// The problems with an SVG document as the notebook sees it: XML well-formedness (xmllint),
/// SVG root attributes, scripts, external references, duplicate ids.
func svgProblems(_ svg: String) throws -> [String] {
    var problems: [String] = []
    let xmllint = ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    guard let xmllint else { return ["xmllint not found: install Debian's libxml2-utils"] }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: xmllint)
    process.arguments = ["--noout", "-"]
    let input = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardError = errors
    try process.run()
    input.fileHandleForWriting.write(Data(svg.utf8))
    try input.fileHandleForWriting.close()
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    if process.terminationStatus != 0 { problems.append("xmllint: \(message)") }
    for required in [
        "<svg xmlns=\"http://www.w3.org/2000/svg\"", "version=\"1.1\"", "viewBox=\"", "width=\"", "height=\"",
        "<title>", "<desc>",
    ]
    where !svg.contains(required) {
        problems.append("missing \(required)")
    }
    for forbidden in ["<script", "href=", "<image", "@import", "url(http", "<foreignObject", "onload", "onclick"]
    where svg.range(of: forbidden, options: .caseInsensitive) != nil {
        problems.append("contains \(forbidden)")
    }
    // Only internal url(#id) references are allowed, and every id once.
    var ids: [String] = []
    var rest = svg[...]
    while let range = rest.range(of: " id=\"") {
        let tail = rest[range.upperBound...]
        guard let end = tail.firstIndex(of: "\"") else { break }
        ids.append(String(tail[..<end]))
        rest = tail[end...]
    }
    if Set(ids).count != ids.count { problems.append("duplicate ids") }
    for id in ids where !id.hasPrefix("p") { problems.append("id \(id) lacks the per-plot prefix") }
    return problems
}
