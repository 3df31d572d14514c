// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "trestle",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "trestle", targets: ["trestle"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.86.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.30.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .target(
            name: "TextRules",
            swiftSettings: strict
        ),
        .target(
            name: "MediaFiles",
            swiftSettings: strict
        ),
        .target(
            name: "Feeds",
            swiftSettings: strict
        ),
        .target(
            name: "Networks",
            dependencies: [
                "TextRules",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "App",
            dependencies: [
                "TextRules",
                "Networks",
                "MediaFiles",
                "Feeds",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "trestle",
            dependencies: [.target(name: "App")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "TextRulesBenchmark",
            dependencies: ["TextRules"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "FeedsBenchmark",
            dependencies: ["Feeds"],
            swiftSettings: strict
        ),
        // libFuzzer over the binary parsers; see scripts/fuzz-media. A plain build replays files.
        .executableTarget(
            name: "MediaFuzzer",
            dependencies: ["MediaFiles"],
            swiftSettings: strict
        ),
        // libFuzzer over the feed readers; see scripts/fuzz-feeds.
        .executableTarget(
            name: "FeedsFuzzer",
            dependencies: ["Feeds"],
            swiftSettings: strict
        ),
        // The seeded mutation loop every parser of untrusted bytes runs under in the suite.
        .target(
            name: "Fuzzing",
            path: "Tests/Fuzzing",
            swiftSettings: strict
        ),
        .testTarget(
            name: "MediaFilesTests",
            dependencies: ["MediaFiles", "Fuzzing"],
            // Read by path, not bundled.
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FeedsTests",
            dependencies: ["Feeds", "Fuzzing"],
            // Read by path, not bundled.
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TextRulesTests",
            dependencies: [
                "TextRules",
                "Fuzzing",
                .product(name: "Yams", package: "Yams"),
            ],
            // Read by path (ConformanceData), not bundled.
            exclude: ["Conformance"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "NetworksTests",
            dependencies: [
                "Networks",
                "Fuzzing",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            // Read by path, not bundled.
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AppTests",
            dependencies: [
                .target(name: "App"),
                "Networks",
                "Fuzzing",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            // Read by path (Lexicon), not bundled.
            exclude: ["Lexicons"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
