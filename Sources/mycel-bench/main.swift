// mycel-bench: the numbers behind docs/performance.md. Run through `make bench`.
//
// Generates (or reuses) 10,000- and 100,000-note vaults with VaultGenerator, then measures,
// in one run and on the same files: loading against ripgrep and cat, the finder per
// keystroke against fzf --filter, full-text search against ripgrep, and resident memory.
// Every figure is a median (or a percentile) over repeated runs.
import Foundation
import VaultGenerator
import BrowserUI
import VaultKit

let args = CommandLine.arguments
if args.contains("--help") || args.contains("-h") {
    print("""
    usage: mycel-bench [--cache DIR] [--runs N] [--mycel PATH] [--finder-only] [--verbose]
           mycel-bench --profile-load DIR
           mycel-bench --profile-finder DIR QUERY [SHORTER]
           mycel-bench --profile-typing DIR [QUERY...]
           mycel-bench --profile-grep DIR TEXT
           mycel-bench --rss-after-load DIR
           mycel-bench --profile-first-frame DIR

    Without a mode, generates (once, then cached in --cache, default .build/bench-vaults) a
    10,000- and a 100,000-note vault and prints the table of docs/performance.md: the load
    against ripgrep and cat, the finder per keystroke against fzf --filter, grep against
    ripgrep, memory and browser frames. --runs sets the repetitions (default 5; the load is
    measured 2 × runs + 1 times, each next to a ripgrep run); --mycel the binary timed for
    `mycel stats` (default .build/release/mycel). Run it through `make bench`, which builds
    in release and installs ripgrep and fzf when they are missing.

      --profile-load DIR     load DIR ten times in this process; print each phase's median
                             and the CPU time (for perf record)
      --profile-finder DIR QUERY [SHORTER]
                             search QUERY 300 times (--reps N) over DIR's names, narrowing
                             SHORTER's results when given; print the median time (--pause S
                             waits S seconds first, for a profiler to start counting)
      --profile-typing DIR [QUERY...]
                             type each QUERY (default: the table's queries) one character
                             at a time, 50 times over; print each keystroke's median and
                             slowest time, its match count and a digest of its top 50
      --profile-grep DIR TEXT
                             search DIR's notes for TEXT 30 times over one load; print
                             the hits and the median time
      --rss-after-load DIR   load DIR, build its name index, print resident KiB, notes
                             and names
      --profile-first-frame DIR
                             the browser's first frame on DIR ten times over; print each
                             step's median (load, state, open, draw, then the mentions)
    """)
    exit(0)
}
func option(_ name: String, _ fallback: String) -> String {
    if let i = args.firstIndex(of: name), i + 1 < args.count { return args[i + 1] }
    return fallback
}
let cache = option("--cache", ".build/bench-vaults")
let runs = Int(option("--runs", "5")) ?? 5
let mycel = option("--mycel", ".build/release/mycel")
let verbose = args.contains("--verbose")
let finderOnly = args.contains("--finder-only")
/// The queries the finder is timed on, typed one character at a time.
let finderQueries = ["network states", "nwst", "cafe", "菌糸", "readme details"]

// A child mode: load a vault and report resident memory, so each vault is measured alone.
if let i = args.firstIndex(of: "--rss-after-load"), i + 1 < args.count {
    let v = try Vault.load(at: args[i + 1])
    let index = NameIndex(v)
    print(residentKiB(), v.notes.count, index.fieldCount)
    exit(0)
}

// A child mode for profiling the browser's start: the first frame's steps, ten times over.
if let i = args.firstIndex(of: "--profile-first-frame"), i + 1 < args.count {
    let steps = try (0..<10).map { _ in try firstFrameSteps(args[i + 1]) }
    let m = (0..<5).map { k in median(steps.map { $0[k] }) * 1000 }
    print(String(format: "first frame: load %.1f ms, state (note list; the name index starts on other cores) %.1f, open %.1f, draw %.1f; " +
                 "then, idle, the unlinked mentions %.1f", m[0], m[1], m[2], m[3], m[4]))
    exit(0)
}

