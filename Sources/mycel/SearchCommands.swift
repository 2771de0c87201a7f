import ArgumentParser
import BrowserUI
import Foundation
import VaultKit

/// ANSI styling for matched characters, only where output may be coloured (`stdoutTakesColour`).
enum Highlight {
    static let enabled = stdoutTakesColour

    /// `text` with the scalars at `positions` in bold yellow.
    static func scalars(_ text: String, _ positions: [Int]) -> String {
        let safe = neutralizeControls(text)
        guard enabled, !positions.isEmpty else { return safe }
        let marked = Set(positions)
        var out = ""
        var on = false
        for (i, u) in safe.unicodeScalars.enumerated() {
            let want = marked.contains(i)
            if want != on { out += want ? "\u{1B}[1;33m" : "\u{1B}[0m"; on = want }
            out.unicodeScalars.append(u)
        }
        if on { out += "\u{1B}[0m" }
        return out
    }

    static func columns(_ text: String, _ ranges: [ColumnRange]) -> String {
        scalars(text, ranges.flatMap { ($0.column - 1)..<($0.column - 1 + $0.length) })
    }

    static func dim(_ s: String) -> String { enabled ? "\u{1B}[2m\(s)\u{1B}[0m" : s }
}

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find notes by title, file name, path or alias with the fuzzy finder.",
        discussion: """
        Terms separated by spaces must all match, in any order. Syntax as in fzf: \
        'word (exact), ^word (starts with), word$ (ends with), !word (must not contain); \
        #tag keeps notes with a tag starting with it (#fungi also finds ecology/fungi), \
        !#tag drops them. Lower-case terms ignore case; a capital makes the \
        term case-sensitive. Accents are ignored: cafe finds Café. Tags alone list \
        their notes by title.

        Each result says which name matched: the title, the file name, the path or an alias.
        Exit status 1 when no note matches (with --json too, which then prints []).

        Examples:
          mycel search "network states"
          mycel search netnat --limit 3
          mycel search "#governance dem" --json
        """)

    @OptionGroup var options: VaultOptions
    @Argument(help: "The query.")
    var query: String
    @Option(name: .long, help: "How many results to print.")
    var limit = 20

    struct Output: Codable {
        var rank: Int
        var id: String
        var path: String
        var title: String
        var field: NameIndex.FieldKind
        var text: String
        var score: Int32
        var positions: [Int]
    }

    func run() throws {
        try guarded {
            guard limit > 0 else { throw CLIError("--limit must be at least 1", status: 64) }
            let v = try options.load()
            let result = NameSearcher(NameIndex(v)).search(query, limit: limit)!
            let rows = result.matches.enumerated().map { k, m in
                Output(rank: k + 1, id: v.notes[m.note].id, path: v.notes[m.note].path, title: v.notes[m.note].title,
                       field: m.field, text: m.text, score: m.score, positions: m.positions)
            }
            if options.json {
                // `[]` then, and the same exit status as the text output: scripts test one.
                try printJSON(rows)
                if rows.isEmpty { throw ExitCode(1) }
                return
            }
            if rows.isEmpty { throw CLIError("no note matches \"\(query)\"") }
            // Titles are padded to the widest in terminal columns (a CJK character takes two).
            func columns(_ title: String) -> Int { DisplayWidth.of(neutralizeControls(title)) }
            let width = rows.map { columns($0.title) }.max() ?? 0
            for (row, m) in zip(rows, result.matches) {
                let title = m.field == .title ? Highlight.scalars(row.title, m.positions) : neutralizeControls(row.title)
                let pad = String(repeating: " ", count: max(0, width - columns(row.title)))
                var why = ""
                if m.field != .title { why = "  ← \(m.field.rawValue) \"" + Highlight.scalars(m.text, m.positions) + "\"" }
                print(String(format: "%3d  ", row.rank) + title + pad + "  " + Highlight.dim(neutralizeControls(row.path)) + why)
            }
            // On standard error, so that a pipeline counts and reads results only.
            if result.total > rows.count {
                FileHandle.standardError.write(Data("… \(result.total - rows.count) more (--limit)\n".utf8))
            }
        }
    }
}

struct Grep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search the body of every note, like ripgrep: path:line:column: the line.",
        discussion: """
        TEXT is found case-insensitively as written, spaces included (a phrase), in any \
        script, in the notes' bodies (not their frontmatter: mycel search finds titles and \
        aliases, mycel tags tags). Notes whose title also contains it come first. Exit status 1 when nothing \
        is found (with --json too, which then prints []), as with ripgrep.

        Examples:
          mycel grep "mutual aid"
          mycel grep 菌糸
          mycel grep commons --json | jq '.[].path' | sort -u
        """)

    @OptionGroup var options: VaultOptions
    @Argument(help: "The text to find.")
    var text: String
    @Option(name: .long, help: "Stop after this many lines.")
    var limit: Int?

    struct Output: Codable {
        var id: String
        var path: String
        var title: String
        var line: Int
        var columns: [ColumnRange]
        var text: String
        var inTitle: Bool
    }

    func run() throws {
        try guarded {
            guard !text.isEmpty else { throw CLIError("give a text to search for", status: 64) }
            if let limit, limit < 1 { throw CLIError("--limit must be at least 1", status: 64) }
            guard !text.contains(where: \.isNewline) else {
                throw CLIError("the text holds a line break; grep finds text within one line", status: 64)
            }
            let v = try options.load()
            let hits = v.grep(text, limit: limit ?? .max)
            if options.json {
                try printJSON(hits.map { h in
                    Output(id: v.notes[h.note].id, path: v.notes[h.note].path, title: v.notes[h.note].title,
                           line: h.line, columns: h.columns, text: h.text, inTitle: h.inTitle)
                })
                if hits.isEmpty { throw ExitCode(1) }
                return
            }
            var buffer = ""
            buffer.reserveCapacity(hits.count * 100)
            for h in hits {
                buffer += "\(v.notes[h.note].path):\(h.line):\(h.columns[0].column): " + Highlight.columns(h.text, h.columns) + "\n"
            }
            FileHandle.standardOutput.write(Data(buffer.utf8))
            if hits.isEmpty { throw ExitCode(1) }
        }
    }
}
