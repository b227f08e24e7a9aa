import ArgumentParser

struct BenchGEMM: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gemm", abstract: "(not built yet)")

    @Flag(help: "Print one JSON object on stdout.") var json = false

    func run() throws {
        throw ValidationError("'bench gemm' is not built yet in this version")
    }
}
