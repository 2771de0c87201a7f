/// A node of the nested tag tree. `ecology/fungi` counts under `ecology` too.
public struct TagNode: Sendable {
    /// The last segment, in the casing first seen (`fungi`); empty for the root.
    public let name: String
    /// The full tag, in the casing first seen (`ecology/fungi`); empty for the root.
    public let path: String
    /// Notes carrying exactly this tag.
    public let notes: [Int]
    /// Distinct notes carrying this tag or one nested under it.
    public let count: Int
    public let children: [TagNode]

    /// The node for a tag path (case-insensitive, with or without `#`).
    public func find(_ tag: String) -> TagNode? {
        var t = Substring(tag)
        while t.hasPrefix("#") { t.removeFirst() }
        let parts = t.split(separator: "/").map { String($0).folded }
        var node = self
        for part in parts {
            guard let child = node.children.first(where: { $0.name.folded == part }) else { return nil }
            node = child
        }
        return node
    }

    /// Notes under this tag, nested tags included, in note order.
    public var allNotes: [Int] {
        var set = Set(notes)
        for c in children { set.formUnion(c.allNotes) }
        return set.sorted()
    }

    /// Every node below this one, depth first.
    public func walk(_ body: (TagNode, Int) -> Void, depth: Int = 0) {
        for c in children {
            body(c, depth)
            c.walk(body, depth: depth + 1)
        }
    }

    /// The tree of the tags of every note (`tags[i]`: note i's tags, as `Note.tags`).
    static func build(_ tags: [[String]]) -> TagNode {
        final class Builder {
            var name: String
            var path: String
            var notes: [Int] = []
            var mixed = false
            /// Distinct notes at or under this node.
            var count = 0
            /// Its place among the nodes made (the root has none).
            let number: Int
            var children: [String: Builder] = [:]
            init(name: String, path: String, number: Int = -1) {
                self.name = name
                self.path = path
                self.number = number
            }
            func freeze() -> TagNode {
                let kids = children.values
                    .sorted { ($0.name.folded, $0.name) < ($1.name.folded, $1.name) }
                    .map { $0.freeze() }
                return TagNode(name: name, path: path, notes: mixed ? Array(Set(notes)).sorted() : notes,
                               count: count, children: kids)
            }
        }
        let root = Builder(name: "", path: "")
        // Tags as written, each with its notes (in note order), in the order first seen:
        // the tree is then built once per distinct tag, not once per occurrence. Tags are
        // told apart by their bytes (a `String` key would normalize every tag outside ASCII
        // to hash it); two spellings of one tag meet again at their node below.
        var order: [String] = []
        var carriersOf: [[Int]] = []
        var keys = KeyArena(capacity: 1 << 12)
        var slot = KeyTable.Builder(capacity: 256)
        /// Each occurrence: its note and its tag's place in `order`, in note order.
        var occurrences: [(note: Int, tag: Int)] = []
        occurrences.reserveCapacity(tags.reduce(0) { $0 + $1.count })
        for i in tags.indices {
            // Each tag is read where it lies (a copy of each would be retained and released).
            tags[i].withUnsafeBufferPointer { list in
                for k in list.indices {
                    let known = list[k].utf8.withContiguousStorageIfAvailable { slot.find($0, in: keys) } ?? nil
                    let s = known ?? slot.insert(keys.append(exact: list[k]), of: keys, value: order.count)
                    if s == order.count {
                        order.append(list[k])
                        carriersOf.append([i])
                    } else {
                        carriersOf[s].append(i)
                    }
                    occurrences.append((i, s))
                }
            }
        }
        // The nodes from the top down to each tag's own, as numbers: tag t's chain is
        // `chain[chainStart[t]..<chainStart[t + 1]]`, and the counting below reads only
        // integers (walking lists of nodes retained and released each node it passed).
        var nodes: [Builder] = []
        var chain: [Int] = [], chainStart: [Int] = [0]
        chainStart.reserveCapacity(order.count + 1)
        for (tag, carriers) in zip(order, carriersOf) {
            defer { chainStart.append(chain.count) }
            let segments = tag.split(separator: "/").map(String.init)
            guard !segments.isEmpty else { continue }
            var node = root
            var path = ""
            for seg in segments {
                path = path.isEmpty ? seg : path + "/" + seg
                let key = seg.folded
                if let child = node.children[key] {
                    node = child
                } else {
                    let child = Builder(name: seg, path: path, number: nodes.count)
                    nodes.append(child)
                    node.children[key] = child
                    node = child
                }
                path = node.path
                chain.append(node.number)
            }
            // Two spellings of one tag (`Ecology`, `ecology`) share a node: keep note order.
            node.mixed = node.mixed || !node.notes.isEmpty
            node.notes += carriers
        }
        // Distinct notes per node, in one pass in note order: a note is counted at a node
        // the first time one of its tags passes through it (`a/b` and `a/c` count once at `a`).
        var count = [Int](repeating: 0, count: nodes.count), lastNote = [Int](repeating: -1, count: nodes.count)
        for (i, tag) in occurrences {
            for k in chainStart[tag]..<chainStart[tag + 1] where lastNote[chain[k]] != i {
                lastNote[chain[k]] = i
                count[chain[k]] += 1
            }
        }
        for (node, n) in zip(nodes, count) { node.count = n }
        return root.freeze()
    }
}
