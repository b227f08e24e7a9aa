import Foundation

/// The target named by `DROPOUTNET_FUZZ_TARGET`, read once.
private let target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["DROPOUTNET_FUZZ_TARGET"] ?? ""
    guard let t = FuzzTarget(rawValue: name) else {
        let known = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("DROPOUTNET_FUZZ_TARGET must be one of: \(known) (got '\(name)')\n".utf8))
        exit(2)
    }
    return t
}()

private let scratch = Scratch()

/// libFuzzer's entry point: one input, any size, never kept.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let input = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    target.run(input, in: scratch)
    return 0
}
