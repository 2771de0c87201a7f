import Foundation
import Testing

/// mycel against `HostileVault`: it loads, `check` names every problem, every command answers
/// on every note without crashing and without writing a control character the notes carry,
/// the browser shows them all without passing one to the terminal, and the vault's bytes are
/// the same afterwards.
@Suite("A hostile vault", .serialized)
struct HostileVaultTests {
    @Test("check reports each problem, located, and exits 1; nothing is written")
    func checkReportsEachProblem() throws {
        let v = HostileVault()
        let before = v.snapshot()
        let r = try CLI.run(["check", "--json", "--vault", v.path])
        #expect(r.status == 1, "\(r.stderr)")
        let found = try #require(r.json as? [[String: Any]], "check --json is not a list: \(r.stdout.prefix(300))")
        let pairs = Set(found.compactMap { d -> String? in
            guard let kind = d["kind"] as? String, let path = d["path"] as? String else { return nil }
            return kind + " " + path
        })
        for (kind, path) in v.expected {
            #expect(pairs.contains(kind + " " + path), "check did not report \(kind) for \(path.debugDescription)")
        }
        let text = try CLI.run(["check", "--vault", v.path])
        #expect(text.status == 1)
        #expect(terminalControls(in: text.stdout).isEmpty, "check wrote a control character")
        #expect(text.stdout.contains("invalid frontmatter"))
        #expect(v.snapshot() == before, "the vault changed")
    }

    @Test("every command answers on every note: no crash, no control character out, JSON that parses")
    func everyCommandOnEveryNote() throws {
        let v = HostileVault()
        let before = v.snapshot()
        func run(_ args: [String]) throws {
            let r = try CLI.run(args + ["--vault", v.path])
            #expect([0, 1].contains(r.status), "\(args) exited \(r.status): \(r.stderr.suffix(500))")
            #expect(!r.stderr.contains("Fatal error"), "\(args): \(r.stderr.suffix(500))")
            #expect(terminalControls(in: r.stdout).isEmpty, "\(args) wrote \(terminalControls(in: r.stdout).prefix(5))")
            #expect(terminalControls(in: r.stderr).isEmpty, "\(args) wrote controls to stderr")
            if args.contains("--json") {
                #expect((try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) != nil, "\(args): not JSON")
            }
        }
        for note in v.notes where !note.hasPrefix("locked") {
            let id = String(note.dropLast(3))
            try run(["show", id])
            try run(["show", id, "--raw"])
            try run(["links", id, "--json"])
            try run(["backlinks", id, "--mentions"])
        }
        for args in [["stats"], ["stats", "--json"], ["tags"], ["tags", "--json"], ["export", "--json"],
                     ["search", "evil"], ["search", "e", "--json"], ["grep", "PWNED"], ["grep", "a", "--json"],
                     ["graph", "controls"], ["graph", "controls", "--dot"], ["show", "controls", "--json"],
                     ["backlinks", "controls", "--json"]] {
            try run(args)
        }
        // The control characters are shown as symbols, so the text is still there to read.
        let shown = try CLI.run(["show", "controls", "--vault", v.path])
        #expect(shown.stdout.contains("␛]0;\(HostileVault.oscMarker)"))
        #expect(v.snapshot() == before, "the vault changed")
    }

    @Test("a 10 MB note and a 100,000-line note load, check and show")
    func bigNotes() throws {
        let v = HostileVault(big: true)
        for args in [["check"], ["show", "big/ten-megabytes", "--raw"], ["show", "big/many-lines"],
                     ["grep", "line 99999"], ["backlinks", "top"]] {
            let r = try CLI.run(args + ["--vault", v.path])
            #expect([0, 1].contains(r.status), "\(args) exited \(r.status): \(r.stderr.suffix(300))")
            if args == ["grep", "line 99999"] { #expect(r.stdout.contains("big/many-lines.md:100000:")) }
            if args == ["backlinks", "top"] { #expect(r.stdout.components(separatedBy: "\n").count > 100_000) }
        }
    }

    /// The bytes the browser writes to its terminal, captured by tmux, while it shows every
    /// hostile note: the list, each note, its backlinks, the tag tree, the switcher, search.
    @Test("the browser shows every note and writes no control character the notes carry")
    func browserWritesNoSmuggledControls() throws {
        let v = HostileVault()
        let before = v.snapshot()
        let capture = NSTemporaryDirectory() + "mycel-capture-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: capture) }
        let t = try TmuxSession(width: 100, height: 30, reuse: v.path, capture: capture)
        t.wait(for: "Notes (")
        // Open every note of the list in turn, from the top.
        try t.keys("a", "g")
        for _ in 0..<v.notes.count {
            try t.keys("Enter")
            Thread.sleep(forTimeInterval: 0.05)
            try t.keys("a", "j")
        }
        try t.keys("o")
        try t.type("evil")
        t.wait(for: "Evil")
        try t.keys("Enter")
        t.wait("the controls note") { $0.contains("␛]0;\(HostileVault.oscMarker)") }
        try t.keys("b", "Escape", "t", "Escape", "S")
        try t.type(HostileVault.oscMarker)
        try t.keys("Enter")
        Thread.sleep(forTimeInterval: 0.3)
        try t.keys("Escape", "?", "Escape", "q")
        t.wait(for: "exit=0")
        Thread.sleep(forTimeInterval: 0.2)

        let bytes = [UInt8](FileManager.default.contents(atPath: capture) ?? Data())
        #expect(bytes.count > 10_000, "too little was captured: \(bytes.count) bytes")
        // Valid UTF-8 throughout, so a raw 8-bit C1 byte (0x9B, 0x9D) cannot hide in it.
        #expect(String(validating: bytes, as: UTF8.self) != nil, "the terminal got bytes that are not UTF-8")
        let text = String(decoding: bytes, as: UTF8.self)
        // ESC only opens the CSI sequences ncurses itself sends: never OSC, DCS, APC or PM.
        for (i, b) in bytes.enumerated() where b == 0x1B && i + 1 < bytes.count {
            #expect(![UInt8(ascii: "]"), UInt8(ascii: "P"), UInt8(ascii: "_"), UInt8(ascii: "^")].contains(bytes[i + 1]),
                    "an escape sequence the notes carry reached the terminal at byte \(i)")
        }
        #expect(!bytes.contains(0x07), "a bell reached the terminal")
        #expect(!text.contains("\u{1B}[31;\(HostileVault.csiMarker)m") && !text.contains("\u{1B}[\(HostileVault.csiMarker);1H"))
        let c1 = text.unicodeScalars.filter { (0x80...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value)
            || (0x2066...0x2069).contains($0.value) }
        #expect(c1.isEmpty, "C1 or bidirectional controls reached the terminal: \(c1.prefix(5))")
        #expect(v.snapshot() == before, "the vault changed")
    }
}
