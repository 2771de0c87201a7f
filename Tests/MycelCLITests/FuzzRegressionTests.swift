import Foundation
import Testing

/// Every input the fuzzer ever found a crash, hang or leak of control characters with (kept
/// in `Tests/Fuzz/regressions`), and the seed corpus, replayed through the same function
/// `make fuzz` drives: parse, resolve, check, render at three widths, search, and the browser
/// opened on each note and driven by keys, with every screen checked for control characters.
/// The replayer runs as its own process, so a crash fails this test and names its input.
@Suite("Fuzzing regressions")
struct FuzzRegressionTests {
    static let replayer: String = {
        let dir = (CLI.binary as NSString).deletingLastPathComponent
        return dir + "/mycel-fuzz"
    }()

    func inputs(_ folder: String) throws -> [String] {
        let dir = CLI.repo.appendingPathComponent("Tests/Fuzz/" + folder).path
        return try FileManager.default.contentsOfDirectory(atPath: dir).sorted().map { dir + "/" + $0 }
    }

    @Test("each saved input runs through every reader without a crash, a hang or a control character on screen")
    func replay() throws {
        let files = try inputs("regressions") + inputs("corpus")
        #expect(try inputs("regressions").count >= 5)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.replayer)
        p.arguments = files
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        let started = Date()
        try p.run()
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "the replayer failed on the last input it names:\n\(e.suffix(2_000))")
        #expect(e.components(separatedBy: ": ok\n").count - 1 == files.count)
        // A debug build: generous, but a hang (the fuzzer's 10 s timeout) would still show.
        #expect(Date().timeIntervalSince(started) < 120)
    }
}
