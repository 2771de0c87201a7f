import Foundation
import Testing

/// Runs the real `mycel` binary, as a user or a script would.
struct CLI {
    static let repo: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()
    static let vault = repo.appendingPathComponent("vault").path
    static let binary: String = {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["MYCEL_BIN"] { candidates.append(env) }
        candidates.append((CommandLine.arguments[0] as NSString).deletingLastPathComponent + "/mycel")
        candidates.append(repo.appendingPathComponent(".build/debug/mycel").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[candidates.count - 1]
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
    }

    static func run(_ args: [String], cwd: String? = nil, env: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "MYCEL_VAULT")
        // The user's own configuration (a default vault) must not change what tests see.
        environment["XDG_CONFIG_HOME"] = "/nonexistent-mycel-test-config"
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read before waiting so a large output cannot fill the pipe and block.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }

    /// Runs a command on the sample vault.
    static func sample(_ args: [String]) throws -> Result { try run(args + ["--vault", vault]) }
}

final class TempVault {
    let path: String
    init(_ files: [String: String]) {
        path = NSTemporaryDirectory() + "mycel-cli-" + UUID().uuidString
        for (rel, text) in files {
            let full = path + "/" + rel
            try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try! Data(text.utf8).write(to: URL(fileURLWithPath: full))
        }
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

@Suite("mycel command line")
struct CLITests {
    @Test("--help teaches: every command is listed and has examples")
    func help() throws {
        let r = try CLI.run(["--help"])
        #expect(r.status == 0)
        for cmd in ["stats", "show", "links", "backlinks", "tags", "check", "export"] {
            #expect(r.stdout.contains(cmd))
            let sub = try CLI.run([cmd, "--help"])
            #expect(sub.status == 0)
            #expect(sub.stdout.contains("Examples:"), "\(cmd) --help has no examples")
            #expect(sub.stdout.contains("--json"))
        }
    }

    @Test("--vault may come before the command; --version; completion scripts for bash, zsh and fish")
    func argumentOrderVersionCompletions() throws {
        let before = try CLI.run(["--vault", CLI.vault, "stats"])
        #expect(before.status == 0, "\(before.stderr)")
        #expect(before.stdout.contains("notes            38"))
        #expect(try CLI.run(["--vault=\(CLI.vault)", "tags"]).stdout.contains("#ecology"))
        let version = try CLI.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        for shell in ["bash", "zsh", "fish"] {
            let script = try CLI.run(["--generate-completion-script", shell])
            #expect(script.status == 0)
            for command in ["backlinks", "grep", "check"] { #expect(script.stdout.contains(command), "\(shell) lacks \(command)") }
        }
    }

    @Test("no command writes to the vault: every byte is the same after each")
    func commandsNeverWrite() throws {
        let copy = NSTemporaryDirectory() + "mycel-readonly-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: CLI.vault, toPath: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let before = TmuxSession.contents(of: copy)
        for args in [["stats"], ["search", "net"], ["grep", "commons"], ["show", "network-nations"], ["show", "network-nations", "--raw"],
                     ["links", "network-nations"], ["backlinks", "network-nations", "--mentions"], ["graph", "commons", "--dot"],
                     ["tags"], ["tags", "ecology"], ["check"], ["export", "--json"]] {
            let r = try CLI.run(args + ["--vault", copy])
            #expect([0, 1].contains(r.status), "\(args): \(r.stderr)")
            #expect(TmuxSession.contents(of: copy) == before, "\(args) changed the vault")
        }
    }

    @Test("show --raw keeps CRLF line ends and shows a lone CR or an escape as a symbol")
    func rawKeepsLineEnds() throws {
        let v = TempVault(["crlf.md": "one\r\ntwo\rthree \u{1B}[2J\r\n"])
        let r = try CLI.run(["show", "crlf", "--raw", "--vault", v.path])
        #expect(r.status == 0)
        #expect(r.stdout.unicodeScalars.elementsEqual("one\r\ntwo␍three ␛[2J\r\n".unicodeScalars), "\(r.stdout.debugDescription)")
    }

    @Test("stats counts what is on disk")
    func stats() throws {
        let files = FileManager.default.enumerator(atPath: CLI.vault)!.compactMap { $0 as? String }
        let notesOnDisk = files.filter { $0.hasSuffix(".md") && !$0.split(separator: "/").contains { $0.hasPrefix(".") } }.count
        let r = try CLI.sample(["stats", "--json"])
        #expect(r.status == 0)
        let j = r.json as? [String: Any]
        #expect(j?["notes"] as? Int == notesOnDisk)
        #expect(j?["attachments"] as? Int == 3)
        #expect(j?["aliasOnlyLinks"] as? Int == 1)
        #expect((j?["loadMilliseconds"] as? Double ?? -1) >= 0)
        let text = try CLI.sample(["stats"])
        #expect(text.stdout.contains("notes            \(notesOnDisk)"))
        // With no subcommand mycel opens the browser, which needs a terminal: in a pipe it
        // says so and exits with status 2 instead of drawing into the pipe.
        let piped = try CLI.sample([])
        #expect(piped.status == 2)
        #expect(piped.stdout.isEmpty)
        #expect(piped.stderr.contains("needs a terminal"))
    }

    @Test("graph prints the web around a note, as text, JSON or DOT")
    func graph() throws {
        let text = try CLI.sample(["graph", "network states"])
        #expect(text.status == 0)
        #expect(text.stdout.hasPrefix("Network Nations  (network-nations.md)"))
        #expect(text.stdout.contains("links here ("))
        #expect(text.stdout.contains("second ring ("))
        let json = try CLI.sample(["graph", "network-nations", "--json", "--depth", "1"]).json as? [String: Any]
        #expect((json?["linksHere"] as? [Any])?.isEmpty == false)
        #expect((json?["secondRing"] as? [Any])?.isEmpty == true)
        // A group cut by --limit says how many there are in all, in the text and the JSON.
        let all = (json?["linksHere"] as? [Any])?.count ?? 0
        let cut = try CLI.sample(["graph", "network-nations", "--limit", "1"])
        #expect(cut.stdout.contains("links here (1 of \(all), the strongest; --limit shows more):"), "\(cut.stdout)")
        let cutJSON = try CLI.sample(["graph", "network-nations", "--limit", "1", "--json"]).json as? [String: Any]
        #expect((cutJSON?["totals"] as? [String: Any])?["linksHere"] as? Int == all)
        let dot = try CLI.sample(["graph", "network-nations", "--dot"]).stdout
        #expect(dot.hasPrefix("digraph mycel {"))
        #expect(dot.contains("\"network-nations.md\" [label=\"Network Nations\", style=bold];"))
        #expect(dot.contains("-> \"network-nations.md\";"))
        #expect(dot.hasSuffix("}\n"))
        let bad = try CLI.sample(["graph", "network-nations", "--depth", "3"])
        #expect(bad.status == 64)
    }

    @Test("links lists body and frontmatter links with where they lead")
    func links() throws {
        let r = try CLI.sample(["links", "Network Nations", "--json"])
        #expect(r.status == 0)
        let links = (r.json as? [String: Any])?["links"] as? [[String: Any]] ?? []
        #expect(links.count == 10)
        #expect(links.filter { $0["kind"] as? String == "frontmatter" }.count == 4)
        #expect(links.contains { $0["target"] as? String == "writing/citizen" && $0["to"] as? String == "writing/citizen.md" && $0["display"] as? String == "Citizen" })
        #expect(links.allSatisfy { ($0["line"] as? Int ?? 0) > 0 })
        let text = try CLI.sample(["links", "exit-without-exile"])
        #expect(text.stdout.contains("network states\t→ alias of network-nations.md"))
    }

    @Test("backlinks give the context line; a ghost's backlinks are the notes that want it")
    func backlinks() throws {
        let r = try CLI.sample(["backlinks", "cosmolocalism"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.contains("cosmolocalism") })
        #expect(lines.contains { $0.hasPrefix("network-nations.md:") })
        let ghost = try CLI.sample(["backlinks", "a note that does not exist yet", "--json"])
        let j = ghost.json as? [String: Any]
        #expect(j?["exists"] as? Bool == false)
        let froms = (j?["backlinks"] as? [[String: Any]])?.compactMap { $0["path"] as? String }.sorted()
        #expect(froms == ["concepts/stigmergy.md", "daily/2026/03/2026-03-01.md"])
        let mentions = try CLI.sample(["backlinks", "network-nations", "--mentions"])
        #expect(mentions.stdout.contains("unlinked mentions:"))
        #expect(mentions.stdout.contains("people/toni-lane-casserly.md:"))
    }

    @Test("tags prints the nested tree with counts and lists notes under a tag")
    func tags() throws {
        let r = try CLI.sample(["tags"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let eco = try #require(lines.firstIndex { $0.hasPrefix("#ecology ") })
        #expect(lines[eco + 1].hasPrefix("  #fungi "))
        #expect(lines[eco + 2].hasPrefix("    #mycorrhiza "))
        let under = try CLI.sample(["tags", "#ecology", "--json"])
        let notes = ((under.json as? [String: Any])?["notes"] as? [[String: Any]])?.compactMap { $0["path"] as? String } ?? []
        #expect(notes.contains("concepts/mycorrhizal-networks.md"))  // via ecology/fungi/mycorrhiza
        #expect(notes.contains("projects/garden/compost-log.md"))     // via ecology/soil
        let missing = try CLI.sample(["tags", "ecolog"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("#ecology"))
    }

    @Test("check reports problems with locations and exits 1; a clean vault exits 0")
    func check() throws {
        let r = try CLI.sample(["check"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("writing/exit-without-exile.md:13:173: warning:"))
        #expect(r.stdout.contains("[alias-link]"))
        #expect(r.stdout.contains("[broken-link]"))
        #expect(r.stdout.contains("[ambiguous-link]"))
        let json = try CLI.sample(["check", "--json"])
        #expect((json.json as? [[String: Any]])?.count == 4)
        let clean = TempVault(["a.md": "[[b]]", "b.md": "---\ntitle: B\n---\n[[a]]"])
        let ok = try CLI.run(["check", "--vault", clean.path])
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("no problems"))
        let bad = TempVault(["a.md": "\u{FEFF}---\ntags: [x\n---\n"])
        let report = try CLI.run(["check", "--vault", bad.path])
        #expect(report.status == 1)
        #expect(report.stdout.contains("[bom]"))
        #expect(report.stdout.contains("a.md:4:1: error: invalid frontmatter") || report.stdout.contains("a.md:3:"))
    }

    @Test("show --raw prints the file as written, invalid frontmatter too; the NOTE argument resolves by alias")
    func show() throws {
        let r = try CLI.sample(["show", "network states", "--raw"])
        #expect(r.status == 0)
        #expect(r.stdout == (try String(contentsOfFile: CLI.vault + "/network-nations.md", encoding: .utf8)))
        let bad = "---\ntitle: Draft\ncreated: {{date}}\ntags: [a, b]\n---\nBody"
        let v = TempVault(["t.md": bad])
        let t = try CLI.run(["show", "t", "--raw", "--vault", v.path])
        #expect(t.status == 0)
        #expect(t.stdout == bad + "\n")
        let j = try CLI.sample(["show", "network-nations", "--json"]).json as? [String: Any]
        #expect((j?["properties"] as? [String: Any])?["type"] as? String == "concept")
    }

    @Test("check leaves out the notes of the templates folders Obsidian's settings name, and says so; --templates checks them")
    func checkSkipsTemplates() throws {
        let v = TempVault([
            ".obsidian/templates.json": #"{"folder": "/Templates/"}"#,
            ".obsidian/plugins/templater-obsidian/data.json": #"{"templates_folder": "Meta/Templater"}"#,
            "Templates/Book.md": "---\ncreated: {{date}}\n---\n[[Books]]",
            "Meta/Templater/Day.md": "[[<% tp.date.now() %>]]",
            "Meta/notes.md": "[[nowhere]]",
            "Templates2/x.md": "[[not a template either]]",
        ])
        let r = try CLI.run(["check", "--vault", v.path])
        #expect(r.status == 1)
        #expect(r.stdout.contains("Meta/notes.md:1:1: error: [[nowhere]] resolves to nothing"))
        #expect(r.stdout.contains("Templates2/x.md:1:1"))
        #expect(!r.stdout.contains("Templates/Book.md") && !r.stdout.contains("Meta/Templater/Day.md"))
        #expect(r.stdout.contains("2 notes in the templates folder (Templates/, Meta/Templater/) not checked (--templates checks them)"))
        let json = try CLI.run(["check", "--json", "--vault", v.path]).json as? [[String: Any]]
        #expect(Set(json?.compactMap { $0["path"] as? String } ?? []) == ["Meta/notes.md", "Templates2/x.md"])
        let all = try CLI.run(["check", "--templates", "--vault", v.path])
        #expect(all.stdout.contains("Templates/Book.md:2:") && all.stdout.contains("Meta/Templater/Day.md:1:1"))
        #expect(!all.stdout.contains("not checked"))
        // Settings that are not JSON, or name no folder, change nothing.
        let odd = TempVault([".obsidian/templates.json": "{not json", "Templates/t.md": "[[x]]"])
        #expect(try CLI.run(["check", "--vault", odd.path]).stdout.contains("Templates/t.md:1:1"))
    }

    @Test("a mistyped command is named as one, with the command it most likely meant; --width below 10 is refused")
    func mistypedCommand() throws {
        let two = try CLI.sample(["serach", "network"])
        #expect(two.status == 64)
        #expect(two.stderr.contains("“serach” is not a command; did you mean “search”?"), "\(two.stderr)")
        #expect(two.stdout.isEmpty)
        let swapped = try CLI.sample(["bakclinks", "network-nations"])
        #expect(swapped.stderr.contains("did you mean “backlinks”?"), "\(swapped.stderr)")
        let far = try CLI.sample(["zzzzzz", "network"])
        #expect(far.status == 64)
        #expect(!far.stderr.contains("did you mean"))
        // One word is a note for the browser to open; in a pipe the browser cannot start,
        // and says which command the word looks like.
        let one = try CLI.sample(["serach"])
        #expect(one.status == 2)
        #expect(one.stderr.contains("(to run the command: mycel search …)"), "\(one.stderr)")
        // The vault's folder after --vault is no word of the command line, and
        // `mycel help COMMAND` is the parser's own.
        #expect(try CLI.run(["--vault", CLI.vault, "stats"]).status == 0)
        let help = try CLI.run(["help", "graph"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: mycel graph"), "\(help.stdout)")
        #expect(try CLI.sample(["show", "start-here", "--width", "0"]).status == 64)
        #expect(try CLI.sample(["show", "start-here", "--width", "10"]).status == 0)
    }

    @Test("an unknown NOTE is an error on stderr that lists the closest names")
    func notFound() throws {
        let r = try CLI.sample(["links", "cosmolocalizm"])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("no note matches \"cosmolocalizm\""))
        #expect(r.stderr.contains("concepts/cosmolocalism"))
    }

    @Test("export --json holds the whole graph in the documented shape")
    func export() throws {
        let r = try CLI.sample(["export", "--json"])
        #expect(r.status == 0)
        let j = try #require(r.json as? [String: Any])
        let notes = try #require(j["notes"] as? [[String: Any]])
        let nn = try #require(notes.first { $0["id"] as? String == "network-nations" })
        #expect(nn["path"] as? String == "network-nations.md")
        #expect(nn["title"] as? String == "Network Nations")
        #expect(nn["aliases"] as? [String] == ["network nation", "digital nations", "network states"])
        #expect(nn["tags"] as? [String] == ["governance", "technology", "civic-innovation"])
        let links = try #require(nn["links"] as? [[String: Any]])
        for l in links {
            #expect(l["target"] is String && l["kind"] is String && l["line"] is Int)
            #expect(l.keys.contains("to"))  // a path, or null when unresolved
        }
        #expect((nn["backlinks"] as? [String])?.contains("writing/exit-without-exile") == true)
        let exit = try #require(notes.first { $0["id"] as? String == "writing/exit-without-exile" })
        let aliasLink = ((exit["links"] as? [[String: Any]]) ?? []).first { $0["target"] as? String == "network states" }
        #expect(aliasLink?["to"] is NSNull)
        #expect(aliasLink?["aliasOf"] as? String == "network-nations.md")
        let ghosts = try #require(j["unresolved"] as? [[String: Any]])
        #expect(ghosts.contains { $0["target"] as? String == "network states" })
        // Every link's `to` names a file that exists in the export.
        let paths = Set(notes.compactMap { $0["path"] as? String } + ((j["attachments"] as? [[String: Any]]) ?? []).compactMap { $0["path"] as? String })
        for n in notes {
            for l in (n["links"] as? [[String: Any]]) ?? [] {
                if let to = l["to"] as? String { #expect(paths.contains(to)) }
            }
        }
    }

    @Test("the vault is --vault, else $MYCEL_VAULT, else the nearest .obsidian folder, else here")
    func vaultDiscovery() throws {
        let v = TempVault([".obsidian/app.json": "{}", "deep/er/n.md": "[[m]]", "m.md": "x"])
        let fromInside = try CLI.run(["stats", "--json"], cwd: v.path + "/deep/er")
        #expect((fromInside.json as? [String: Any])?["notes"] as? Int == 2)
        let fromEnv = try CLI.run(["stats", "--json"], cwd: "/", env: ["MYCEL_VAULT": CLI.vault])
        #expect(((fromEnv.json as? [String: Any])?["notes"] as? Int ?? 0) > 30)
        let plain = TempVault(["only.md": "x"])
        let here = try CLI.run(["stats", "--json"], cwd: plain.path)
        #expect((here.json as? [String: Any])?["notes"] as? Int == 1)
        let missing = try CLI.run(["stats", "--vault", "/no/such/vault"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot open the vault: no such folder: /no/such/vault"))
    }

    @Test("a malformed vault loads: every command answers without crashing")
    func malformed() throws {
        let v = TempVault([
            "bin.md": String(decoding: [0x00, 0xFF, 0xFE, 0x5B, 0x5B], as: UTF8.self),
            "crlf.md": "---\r\ntitle: [unclosed\r\n---\r\n[[x]]",
            "empty.md": "",
            "only-fm.md": "---\n---\n",
            "deep/a/b/c/d/e/f/g/h.md": "[[../../../../../../../../../../../etc/passwd]]",
        ])
        for args in [["stats"], ["check"], ["tags"], ["export", "--json"], ["links", "crlf"], ["backlinks", "x"], ["show", "bin"]] {
            let r = try CLI.run(args + ["--vault", v.path])
            #expect(r.status == 0 || r.status == 1, "\(args) exited \(r.status): \(r.stderr)")
            #expect(!r.stderr.contains("Fatal error"))
        }
        let check = try CLI.run(["check", "--vault", v.path])
        #expect(check.stdout.contains("[link-outside-vault]"))
        #expect(check.stdout.contains("[invalid-frontmatter]"))
    }
}

@Suite("mycel search and grep")
struct SearchCLITests {
    @Test("search \"network states\" puts Network Nations first and names the alias")
    func search() throws {
        let r = try CLI.sample(["search", "network states"])
        #expect(r.status == 0)
        let first = r.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.contains("Network Nations"))
        #expect(first.contains("network-nations.md"))
        #expect(first.contains("alias \"network states\""))
        #expect(!first.contains("\u{1B}["))  // no colour when piped
        let j = try CLI.sample(["search", "netnat", "--json"]).json as? [[String: Any]]
        #expect(j?.first?["path"] as? String == "network-nations.md")
        #expect(j?.first?["rank"] as? Int == 1)
        #expect((j?.first?["positions"] as? [Int])?.count == 6)
        let none = try CLI.sample(["search", "zzzzqqq"])
        #expect(none.status == 1)
        // With --json as without: an empty list, and the status that says nothing matched.
        let noneJSON = try CLI.sample(["search", "zzzzqqq", "--json"])
        #expect(noneJSON.status == 1)
        #expect((noneJSON.json as? [Any])?.isEmpty == true)
        #expect(noneJSON.stderr.isEmpty)
    }

    @Test("search lines its paths up in terminal columns, CJK titles too; a huge limit is no limit")
    func searchColumns() throws {
        let r = try CLI.sample(["search", "#ecology", "--limit", "10000000000"])
        #expect(r.status == 0)
        let rows = r.stdout.split(separator: "\n").map(String.init).filter { $0.contains(".md") }
        #expect(rows.contains { $0.contains("菌糸") })
        // Where each row's path starts, counting a CJK character as two columns.
        func pathColumn(_ row: String) -> Int? {
            guard let dot = row.range(of: ".md") else { return nil }
            let head = row[..<dot.lowerBound]
            guard let space = head.lastIndex(of: " ") else { return nil }
            return head[...space].unicodeScalars.reduce(0) { $0 + ((0x2E80...0x9FFF).contains($1.value) ? 2 : 1) }
        }
        let starts = Set(rows.compactMap(pathColumn))
        #expect(rows.count > 2)
        #expect(starts.count == 1, "\(r.stdout)")
        // What --limit left out is said on standard error, so pipelines see results only.
        let two = try CLI.sample(["search", "n", "--limit", "2"])
        #expect(two.stdout.split(separator: "\n").count == 2)
        #expect(two.stderr.contains("more (--limit)"))
        #expect(try CLI.sample(["grep", "commons", "--limit", "0"]).status == 64)
        #expect(try CLI.sample(["grep", "commons", "--limit", "2"]).stdout.split(separator: "\n").count == 2)
    }

    @Test("grep prints path:line:column: line, like ripgrep")
    func grep() throws {
        let r = try CLI.sample(["grep", "mutual aid"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("concepts/cosmolocalism.md:18:107: "))
        let cjk = try CLI.sample(["grep", "菌糸", "--json"]).json as? [[String: Any]]
        #expect((cjk?.count ?? 0) >= 3)
        #expect(cjk?.allSatisfy { ($0["text"] as? String)?.contains("菌糸") == true } == true)
        #expect(try CLI.sample(["grep", "no such phrase anywhere"]).status == 1)
        let noneJSON = try CLI.sample(["grep", "no such phrase anywhere", "--json"])
        #expect(noneJSON.status == 1)
        #expect((noneJSON.json as? [Any])?.isEmpty == true)
    }
}
