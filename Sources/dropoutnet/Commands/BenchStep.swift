import ArgumentParser

/// Hidden: runs N training-shaped steps of a plain MLP, for allocation counting under valgrind.
struct BenchStep: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "step", abstract: "(not built yet)", shouldDisplay: false)

    func run() throws {
        throw ValidationError("'bench step' is not built yet in this version")
    }
}
