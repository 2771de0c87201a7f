import Foundation
import VaultGenerator

/// A vault built to break a notes tool, made fresh in a temporary folder by each test that
/// uses it (nothing of it is committed): invalid YAML of many shapes, binary and non-UTF-8
/// files named `.md`, a byte order mark and CRLF, empty and frontmatter-only files, deep
/// folders, symbolic links that loop or leave the vault, files that cannot be read, links
/// that climb out with `../`, names with quotes, `$`, backticks, spaces, a line break and
/// emoji, one name in NFC and in NFD, and terminal escape sequences (CSI, OSC 52, a title
/// change, DCS, C1), bidirectional overrides and other controls in titles, aliases, tags and
/// bodies. `big: true` adds a 10 MB note and a 100,000-line note.
final class HostileVault {
    let path: String
    /// What `check` must report: a diagnostic kind and the file it is about.
    private(set) var expected: [(kind: String, path: String)] = []
    /// Every note file written (vault-relative), for commands to be run on each.
    private(set) var notes: [String] = []

    /// Markers smuggled in escape sequences: they may reach the screen only as visible text,
    /// never inside a sequence the terminal acts on.
    static let csiMarker = "1337"
    static let oscMarker = "PWNED"

    /// The body of the note full of terminal controls.
    static let controlBody =
        "plain start\n"
        + "csi \u{1B}[31;\(csiMarker)mred\u{1B}[0m and \u{1B}[\(csiMarker);1Hmoved and \u{1B}[2Jcleared\n"
        + "osc title \u{1B}]0;\(oscMarker) title\u{07} and clipboard \u{1B}]52;c;\(oscMarker)\u{07}\n"
        + "dcs \u{1B}P1$t\(oscMarker)\u{1B}\\ and c1 csi \u{9B}31m and c1 osc \u{9D}0;\(oscMarker)\u{9C}\n"
        + "bidi \u{202E}desrever\u{202C} and \u{2066}isolated\u{2069} and bell \u{07}\u{07} and del \u{7F}\n"
        + "a #tag\u{1B}[31m and [[link\u{1B}]0;\(oscMarker)\u{07}target]] and nul \u{0}here\n"

