import ArgumentParser
import Configuration
import Foundation

extension Config {
    /// The configuration file of this user, or the defaults when there is none.
    static func load(environment: [String: String] = ProcessInfo.processInfo.environment) -> Config {
        let path = Config.path(environment: environment)
        let text = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
        return Config.parse(text, file: path)
    }
}

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show where the configuration file is, check it, or print a commented default one.",
        discussion: """
        The file is $XDG_CONFIG_HOME/mycel/config.toml (default ~/.config/mycel/config.toml). \
        It sets the key bindings, colours and theme, the editor, the default vault and the \
        side panes' widths; see docs/configuration.md.

        Examples:
          mycel config --print-default > ~/.config/mycel/config.toml
          mycel config --check
        """)

    @Flag(name: .long, help: "Print a configuration file holding every default, commented.")
    var printDefault = false
    @Flag(name: .long, help: "Report every problem in the configuration file (exit status 1 when any).")
    var check = false

    func run() throws {
        if printDefault { return print(Config.defaultFile, terminator: "") }
        let path = Config.path(environment: ProcessInfo.processInfo.environment)
        let exists = FileManager.default.fileExists(atPath: path)
        let config = Config.load()
        print(exists ? path : "\(path) (not there: mycel uses its defaults)")
        if check || !config.problems.isEmpty {
            for p in config.problems { print(p) }
            if config.problems.isEmpty { print("no problems") }
        }
        if check && !config.problems.isEmpty { throw ExitCode(1) }
    }
}
