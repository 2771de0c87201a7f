import ArgumentParser
import VaultKit

@main
struct Mycel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mycel",
        abstract: "Read a vault of linked Markdown notes from the terminal.",
        discussion: """
        The vault is --vault, else $MYCEL_VAULT, else the nearest enclosing folder that \
        holds .obsidian/, else the `vault` setting of config.toml, else the current folder. \
        --vault may come before or after the command. Every command takes --json.

        A NOTE argument is resolved like a [[link]] written at the vault root (path or \
        file name, .md optional, case-insensitive), then by title, then by alias.

        With no subcommand, mycel opens the vault in its full-screen browser.

        Examples:
          mycel --vault ~/notes
          mycel stats --vault ~/notes
          mycel backlinks "network nations"
          mycel links writing/citizen --json
          mycel tags governance
          mycel check || echo "the vault has problems"
        """,
        version: mycelVersion,
        subcommands: [Browse.self, Stats.self, Search.self, Grep.self, Show.self, Links.self, Backlinks.self, Graph.self, ConfigCommand.self, Tags.self, Check.self, Export.self],
        defaultSubcommand: Browse.self
    )
}

/// The version `mycel --version` prints.
let mycelVersion = "0.6.0"

extension Mycel {
    /// `mycel --vault ~/notes stats` reads as people mean it: options written before a
    /// command name are moved after it (otherwise `stats` would be taken for a note to open).
    static func main() {
        main(Self.commandFirst(Array(CommandLine.arguments.dropFirst())))
    }

    static func commandFirst(_ args: [String]) -> [String] {
        let names = Set(configuration.subcommands.map { $0._commandName })
        var leading: [String] = []
        var i = 0
        while i < args.count, args[i].hasPrefix("-") {
            leading.append(args[i])
            // `--vault PATH` takes the next word; `--vault=PATH` and flags do not.
            if args[i] == "--vault", i + 1 < args.count { leading.append(args[i + 1]); i += 1 }
            i += 1
        }
        guard !leading.isEmpty, i < args.count, names.contains(args[i]) else { return args }
        return [args[i]] + leading + args[(i + 1)...]
    }
}
