import Foundation
import Testing
import VaultGenerator
@testable import VaultKit

@Suite("Files")
struct FilesTests {
    @Test("hidden files and folders are skipped")
    func hiddenSkipped() throws {
        let d = TempDir()
        d.write("a.md", "A")
        d.write(".obsidian/workspace.md", "no")
        d.write(".trash/old.md", "no")
        d.write("sub/.hidden.md", "no")
        d.write("sub/b.md", "B")
        let v = try Vault.load(at: d.path)
        #expect(v.notes.map(\.path) == ["a.md", "sub/b.md"])
    }

    @Test("each note is read from its own file, by name from a folder held open or by path past the limit",
          arguments: [nil, 0, 2])
    func readsEachFileByItsFolder(limit: Int?) throws {
        let d = TempDir()
        let paths = ["a.md", "a/x.md", "a/b/c.md", "菌糸/胞子.md", "e\u{301}/n.md", "z/a b/c.md", "z/a b/d.md", "deep/1/2/3/4.md"]
        for p in paths { d.write(p, "I am \(p)") }
        d.write(".store/k.md", "I am the linked k")
        d.symlink("linked", to: d.path + "/.store")
        let v = try Vault.load(at: d.path, progress: nil, reader: nil, options: LoadOptions(folderLimit: limit))
        #expect(v.loadProblems.isEmpty)
        var texts: [String: String] = [:]
        for n in v.notes { texts[n.path] = n.text }
        for p in paths { #expect(texts[p] == "I am \(p)") }
        #expect(texts["linked/k.md"] == "I am the linked k")
        #expect(texts.count == paths.count + 1)
    }

    @Test("a file name that is not UTF-8 is listed with U+FFFD in its path, in the vault's folder and below, and reported unreadable; its neighbours load")
    func fileNameNotUTF8() throws {
        let d = TempDir()
        d.write("sub/ok.md", "fine")
        d.write("菌糸/ok.md", "fine too")
        // `café.md` in Latin-1, at the root and in two folders.
        let latin1: [UInt8] = Array("caf".utf8) + [0xE9] + Array(".md".utf8)
        for folder in ["", "sub/", "菌糸/"] {
            let name = Array((d.path + "/" + folder).utf8) + latin1 + [0]
            let fd = name.withUnsafeBufferPointer { b in
                b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { open($0, O_CREAT | O_WRONLY, 0o644) }
            }
            #expect(fd >= 0)
            close(fd)
        }
        let scanned = try Scanner.scan(root: d.path).files
        let expected = ["caf\u{FFFD}.md", "sub/caf\u{FFFD}.md", "sub/ok.md", "菌糸/caf\u{FFFD}.md", "菌糸/ok.md"]
        #expect(scanned.map(\.path) == expected)
        for f in scanned {
            #expect(f.folderPath == (f.path.contains("/") ? String(f.path.split(separator: "/")[0]) : ""))
            #expect(String(f.path.utf8.dropFirst(f.nameStart))!.hasPrefix(f.path.contains("ok") ? "ok" : "caf"))
        }
        let v = try Vault.load(at: d.path)
        #expect(v.note("sub/ok.md").text == "fine")
        #expect(v.note("菌糸/ok.md").text == "fine too")
        #expect(v.note("菌糸/ok.md").folder == "菌糸")
        let unreadable = v.loadProblems.filter { $0.kind == .unreadable }.map(\.path)
        #expect(unreadable == ["caf\u{FFFD}.md", "sub/caf\u{FFFD}.md", "菌糸/caf\u{FFFD}.md"])
    }

    @Test("the scan lists paths in byte order: names alike as files and folders, accents, CJK, capitals, linked folders")
    func scanInByteOrder() throws {
        let d = TempDir()
        let paths = ["a.md", "a/x.md", "a/b.png", "a-b/y.md", "a b.md", "ab.md", "ab", "B.md", "é.md", "e\u{301}/n.md",
                     "z/a/b.md", "z/a.md", "z.md", "z/a b/c.md", "z/a-/d.md", "菌糸/x.md", "Z/q.md", "a.md.md",
                     "long-name-sixteen-bytes-1.md", "long-name-sixteen-bytes-0.md", "long-name-sixteen-bytes.md",
                     "long-name-sixteen/z.md"]
        for p in paths { d.write(p, "x") }
        // A hidden folder is walked only through a link to it, after everything else.
        d.write(".store/k.md", "x")
        d.symlink("0-linked", to: d.path + "/.store")
        let bytes = { (s: String) in Array(s.utf8) }
        let listed = try Scanner.scan(root: d.path).files.map(\.path)
        #expect(listed == (paths + ["0-linked/k.md"]).sorted { bytes($0).lexicographicallyPrecedes(bytes($1)) })
    }

    @Test("symbolic links: followed inside the vault, never out of it, never in a loop")
    func symlinks() throws {
        let outside = TempDir()
        outside.write("secret.md", "[[x]]")
        let d = TempDir()
        d.write("real/n.md", "N")
        d.symlink("alias-dir", to: d.path + "/real")     // same folder again: skipped as a loop
        d.symlink("real/up", to: d.path)                 // points back up: loop
        d.symlink("out", to: outside.path)               // leaves the vault
        d.symlink("link.md", to: d.path + "/real/n.md")  // a file link inside: followed
        d.symlink("dangling.md", to: d.path + "/nope.md")
        let v = try Vault.load(at: d.path)
        #expect(v.notes.map(\.path).sorted() == ["link.md", "real/n.md"])
        let kinds = v.diagnostics.map(\.kind)
        #expect(kinds.contains(.symlinkOutside))
        #expect(kinds.contains(.symlinkLoop))
        #expect(!v.notes.contains { $0.path.contains("secret") })
    }

    @Test("attachments are indexed and links can point at them")
    func attachments() throws {
        let d = TempDir()
        d.write("n.md", "![[pic.png]] and [[doc.pdf]] and [[board.canvas]] and [[pic]]")
        d.write("img/pic.png", [0x89, 0x50])
        d.write("doc.pdf", "pdf")
        d.write("board.canvas", "{}")
        let v = try Vault.load(at: d.path)
        #expect(v.attachments.map(\.path) == ["board.canvas", "doc.pdf", "img/pic.png"])
        // Other files need their extension: `[[pic]]` is unresolved.
        #expect(v.targets("n.md") == ["img/pic.png", "doc.pdf", "board.canvas", "ghost:pic"])
        #expect(v.attachmentBacklinks[2].map(\.note) == [0])
    }

    @Test("id is the path without .md; name is the file name; title falls back to the name")
    func idNameTitle() {
        let v = vault(["writing/citizen.md": "---\ntitle: The Citizen\n---\nx", "writing/plain.md": "x"])
        let c = v.note("writing/citizen.md")
        #expect(c.id == "writing/citizen")
        #expect(c.name == "citizen")
        #expect(c.title == "The Citizen")
        #expect(v.note("writing/plain.md").title == "plain")
    }

    @Test("link resolution never uses the title")
    func titleNotATarget() {
        let v = vault(["a.md": "---\ntitle: Alpha\n---\n", "b.md": "[[Alpha]] [[a]]"])
        #expect(v.targets("b.md") == ["ghost:alpha", "a.md"])
    }

    @Test("invalid UTF-8 decodes leniently; CRLF is accepted")
    func lenientDecoding() throws {
        let d = TempDir()
        d.write("bad.md", [0x61, 0xFF, 0xFE, 0x20] + Array("[[good]]\r\n#tag\r\n[[x".utf8) + [0xFF] + Array("y]] #t".utf8) + [0xC3])
        d.write("crlf.md", "---\r\ntitle: Win\r\ntags: [x]\r\n---\r\nBody [[bad]]\r\n")
        d.write("good.md", "")
        let v = try Vault.load(at: d.path)
        let bad = v.note("bad.md")
        #expect(bad.invalidUTF8)
        #expect(bad.text.hasPrefix("a\u{FFFD}\u{FFFD} "))
        #expect(v.targets("bad.md") == ["good.md", "ghost:x\u{FFFD}y"])
        #expect(bad.links.map(\.target) == ["good", "x\u{FFFD}y"])
        #expect(bad.tags == ["tag", "t\u{FFFD}"])
        #expect(v.note("crlf.md").title == "Win")
        #expect(v.note("crlf.md").tags == ["x"])
        #expect(v.targets("crlf.md") == ["bad.md"])
        #expect(v.diagnostics.contains { $0.kind == .invalidUTF8 && $0.path == "bad.md" })
    }

    @Test("a leading BOM is skipped before the frontmatter, and check warns")
    func bom() {
        let v = vault(["b.md": "\u{FEFF}---\ntitle: Bommed\n---\nhi"])
        #expect(v.note("b.md").title == "Bommed")
        #expect(v.diagnostics.contains { $0.kind == .bom && $0.path == "b.md" })
    }

    @Test("a file that cannot be read (or vanished while loading) is reported; the rest still loads",
          arguments: [false, true])
    func unreadable(readEarly: Bool) throws {
        let d = TempDir()
        d.write("ok.md", "[[locked]]")
        d.write("locked.md", "y")
        let root = d.path
        let v = try Vault.load(at: root, progress: nil, reader: { path in
            path == "locked.md" ? .failure(Scanner.ReadFailure(message: "Permission denied")) : Scanner.read(root + "/" + path)
        }, options: LoadOptions(readAllEarly: readEarly))
        #expect(v.notes.map(\.path) == ["locked.md", "ok.md"])
        #expect(v.targets("ok.md") == ["locked.md"])
        #expect(v.diagnostics.contains { $0.kind == .unreadable && $0.path == "locked.md" && $0.message.contains("Permission denied") })
    }

    @Test("one read buffer serves file after file: each read gives exactly that file's bytes, whatever the buffer held")
    func readIntoReusedBuffer() throws {
        let d = TempDir()
        let big = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        d.write("big.md", big)
        d.write("small.md", "tiny")
        d.write("empty.md", "")
        let folder = open(d.path, O_RDONLY | O_DIRECTORY)
        defer { close(folder) }
        var buffer: [UInt8] = []
        for (path, expected) in [("big.md", big), ("small.md", Array("tiny".utf8)), ("empty.md", []), ("big.md", big)] {
            #expect(Scanner.read(path, in: folder, into: &buffer) == nil)
            #expect(buffer == expected, "\(path)")
        }
        #expect(Scanner.read("missing.md", in: folder, into: &buffer)?.message.contains("No such file") == true)
        #expect(buffer.isEmpty)
        #if os(Linux)
        // A file whose size is given as 0 (procfs gives every file that size) is read to its end.
        #expect(Scanner.read("/proc/self/status", in: AT_FDCWD, into: &buffer) == nil)
        #expect(String(decoding: buffer, as: UTF8.self).hasPrefix("Name:"))
        // One past the first 4 KiB read (a process's memory map runs to tens of KiB).
        #expect(Scanner.read("/proc/self/smaps", in: AT_FDCWD, into: &buffer) == nil)
        #expect(buffer.count > 4096 && buffer.last == 0x0A, "\(buffer.count)")
        #endif
    }

    @Test("a parse reusing another's memory gives what a parse of its own gives")
    func parseWithReusedScratch() {
        let hiddenLong = "```\n" + String(repeating: "[[not a link]] #nottag\n", count: 200) + "```\n"
        let notes = [
            hiddenLong,
            "---\ntitle: T\ntags: [a, b]\n---\n# Head\n[[one]] #two ^block\n",
            "%% [[hidden]] %%\n" + String(repeating: "line\n", count: 500) + "[[last]]",
            "[[x]]",
            "",
            hiddenLong + "[[after]] #tag",
        ]
        let scratch = ParseScratch()
        for text in notes {
            let bytes = Array(text.utf8)
            let reused = NoteParser.parse(bytes, marks: true, scratch: scratch)
            let fresh = NoteParser.parse(bytes, marks: true)
            #expect(reused.links == fresh.links)
            #expect(reused.tags == fresh.tags)
            #expect(reused.headings == fresh.headings)
            #expect(reused.blockIDs == fresh.blockIDs)
            #expect(reused.properties == fresh.properties)
            #expect(reused.marks == fresh.marks)
            #expect(reused.text == text)
        }
        // The short note after the long hidden one still has its link (no flag left over).
        #expect(NoteParser.parse(Array("[[x]] #y".utf8), scratch: scratch).links.map(\.target) == ["x"])
        _ = NoteParser.parse(Array(hiddenLong.utf8), scratch: scratch)
        #expect(NoteParser.parse(Array("[[x]] #y".utf8), scratch: scratch).tags.map(\.name) == ["y"])
    }

    @Test("a parse keeps its task's memory: after the longest note, shorter ones allocate no new mask or line starts")
    func scratchMemoryIsKept() {
        let scratch = ParseScratch()
        func addresses() -> (UnsafeRawPointer?, UnsafeRawPointer?) {
            (scratch.flags.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) },
             scratch.lineStarts.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) })
        }
        _ = NoteParser.parse(Array(String(repeating: "a line of [[text]] #tag\n", count: 400).utf8), scratch: scratch)
        let first = addresses()
        #expect(first.0 != nil && first.1 != nil)
        for text in ["short [[x]]\n", "# Head\n" + String(repeating: "b\n", count: 50), "", "%% c %%\n`code`\n"] {
            _ = NoteParser.parse(Array(text.utf8), scratch: scratch)
            let now = addresses()
            #expect(now.0 == first.0, "the mask's memory was not reused for \(text.debugDescription)")
            #expect(now.1 == first.1, "the line starts' memory was not reused for \(text.debugDescription)")
        }
    }

    @Test("a missing vault folder is an error, not a crash")
    func missingRoot() {
        #expect(throws: VaultError.self) { try Vault.load(at: "/nonexistent/mycel/vault") }
    }

    @Test("loading twice gives the same graph (parallel loading is deterministic)")
    func deterministic() throws {
        let d = TempDir()
        for i in 0..<300 { d.write("f\(i % 7)/n\(i).md", "[[n\((i * 13) % 300)]] #t\(i % 5)") }
        let a = try Vault.load(at: d.path), b = try Vault.load(at: d.path)
        #expect(a.notes.map(\.path) == b.notes.map(\.path))
        #expect(a.notes.map { $0.links.map(\.destination) } == b.notes.map { $0.links.map(\.destination) })
        #expect(a.backlinks == b.backlinks)
    }
    @Test("strings sorted by their UTF-8 bytes: around the 16-byte key, prefixes, accents, CJK, equal ones in order")
    func utf8Order() {
        let pieces = ["a", "b", "A", "é", "e\u{301}", "菌", "/", " ", "0123456789abcdef", "0123456789abcde", "z"]
        var rng = SplitMix64(seed: 17)
        var strings = [""]
        for _ in 0..<2_000 {
            strings.append((0..<Int(rng.next() % 6)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined())
        }
        let reference = strings.indices.sorted { a, b in
            let x = Array(strings[a].utf8), y = Array(strings[b].utf8)
            return x != y ? x.lexicographicallyPrecedes(y) : a < b
        }
        #expect(utf8SortedIndices(strings) == reference)
        #expect(utf8SortedIndices([]) == [])
    }
}
