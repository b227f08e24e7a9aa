import ArgumentParser

struct Recommend: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "recommend", abstract: "(not built yet)")

    func run() throws {
        throw ValidationError("'recommend' is not built yet in this version")
    }
}
