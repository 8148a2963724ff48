import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension SessionDirectory {
    /// Removes the session directories in `runtimeDirectory` of kernels that are no longer
    /// running.
    ///
    /// Only directories named `gnpe-kernel-*` (or `.gnpe-kernel-new-*`, a creation that did not
    /// finish) and owned by the current user are considered. A kernel holds the `flock` on its
    /// directory's `lock` file while it runs, so a directory whose lock this call can take is
    /// stale — unless it carries a `restart` marker whose connection file still exists and is
    /// less than ten minutes old (a restart in progress). A directory without a lock file is
    /// removed only when it is over a minute old (it may be being created).
    /// - Parameter runtimeDirectory: The Jupyter runtime directory.
    /// - Returns: The paths removed.
    @discardableResult
    public static func sweep(runtimeDirectory: String) -> [String] {
        var removedPaths: [String] = []
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runtimeDirectory)) ?? []
        for name in names where name.hasPrefix(namePrefix) || name.hasPrefix(pendingPrefix) {
            let path = "\(runtimeDirectory)/\(name)"
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == getuid() else { continue }
            let age = Date().timeIntervalSince1970 - TimeInterval(info.st_mtim.tv_sec)
            let descriptor = Glibc.open(path + "/lock", O_RDWR | O_CLOEXEC | O_NOFOLLOW)
            guard descriptor >= 0 else {
                if errno == ENOENT && age > 60 {
                    removeTree(path)
                    removedPaths.append(path)
                }
                continue
            }
            defer { close(descriptor) }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { continue }  // a live kernel's
            if let target = restartTarget(of: path), FileManager.default.fileExists(atPath: target),
                markerAge(of: path) < restartGracePeriod
            {
                continue  // a restart in progress: the next kernel adopts it
            }
            removeTree(path)
            removedPaths.append(path)
        }
        return removedPaths
    }

    /// The directory a kernel restarting on `connectionFile` left, locked for this process, with
    /// an empty `cells/` and its `kept/`.
    static func adoptRestarted(in runtimeDirectory: String, connectionFile: String) -> SessionDirectory? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runtimeDirectory)) ?? []
        for name in names.sorted() where name.hasPrefix(namePrefix) {
            let path = "\(runtimeDirectory)/\(name)"
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == getuid(),
                restartTarget(of: path) == connectionFile
            else { continue }
            let descriptor = Glibc.open(path + "/lock", O_RDWR | O_CLOEXEC | O_NOFOLLOW)
            guard descriptor >= 0 else { continue }
            // The kernel that is restarting may still be exiting: wait for its lock a little.
            var locked = false
            for _ in 0..<50 {
                if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
                    locked = true
                    break
                }
                usleep(100_000)
            }
            guard locked, restartTarget(of: path) == connectionFile else {
                close(descriptor)
                continue
            }
            unlink(path + "/restart")
            let session = SessionDirectory(adopting: path, lockDescriptor: descriptor)
            removeTree(session.cellsPath)
            do {
                try makeDirectory(session.cellsPath, intermediate: false)
                try makeDirectory(session.keptPath, intermediate: false)
            } catch {
                continue
            }
            return session
        }
        return nil
    }

    /// The connection file named by the `restart` marker in `path`, if any.
    static func restartTarget(of path: String) -> String? {
        guard let text = try? String(contentsOfFile: path + "/restart", encoding: .utf8) else { return nil }
        let target = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return target.isEmpty ? nil : target
    }

    private static func markerAge(of path: String) -> TimeInterval {
        var info = stat()
        guard lstat(path + "/restart", &info) == 0 else { return .infinity }
        return Date().timeIntervalSince1970 - TimeInterval(info.st_mtim.tv_sec)
    }
}
