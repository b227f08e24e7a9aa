import Foundation

/// Locates and runs the `dropoutnet` executable that `swift test` built next to the test bundle.
final class DataBox: @unchecked Sendable { var data = Data() }

enum CLI {
    struct Output { var status: Int32; var stdout: String; var stderr: String }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var executable: URL {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("dropoutnet")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir.deleteLastPathComponent()
        }
        for b in Bundle.allBundles {
            let candidate = b.bundleURL.deletingLastPathComponent().appendingPathComponent("dropoutnet")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return packageRoot.appendingPathComponent(".build/debug/dropoutnet")
    }

    /// The bundled sample-data/. It is tracked in the repository, so when it is missing the
    /// package is broken: the tests that need it fail with this error instead of skipping.
    static func sampleData() throws -> URL {
        let dir = packageRoot.appendingPathComponent("sample-data")
        guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("interactions.csv").path) else {
            throw MissingSampleData(path: dir.path)
        }
        return dir
    }

    /// One cache directory for every command the tests run (removed with the temp directory).
    static let cacheHome = FileManager.default.temporaryDirectory.appendingPathComponent("dn-cli-cache-\(getpid())").path

    /// - Parameter fileSizeLimitKB: runs the command under `ulimit -f` with SIGXFSZ ignored, so
    ///   a write past the limit fails (EFBIG) as on a full disk.
    @discardableResult
    static func run(_ args: [String], environment: [String: String] = [:], cwd: URL? = nil,
                    fileSizeLimitKB: Int? = nil) throws -> Output {
        let p = Process()
        if let kb = fileSizeLimitKB {
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "trap '' XFSZ; ulimit -f \(kb * 2); exec \"$0\" \"$@\"", executable.path] + args
        } else {
            p.executableURL = executable
            p.arguments = args
        }
        p.currentDirectoryURL = cwd ?? packageRoot
        var env = ProcessInfo.processInfo.environment
        // The binary cache goes to the user's cache directory: a private one for the tests.
        env["XDG_CACHE_HOME"] = cacheHome
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let outPipe = Pipe(), errPipe = Pipe()
        p.standardOutput = outPipe
        p.standardError = errPipe
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // Drain stderr on another thread so a chatty child cannot block on a full pipe.
        let errBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errBox.data = errPipe.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errBox.data, as: UTF8.self))
    }
}

struct MissingSampleData: Error, CustomStringConvertible {
    let path: String
    var description: String { "\(path)/interactions.csv is missing: sample-data/ is tracked in the repository, so the package is incomplete" }
}
