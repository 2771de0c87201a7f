import BrowserUI
import VaultKit

/// One fuzzing input, run through everything that reads a note: the frontmatter and body
/// parser, link resolution and diagnostics, the Markdown renderer and wrapping at several
/// widths, the name finder and full-text search, and the browser itself driven by keys.
///
/// The input is split at each pair of NUL bytes into up to four notes with awkward paths, so
/// links between them resolve; its last bytes double as keys for the browser. Properties
/// that must hold for any input are checked with `precondition`, so a violation is a crash
/// the fuzzer reports like any other.
///
/// `make fuzz` links this into a libFuzzer binary; the regression tests run every input kept
/// in `Tests/Fuzz` through it.
public enum FuzzInput {
    static let paths = ["a.md", "sub/b.md", "x y/c $`'\".md", "ü/é 🌲.md"]

    public static func run(_ data: UnsafeRawBufferPointer) {
        run(Array(data.bindMemory(to: UInt8.self)))
    }

    public static func run(_ bytes: [UInt8]) {
        var files: [String: [UInt8]] = [:]
        for (i, part) in split(bytes).prefix(paths.count).enumerated() {
            files[paths[i]] = part
            precondition(Frontmatter.fastReaderAgreesWithYams(note: part), "the fast frontmatter reader disagrees with Yams")
            precondition(Note.utf8CheckAgreesWithStandardLibrary(part), "the UTF-8 check disagrees with the standard library")
        }
        precondition(Note.reusedParseAgrees(files.keys.sorted().map { files[$0]! }), "a parse through reused memory differs from a fresh one")
        let vault = Vault.make(files: files)
        _ = vault.diagnostics

        let renderer = Renderer(vault: vault)
        for i in vault.notes.indices {
            _ = vault.notes[i].sourceMarks()
            let document = renderer.render(note: i)
            for width in [1, 9, 80] {
                let page = document.layout(width: width)
                for row in page.rows {
                    for segment in row.segments { checkVisible(segment.text) }
                }
            }
            for line in document.layout(width: 40).lines(colour: true) { checkOnlyColour(line) }
        }

        let titles = vault.notes.map(\.title)
        let query = String(decoding: bytes.prefix(12), as: UTF8.self)
        let names = NameSearcher(NameIndex(vault))
        _ = names.search(query, limit: 10)
        if let first = titles.first { _ = names.search(first, limit: 10) }
        _ = vault.grep(String(query.prefix(4)), limit: 20)

        drive(vault, keys: bytes.suffix(24))
    }

    /// The browser at a small size, opened on each note, then a key per byte; every frame
    /// must be free of terminal controls.
    static func drive(_ vault: Vault, keys: ArraySlice<UInt8>) {
        var state = AppState(vault: vault, width: 40, height: 12)
        for i in vault.notes.indices {
            state.open(i)
            check(View.draw(state))
            // As the runtime does once no key waits: the note's unlinked mentions.
            state.idle()
            check(View.draw(state))
        }
        for byte in keys {
            if byte == 0xFF {
                _ = state.update(.resize(width: 1 + Int(byte) % 7, height: 1 + Int(byte) % 5))
            } else if byte >= 0xF0 {
                _ = state.update(.resize(width: 10 + Int(byte & 0x0F) * 7, height: 4 + Int(byte & 0x0F)))
            } else {
                _ = state.update(.key(keyTable[Int(byte) % keyTable.count]))
            }
            state.settle()
            check(View.draw(state))
            state.idle()
            check(View.draw(state))
        }
    }

    static let keyTable: [Key] = {
        var keys: [Key] = [.up, .down, .left, .right, .pageUp, .pageDown, .home, .end,
                           .enter, .tab, .backTab, .backspace, .escape, .delete]
        keys += "jkgGfbtalhnNwsS/?[]oepcyxmM'1 a#".map { Key.char($0) }
        keys += "fbeyod".map { Key.ctrl($0) }
        return keys
    }()

    static func check(_ grid: Grid) {
        for cell in grid.cells { checkVisible(cell.text) }
    }

    static func checkVisible(_ text: String) {
        for scalar in text.unicodeScalars {
            precondition(!scalar.isTerminalControl, "a control character reached the screen: U+\(String(scalar.value, radix: 16))")
        }
    }

    /// `mycel show` on a terminal: the only escape sequences are the colours it adds itself.
    static func checkOnlyColour(_ line: String) {
        let u = Array(line.unicodeScalars)
        var i = 0
        while i < u.count {
            if u[i] == "\u{1B}" {
                precondition(i + 1 < u.count && u[i + 1] == "[", "an escape that is not a colour")
                var j = i + 2
                while j < u.count, u[j] == ";" || ("0"..."9").contains(u[j]) { j += 1 }
                precondition(j < u.count && u[j] == "m", "an escape that is not a colour")
                i = j + 1
            } else {
                precondition(!u[i].isTerminalControl, "a control character in coloured output")
                i += 1
            }
        }
    }

    /// Splits at each pair of NUL bytes.
    static func split(_ bytes: [UInt8]) -> [[UInt8]] {
        var parts: [[UInt8]] = []
        var start = 0
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0, bytes[i + 1] == 0 {
                parts.append(Array(bytes[start..<i]))
                i += 2
                start = i
            } else {
                i += 1
            }
        }
        parts.append(Array(bytes[start...]))
        return parts
    }
}
