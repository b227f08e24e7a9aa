import ArgumentParser

struct Tui: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tui", abstract: "(not built yet)")

    func run() throws {
        throw ValidationError("'tui' is not built yet in this version")
    }
}
