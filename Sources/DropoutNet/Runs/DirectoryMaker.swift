import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `mkdir -p` that fails in the system's words ("Not a directory", "Permission denied", "No
/// space left on device"): Foundation on Linux reports only "NSCocoaErrorDomain error 512",
/// which tells a user nothing about why the runs directory cannot be made.
enum DirectoryMaker {
    /// Creates `url` and any missing parents.
    /// - Throws: `DirectoryError` naming the directory that could not be created and why.
    static func create(_ url: URL) throws {
        var path = url.path.hasPrefix("/") ? "" : "."
        for component in url.path.split(separator: "/") {
            path += "/" + component
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw DirectoryError(path: path, reason: String(cString: strerror(errno)))
            }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DirectoryError(path: url.path, reason: String(cString: strerror(ENOTDIR)))
        }
    }
}

/// A directory that could not be created, with the system's reason.
struct DirectoryError: Error, CustomStringConvertible {
    let path: String
    let reason: String
    var description: String { "cannot create \(path): \(reason)" }
}
