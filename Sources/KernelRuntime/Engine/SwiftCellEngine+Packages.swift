import CellCompiler
import Foundation

extension SwiftCellEngine {
    /// Carries out one `%install` line: builds the package (or finds it in the cache), loads its
    /// library into the worker and adds its flags to every later cell.
    /// - Parameters:
    ///   - installation: The request as the cell wrote it.
    ///   - sink: Receives SwiftPM's output while it builds, and a line saying what was installed.
    /// - Returns: nil when installed, else the cell's error (the session goes on).
    func install(_ installation: ExpandedCell.Installation, sink: ExecutionSink) -> ExecutionOutcome? {
        let request = PackageRequest(
            dependency: installation.dependency, products: installation.products,
            workingDirectory: FileManager.default.currentDirectoryPath)
        let products = request.products.joined(separator: ", ")
        let package: InstalledPackage
        let rebuilt: Bool
        do {
            let (built, fromCache) = try installer.install(request) { sink.standardOutput($0) }
            package = built
            rebuilt = !fromCache
            if fromCache {
                sink.standardOutput(
                    "\(products): found in the package cache (\(installer.cacheDirectory)/\(built.key)); SwiftPM did not run.\n"
                )
            }
        } catch let error as PackageInstallationError {
            return .error(
                name: "InstallError", value: error.summary,
                traceback: ["\(installation.line): error: \(error.summary)"] + error.details.map { "    " + $0 })
        } catch {
            return .error(name: "InstallError", value: "\(error)", traceback: ["\(installation.line): error: \(error)"])
        }
        guard let current = ensureWorker(sink: sink) else {
            return .error(
                name: "WorkerError", value: "The worker process could not be started.",
                traceback: ["The worker process could not be started; see the kernel's log."])
        }
        var stderrTail: [String] = []
        switch current.load(libraryPath: package.libraryPath, sink: sink, stderrTail: &stderrTail) {
        case .ok:
            let isNew = compiler.addPackageFlags(package.compilerFlags, identifier: package.key)
            if !isNew && rebuilt {
                // dlopen of a loaded path returns the loaded library: the new build is not used.
                sink.standardOutput(
                    "\(products) changed since this session loaded it: restart the kernel to use the new build.\n")
            } else {
                sink.standardOutput("Installed \(products): import its modules in a cell to use them.\n")
            }
            return nil
        case .loadError(let message), .fatal(let message), .thrown(_, let message):
            return .error(
                name: "InstallError", value: "the package's library did not load: \(message)",
                traceback: ["\(installation.line): error: the package's library did not load: \(message)"])
        case .exited:
            replaceWorker()
            let text = "the worker ended while loading the package's library (\(package.libraryPath))"
            return .error(
                name: "InstallError", value: text,
                traceback: ["\(installation.line): error: \(text)"] + stderrTail.suffix(10))
        }
    }
}
