import ArgumentParser

struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "(not built yet)")

    func run() throws {
        throw ValidationError("'runs' is not built yet in this version")
    }
}
