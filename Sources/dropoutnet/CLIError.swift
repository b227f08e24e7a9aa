import DropoutNet

/// An error that knows how the program ends when it reaches the entry point (DESIGN §10):
/// 1 for a runtime failure, 2 for bad usage or bad input (with a message naming file, line or
/// field), or a signal's 128 + N. `DropoutNetCommand.main` is the one place that prints it and
/// exits, after every `defer` on the way up has run; an error that is no `CLIError` is a runtime
/// failure (1).
protocol CLIError: Error {
    var exitStatus: Int32 { get }
    /// The text after "error: " on stderr; nil prints nothing.
    var message: String? { get }
}

extension CLIError where Self: CustomStringConvertible {
    var message: String? { description }
}

/// A bad-usage problem found after parsing (a bad combination, a missing file, an unknown run).
struct UsageError: CLIError, CustomStringConvertible {
    var description: String
    var exitStatus: Int32 { 2 }
    init(_ description: String) { self.description = description }
}

/// The workbench left on SIGINT / SIGTERM / SIGHUP: after the clean-up, the conventional
/// 128 + signal, silently (the terminal has been restored; the user knows why).
struct SignalExit: CLIError {
    var signal: Int32
    var exitStatus: Int32 { 128 + signal }
    var message: String? { nil }
}

// Bad input found by the library: exit 2.
extension DataError: CLIError { var exitStatus: Int32 { 2 } }
extension SettingsError: CLIError { var exitStatus: Int32 { 2 } }
extension SettingsFileError: CLIError { var exitStatus: Int32 { 2 } }
extension CheckpointError: CLIError { var exitStatus: Int32 { 2 } }
extension ExportError: CLIError { var exitStatus: Int32 { 2 } }
