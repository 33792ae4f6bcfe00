// swift-tools-version: 6.1
import PackageDescription

import struct Foundation.URL

/// SwiftPM names a path dependency after its folder, which is wherever the repository was cloned.
let tripline = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

// Benchmarks live in their own package so the main build never compiles the harness.
// Run: cd Benchmarks && swift package benchmark   (see README.md, "Performance").
let package = Package(
    name: "TriplineBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "PatternMatching",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "FilterPattern", package: tripline),
                .product(name: "MetricFilters", package: tripline),
            ],
            path: "Benchmarks/PatternMatching",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        // `swift run -c release ScanStages STREAM`: the per-event stages of `tripline count`, timed in
        // one process over a stream held in memory (see README.md, "Performance").
        .executableTarget(
            name: "ScanStages",
            dependencies: [
                .product(name: "EventScan", package: tripline),
                .product(name: "FilterPattern", package: tripline),
                .product(name: "MetricFilters", package: tripline),
            ],
            path: "Benchmarks/ScanStages"
        ),
    ]
)
