import Foundation
import Testing
@testable import BrowserUI

@Suite struct KeyMapTests {
    /// docs/keys.md ends with the key map's own table. `MYCEL_RECORD=1` rewrites that part.
    @Test func keysDocumentMatchesTheKeyMap() throws {
        let path = repositoryRoot + "/docs/keys.md"
        let doc = try String(contentsOfFile: path, encoding: .utf8)
        let table = KeyMap.standard.markdownTable
        if ProcessInfo.processInfo.environment["MYCEL_RECORD"] == "1" {
            let head = doc.components(separatedBy: "| keys | where | does |").first ?? doc
            try (head + table).write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(doc.hasSuffix(table), "docs/keys.md is out of date: run MYCEL_RECORD=1 swift test --filter KeyMapTests")
    }

    /// No key does two things in one context.
    @Test func noKeyIsBoundTwiceInOneContext() {
        var seen: [String: Action] = [:]
        for b in KeyMap.standard.bindings {
            for k in b.keys {
                let id = "\(b.context)/\(k.label)"
                #expect(seen[id] == nil, "\(k.label) is bound to \(seen[id].map { "\($0)" } ?? "") and \(b.action)")
                seen[id] = b.action
            }
        }
    }

    @Test func everyActionHasAKey() {
        let bound = Set(KeyMap.standard.bindings.map(\.action))
        for a in Action.allCases { #expect(bound.contains(a), "\(a) has no key") }
    }
}