// A child mode for profiling (`perf record mycel-bench --profile-load DIR`): loads the vault
// ten times in this process and prints the median of each phase.
if let i = args.firstIndex(of: "--profile-load"), i + 1 < args.count {
    var phases: [LoadTimings] = []
    var cpu: [Double] = [], names: [Double] = [], namesCPU: [Double] = []
    for _ in 0..<10 {
        let before = cpuSeconds()
        let v = try Vault.load(at: args[i + 1])
        cpu.append(cpuSeconds() - before)
        phases.append(v.timings)
        // The finder's index, timed until it is built (not freed).
        let (t, c) = (now(), cpuSeconds())
        let index = NameIndex(v)
        names.append(now() - t)
        namesCPU.append(cpuSeconds() - c)
        withExtendedLifetime(index) {}
    }
    // Each phase's own median: the phases of the median load alone move with that one load.
    func ms(_ phase: (LoadTimings) -> Double) -> Double { median(phases.map(phase)) * 1000 }
    // CPU time (all threads) moves less than wall time on a shared machine.
    print(String(format: "load %.1f ms: scan %.1f, read+parse %.1f, resolve %.1f, index %.1f; cpu %.1f ms; " +
                 "then the name index %.1f ms, cpu %.1f ms",
                 ms { $0.total }, ms { $0.scan }, ms { $0.parse }, ms { $0.resolve }, ms { $0.index }, median(cpu) * 1000,
                 median(names) * 1000, median(namesCPU) * 1000))
    exit(0)
}

// `--profile-grep DIR TEXT`: the full-text search the table times, 30 times over one load.
if let i = args.firstIndex(of: "--profile-grep"), i + 2 < args.count {
    let v = try Vault.load(at: args[i + 1])
    var times: [Double] = [], hits = 0
    for _ in 0..<30 {
        let t = now()
        hits = v.grep(args[i + 2]).count
        times.append(now() - t)
    }
    print(String(format: "\"%@\": %d hits, median %.2f ms, fastest %.2f ms", args[i + 2], hits, median(times) * 1000,
                 (times.min() ?? 0) * 1000))
    exit(0)
}

// Another: `--profile-finder DIR QUERY [SHORTER]` searches QUERY 300 times over DIR's names
// (narrowing SHORTER's results when given), for `perf record` to see the finder alone.
if let i = args.firstIndex(of: "--profile-finder"), i + 2 < args.count {
    let searcher = NameSearcher(NameIndex(try Vault.load(at: args[i + 1])))
    // With a third argument, each search narrows the results of that shorter query, as
    // typing does.
    let previous = i + 3 < args.count ? searcher.search(args[i + 3], limit: 50) : nil
    var times: [Double] = []
    // A profiler can start counting here (`--pause S` gives it S seconds to notice).
    log("searching…")
    if let pause = Double(option("--pause", "0")), pause > 0 { usleep(UInt32(pause * 1e6)) }
    for _ in 0..<(Int(option("--reps", "300")) ?? 300) {
        let t = now()
        _ = searcher.search(args[i + 2], limit: 50, previous: previous)
        times.append(now() - t)
    }
    print(String(format: "\"%@\": median %.2f ms", args[i + 2], median(times) * 1000))
    exit(0)
}

