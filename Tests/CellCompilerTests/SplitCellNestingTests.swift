@testable import CellCompiler
import Foundation
import Testing

/// Regression (found by fuzz-cell-splitter, a 10 s timeout): SwiftParser's time doubles with
/// every nested `[`, so a cell with 30 nested brackets never finished splitting.
struct SplitCellNestingTests {
    static func nested(_ depth: Int, around inner: String) -> String {
        String(repeating: "[", count: depth) + inner + String(repeating: "]", count: depth)
    }

    @Test func deeplyNestedBracketsSplitLikeShallowOnes() {
        let deepType = "let x: \(Self.nested(30, around: "Int")) = []"
        let deepValue = "let y = \(Self.nested(40, around: "1"))"
        let code = "let a = 1\n\(deepType)\n\(deepValue)\nprint(\"[[[[[[[[[[[[\", a)\n"
        let split = SplitCell(parsing: code)
        let bytes = Array(code.utf8)
        let texts = split.items.map { String(decoding: bytes[$0.range], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(texts == ["let a = 1", deepType, deepValue, "print(\"[[[[[[[[[[[[\", a)"])
        #expect(split.declarations.map(\.name) == ["a", "x", "y"])
    }

    @Test func anUnclosedDeepGroupSplitsToo() {
        let code = "let a = 1\nlet x = \(String(repeating: "[", count: 60))"
        let split = SplitCell(parsing: code)
        #expect(split.items.first?.range == 0..<9)
        #expect(split.items.allSatisfy { $0.range.upperBound <= code.utf8.count })
    }

    @Test func maskingKeepsEveryOffsetAndLeavesShallowCellsAlone() {
        let shallow = "let m: [[[Int]]] = [[[1]]] // [[[[[[[[[[[[\nlet s = \"[[[[[[[[]]]]]]]]\"\n/* [[[[[[[[[[[[ */"
        #expect(SplitCell.maskingDeepBrackets(shallow) == shallow)
        let deep = "f(\(Self.nested(12, around: "\"θ ✓\" + x")))\n"
        let masked = SplitCell.maskingDeepBrackets(deep)
        #expect(masked.utf8.count == deep.utf8.count)
        #expect(masked == "f(\(String(repeating: "[", count: 9))\(String(repeating: " ", count: 3 + "\"θ ✓\" + x".utf8.count + 3))\(String(repeating: "]", count: 9)))\n")
    }
}

extension SplitCellNestingTests {
    /// Regression (found by fuzz-cell-splitter after the first fix): brackets inside a string
    /// interpolation are code to SwiftParser and count too.
    @Test func bracketsInInterpolationsCount() {
        let code = "let a = 1\nprint(\"\\(\(Self.nested(40, around: "1")))\")\nlet b = 2\n"
        let split = SplitCell(parsing: code)
        #expect(split.declarations.map(\.name) == ["a", "b"])
        let masked = SplitCell.maskingDeepBrackets(code)
        #expect(masked != code && masked.utf8.count == code.utf8.count)
        #expect(SplitCell.maskingDeepBrackets("let s = \"\\(x) [[[[[[[[\"") == "let s = \"\\(x) [[[[[[[[\"")
    }
}

extension SplitCellNestingTests {
    /// Regression (found by fuzz-cell-splitter, a hang of minutes in a release build): an invalid
    /// escape `\[` in a literal inside an interpolation, followed by many `[`, which SwiftParser's
    /// recovery reads as nested brackets. A run deeper than the limit in a literal's text is
    /// blanked to the literal's end; the literal and every offset stay.
    @Test func deepBracketsInALiteralsTextAreBlankedToItsEnd() {
        let run = String(repeating: "[", count: 120)
        let code = "let a = 1\nlet s = \"x\\(\"\\\(run)\")\"\nlet b = 2\n"
        let masked = SplitCell.maskingDeepBrackets(code)
        #expect(masked.utf8.count == code.utf8.count)
        // The escaped `[` is text too; the 8 after it are kept, the rest blanked.
        #expect(!masked.contains(String(repeating: "[", count: SplitCell.parsedBracketDepth + 2)))
        #expect(masked.hasPrefix("let a = 1\nlet s = \"x\\(\"\\" + String(repeating: "[", count: SplitCell.parsedBracketDepth + 1) + " "))
        #expect(masked.hasSuffix("\")\"\nlet b = 2\n"))
        #expect(SplitCell(parsing: code).declarations.map(\.name) == ["a", "s", "b"])
        let plain = "let t = \"\(String(repeating: "[", count: 20))\"\nlet c = 3\n"
        let maskedPlain = SplitCell.maskingDeepBrackets(plain)
        #expect(maskedPlain == "let t = \"\(String(repeating: "[", count: 8))\(String(repeating: " ", count: 12))\"\nlet c = 3\n")
    }
}
