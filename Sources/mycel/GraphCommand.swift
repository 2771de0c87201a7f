import ArgumentParser
import Foundation
import VaultKit

struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the web around a note: what links to it, what it links to, notes sharing its tags, and the second ring.",
        discussion: """
        Each group is ranked: by number of links, of shared tags, or (second ring) of \
        first-ring notes that lead there. --dot prints Graphviz DOT for a picture:

        Examples:
          mycel graph "network nations"
          mycel graph commons --depth 1
          mycel graph commons --dot | dot -Tsvg > commons.svg
        """)

    @OptionGroup var options: VaultOptions
    @Argument(help: "The note (path, file name, title or alias).")
    var note: String
    @Option(name: .long, help: "1: the note's own links and tags; 2 (default): also the second ring.")
    var depth = 2
    @Option(name: .long, help: "Keep at most this many notes per group.")
    var limit = 50
    @Flag(name: .long, help: "Print Graphviz DOT instead of text.")
    var dot = false

    struct Entry: Codable { var path: String; var title: String; var weight: Int }
    struct Output: Codable {
        var note: String
        var linksHere: [Entry]
        var linkedFromHere: [Entry]
        var sharesTags: [Entry]
        var secondRing: [Entry]
        /// How many notes each group has in all (the lists keep the strongest `--limit`).
        var totals: Totals
    }

    struct Totals: Codable {
        var linksHere, linkedFromHere, sharesTags, secondRing: Int
    }

    func validate() throws {
        guard (1...2).contains(depth) else { throw ValidationError("--depth is 1 or 2") }
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        try guarded {
            let v = try options.load()
            let index = try v.requireNote(note)
            let n = v.neighbourhood(of: index, depth: depth, limit: limit)
            func entries(_ xs: [Neighbour]) -> [Entry] {
                xs.map { Entry(path: v.notes[$0.note].path, title: v.notes[$0.note].title, weight: $0.weight) }
            }
            if options.json {
                return try printJSON(Output(note: v.notes[index].path, linksHere: entries(n.inbound),
                                            linkedFromHere: entries(n.outbound), sharesTags: entries(n.sharingTags),
                                            secondRing: entries(n.secondRing),
                                            totals: Totals(linksHere: n.totals[0], linkedFromHere: n.totals[1],
                                                           sharesTags: n.totals[2], secondRing: n.totals[3])))
            }
            if dot { return out(Self.dot(v, n)) }
            out("\(v.notes[index].title)  (\(v.notes[index].path))")
            let groups: [(String, [Neighbour], String)] = [
                ("links here", n.inbound, "link"), ("linked from here", n.outbound, "link"),
                ("shares tags", n.sharingTags, "tag"), ("second ring", n.secondRing, "path"),
            ]
            for ((name, xs, unit), total) in zip(groups, n.totals) where !(name == "second ring" && depth < 2) {
                // A group cut by --limit says how many there are in all.
                out("\n\(name) (\(total > xs.count ? "\(xs.count) of \(total), the strongest; --limit shows more" : "\(xs.count)")):")
                if xs.isEmpty { out("  none") }
                for x in xs {
                    out("  \(v.notes[x.note].title)  \(v.notes[x.note].path)  ×\(x.weight) \(unit)\(x.weight == 1 ? "" : "s")")
                }
            }
        }
    }

    /// Graphviz DOT: the centre in bold, first-ring edges in their direction, second-ring
    /// notes dashed and joined to the first-ring notes that lead to them.
    static func dot(_ v: Vault, _ n: Neighbourhood) -> String {
        func id(_ i: Int) -> String {
            "\"" + v.notes[i].path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        func label(_ i: Int) -> String {
            v.notes[i].title.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        }
        var lines = ["digraph mycel {", "  node [shape=box];", "  \(id(n.centre)) [label=\"\(label(n.centre))\", style=bold];"]
        var declared: Set<Int> = [n.centre]
        func declare(_ i: Int, _ extra: String = "") {
            if declared.insert(i).inserted { lines.append("  \(id(i)) [label=\"\(label(i))\"\(extra)];") }
        }
        for x in n.inbound { declare(x.note); lines.append("  \(id(x.note)) -> \(id(n.centre));") }
        for x in n.outbound { declare(x.note); lines.append("  \(id(n.centre)) -> \(id(x.note));") }
        for x in n.sharingTags { declare(x.note, ", color=gray"); lines.append("  \(id(n.centre)) -> \(id(x.note)) [dir=none, style=dotted];") }
        let first = Set(n.inbound.map(\.note)).union(n.outbound.map(\.note))
        for x in n.secondRing {
            declare(x.note, ", style=dashed")
            for f in first where v.linkedNotes(f).contains(x.note) || v.backlinks[f].contains(where: { $0.note == x.note }) {
                lines.append("  \(id(f)) -> \(id(x.note)) [style=dashed];")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }
}
