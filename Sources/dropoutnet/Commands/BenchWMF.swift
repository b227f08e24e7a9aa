import ArgumentParser

struct BenchWMF: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "wmf", abstract: "(not built yet)")

    @Flag(help: "Print one JSON object on stdout.") var json = false

    func run() throws {
        throw ValidationError("'bench wmf' is not built yet in this version")
    }
}
