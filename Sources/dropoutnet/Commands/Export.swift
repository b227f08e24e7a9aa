import ArgumentParser

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "(not built yet)")

    func run() throws {
        throw ValidationError("'export' is not built yet in this version")
    }
}
