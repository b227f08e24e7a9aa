import ArgumentParser

struct BenchEval: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "(not built yet)")

    @Flag(help: "Print one JSON object on stdout.") var json = false

    func run() throws {
        throw ValidationError("'bench eval' is not built yet in this version")
    }
}