    init(big: Bool = false) {
        path = NSTemporaryDirectory() + "mycel-hostile-" + UUID().uuidString
        let fm = FileManager.default
        try! fm.createDirectory(atPath: path, withIntermediateDirectories: true)

        // Invalid YAML, shape by shape; each note still loads, with no properties.
        let badYAML = [
            "title: [unclosed", "title: 'open quote", "a: b: c", "\tindented: by a tab", "- a list\n- not a map",
            "key: \"bad \\q escape\"", "x: *no-such-anchor", "created: {{date}}", String(repeating: "[", count: 3000),
            "just a line of text", "k: [a, b}",
        ]
        for (i, yaml) in badYAML.enumerated() {
            note("yaml/bad-\(i).md", "---\n\(yaml)\n---\nThe body still counts: [[yaml target \(i)]] #yamltag\n",
                 expect: "invalid-frontmatter")
        }
        // Odd shapes: a plain scalar continued on an indented line (valid), a continuation that
        // holds `: ` (libyaml refuses it), a complex key (valid).
        note("yaml/odd-continuation.md", "---\ntitle: ok\n  and more of the title\n---\n")
        note("yaml/odd-mapping-continuation.md", "---\ntitle: ok\n  continued: here\n---\n", expect: "invalid-frontmatter")
        note("yaml/odd-complex-key.md", "---\n? complex\n: key\n---\n")
        // Aliases that expand to 387 million values ("billion laughs"): refused, not expanded.
        note("yaml/laughs.md", "---\n" + VaultGenerator.billionLaughs + "---\nbody\n", expect: "invalid-frontmatter")

        // Not text, not UTF-8, byte order mark, CRLF, empty, frontmatter only.
        var binary: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0, 0, 0]
        var seed: UInt64 = 99
        for _ in 0..<4096 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            binary.append(UInt8(truncatingIfNeeded: seed >> 33))
        }
        note("binary.md", binary, expect: "binary", "invalid-utf8")
        note("latin1.md", Array("caf".utf8) + [0xE9] + Array(" na".utf8) + [0xEF] + Array("ve [[latin target]]".utf8),
             expect: "invalid-utf8")
        note("bom-crlf.md", Array("\u{FEFF}---\r\ntitle: With a BOM\r\naliases: [bom alias]\r\n---\r\nCRLF body [[bom target]]\r\n".utf8),
             expect: "bom")
        note("empty.md", "")
        note("frontmatter-only.md", "---\ntitle: Only frontmatter\n---\n")
        note("unclosed-frontmatter.md", "---\ntitle: never closed\n[[unclosed target]]\n")

        // Deep folders, symbolic links that loop or leave the vault, unreadable files.
        let deep = (0..<60).map { "d\($0)" }.joined(separator: "/")
        note(deep + "/bottom.md", "At the bottom. [[top]] and [[../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../etc/passwd]]\n",
             expect: "link-outside-vault")
        note("top.md", "[[bottom]]")
        try! fm.createSymbolicLink(atPath: path + "/loop", withDestinationPath: ".")
        expected.append(("symlink-loop", "loop"))
        try! fm.createSymbolicLink(atPath: path + "/outside", withDestinationPath: "/etc")
        expected.append(("symlink-outside", "outside"))
        try! fm.createSymbolicLink(atPath: path + "/passwd.md", withDestinationPath: "/etc/passwd")
        expected.append(("symlink-outside", "passwd.md"))
        try! fm.createSymbolicLink(atPath: path + "/dangling.md", withDestinationPath: path + "/no-such-file.md")
        expected.append(("symlink-outside", "dangling.md"))
        note("locked.md", "a note nobody may read")
        chmod(path + "/locked.md", 0)
        try! fm.createDirectory(atPath: path + "/locked-folder", withIntermediateDirectories: true)
        note("locked-folder/inside.md", "inside a folder nobody may read")
        chmod(path + "/locked-folder", 0)
        if getuid() != 0 {  // root reads them anyway
            expected.append(("unreadable", "locked.md"))
            expected.append(("unreadable", "locked-folder"))
        }
        mkfifo(path + "/pipe.md", 0o644)
        expected.append(("not-a-file", "pipe.md"))

        // Links that climb out of the vault, and names a shell would trip on.
        note("climb.md", "[[../../outside-the-vault]] and [up](../../../../etc/hosts) and ![[../x.png]]\n",
             expect: "link-outside-vault")
        for name in ["quote \"double\" and 'single'", "dollar $HOME and $(whoami)", "tick `uname`", "  spaces  around  ",
                     "emoji 🌲🍄 name", "semi; rm -rf ~", "new\nline"] {
            write(name + ".md", Array("A note named \(name.debugDescription). [[top]] #name/tag\n".utf8),
                  expect: name.contains("\n") ? ["control-character"] : [])
        }
        // One name, NFC and NFD: two files on Linux, one name for links.
        note("café.md", "NFC")
        note("cafe\u{301}.md", "NFD")
        note("links-to-cafe.md", "[[café]] and [[cafe\u{301}]] and [[CAFÉ]]\n")

        // Terminal controls in the title, an alias, a tag (written as YAML escapes) and the body.
        note("controls.md", "---\ntitle: \"Evil \\e]0;\(Self.oscMarker)\\a title \\e[31;\(Self.csiMarker)m\"\n"
             + "aliases: [\"\u{202E}reversed alias\", \"bell \\a alias\"]\ntags: [\"tag\\e[2Jclear\", fine]\n---\n"
             + Self.controlBody, expect: "control-character")
        note("links-to-controls.md", "See [[controls]] and [[Evil title]] and #tag\u{1B}x.\n")

        if big {
            // 10 MB of prose in one note, and a note of 100,000 short lines.
            let paragraph = String(repeating: "mycelium network commons and [[elsewhere]] with #big/tag ", count: 20) + "\n\n"
            let times = 10_000_000 / paragraph.utf8.count + 1
            note("big/ten-megabytes.md", "---\ntitle: Ten megabytes\n---\n" + String(repeating: paragraph, count: times))
            note("big/many-lines.md", (0..<100_000).map { "line \($0) [[top]]" }.joined(separator: "\n"))
        }
    }

    deinit {
        chmod(path + "/locked.md", 0o644)
        chmod(path + "/locked-folder", 0o755)
        try? FileManager.default.removeItem(atPath: path)
    }

    private func note(_ rel: String, _ text: String, expect kinds: String...) {
        write(rel, Array(text.utf8), expect: kinds)
    }

    private func note(_ rel: String, _ bytes: [UInt8], expect kinds: String...) {
        write(rel, bytes, expect: kinds)
    }

    private func write(_ rel: String, _ bytes: [UInt8], expect kinds: [String]) {
        let full = path + "/" + rel
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: full, contents: Data(bytes))
        notes.append(rel)
        for k in kinds { expected.append((k, rel)) }
    }

    /// Every file's bytes and every link's target, to prove nothing was changed.
    func snapshot() -> [String: Data] { TmuxSession.contents(of: path) }
}

/// The scalars a terminal would act on, except line breaks, tabs and the CR of a CRLF. A
/// copy of `Unicode.Scalar.isTerminalControl` on purpose: the tests' own oracle, kept in
/// step with it by hand, so a change to the predicate cannot silently pass its own test.
func terminalControls(in text: String) -> [Unicode.Scalar] {
    let scalars = Array(text.unicodeScalars)
    return scalars.indices.compactMap { i in
        let u = scalars[i]
        switch u.value {
        case 0x0A, 0x09: return nil
        case 0x0D where i + 1 < scalars.count && scalars[i + 1] == "\n": return nil
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return u
        default: return nil
        }
    }
}
