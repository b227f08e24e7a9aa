import ArgumentParser

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "(not built yet)")

    func run() throws {
        throw ValidationError("'eval' is not built yet in this version")
    }
}