// And `--profile-typing DIR [QUERY...]`: the finder's keystrokes one by one, as the table
// times them, with a digest of each result so two builds can be checked to rank alike.
if let i = args.firstIndex(of: "--profile-typing"), i + 1 < args.count {
    let searcher = NameSearcher(NameIndex(try Vault.load(at: args[i + 1])))
    let given = args[(i + 2)...].filter { !$0.hasPrefix("--") }
    for q in given.isEmpty ? finderQueries : Array(given) {
        let prefixes = q.indices.map { String(q[...$0]) }
        var times: [[Double]] = Array(repeating: [], count: prefixes.count)
        var results: [NameSearchResult?] = Array(repeating: nil, count: prefixes.count)
        for _ in 0..<50 {
            var previous: NameSearchResult?
            for (k, typed) in prefixes.enumerated() {
                let t = now()
                previous = searcher.search(typed, limit: 50, previous: previous)
                times[k].append(now() - t)
                results[k] = previous
            }
        }
        for (k, typed) in prefixes.enumerated() {
            // FNV-1a over the ranked notes, scores, texts' lengths and matched positions.
            var digest: UInt64 = 0xcbf2_9ce4_8422_2325
            for m in results[k]?.matches ?? [] {
                for v in [m.note, Int(m.score), m.text.utf8.count] + m.positions {
                    digest = (digest ^ UInt64(bitPattern: Int64(v))) &* 0x100_0000_01b3
                }
            }
            let label = "\"\(typed)\"".padding(toLength: 17, withPad: " ", startingAt: 0)
            print(label + String(format: "median %5.2f ms, slowest %5.2f ms, %6d matches, top %016llx",
                                 median(times[k]) * 1000, times[k].max()! * 1000, results[k]?.total ?? 0, digest))
        }
    }
    exit(0)
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func residentKiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
    return 0
}

/// The browser's first frame on `dir`, step by step: load, state (the note list; the name
/// index is built meanwhile on other cores), opening the start note, drawing; then the work
/// done after it when no key waits (the start note's unlinked mentions), which the first
/// frame does not wait for.
func firstFrameSteps(_ dir: String) throws -> [Double] {
    let t0 = now()
    let v = try Vault.load(at: dir)
    let t1 = now()
    var state = AppState(vault: v, width: 120, height: 40)
    let t2 = now()
    if let start = AppState.startNote(in: v) { state.open(start, record: false) }
    let t3 = now()
    _ = View.draw(state)
    let t4 = now()
    state.idle()
    return [t1 - t0, t2 - t1, t3 - t2, t4 - t3, now() - t4]
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? .nan : s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return .nan }
    return s[min(s.count - 1, Int((Double(s.count - 1) * p).rounded(.up)))]
}

/// Runs a shell command, returns its wall time in seconds (output discarded). The child is
/// started with `posix_spawn` and waited for with `waitpid`: Foundation's `Process` on Linux
/// polls for the child's exit every 50 ms, which had rounded every time measured with it up
/// to the next 50 ms (ripgrep's 52 ms read as 102, and as 150 on a slower run).
@discardableResult
func timeShell(_ command: String) -> Double {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let words: [String] = ["/bin/sh", "-c", command]
    let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let t = now()
    guard posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ) == 0 else { return .nan }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    return now() - t
}

func shellOutput(_ command: String) -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", command]
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = FileHandle.nullDevice
    try? p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

func have(_ tool: String) -> Bool { !shellOutput("command -v \(tool)").isEmpty }

func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

func ensureVault(_ notes: Int, paragraphs: Int) throws -> String {
    let dir = "\(cache)/vault-\(notes)-v\(VaultGenerator.version)"
    let marker = dir + "/.mycel-truth.json"
    if FileManager.default.fileExists(atPath: marker) { return dir }
    log("generating \(notes) notes in \(dir) (cached for later runs)…")
    try? FileManager.default.removeItem(atPath: dir)
    try VaultGenerator(.init(notes: notes, seed: 42, paragraphs: paragraphs)).write(to: dir)
    return dir
}

func ms(_ s: Double) -> String { String(format: "%.1f ms", s * 1000) }
func ratio(_ a: Double, _ b: Double) -> String { String(format: "%.2f×", a / b) }
func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

var rows: [String] = []
@MainActor func row(_ cells: String...) { rows.append("| " + cells.joined(separator: " | ") + " |") }

