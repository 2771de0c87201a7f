import Testing
import VaultGenerator
@testable import BrowserUI
@testable import VaultKit

@Suite struct RendererTests {
    let rich = vault([
        "rich.md": """
        ---
        title: Rich Note
        type: test
        tags: [alpha, beta/gamma]
        aliases: [richness]
        related: "[[Other]]"
        ---
        # Rich Note

        Some *emphasis*, **strong**, ~~struck~~, ==marked text== and `code [[not a link]]`.
        Links: [[Other]], [[Other#Section One|a section]], [[Missing]], [[the alias]], \
        [md](Other.md), <https://example.org>. Tag #inline/tag. %% secret comment %%
        Block with id. ^blk1

        > [!warning] Careful now
        > The callout body links [[Other]].

        > plain quote

        1. first
        2. second
           - nested bullet
             - deeper
        - [ ] open task
        - [x] done task

        | Name | Value |
        |:-----|------:|
        | 名前 | 12 |
        | emoji 🍄 | [[Other]] |

        ---

        ```swift
        let x = 1
        ```

        ![[Other#Section One]]

        ![[picture.png]]

        A footnote[^n].

        [^n]: The footnote text.
        """,
        "Other.md": """
        ---
        aliases: [the alias]
        ---
        Intro line.

        ## Section One

        Section text with [[rich]].

        ## Section Two
        Not embedded.
        """,
    ], attachments: ["picture.png"])

    @Test func headerShowsTitleAndPropertiesWithLinks() {
        let lines = rendered(rich, "rich.md")
        #expect(lines[0] == "Rich Note")
        #expect(lines[1].hasPrefix("type") && lines[1].hasSuffix("test"))
        #expect(lines.contains { $0.hasPrefix("tags") && $0.hasSuffix("#alpha #beta/gamma") })
        #expect(lines.contains { $0.hasPrefix("related") && $0.hasSuffix("Other") })
        #expect(lines.contains { $0.hasPrefix("────") })
        // The `# Rich Note` heading repeats the title and is not shown twice.
        #expect(lines.filter { $0 == "Rich Note" }.count == 1)
    }

    @Test func inlineMarkupCommentsAndBlockIDs() {
        let text = rendered(rich, "rich.md", width: 200).joined(separator: "\n")
        #expect(text.contains("Some emphasis, strong, struck, marked text and code [[not a link]]."))
        #expect(text.contains("Links: Other, a section, Missing, the alias, md, https://example.org. Tag #inline/tag."))
        #expect(!text.contains("secret"))
        #expect(!text.contains("%%"))
        #expect(text.contains("Block with id.") && !text.contains("^blk1"))
        #expect(!text.contains("=="))
    }

    @Test func blocksCalloutsListsTablesAndCode() {
        let lines = rendered(rich, "rich.md", width: 60)
        #expect(lines.contains("▌ Warning: Careful now"))
        #expect(lines.contains("▌ The callout body links Other."))
        #expect(lines.contains("│ plain quote"))
        #expect(lines.contains("1. first"))
        #expect(lines.contains("   ◦ nested bullet"))
        #expect(lines.contains("     ▪ deeper"))
        #expect(lines.contains("☐ open task"))
        #expect(lines.contains("☑ done task"))
        // Box-drawn table; CJK and emoji keep the columns aligned (right-aligned numbers).
        #expect(lines.contains("┌──────────┬───────┐"))
        #expect(lines.contains("│ 名前     │    12 │"))
        #expect(lines.contains("│ emoji 🍄 │ Other │"))
        #expect(lines.contains("└──────────┴───────┘"))
        #expect(lines.contains(String(repeating: "─", count: 60)))
        #expect(lines.contains("▏let x = 1"))
        #expect(lines.contains("[1] The footnote text."))
        #expect(lines.contains("A footnote[1]."))
    }

    @Test func embedsAreTranscludedOrLabelled() {
        let lines = rendered(rich, "rich.md", width: 60)
        let at = lines.firstIndex(of: "↳ ⧉ Other › Section One")
        #expect(at != nil)
        if let at {
            #expect(lines[at + 1] == "┃ Section One")
            #expect(lines.contains("┃ Section text with rich."))
            #expect(!lines.contains { $0.contains("Not embedded") })
        }
        #expect(lines.contains("[image: picture.png]"))
    }

    @Test("a size after | is no caption (![[p.png|200]], ![250](url), ![alt|100x80](url)); a callout titled by its kind says it once")
    func imageSizesAndCalloutTitles() {
        let v = Vault.make(notes: ["n.md": """
            ![[p.png|200]] ![[p.png|100x80]] ![[p.png|a caption]] ![[p.png|12a]]

            ![250](https://example.org/pics/Engelbart.jpg) ![alt text|100x20](https://example.org/a.png) ![](https://example.org/b.png)

            > [!tip] Tip
            > one

            > [!note]- Careful now
            > two
            """], attachments: ["p.png"])
        let lines = rendered(v, "n.md", width: 100)
        #expect(lines.contains("[image: p.png] [image: p.png] [image: a caption] [image: 12a]"), "\(lines)")
        #expect(lines.contains("[image: Engelbart.jpg] [image: alt text] [image: b.png]"), "\(lines)")
        #expect(lines.contains("▌ Tip"))
        #expect(lines.contains("▌ Note: Careful now"))
    }

