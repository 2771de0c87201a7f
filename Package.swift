// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "mycel",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mycel", targets: ["mycel"]),
        .library(name: "VaultKit", targets: ["VaultKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // The vault graph: scanning, parsing, resolution, tags, mentions. No terminal code.
        .target(
            name: "VaultKit",
            dependencies: [.product(name: "Yams", package: "Yams"), "CPrefetch"]
        ),
        // A header-only C shim: `__builtin_prefetch` for the finder's scan.
        .systemLibrary(name: "CPrefetch"),
        // Deterministic synthetic vaults with their ground truth, for tests and benchmarks.
        .target(
            name: "VaultGenerator",
            dependencies: ["VaultKit"]
        ),
        // Debian's libncursesw behind a shim header; only TerminalBackend imports it.
        .systemLibrary(
            name: "CNCursesW",
            providers: [.apt(["libncurses-dev"])]
        ),
        // Debian's libcmark-gfm (CommonMark plus GitHub's tables, strikethrough, task lists).
        .systemLibrary(
            name: "CCmarkGFM",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // The browser as data: state, messages, update, key map, layout, the Markdown renderer
        // and widgets drawing into a cell grid. No terminal code: every screen is testable text.
        .target(
            name: "BrowserUI",
            dependencies: ["VaultKit", "CCmarkGFM"]
        ),
        // The only code that touches ncurses: start/stop, colours, painting a grid, input.
        .target(
            name: "TerminalBackend",
            dependencies: ["BrowserUI", "CNCursesW"]
        ),
        // config.toml: key bindings, colours, editor, default vault, pane widths.
        .target(
            name: "Configuration",
            dependencies: ["BrowserUI", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .executableTarget(
            name: "mycel",
            dependencies: [
                "VaultKit",
                "VaultGenerator",
                "BrowserUI",
                "TerminalBackend",
                "Configuration",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Writes generated vaults to disk for `make bench` and manual trials.
        .executableTarget(
            name: "vaultgen",
            dependencies: ["VaultGenerator"]
        ),
        // `make bench`: load, finder, grep and memory against ripgrep, cat and fzf.
        .executableTarget(
            name: "mycel-bench",
            dependencies: ["VaultKit", "VaultGenerator", "BrowserUI"]
        ),
        // Every reader of a note in one function, for libFuzzer (`make fuzz`) and for the
        // regression tests that replay what it found.
        .target(
            name: "MycelFuzz",
            dependencies: ["VaultKit", "BrowserUI"]
        ),
        // `make fuzz` builds this as a libFuzzer binary; otherwise it replays saved inputs.
        .executableTarget(
            name: "mycel-fuzz",
            dependencies: ["MycelFuzz"]
        ),
        .testTarget(
            name: "VaultKitTests",
            dependencies: ["VaultKit", "VaultGenerator"]
        ),
        .testTarget(
            name: "BrowserUITests",
            dependencies: ["BrowserUI", "VaultKit", "VaultGenerator"],
            // Text snapshots of screens, read by path from the tests.
            exclude: ["Snapshots"]
        ),
        .testTarget(
            name: "ConfigurationTests",
            dependencies: ["Configuration", "BrowserUI"]
        ),
        .testTarget(
            name: "TerminalBackendTests",
            dependencies: ["TerminalBackend", "BrowserUI", "CNCursesW"]
        ),
        .testTarget(
            name: "MycelCLITests",
            dependencies: ["VaultKit", "VaultGenerator"]
        ),
    ]
)
