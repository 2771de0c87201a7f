// The web around a note: who links to it, what it links to, which notes share its tags,
// and the second ring, each ranked. Used by the browser's `w` view and `mycel graph`.

/// A note near another, with how strongly it is tied.
public struct Neighbour: Sendable, Equatable {
    public let note: Int
    /// Links (first ring), shared tags, or first-ring notes it is reached through (second ring).
    public let weight: Int
}

public struct Neighbourhood: Sendable, Equatable {
    public let centre: Int
    /// Notes that link to the centre, by number of links.
    public let inbound: [Neighbour]
    /// Notes the centre links to (or reaches through an alias), by number of links.
    public let outbound: [Neighbour]
    /// Other notes sharing tags with the centre, by number of tags shared.
    public let sharingTags: [Neighbour]
    /// Notes linked to or from the first ring (not in it), by how many first-ring notes
    /// lead to them. Empty at depth 1.
    public let secondRing: [Neighbour]
    /// How many notes each group had before it was cut to the limit, in the order above
    /// (inbound, outbound, sharing tags, second ring).
    public let totals: [Int]

    /// Every note of the first ring.
    public var firstRing: Set<Int> { Set((inbound + outbound + sharingTags).map(\.note)) }
}

extension Vault {
    /// Notes note `index` links to, one per link (the alias's note for an alias-only link).
    public func linkedNotes(_ index: Int) -> [Int] {
        notes[index].links.compactMap { link in
            if case let .note(t) = link.destination { return t }
            return link.aliasOf
        }
    }

    /// The neighbourhood of note `index`; each list keeps its `limit` strongest entries.
    public func neighbourhood(of index: Int, depth: Int = 2, limit: Int = 50) -> Neighbourhood {
        func ranked(_ counts: [Int: Int]) -> [Neighbour] {
            counts.filter { $0.key != index }
                .sorted { $0.value != $1.value ? $0.value > $1.value : notes[$0.key].title.folded < notes[$1.key].title.folded }
                .prefix(limit).map { Neighbour(note: $0.key, weight: $0.value) }
        }
        var inbound: [Int: Int] = [:]
        for ref in backlinks[index] { inbound[ref.note, default: 0] += 1 }
        for i in notes.indices where i != index {
            // Alias-only links point at a ghost, but they mean this note.
            for link in notes[i].links where link.aliasOf == index { inbound[i, default: 0] += 1 }
        }
        var outbound: [Int: Int] = [:]
        for t in linkedNotes(index) { outbound[t, default: 0] += 1 }

        let ownTags = Set(notes[index].tags.map(\.folded))
        var sharing: [Int: Int] = [:]
        if !ownTags.isEmpty {
            for i in notes.indices where i != index && inbound[i] == nil && outbound[i] == nil {
                let shared = notes[i].tags.reduce(0) { $0 + (ownTags.contains($1.folded) ? 1 : 0) }
                if shared > 0 { sharing[i] = shared }
            }
        }

        var second: [Int: Int] = [:]
        if depth >= 2 {
            let first = Set(inbound.keys).union(outbound.keys).subtracting([index])
            for f in first {
                var reached = Set(linkedNotes(f))
                for ref in backlinks[f] { reached.insert(ref.note) }
                for r in reached where r != index && !first.contains(r) { second[r, default: 0] += 1 }
            }
        }
        let groups = [inbound, outbound, sharing, second]
        return Neighbourhood(centre: index, inbound: ranked(inbound), outbound: ranked(outbound),
                             sharingTags: ranked(sharing), secondRing: ranked(second),
                             totals: groups.map { $0.keys.filter { $0 != index }.count })
    }
}
