// swift-tools-version: 6.1
import PackageDescription

/// Upcoming features every target opts into.
let upcoming: [SwiftSetting] = [
    // SE-0335: spell existential types `any P`, so their cost is visible.
    .enableUpcomingFeature("ExistentialAny"),
    // SE-0444: a file sees only the modules it imports itself.
    .enableUpcomingFeature("MemberImportVisibility"),
    // SE-0409: imports are internal unless a module's types appear in our API.
    .enableUpcomingFeature("InternalImportsByDefault"),
    // Lets the per-event generic matcher be specialised across modules (about 15 % faster).
    // Release builds skip the runtime exclusivity checks (the static checks still apply): they
    // cost about a tenth of the per-event time on class-held scratch buffers.
    .unsafeFlags(["-cross-module-optimization", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "Tripline",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tripline", targets: ["tripline"]),
        .library(name: "FilterPattern", targets: ["FilterPattern"]),
        .library(name: "LinearRegex", targets: ["LinearRegex"]),
        .library(name: "EventScan", targets: ["EventScan"]),
        .library(name: "MetricFilters", targets: ["MetricFilters"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // Bottom layer: standard library only, no Foundation.
        .target(name: "TriplineCore", swiftSettings: upcoming),
        .target(name: "LinearRegex", swiftSettings: upcoming),
        .target(name: "FilterPattern", dependencies: ["LinearRegex"], swiftSettings: upcoming),
        .target(name: "CEventScan"),
        .target(name: "EventScan", dependencies: ["CEventScan", "TriplineCore"], swiftSettings: upcoming),
        .target(
            name: "MetricFilters",
            dependencies: ["FilterPattern", "EventScan", "TriplineCore"],
            swiftSettings: upcoming
        ),
        .target(name: "Alarms", dependencies: ["TriplineCore"], swiftSettings: upcoming),
        .target(name: "Gzip", swiftSettings: upcoming),
        .target(name: "CMappedInput"),
        .target(name: "TriplineIngest", dependencies: ["CMappedInput", "EventScan", "Gzip", "TriplineCore"], swiftSettings: upcoming),
        .target(
            name: "TriplineRuntime",
            dependencies: ["Alarms", "MetricFilters", "TriplineConfig", "TriplineIngest", "FilterPattern", "EventScan", "TriplineCore"],
            swiftSettings: upcoming
        ),
        .target(
            name: "LogIntegrity",
            dependencies: [
                "Gzip",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "TriplineConfig",
            dependencies: ["TriplineCore", "FilterPattern", "MetricFilters", .product(name: "Yams", package: "Yams")],
            swiftSettings: upcoming
        ),
        .target(
            name: "StateStore", dependencies: ["TriplineCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: upcoming
        ),
        .target(
            name: "Notify",
            dependencies: [
                "TriplineCore", "TriplineConfig", "StateStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: upcoming
        ),
        // The sidecar: HTTP ingest, /metrics, checkpoints, reload and graceful shutdown around a live run.
        .target(
            name: "TriplineServer",
            dependencies: [
                "TriplineRuntime", "TriplineIngest", "TriplineConfig", "MetricFilters", "Alarms", "TriplineCore", "StateStore",
                "Notify", "Gzip", "EventScan",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "tripline",
            dependencies: [
                "FilterPattern", "EventScan", "MetricFilters", "TriplineConfig", "Alarms", "TriplineIngest", "TriplineRuntime", "TriplineCore",
                "LogIntegrity", "StateStore", "Notify", "TriplineServer", .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: upcoming
        ),
        .target(name: "TriplineTestSupport", path: "Tests/TriplineTestSupport", swiftSettings: upcoming),
        .testTarget(
            name: "LinearRegexTests",
            dependencies: ["LinearRegex", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "EventScanTests",
            dependencies: ["TriplineTestSupport", "CEventScan", "EventScan", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "FilterPatternTests",
            dependencies: ["TriplineTestSupport", 
                "FilterPattern", "EventScan", "MetricFilters", "TriplineConfig", "Alarms", "TriplineIngest", "TriplineRuntime", "TriplineCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Snapshots", "Conformance"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "TriplineRuntimeTests",
            dependencies: ["TriplineRuntime", "TriplineIngest", "TriplineConfig", "MetricFilters", "Alarms", "TriplineCore"],
            swiftSettings: upcoming
        ),
        .testTarget(name: "GzipTests", dependencies: ["TriplineTestSupport", "Gzip"], swiftSettings: upcoming),
        .testTarget(name: "TriplineCoreTests", dependencies: ["TriplineCore"], swiftSettings: upcoming),
        .testTarget(name: "StateStoreTests", dependencies: ["StateStore", "TriplineCore"], swiftSettings: upcoming),
        .testTarget(
            name: "NotifyTests",
            dependencies: ["TriplineTestSupport", 
                "Notify", "StateStore", "TriplineCore", "TriplineConfig", "tripline",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "TriplineIngestTests",
            dependencies: ["TriplineTestSupport", 
                "TriplineIngest", "Gzip", "TriplineCore", "EventScan",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "AlarmsTests",
            dependencies: ["TriplineTestSupport", "Alarms", "TriplineCore", .product(name: "PropertyBased", package: "swift-property-based")],
            exclude: ["Snapshots"], swiftSettings: upcoming
        ),
        .testTarget(
            name: "LogIntegrityTests",
            dependencies: ["TriplineTestSupport", 
                "LogIntegrity", "Gzip", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "TriplineConfigTests", dependencies: ["TriplineTestSupport", "TriplineConfig", "TriplineCore", "MetricFilters"], exclude: ["Snapshots"], swiftSettings: upcoming),
        .testTarget(
            name: "TriplineServerTests",
            dependencies: ["TriplineTestSupport", 
                "TriplineServer", "TriplineRuntime", "TriplineConfig", "TriplineCore", "StateStore", "Gzip", "tripline",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "TriplineCLITests", dependencies: ["TriplineTestSupport", "tripline"], exclude: ["Snapshots"], swiftSettings: upcoming),
    ]
)
