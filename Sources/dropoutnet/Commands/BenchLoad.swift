import ArgumentParser

struct BenchLoad: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "load", abstract: "(not built yet)")

    @Flag(help: "Print one JSON object on stdout.") var json = false

    func run() throws {
        throw ValidationError("'bench load' is not built yet in this version")
    }
}