let v10k = try ensureVault(10_000, paragraphs: 3)
let v100k = try ensureVault(100_000, paragraphs: 1)
let hasRg = have("rg"), hasFzf = have("fzf"), hasTaskset = have("taskset")
let pin = hasTaskset ? "taskset -c 0 " : ""

// Warm the page cache so every contender reads from memory.
timeShell("find \(quote(v10k)) -name '*.md' -print0 | xargs -0 cat > /dev/null")

// 1. Load.
if !finderOnly {
log("load…")
// The machine is shared and its speed drifts within a minute: each load is measured right
// next to a ripgrep run, and the ratio reported is the median of those pairs' ratios.
var inProcess: [Double] = [], phases: [LoadTimings] = [], rgRuns: [Double] = [], pairRatios: [Double] = []
var nameIndex: [Double] = [], readyRatios: [Double] = []
for _ in 0..<(runs * 2 + 1) {
    let v = try Vault.load(at: v10k)
    inProcess.append(v.loadSeconds)
    phases.append(v.timings)
    // The finder's index, which `mycel search` builds before it searches (the browser while
    // it draws its first frame).
    let t = now()
    let index = NameIndex(v)
    nameIndex.append(now() - t)
    withExtendedLifetime(index) {}
    if hasRg {
        let r = timeShell("rg -c '\\[\\[' \(quote(v10k)) > /dev/null")
        rgRuns.append(r)
        pairRatios.append(v.loadSeconds / r)
        readyRatios.append((v.loadSeconds + nameIndex.last!) / r)
    }
}
let stats = median((0..<runs).map { _ in timeShell("\(quote(mycel)) stats --vault \(quote(v10k))") })
let rg = hasRg ? median(rgRuns) : .nan
let cat = median((0..<runs).map { _ in timeShell("find \(quote(v10k)) -name '*.md' -print0 | xargs -0 cat > /dev/null") })
let mid = phases.sorted { $0.total < $1.total }[phases.count / 2]
row("load 10k vault, in process (scan, parse, resolve, index)", ms(median(inProcess)),
    hasRg ? String(format: "%.2f× of rg (median of %d side-by-side pairs; %.2f× to %.2f×)", median(pairRatios),
                   pairRatios.count, pairRatios.min()!, pairRatios.max()!) : "rg missing")
row("  phases: scan / read+parse / resolve / index", "\(ms(mid.scan)) / \(ms(mid.parse)) / \(ms(mid.resolve)) / \(ms(mid.index))", "")
row("then the finder's name index of the 10k vault (median of \(nameIndex.count))", ms(median(nameIndex)),
    hasRg ? String(format: "load and name index %.2f× of rg", median(readyRatios)) : "")
row("`mycel stats` on the 10k vault (whole process)", ms(stats), hasRg ? ratio(stats, rg) + " of rg" : "")
row("`rg -c '\\[\\['` over the 10k vault", hasRg ? ms(rg) : "—", "")
row("`cat` of every note of the 10k vault", ms(cat), "")
}

// 2. Finder over the 100k vault's names, typed one character at a time, on this thread.
log("finder…")
let big = try Vault.load(at: v100k)
let indexStarted = now()
let index = NameIndex(big)
let bigIndexSeconds = now() - indexStarted
let searcher = NameSearcher(index)
let namesFile = "\(cache)/names-100k.txt"
try index.allFieldTexts().joined(separator: "\n").write(toFile: namesFile, atomically: true, encoding: .utf8)
let queries = finderQueries
var perKey: [Double] = [], fzfPerKey: [Double] = []
var perQuery: [String: [Double]] = [:]
for q in queries {
    for _ in 0..<runs {
        var previous: NameSearchResult?
        var typed = ""
        for ch in q {
            typed.append(ch)
            let t = now()
            previous = searcher.search(typed, limit: 50, previous: previous)
            let dt = now() - t
            if verbose { log("  \(typed): \(ms(dt)), \(previous?.total ?? 0) matches") }
            perKey.append(dt)
            perQuery[q, default: []].append(dt)
        }
    }
    if hasFzf {
        var typed = ""
        for ch in q {
            typed.append(ch)
            fzfPerKey.append(timeShell("\(pin)fzf --filter \(quote(typed)) < \(quote(namesFile)) > /dev/null"))
        }
    }
}
row("finder, 100k notes (\(index.fieldCount) names), per keystroke p50 / p99, one core",
    "\(ms(median(perKey))) / \(ms(percentile(perKey, 0.99)))", "")
