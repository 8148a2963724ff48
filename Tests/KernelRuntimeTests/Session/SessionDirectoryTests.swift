import Foundation
import Testing

@testable import KernelRuntime

/// The kernel's session directory: where it goes, its modes, and which stale ones are swept.
struct SessionDirectoryTests {
    func makeRuntime() throws -> String {
        let path = NSTemporaryDirectory() + "gnpe-runtime-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & 0o777 : 0
    }

    @Test func runtimeDirectoryFollowsJupyterCore() {
        #expect(SessionDirectory.runtimeDirectory(environment: ["JUPYTER_RUNTIME_DIR": "/r", "JUPYTER_DATA_DIR": "/d"]) == "/r")
        #expect(SessionDirectory.runtimeDirectory(environment: ["JUPYTER_DATA_DIR": "/d", "XDG_DATA_HOME": "/x"]) == "/d/runtime")
        #expect(SessionDirectory.runtimeDirectory(environment: ["XDG_DATA_HOME": "/x", "HOME": "/h"]) == "/x/jupyter/runtime")
        #expect(SessionDirectory.runtimeDirectory(environment: ["HOME": "/h", "XDG_RUNTIME_DIR": "/run/user/1"]) == "/h/.local/share/jupyter/runtime")
    }

    @Test func isPrivateLockedAndRemoved() throws {
        let runtime = try makeRuntime()
        defer { try? FileManager.default.removeItem(atPath: runtime) }
        let session = try SessionDirectory.open(runtimeDirectory: runtime, connectionFile: nil)
        #expect(URL(fileURLWithPath: session.path).lastPathComponent.hasPrefix("gnpe-kernel-\(getpid())-"))
        #expect(mode(session.path) == 0o700)
        #expect(mode(session.cellsPath) == 0o700)
        #expect(mode(session.keptPath) == 0o700)
        // Held by this live kernel: never swept.
        #expect(SessionDirectory.sweep(runtimeDirectory: runtime).isEmpty)
        #expect(FileManager.default.fileExists(atPath: session.path))
        session.remove()
        #expect(!FileManager.default.fileExists(atPath: session.path))
    }

    @Test func sweepsOnlyUnlockedDirectoriesOfThePattern() throws {
        let runtime = try makeRuntime()
        defer { try? FileManager.default.removeItem(atPath: runtime) }
        let files = FileManager.default
        // A dead kernel's directory: a lock file nobody holds.
        let stale = runtime + "/gnpe-kernel-999999-dead"
        try files.createDirectory(atPath: stale + "/kept", withIntermediateDirectories: true)
        files.createFile(atPath: stale + "/lock", contents: nil)
        // Not ours by name; and a directory being created (no lock file yet, fresh).
        let other = runtime + "/kernel-1234.json.d"
        try files.createDirectory(atPath: other, withIntermediateDirectories: true)
        let fresh = runtime + "/gnpe-kernel-1-fresh"
        try files.createDirectory(atPath: fresh, withIntermediateDirectories: true)
        let live = try SessionDirectory.open(runtimeDirectory: runtime, connectionFile: nil)
        defer { live.remove() }

        #expect(SessionDirectory.sweep(runtimeDirectory: runtime) == [stale])
        #expect(!files.fileExists(atPath: stale))
        #expect(files.fileExists(atPath: other))
        #expect(files.fileExists(atPath: fresh))
        #expect(files.fileExists(atPath: live.path))
    }

    @Test func aRestartKeepsTheKeptItemsForTheNextKernelOnTheSameConnectionFile() throws {
        let runtime = try makeRuntime()
        defer { try? FileManager.default.removeItem(atPath: runtime) }
        let connection = runtime + "/kernel-abc.json"
        FileManager.default.createFile(atPath: connection, contents: Data("{}".utf8))
        var first: SessionDirectory? = try SessionDirectory.open(runtimeDirectory: runtime, connectionFile: connection)
        let path = first!.path
        FileManager.default.createFile(atPath: first!.keptPath + "/a.json", contents: Data("{}".utf8))
        FileManager.default.createFile(atPath: first!.cellsPath + "/libCell_1.so", contents: Data())
        first!.prepareForRestart(connectionFile: connection)
        first = nil  // the process exits: the lock is released

        // A kernel on another connection file does not take it, and the sweep keeps it.
        let unrelated = try SessionDirectory.open(runtimeDirectory: runtime, connectionFile: runtime + "/other.json")
        #expect(unrelated.path != path)
        unrelated.remove()
        #expect(SessionDirectory.sweep(runtimeDirectory: runtime).isEmpty)

        let next = try SessionDirectory.open(runtimeDirectory: runtime, connectionFile: connection)
        #expect(next.path == path)
        #expect(FileManager.default.fileExists(atPath: next.keptPath + "/a.json"))
        #expect(!FileManager.default.fileExists(atPath: next.cellsPath + "/libCell_1.so"))
        #expect(!FileManager.default.fileExists(atPath: path + "/restart"))
        next.remove()

        // Once the connection file is gone, a left restart directory is stale.
        var again: SessionDirectory? = try SessionDirectory.open(runtimeDirectory: runtime, connectionFile: connection)
        again!.prepareForRestart(connectionFile: connection)
        let leftPath = again!.path
        again = nil
        try FileManager.default.removeItem(atPath: connection)
        #expect(SessionDirectory.sweep(runtimeDirectory: runtime) == [leftPath])
    }
}
