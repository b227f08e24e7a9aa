import Foundation

/// Lines on stderr: stdout stays for results.
enum Console {
    /// Progress and notes.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// An "error: …" line.
    static func error(_ message: String) {
        note("error: " + message)
    }
}