row("  its name index, built once (all cores)", ms(bigIndexSeconds), "")
if hasFzf {
    row("`fzf --filter` on the same names, per keystroke p50 / p99\(hasTaskset ? ", one core" : "")",
        "\(ms(median(fzfPerKey))) / \(ms(percentile(fzfPerKey, 0.99)))",
        ratio(percentile(perKey, 0.99), percentile(fzfPerKey, 0.99)) + " (mycel p99 / fzf p99)")
}
for q in queries {
    row("  \"\(q)\" p50 / p99", "\(ms(median(perQuery[q]!))) / \(ms(percentile(perQuery[q]!, 0.99)))", "")
}

if finderOnly { print(rows.joined(separator: "\n")); exit(0) }

// 3. Full-text search on the 10k vault, against ripgrep.
log("grep…")
let small = try Vault.load(at: v10k)
for pattern in ["mycelium network", "café", "菌糸", "watershed assembly"] {
    let ours = median((0..<runs).map { _ in let t = now(); _ = small.grep(pattern); return now() - t })
    let theirs = hasRg ? median((0..<runs).map { _ in timeShell("rg -i -F -c \(quote(pattern)) \(quote(v10k)) > /dev/null") }) : .nan
    row("grep \"\(pattern)\" over 10k notes (vault loaded) vs `rg -i -F`", "\(ms(ours)) vs \(hasRg ? ms(theirs) : "—")",
        hasRg ? ratio(ours, theirs) : "")
}

// 4. Memory after loading each vault (graph and name index), next to its size on disk.
log("memory…")
for dir in [v10k, v100k] {
    let out = shellOutput("\(quote(args[0])) --rss-after-load \(quote(dir))").split(separator: " ")
    let rss = Double(out.first ?? "0") ?? 0
    let disk = Double(shellOutput("find \(quote(dir)) -name '*.md' -print0 | du -cb --files0-from=- | tail -1 | cut -f1")) ?? 0
    row("resident memory after loading \(out.count > 1 ? String(out[1]) : "?") notes",
        String(format: "%.0f MiB", rss / 1024), String(format: "notes on disk %.0f MiB (%.1f×)", disk / 1048576, rss * 1024 / max(1, disk)))
}

// 5. The browser: time to the first frame (load, state, render, draw), and the cost of
// opening and of redrawing the largest note.
log("browser frames…")
func firstFrame(_ dir: String) throws -> Double { try firstFrameSteps(dir).prefix(4).reduce(0, +) }
let sample = option("--sample", "vault")
let sampleFrame = median(try (0..<runs).map { _ in try firstFrame(sample) })
row("first frame of the sample vault (load, render, draw; 120×40)", ms(sampleFrame),
    String(format: "%.0f%% of a 100 ms blink", sampleFrame * 1000))
