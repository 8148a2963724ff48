import Foundation
import Testing

@testable import KernelRuntime

struct PackageRequestTests {
    @Test func relativePathsAreTakenFromTheWorkingDirectory() {
        let request = PackageRequest(
            dependency: ".package(path: \"../Sim\")", products: ["Sim"], workingDirectory: "/home/me/notebooks")
        #expect(request.dependency == ".package(path: \"/home/me/Sim\")")
        #expect(request.localPaths == ["/home/me/Sim"])
        let cwd = PackageRequest(
            dependency: ".package(path: \"$cwd/Sim\")", products: ["Sim"], workingDirectory: "/n")
        #expect(cwd.localPaths == ["/n/Sim"])
        let remote = PackageRequest(
            dependency: ".package(url: \"https://example.org/a/Sim.git\", from: \"1.0.0\")", products: ["Sim"],
            workingDirectory: "/n")
        #expect(remote.localPaths.isEmpty)
        #expect(remote.dependency.contains("https://example.org/a/Sim.git"))
    }

    @Test func theCacheKeyChangesWithEveryPartOfTheRequest() {
        let base = PackageRequest(dependency: ".package(path: \"/a\")", products: ["A"], workingDirectory: "/")
        let key = base.cacheKey(toolchain: "6.3.1", library: "lib 1")
        #expect(key.count == 16)
        #expect(key == base.cacheKey(toolchain: "6.3.1", library: "lib 1"))
        #expect(key != base.cacheKey(toolchain: "6.3.2", library: "lib 1"))
        #expect(key != base.cacheKey(toolchain: "6.3.1", library: "lib 2"))
        let other = PackageRequest(dependency: ".package(path: \"/a\")", products: ["A", "B"], workingDirectory: "/")
        #expect(key != other.cacheKey(toolchain: "6.3.1", library: "lib 1"))
    }

    @Test(arguments: [
        (".package(path: \"/x/MySimulator\")", "mysimulator"),
        (".package(name: \"GNPE\", path: \"/work/Main/\")", "main"),
        (".package(url: \"https://github.com/org/Sim.git\", from: \"1.2.0\")", "sim"),
        (".package(url: \"https://github.com/org/sim\", branch: \"main\")", "sim"),
    ])
    func packageIdentityIsTheLastComponent(dependency: String, identity: String) {
        #expect(PackageInstaller.packageIdentity(of: dependency) == identity)
    }

    @Test func theFingerprintChangesWhenAFileChanges() throws {
        let folder = NSTemporaryDirectory() + "fingerprint-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/.build", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "a".write(toFile: folder + "/a.swift", atomically: true, encoding: .utf8)
        let first = PackageInstaller.fingerprint(of: [folder])
        try "build output".write(toFile: folder + "/.build/x", atomically: true, encoding: .utf8)
        #expect(PackageInstaller.fingerprint(of: [folder]) == first)
        try "ab".write(toFile: folder + "/a.swift", atomically: true, encoding: .utf8)
        #expect(PackageInstaller.fingerprint(of: [folder]) != first)
    }

    @Test func aFailedFetchIsNamed() {
        let request = PackageRequest(
            dependency: ".package(url: \"https://example.invalid/a/B.git\", from: \"1.0.0\")", products: ["B"],
            workingDirectory: "/")
        let fetchFailure = ["Fetching https://example.invalid/a/B.git", "error: Git command 'git -C …' failed"]
        #expect(
            PackageInstaller.failureSummary(of: request, output: fetchFailure)
                == "cannot fetch https://example.invalid/a/B.git: no network, or no such repository (SwiftPM's message below)"
        )
        let buildFailure = [
            "Fetching https://example.invalid/a/B.git", "Fetched https://example.invalid/a/B.git from cache (0.1s)",
            "Compiling B B.swift", "error: …",
        ]
        #expect(PackageInstaller.failureSummary(of: request, output: buildFailure).hasPrefix("`swift build` failed"))
    }

    @Test func errorLinesAreSwiftPMsErrorsShortened() {
        let lines = [
            "Fetching https://invalid.invalid/x.git",
            "error: Failed to clone repository https://invalid.invalid/x.git:",
            "    fatal: unable to access 'https://invalid.invalid/x.git/': Could not resolve host: invalid.invalid",
            "error: Failed to clone repository https://invalid.invalid/x.git:",
        ]
        #expect(PackageInstaller.errorLines(in: lines) == Array(lines[1...2]))
        #expect(PackageInstaller.errorLines(in: ["a", "b"]) == ["a", "b"])
        // Source excerpts under a diagnostic are left out; the diagnostic stays.
        let compileError = [
            "/p/Sources/B/B.swift:2:5: error: cannot convert", "1 | func f() -> Int {",
            "2 |     \"text\"", "  |     `- error: cannot convert",
        ]
        #expect(PackageInstaller.errorLines(in: compileError) == [compileError[0]])
        #expect(PackageInstaller.errorLines(in: ["error: " + String(repeating: "x", count: 1000)])[0].count < 420)
    }
}