    @Test("inside quotes and callouts task boxes are drawn as at the top (☑ ☐), and the paragraph a callout's title heads is parted from the next")
    func tasksAndParagraphsInCallouts() {
        let v = Vault.make(notes: ["n.md": """
            > - [x] ticked in a quote
            > - [ ] open in a quote

            > [!tip]
            > - [X] ticked in a callout
            > - [ ]
            > - [y] not a box

            > [!note] Title
            > First para.
            >
            > Second para.

            1. [x] numbered, at the top

            > 1. [x] numbered, in a quote
            """])
        let lines = rendered(v, "n.md", width: 60)
        #expect(lines.contains("│ ☑ ticked in a quote"))
        #expect(lines.contains("│ ☐ open in a quote"))
        #expect(lines.contains("▌ ☑ ticked in a callout"))
        #expect(lines.contains("▌ ☐"))
        #expect(lines.contains("▌ • [y] not a box"))
        let first = lines.firstIndex(of: "▌ First para.")
        #expect(first.map { lines[$0 + 1] == "▌" && lines[$0 + 2] == "▌ Second para." } == true, "\(lines)")
        // Numbered items take the box as the task-list extension gives it at the top.
        #expect(lines.contains("☑ numbered, at the top"))
        #expect(lines.contains("│ ☑ numbered, in a quote"))
    }

    @Test("display math is shown as written, line by line, its \\\\ kept, in a quote too; inline $$ stays in its paragraph")
    func displayMathAsWritten() {
        let v = Vault.make(notes: ["n.md": """
            ---
            title: N
            ---
            $$
            a & b\\\\
            c & d
            $$

            Inline $$ x $$ stays.

            > $$
            > [[decoy]] \\\\ y
            > $$
            """])
        let lines = rendered(v, "n.md", width: 60)
        let at = lines.firstIndex(of: "▏$$")
        #expect(at.map { Array(lines[$0..<($0 + 4)]) } == ["▏$$", "▏a & b\\\\", "▏c & d", "▏$$"], "\(lines)")
        #expect(lines.contains("Inline $$ x $$ stays."))
        #expect(lines.contains("│ ▏[[decoy]] \\\\ y"))
    }

    @Test("<br> breaks the line, as in Obsidian; other inline HTML is shown as it is")
    func htmlLineBreaks() {
        let v = Vault.make(notes: ["n.md": "one<br>two<BR />three <br/> four <b>x</b>"])
        let lines = rendered(v, "n.md", width: 60)
        #expect(Array(lines.drop { $0 != "one" }.prefix(4)) == ["one", "two", "three", "four <b>x</b>"], "\(lines)")
    }

    @Test func embedsStopAtCyclesAndDepth() {
        let v = vault(["a.md": "![[b]]", "b.md": "![[a]]"])
        let lines = rendered(v, "a.md")
        #expect(lines.contains("↳ ⧉ b"))
        #expect(lines.contains("┃ ↳ ⧉ a  (embeds itself)"))
    }

    @Test func linkStylesFollowTheirState() {
        let v = rich
        let doc = Renderer(vault: v).render(note: v.index("rich.md"))
        let page = doc.layout(width: 200)
        func role(of text: String) -> Role? {
            page.rows.flatMap(\.segments).first { $0.text == text && $0.anchor != nil }?.style.role
        }
        #expect(role(of: "Other") == .link)
        #expect(role(of: "Missing") == .linkUnresolved)
        #expect(role(of: "the alias") == .linkAlias)
        #expect(role(of: "https://example.org") == .linkExternal)
        #expect(role(of: "[image: picture.png]") == .embed)
    }

    @Test func wrapsByDisplayWidth() {
        let v = vault(["cjk.md": "菌糸のネットワークは森の下で静かに情報を運ぶ。Mixed with English words here."])
        let lines = rendered(v, "cjk.md", width: 12)
        for line in lines { #expect(DisplayWidth.of(line) <= 12, "\(line) is wider than 12") }
        #expect(lines.contains("菌糸のネット"))
        // Punctuation stays with the word before it.
        #expect(!lines.contains { $0.hasPrefix("。") })
    }

    @Test func controlCharactersNeverReachTheRows() {
        let v = vault(["evil.md": "---\ntitle: \"bad\\e]0;owned\\a title\"\n---\nbody \u{1B}[31mred\u{1B}[0m \u{202E}rev"])
        let lines = rendered(v, "evil.md")
        for line in lines {
            #expect(!line.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0.value == 0x202E })
        }
        #expect(lines.contains { $0.contains("␛[31mred") })
    }

    /// Every link the graph holds appears once as an anchor in the rendering, and every
    /// anchor of the note's own text is a link of the graph.
    func checkLinksAgree(_ v: Vault) {
        let renderer = Renderer(vault: v)
        for i in v.notes.indices {
            let page = renderer.render(note: i).layout(width: 80)
            let doc = renderer.render(note: i)
            var shown = Set<Int>()
            for s in page.rows.flatMap(\.segments) {
                guard let a = s.anchor, case let .link(ref) = doc.anchors[a], ref.note == i else { continue }
                shown.insert(ref.link)
            }
            let held = Set(v.notes[i].links.indices)
            #expect(shown == held, "\(v.notes[i].path): graph-only \(held.subtracting(shown).sorted().map { v.notes[i].links[$0].target }), rendered-only \(shown.subtracting(held).sorted())")
        }
    }

    @Test func renderedLinksAreTheGraphsLinksOnTheSampleVault() {
        checkLinksAgree(sampleVault)
    }

    @Test func renderedLinksAreTheGraphsLinksOnAGeneratedVault() {
        let g = VaultGenerator(.init(notes: 400, seed: 11, paragraphs: 2)).generate()
        checkLinksAgree(vault(g.files, attachments: g.attachments))
    }
}
