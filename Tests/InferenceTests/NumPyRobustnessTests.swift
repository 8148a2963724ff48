import Foundation
import Testing
@testable import Inference

/// Damaged and unsupported `.npy` files: each is refused with a typed error naming the problem,
/// and nothing is allocated on the word of a damaged header.
@Suite struct NumPyRobustnessTests {
    /// A version-1.0 `.npy` file with `header` (padded as NumPy pads it) and `dataBytes` zero bytes.
    static func npy(_ header: String, dataBytes: Int = 64, major: UInt8 = 1) -> Data {
        var h = header
        let prefix = major == 1 ? 10 : 12
        while (h.utf8.count + prefix + 1) % 64 != 0 { h += " " }
        h += "\n"
        let n = h.utf8.count
        var d = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, major, 0, UInt8(n & 0xFF), UInt8(n >> 8)])
        if major != 1 { d.append(contentsOf: [0, 0]) }
        d.append(contentsOf: Array(h.utf8))
        d.append(Data(count: dataBytes))
        return d
    }

    enum Kind: String, CustomStringConvertible {
        case notNumPy, truncated, malformedHeader, unsupported
        var description: String { rawValue }
        func matches(_ error: any Error) -> Bool {
            switch error as? DataFormatError {
            case .notNumPy?: return self == .notNumPy
            case .truncated?: return self == .truncated
            case .malformedHeader?: return self == .malformedHeader
            case .unsupported?: return self == .unsupported
            default: return false
            }
        }
    }

    @Test(arguments: [
        // Element types other than <f4, <f8, <i4, <i8.
        ("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", Kind.unsupported, "'<f2'"),
        ("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", .unsupported, "'|b1'"),
        ("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", .unsupported, "'|u1'"),
        ("{'descr': '<c16', 'fortran_order': False, 'shape': (2,), }", .unsupported, "'<c16'"),
        ("{'descr': '<U3', 'fortran_order': False, 'shape': (2,), }", .unsupported, "'<U3'"),
        ("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", .unsupported, "'|O'"),
        ("{'descr': '>i8', 'fortran_order': False, 'shape': (2,), }", .unsupported, "big-endian"),
        ("{'descr': [('a', '<f4'), ('b', '<i8')], 'fortran_order': False, 'shape': (2,), }", .unsupported, "structured"),
        // Fortran order of a matrix.
        ("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", .unsupported, "Fortran"),
        // Broken headers.
        ("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (2,), }", .malformedHeader, "Maybe"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (2, -3), }", .malformedHeader, "-3"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (2, x), }", .malformedHeader, "x"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': [2], }", .malformedHeader, "[2]"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (2, }", .malformedHeader, "(2"),
        ("{'descr': <f8, 'fortran_order': False, 'shape': (2,), }", .malformedHeader, "<f8"),
        ("{'descr': '<f8, 'fortran_order': False, 'shape': (2,), }", .unsupported, "'<f8, '"),
        ("not a dictionary at all", .malformedHeader, "not a dictionary"),
        // Shapes larger than the file, or than memory: refused before allocating.
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }", .truncated, "expected 8000000000128 bytes"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776, 1099511627776), }", .unsupported, "more elements"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4, 0), }", .unsupported, "more elements"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (1152921504606846975,), }", .unsupported, "more elements"),
        ("{'descr': '<i8', 'fortran_order': False, 'shape': (99999999999999999999,), }", .malformedHeader, "99999999999999999999"),
    ])
    func badHeadersAreRefused(header: String, kind: Kind, named: String) {
        #expect {
            try NumPyArray(npyData: Self.npy(header), path: "bad.npy")
        } throws: { error in
            kind.matches(error) && "\(error)".contains(named) && "\(error)".contains("bad.npy")
        }
    }

    @Test func everyTruncationIsRefusedAsTruncated() throws {
        let file = try NumPyArray(shape: [3, 2], values: [1, 2, 3, 4, 5, 6]).npyData(as: .float32)
        #expect(throws: DataFormatError.self) { try NumPyArray(npyData: Data(), path: "t.npy") }
        for cut in 1..<file.count {
            #expect {
                try NumPyArray(npyData: file.prefix(cut), path: "t.npy")
            } throws: { error in
                guard case .truncated(_, let expected, let found)? = error as? DataFormatError else { return false }
                return found == cut && expected > cut
            }
        }
        #expect(try NumPyArray(npyData: file, path: "t.npy").values == [1, 2, 3, 4, 5, 6])
    }

    @Test func otherVersionsAndLayouts() throws {
        // Versions 2.0 and 3.0 (UTF-8 header) read; version 3.0 with a header that is not UTF-8 does not.
        let v2 = Self.npy("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", dataBytes: 12, major: 2)
        #expect(try NumPyArray(npyData: v2).values == [0, 0, 0])
        var v3 = Self.npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'θ': 1}", dataBytes: 8, major: 3)
        #expect(try NumPyArray(npyData: v3).shape == [1])
        v3[20] = 0xFF
        #expect(throws: DataFormatError.malformedHeader(path: "<data>", header: "not text")) { try NumPyArray(npyData: v3) }
        var v4 = v2
        v4[6] = 4
        #expect { try NumPyArray(npyData: v4) } throws: { error in
            if case .notNumPy(_, let reason)? = error as? DataFormatError { return reason.contains("version 4.0") }
            return false
        }
        // Fortran order of a vector or a scalar is the same layout as C order.
        let vector = Self.npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2,), }", dataBytes: 16)
        #expect(try NumPyArray(npyData: vector).values == [0, 0])
        let scalar = Self.npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", dataBytes: 8)
        #expect(try NumPyArray(npyData: scalar).shape == [])
        // A header length beyond the file.
        var long = vector
        long[8] = 0xFF
        long[9] = 0xFF
        #expect(throws: DataFormatError.truncated(path: "<data>", expectedBytes: 65_545, foundBytes: vector.count)) {
            try NumPyArray(npyData: long)
        }
    }

    /// Regression: shapes whose element count overflows trapped
    /// instead of throwing, in the reader and in `init(shape:values:)`.
    @Test func shapesThatOverflowThrow() {
        #expect(throws: DataFormatError.self) { try NumPyArray(shape: [1 << 40, 1 << 40], values: []) }
        #expect(throws: DataFormatError.self) { try NumPyArray(shape: [1 << 62, 4, 0], values: []) }
        #expect(throws: DataFormatError.self) { try NumPyArray(shape: [2, -1], values: [1, 2]) }
        #expect(throws: DataFormatError.self) {
            try NumPyArray(npyData: Self.npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904,), }"))
        }
    }
}
