import ArgumentParser
import Foundation
import VaultKit

@main
struct Mycel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mycel",
        abstract: "Read a vault of linked Markdown notes from the terminal.",
        discussion: """
        The vault is --vault, else $MYCEL_VAULT, else the nearest enclosing folder that \
        holds .obsidian/, else the `vault` setting of config.toml, else the current folder. \
        --vault may come before or after the command. Every command that prints results \
        takes --json.

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
        let args = Self.commandFirst(Array(CommandLine.arguments.dropFirst()))
        // `mycel serach foo` would be read as the browser given two notes to open: a first
        // word that is no command, followed by more words, is a mistyped command.
        var words: [String] = []
        var i = 0
        while i < args.count {
            if args[i] == "--" { words += args[(i + 1)...]; break }
            if args[i] == "--vault" { i += 2; continue }  // its value is no word
            if !args[i].hasPrefix("-") { words.append(args[i]) }
            i += 1
        }
        if words.count >= 2, let first = args.first, first == words[0], !commandNames.contains(first), first != "help" {
            let guess = closestCommand(to: first).map { "; did you mean “\($0)”?" } ?? ""
            FileHandle.standardError.write(Data("mycel: “\(first)” is not a command\(guess) (mycel --help lists them)\n".utf8))
            Foundation.exit(64)
        }
        main(args)
    }

    static var commandNames: Set<String> { Set(configuration.subcommands.map { $0._commandName }) }

    /// The command name `word` most likely meant: at most two edits away (`editDistance`,
    /// as for a note's closest names), and fewer than half the name's letters; nil when
    /// none is that close.
    static func closestCommand(to word: String) -> String? {
        let w = Array(word.lowercased().unicodeScalars)
        let ranked = commandNames.map { ($0, editDistance(w, Array($0.unicodeScalars))) }
            .filter { $0.1 <= 2 && $0.1 < max(2, $0.0.count / 2 + 1) }
        return ranked.min { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }?.0
    }

    static func commandFirst(_ args: [String]) -> [String] {
        let names = commandNames
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