let tenKFrame = median(try (0..<runs).map { _ in try firstFrame(v10k) })
row("first frame of the 10k vault", ms(tenKFrame), ratio(tenKFrame, median((0..<runs).map { _ in let t = now(); _ = try? Vault.load(at: v10k); return now() - t })) + " of its load")
let largest = small.notes.indices.max { small.notes[$0].byteCount < small.notes[$1].byteCount }!
var browsing = AppState(vault: small, width: 120, height: 40)
let openLargest = median((0..<runs).map { _ in let t = now(); browsing.open(largest, record: false); return now() - t })
let redraw = median((0..<max(runs, 20)).map { _ in
    let t = now()
    _ = browsing.update(.key(.char("j")))
    _ = View.draw(browsing)
    return now() - t
})
let reloadOne = median((0..<runs).map { _ in
    let t = now()
    _ = try? Vault.reload(small, changed: [small.notes[largest].path])
    return now() - t
})
row("reload the 10k vault after one note changed (rescan, parse it, resolve all)", ms(reloadOne),
    ratio(reloadOne, median((0..<runs).map { _ in let t = now(); _ = try? Vault.load(at: v10k); return now() - t })) + " of a full load")
row("open the largest note (\(small.notes[largest].byteCount / 1024) KiB): render and lay out", ms(openLargest), "")
row("a frame on it (scroll one row: update and draw)", ms(redraw), "")
// Opening a note no longer waits for its unlinked mentions: they are searched once its frame
// is drawn and no key waits.
var mentioning = AppState(vault: small, width: 120, height: 40)
// Its finder's index first (built on all cores as the state is made): a search waits for it.
_ = mentioning.update(.key(.char("o")))
mentioning.settle()
_ = mentioning.update(.key(.escape))
let mentionSearch = median((0..<runs).map { k in
    mentioning.open((k * 997 + 1) % small.notes.count, record: false)
    let t = now()
    mentioning.idle()
    return now() - t
})
row("then the unlinked mentions of a note opened in the 10k vault (after its frame)", ms(mentionSearch), "")

// A long note (about 1 MiB: headings, paragraphs with links and tags, lists, a table,
// code) to time the renderer and a frame where notes get big.
let bigDir = NSTemporaryDirectory() + "mycel-bench-big-" + UUID().uuidString
try FileManager.default.createDirectory(atPath: bigDir, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: bigDir) }
var bigText = "---\ntitle: Big\ntags: [bench]\n---\n"
for i in 0..<2_000 {
    bigText += "## Section \(i)\n\nA paragraph about [[other]] and #topic/\(i % 7), with *emphasis*, `code` and "
    bigText += "==a highlight==, long enough to wrap twice at eighty columns so that layout has work to do.\n\n"
    bigText += "- item one\n- item [[two]]\n  - nested\n\n| a | b |\n|---|---|\n| 1 | 菌糸 |\n\n```\nlet x = \(i)\n```\n\n"
}
try bigText.write(toFile: bigDir + "/big.md", atomically: true, encoding: .utf8)
try "other".write(toFile: bigDir + "/other.md", atomically: true, encoding: .utf8)
let bigVault = try Vault.load(at: bigDir)
let bigIndex = bigVault.notes.firstIndex { $0.name == "big" }!
var bigState = AppState(vault: bigVault, width: 120, height: 40)
let openBig = median((0..<runs).map { _ in let t = now(); bigState.open(bigIndex, record: false); return now() - t })
let bigFrame = median((0..<max(runs, 20)).map { _ in
    let t = now()
    _ = bigState.update(.key(.pageDown))
    _ = View.draw(bigState)
    return now() - t
})
row("open a \(bigText.utf8.count / 1024) KiB note (\(bigState.view?.page.rows.count ?? 0) rows at 120×40): render and lay out", ms(openBig), "")
row("a frame on it (page down: update and draw)", ms(bigFrame), String(format: "%.0f frames/s", 1 / bigFrame))

let cpu = shellOutput("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").trimmingCharacters(in: .whitespaces)
print("""

Machine: \(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores, \
\(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB; \(shellOutput("uname -sr")); \
\(hasRg ? shellOutput("rg --version | head -1") : "no rg"); \(hasFzf ? "fzf " + shellOutput("fzf --version") : "no fzf"). \
Medians of \(runs) runs.

| measure | mycel | compared |
|---|---|---|

""" + rows.joined(separator: "\n"))
