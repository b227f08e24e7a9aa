import ArgumentParser
import DropoutNet
import Foundation

/// A bad-usage problem found after parsing (a bad combination, a missing file): exit code 2.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The one place commands turn errors into messages and exit codes (DESIGN §10): bad input or
/// usage (`DataError`, `SettingsError`, `SettingsFileError`, `UsageError`, `ExportError`, a
/// bad checkpoint's `CheckpointError`, a `CLIFailure` with code 2) prints `error: …` on stderr and exits 2;
/// any other failure prints and exits 1. ArgumentParser's own errors pass through untouched.
enum CommandErrors {
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let e as ExitCode {
            throw e
        } catch let e as CleanExit {
            throw e
        } catch let e as ValidationError {
            throw e
        } catch let e as DataError {
            fail(e.description, code: 2)
        } catch let e as SettingsError {
            fail(e.description, code: 2)
        } catch let e as UsageError {
            fail(e.description, code: 2)
        } catch let e as CheckpointError {
            fail(e.description, code: 2)
        } catch let e as SettingsFileError {
            fail(e.description, code: 2)
        } catch let e as ExportError {
            fail(String(describing: e), code: 2)
        } catch let f as CLIFailure {
            fail(f.message, code: f.code)
        } catch {
            fail(String(describing: error), code: 1)
        }
    }

    static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        Foundation.exit(code)
    }

    /// A line on stderr (progress and notes; stdout stays for results).
    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
