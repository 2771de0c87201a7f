import Foundation
import Testing
import VaultGenerator
@testable import VaultKit

/// A few thousand generated notes, written to disk and loaded like a real vault: links,
/// backlinks, tags and aliases must equal the generator's own ground truth exactly.
@Suite("Generated vault")
struct GeneratedVaultTests {
    @Test("VaultKit's graph equals the generator's truth", arguments: [(3000, UInt64(7)), (500, UInt64(99))])
    func matchesTruth(notes: Int, seed: UInt64) throws {
        let dir = TempDir()
        let truth = try VaultGenerator(.init(notes: notes, seed: seed, paragraphs: 1)).write(to: dir.path)
        let v = try Vault.load(at: dir.path)
        #expect(v.notes.count == truth.notes.count)
        #expect(v.attachments.map(\.path).sorted() == truth.attachments.sorted())
        var mismatches = 0
        for t in truth.notes {
            let n = v.note(t.path)
            if n.title != t.title || n.aliases != t.aliases { mismatches += 1 }
            let tags = Set(n.tags.map { $0.lowercased() }).sorted()
            if tags != t.tags { mismatches += 1; Issue.record("tags of \(t.path): \(tags) != \(t.tags)") }
            let got = n.links.map { l -> VaultGenerator.LinkTruth in
                var to: String?
                if case .ghost = l.destination {} else { to = v.path(of: l.destination) }
                return .init(written: l.target, kind: l.kind.rawValue, to: to,
                             aliasOf: l.aliasOf.map { v.notes[$0].path })
            }
            if got.sorted(by: linkOrder) != t.links.sorted(by: linkOrder) {
                mismatches += 1
                if mismatches < 5 { Issue.record("links of \(t.path):\n got \(got)\nwant \(t.links)") }
            }
        }
        #expect(mismatches == 0)
        for (i, n) in v.notes.enumerated() {
            let got = v.backlinks[i].filter { v.link($0).destination == .note(i) }.map { v.notes[$0.note].path }.sorted()
            let want = truth.backlinks[n.path] ?? []
            if got != want { Issue.record("backlinks of \(n.path): \(got.count) != \(want.count)"); break }
        }
        #expect(!v.notes.contains { $0.links.contains { $0.target.hasPrefix("decoy") } })
    }

    @Test("a load from disk gives the graph the same files give in memory, whichever thread read each note, whenever its links resolved, and however many folders were held open",
          arguments: [LoadOptions(), LoadOptions(readAllEarly: true), LoadOptions(resolveAllInParse: true),
                      LoadOptions(readAllEarly: true, resolveAllInParse: true), LoadOptions(folderLimit: 0),
                      LoadOptions(folderLimit: 4)])
    func loadedEqualsMade(options: LoadOptions) throws {
        let dir = TempDir()
        let generator = VaultGenerator(.init(notes: 2000, seed: 11, paragraphs: 1))
        _ = try generator.write(to: dir.path)
        let (files, attachments, _) = generator.generate()
        let loaded = try Vault.load(at: dir.path, progress: nil, reader: nil, options: options)
        // Built in memory, every link resolves after the parse.
        let made = Vault.make(notes: files, attachments: attachments)
        #expect(loaded.notes.map(\.path) == made.notes.map(\.path))
        #expect(loaded.notes.map(\.text) == made.notes.map(\.text))
        struct Resolved: Equatable {
            var destination: Destination, aliasOf: Int?, alternatives: [Destination], subpathFound: Bool, escapes: Bool
        }
        let resolved = { (v: Vault) in
            v.notes.map { $0.links.map { Resolved(destination: $0.destination, aliasOf: $0.aliasOf, alternatives: $0.alternatives,
                                                  subpathFound: $0.subpathFound, escapes: $0.escapesVault) } }
        }
        #expect(resolved(loaded) == resolved(made))
        #expect(loaded.backlinks == made.backlinks)
        #expect(loaded.attachmentBacklinks == made.attachmentBacklinks)
        #expect(loaded.ghostBacklinks == made.ghostBacklinks)
        #expect(loaded.ghosts.map(\.key) == made.ghosts.map(\.key))
        var tags: [String: Int] = [:], madeTags: [String: Int] = [:]
        loaded.tagTree.walk { node, _ in tags[node.path] = node.count }
        made.tagTree.walk { node, _ in madeTags[node.path] = node.count }
        #expect(tags == madeTags && !tags.isEmpty)
        // The generator writes heading links: their headings are checked after the parse.
        #expect(made.notes.flatMap(\.links).filter { !$0.subpath.isEmpty && $0.isResolved && $0.subpathFound }.count > 100)
        #expect(!made.attachmentBacklinks.allSatisfy(\.isEmpty) && !made.ghostBacklinks.isEmpty)
    }

    private func linkOrder(_ a: VaultGenerator.LinkTruth, _ b: VaultGenerator.LinkTruth) -> Bool {
        (a.kind, a.written, a.to ?? "") < (b.kind, b.written, b.to ?? "")
    }

    @Test("the generator is deterministic")
    func deterministic() {
        let a = VaultGenerator(.init(notes: 200, seed: 3)).generate()
        let b = VaultGenerator(.init(notes: 200, seed: 3)).generate()
        #expect(a.files == b.files)
        let c = VaultGenerator(.init(notes: 200, seed: 4)).generate()
        #expect(a.files != c.files)
    }
}
