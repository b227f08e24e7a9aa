import ArgumentParser
import DropoutNet
import Foundation
import Workbench

/// `bench frame`: what one workbench frame costs without a terminal (DESIGN §6 budget: 5 ms
/// at 200×60): a screen with charts and a table re-rendered as training data arrives, then
/// diffed against the previous frame.
struct BenchFrame: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frame",
        abstract: "Milliseconds to render and diff a typical workbench frame.")

    @Option(help: "Screen width in cells.") var width = 200
    @Option(help: "Screen height in cells.") var height = 60
    @Option(help: "Frames rendered (the first is not counted).") var frames = 50
    @Flag(help: "Print one JSON object on stdout.") var json = false

    func validate() throws {
        guard width >= 80, height >= 24 else { throw ValidationError("--width must be at least 80 and --height at least 24") }
        guard frames >= 2 else { throw ValidationError("--frames must be at least 2") }
    }

    func run() throws {
        let r = FrameBenchmark.run(width: width, height: height, frames: frames)
        if json {
            print(try JSONOutput.text(BenchReport.Frame(r)))
        } else {
            print("bench frame: \(r)")
        }
    }
}
