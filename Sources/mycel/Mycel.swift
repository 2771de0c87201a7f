import ArgumentParser
import VaultKit

@main
struct Mycel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mycel",
        abstract: "Read a vault of linked Markdown notes from the terminal.",
        discussion: """
        The vault is --vault, else $MYCEL_VAULT, else the nearest enclosing folder that \
        holds .obsidian/, else the current folder. Every command takes --json.

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
