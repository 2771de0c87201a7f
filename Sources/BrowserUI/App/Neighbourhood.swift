// `w`: the web around the open note (VaultKit's `neighbourhood`) as a list in the left pane.

import VaultKit

extension AppState {
    /// The web around the open note, in the left pane: each group ranked, every row opens.
    mutating func showNeighbourhood() {
        guard let v = view else { return }
        let n = vault.neighbourhood(of: v.note)
        var rows: [ListRow] = []
        let groups: [(String, [Neighbour], String)] = [
            ("Links here", n.inbound, "×"), ("Linked from here", n.outbound, "×"),
            ("Shares tags", n.sharingTags, "tags "), ("Second ring", n.secondRing, "via "),
        ]
        for ((name, members, unit), total) in zip(groups, n.totals) {
            if !rows.isEmpty { rows.append(ListRow([[]], .none)) }
            // A group cut to its strongest says how many there are in all.
            let count = total > members.count ? "\(members.count) of \(total)" : "\(members.count)"
            rows.append(ListRow([[Span("\(name) (\(count))", Style(.paneTitle, .bold))]], .none))
            if members.isEmpty { rows.append(ListRow([[Span("  none", Style(.dim))]], .none)) }
            for m in members {
                rows.append(ListRow([[Span(vault.notes[m.note].title, .plain), Span("  \(unit)\(m.weight)", Style(.dim))]],
                                    .note(m.note, line: nil, link: nil)))
            }
        }
        leftMode = .results
        lastSearch = nil
        lastTag = nil
        left = ListState(title: "Around \(vault.notes[v.note].title)", rows: rows)
        focus = .left
    }
}
