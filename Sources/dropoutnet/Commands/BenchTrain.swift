import ArgumentParser

struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "(not built yet)")

    @Flag(help: "Print one JSON object on stdout.") var json = false

    func run() throws {
        throw ValidationError("'bench train' is not built yet in this version")
    }
}
