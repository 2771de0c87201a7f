import Foundation
import Testing
@testable import BrowserUI
@testable import Configuration

@Suite struct ConfigTests {
    @Test func noFileMeansDefaults() {
        let c = Config.parse(nil)
        #expect(c.problems.isEmpty && c.theme == .dark && c.vault == nil && c.editor == nil)
        #expect(c.keyMap.bindings.map(\.keys) == KeyMap.standard.bindings.map(\.keys))
    }

    @Test func everySettingIsRead() {
        let c = Config.parse("""
        vault = "~/notes"
        editor = "code -w"
        theme = "light"
        [panes]
        left = 24
        right = 40
        [keys]
        quit = ["Q", "Ctrl-q"]
        switcher = "F2"
        [colors]
        link = 33
        highlight = "16/229"
        """)
        #expect(c.problems.isEmpty, "\(c.problems)")
        #expect(c.vault == "~/notes" && c.editor == ["code", "-w"] && c.theme == .light)
        #expect(c.leftWidth == 24 && c.rightWidth == 40)
        #expect(c.keyMap.action(for: .char("Q"), in: .note) == .quit)
        #expect(c.keyMap.action(for: .ctrl("q"), in: .list) == .quit)
        #expect(c.keyMap.action(for: .char("q"), in: .note) == nil)
        #expect(c.keyMap.action(for: .function(2), in: .note) == .switcher)
        #expect(c.colors[.link]! == (33, -1))
        #expect(c.colors[.highlight]! == (16, 229))
    }

    @Test func problemsNameTheirLineAndKeepTheDefault() {
        let c = Config.parse("""
        theme = "blue"
        bogus = 1
        [panes]
        left = 5
        [keys]
        quit = "x"
        switcher = ["Ctrl-p", "j"]
        [colors]
        link = 300
        nothing = 1
        """, file: "config.toml")
        #expect(c.problems == [
            "config.toml:1: theme must be \"dark\" or \"light\"",
            "config.toml:2: unknown setting “bogus” (vault, editor, theme, [panes], [keys], [colors])",
            "config.toml:4: left must be a number of columns from 10 to 80",
            "config.toml:7: a key of switcher is already bound to scrollDown; switcher keeps its keys",
            "config.toml:9: link must be a colour 0-255, or \"fg/bg\" such as \"75/236\" (-1: the terminal's own)",
            "config.toml:10: unknown role “nothing”",
        ])
        #expect(c.theme == .dark && c.leftWidth == nil && c.colors.isEmpty)
        #expect(c.keyMap.action(for: .char("x"), in: .note) == .quit)      // the good line still counts
        #expect(c.keyMap.action(for: .ctrl("p"), in: .note) == .switcher)  // the bad one keeps the default
    }

    @Test func aSyntaxErrorNamesItsLine() {
        let c = Config.parse("theme = \"dark\"\nkeys = [\n", file: "f.toml")
        #expect(c.problems.count == 1)
        #expect(c.problems[0].hasPrefix("f.toml:"))
        #expect(c.problems[0].hasSuffix("using the defaults"))
    }

    @Test func theDefaultFileIsValidAndHoldsTheDefaults() {
        #expect(Config.parse(Config.defaultFile).problems.isEmpty)
        // With every setting uncommented it still means the defaults.
        let uncommented = Config.defaultFile.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let l = String(line)
            // A commented setting: "# name = value", the name one word.
            guard l.hasPrefix("# "), let eq = l.range(of: " = "),
                  l[l.index(l.startIndex, offsetBy: 2)..<eq.lowerBound].allSatisfy({ $0.isLetter }) else { return l }
            let body = String(l.dropFirst(2))
            if let hash = body.range(of: "  #") ?? body.range(of: "] #") { return String(body[..<hash.lowerBound]) + (body[hash].hasPrefix("]") ? "]" : "") }
            return body
        }.joined(separator: "\n")
        let c = Config.parse(uncommented.replacingOccurrences(of: "vault = \"~/notes\"", with: "")
            .replacingOccurrences(of: "editor = \"nvim\"", with: ""))
        #expect(c.problems.isEmpty, "\(c.problems)")
        #expect(c.keyMap.bindings.map(\.keys) == KeyMap.standard.bindings.map(\.keys))
    }

    @Test func everyKeyLabelReadsBack() {
        for b in KeyMap.standard.bindings {
            for k in b.keys { #expect(Key(label: k.label) == k, "\(k.label)") }
        }
    }
}
