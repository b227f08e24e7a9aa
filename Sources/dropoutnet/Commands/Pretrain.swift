import ArgumentParser

struct Pretrain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pretrain", abstract: "(not built yet)")

    func run() throws {
        throw ValidationError("'pretrain' is not built yet in this version")
    }
}
