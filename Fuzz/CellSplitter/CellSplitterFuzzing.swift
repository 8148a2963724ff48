import CellCompiler

/// Fuzzes the cell splitter (SwiftParser) and the lexical completeness check on any text.
///
/// The bytes are decoded as UTF-8 (invalid sequences become U+FFFD, as the kernel does with a
/// request). Besides not trapping, every split item's range must lie inside the cell's UTF-8
/// bytes, in order and without overlap (a throwing global's `=` and value inside its item): code generation slices the cell with these ranges.
///
/// `FuzzMain.swift` exports it to libFuzzer as `LLVMFuzzerTestOneInput`.
public func fuzzCellSplitter(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let code = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    _ = LexicalCompleteness.check(code)
    let split = SplitCell(parsing: code)
    let length = code.utf8.count
    var end = 0
    for item in split.items {
        guard item.range.lowerBound >= end, item.range.upperBound <= length else {
            fatalError("split item \(item.range) lies outside 0..<\(length) or overlaps the previous one")
        }
        if case let .throwingGlobal(_, valueRange, equalsOffset) = item.role {
            // A missing `=` (recovered by the parser) sits right at the value: `<=`.
            guard item.range.lowerBound <= equalsOffset, equalsOffset <= valueRange.lowerBound,
                  valueRange.upperBound <= item.range.upperBound
            else { fatalError("throwing global \(item.range): '=' at \(equalsOffset), value \(valueRange)") }
        }
        end = item.range.upperBound
    }
    return 0
}
