// swift-tools-version:6.0
import PackageDescription

// The built-in GEMM kernel and the elementwise kernels are written with SIMD types; without
// FMA code generation each `addingProduct` lane becomes a libm `fmaf` call (~0.5 GFLOP/s).
// The manifest is compiled for the host, so `#if arch` picks flags that the host can build.
#if arch(x86_64)
let simdFlags: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-march=x86-64-v3"])]
#else
let simdFlags: [SwiftSetting] = []
#endif

// Debug builds of the numerics and the model would make the test suite (which trains real
// models) crawl; the hot layers are always optimised, even in `swift test`.
let optimised: [SwiftSetting] = simdFlags + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "dropoutnet",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dropoutnet", targets: ["dropoutnet"]),
        // For the fuzz harness under Fuzz/ (a separate package, built by scripts/fuzz.sh).
        .library(name: "DropoutNet", targets: ["DropoutNet"]),
        .library(name: "Workbench", targets: ["Workbench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CNCurses", path: "Sources/CNCurses"),
        .target(name: "Numerics", swiftSettings: optimised),
        .target(name: "NeuralNet", dependencies: ["Numerics"], swiftSettings: optimised),
        .target(
            name: "DropoutNet",
            dependencies: [
                "Numerics", "NeuralNet",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: optimised),
        .target(
            name: "Workbench",
            dependencies: [
                "DropoutNet", "CNCurses",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: simdFlags),
        .executableTarget(
            name: "dropoutnet",
            dependencies: [
                "DropoutNet", "Workbench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: simdFlags),
        .testTarget(name: "NumericsTests", dependencies: ["Numerics"], swiftSettings: simdFlags),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "Numerics"], swiftSettings: simdFlags),
        .testTarget(name: "DropoutNetTests", dependencies: ["DropoutNet", "NeuralNet", "Numerics"],
                    exclude: ["Reports/Fixtures"], swiftSettings: simdFlags),
        .testTarget(name: "WorkbenchTests", dependencies: ["Workbench", "DropoutNet"], swiftSettings: simdFlags),
        // Golden files are read from the source tree (`#filePath`), not bundled.
        .testTarget(name: "EndToEndTests", dependencies: [], exclude: ["Fixtures"], swiftSettings: simdFlags),
    ],
    // Swift 5 mode: the C interop (ncurses globals, BLAS pointers) and the hand-managed
    // threads are checked by design and tests, not by the strict-concurrency model.
    swiftLanguageModes: [.v5]
)
