// swift-tools-version:6.0
import Foundation
import PackageDescription

// The libFuzzer harness (`scripts/fuzz.sh` builds and runs it). A package of its own so that
// the normal `swift build` / `swift test` never build it: it has no `main` (libFuzzer brings
// one) and only links with `--sanitize=fuzzer`.
//
// The project is a path dependency, whose identity is its directory's name (any checkout's).
let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "dropoutnet-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "dropoutnet-fuzz",
            dependencies: [
                .product(name: "DropoutNet", package: project),
                .product(name: "Workbench", package: project),
            ],
            // No top-level code: the entry point is `LLVMFuzzerTestOneInput`.
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    ],
    swiftLanguageModes: [.v5]
)
