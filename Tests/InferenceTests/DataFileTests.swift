import Foundation
import Testing
import TensorCore
@testable import Inference

@Suite struct DataFileTests {
    static func temporaryURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("gnpe-\(UUID().uuidString)-\(name)")
    }

    static let matrix = try! SampleMatrix(rows: 3, columns: 4, storage: (0 ..< 12).map { Double($0) * 0.37 - 1.5 })

    @Test(arguments: [NumPyArray.ElementType.float64, .float32])
    func npyRoundTripsInSwift(_ type: NumPyArray.ElementType) throws {
        let url = Self.temporaryURL("a.npy")
        defer { try? FileManager.default.removeItem(at: url) }
        try NumPyArray(Self.matrix).write(to: url, as: type)
        let back = try NumPyArray(contentsOf: url)
        #expect(back.shape == [3, 4] && back.elementType == type)
        let m = try back.matrix()
        for (a, b) in zip(m.storage, Self.matrix.storage) {
            #expect(type == .float64 ? a == b : a == Double(Float(b)))
        }
        let data = try Data(contentsOf: url)
        #expect(data.count == 128 + 12 * (type == .float64 ? 8 : 4))  // header padded to 64 bytes
    }

    static var hasNumPy: Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import numpy"]
        p.standardError = FileHandle.nullDevice
        do { try p.run(); p.waitUntilExit(); return p.terminationStatus == 0 } catch { return false }
    }

    static func python(_ script: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(.enabled(if: hasNumPy)) func npyRoundTripsThroughNumPy() throws {
        let ours = Self.temporaryURL("ours.npy"), theirs = Self.temporaryURL("theirs.npy"), v2 = Self.temporaryURL("v2.npy")
        let vec = Self.temporaryURL("vec.npy")
        defer { for u in [ours, theirs, v2, vec] { try? FileManager.default.removeItem(at: u) } }
        try NumPyArray(Self.matrix).write(to: ours)
        // NumPy reads our file, checks the values, and writes its own versions (v1, v2, float32 1-D).
        let out = try Self.python("""
            import numpy as np
            a = np.load('\(ours.path)')
            expected = (np.arange(12) * 0.37 - 1.5).reshape(3, 4)
            print(a.dtype, a.shape, bool(np.array_equal(a, expected)))
            np.save('\(theirs.path)', expected * 2)
            with open('\(v2.path)', 'wb') as f:
                np.lib.format.write_array(f, expected + 1, version=(2, 0))
            np.save('\(vec.path)', np.array([1.5, -2.25, 3.0], dtype=np.float32))
            """)
        #expect(out == "float64 (3, 4) True")
        let a = try NumPyArray(contentsOf: theirs).matrix()
        #expect(a.storage == Self.matrix.storage.map { $0 * 2 })
        let b = try NumPyArray(contentsOf: v2).matrix()
        #expect(b.rows == 3 && b.columns == 4 && b.storage == Self.matrix.storage.map { $0 + 1 })
        let c = try NumPyArray(contentsOf: vec)
        #expect(c.shape == [3] && c.elementType == .float32 && c.values == [1.5, -2.25, 3.0])
    }

    @Test func badNpyFilesGiveClearErrors() throws {
        let good = NumPyArray(Self.matrix).npyData()
        // Truncated data.
        #expect(throws: DataFormatError.truncated(path: "x", expectedBytes: good.count, foundBytes: good.count - 5)) {
            try NumPyArray(npyData: good.prefix(good.count - 5), path: "x")
        }
        // Truncated header.
        #expect(throws: DataFormatError.truncated(path: "x", expectedBytes: 128, foundBytes: 40)) {
            try NumPyArray(npyData: good.prefix(40), path: "x")
        }
        // A foreign file.
        #expect(throws: DataFormatError.notNumPy(path: "x", reason: "missing the \\x93NUMPY magic string")) {
            try NumPyArray(npyData: Data("omega0,beta,t0\n1,2,3\n".utf8), path: "x")
        }
        #expect(throws: DataFormatError.self) { try NumPyArray(npyData: Data(), path: "x") }
        // Big-endian and Fortran order.
        func withHeader(_ text: String) -> Data {
            var h = text
            while (h.utf8.count + 11) % 64 != 0 { h += " " }
            h += "\n"
            var d = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(h.utf8.count & 0xFF), UInt8(h.utf8.count >> 8)])
            d.append(contentsOf: Array(h.utf8))
            d.append(Data(count: 64))
            return d
        }
        #expect(throws: DataFormatError.unsupported(path: "x", reason: "big-endian element type '>f8'")) {
            try NumPyArray(npyData: withHeader("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }"), path: "x")
        }
        #expect(throws: DataFormatError.unsupported(path: "x", reason: "Fortran (column-major) order; save with np.ascontiguousarray")) {
            try NumPyArray(npyData: withHeader("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }"), path: "x")
        }
        #expect(throws: DataFormatError.self) {
            try NumPyArray(npyData: withHeader("{'descr': '<f8', 'shape': (2,), }"), path: "x")
        }
        #expect(throws: DataFormatError.self) {
            try NumPyArray(contentsOf: URL(fileURLWithPath: "/nonexistent/a.npy"))
        }
    }

    @Test func csvRoundTripsWithColumnNames() throws {
        let url = Self.temporaryURL("t.csv")
        defer { try? FileManager.default.removeItem(at: url) }
        let table = CSVTable(Self.matrix, columnNames: ["a", "b", "c", "d"])
        try table.write(to: url)
        let back = try CSVTable(contentsOf: url)
        #expect(back == table)
        let noHeader = try CSVTable(csv: "1,2\n3,4e-3\n\n5, nan\n")
        #expect(noHeader.columnNames.isEmpty && noHeader.matrix.rows == 3)
        #expect(noHeader.matrix[1, 1] == 0.004 && noHeader.matrix[2, 1].isNaN)
    }

    @Test func badCsvGivesLineAndColumn() {
        #expect(throws: DataFormatError.raggedRow(path: "f.csv", line: 3, expected: 2, found: 3)) {
            try CSVTable(csv: "x,y\n1,2\n3,4,5\n", path: "f.csv")
        }
        #expect(throws: DataFormatError.notANumber(path: "f.csv", line: 3, column: 2, field: "abc")) {
            try CSVTable(csv: "x,y\n1,2\n3,abc\n", path: "f.csv")
        }
    }
}

@Suite struct SimulationFileTests {
    @Test func simulationsRoundTripThroughNpyFiles() throws {
        let model = try DampedOscillator.model()
        var rng = RandomSource(seed: 5)
        let sims = try model.simulateFromPrior(count: 20, using: &rng)
        let t = DataFileTests.temporaryURL("theta.npy"), x = DataFileTests.temporaryURL("x.npy")
        defer { try? FileManager.default.removeItem(at: t); try? FileManager.default.removeItem(at: x) }
        try sims.write(parametersTo: t, dataTo: x)
        let back = try SimulationBatch(parametersFile: t, dataFile: x, model: model)
        #expect(back.parameters == sims.parameters && back.data == sims.data)
        #expect(throws: ModelError.wrongParameterCount(expected: 2, found: 3)) {
            try SimulationBatch(parametersFile: t, dataFile: x, model: GaussianLocationModel().model())
        }
        try NumPyArray(sims.parameters.selecting(rows: [0, 1])).write(to: t)
        #expect(throws: DataFormatError.self) { try SimulationBatch(parametersFile: t, dataFile: x) }
    }
}
