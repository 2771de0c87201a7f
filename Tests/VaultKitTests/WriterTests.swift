import Foundation
import Testing
@testable import VaultKit

@Suite struct WriterTests {
    @Test func createMakesFoldersAndNeverReplaces() throws {
        let dir = TempDir()
        try VaultWriter.create("ideas/new note.md", contents: "# new note\n", in: dir.path)
        #expect(FileManager.default.contents(atPath: dir.path + "/ideas/new note.md") == Data("# new note\n".utf8))
        #expect(throws: WriteError.exists("ideas/new note.md")) {
            try VaultWriter.create("ideas/new note.md", contents: "other", in: dir.path)
        }
        #expect(FileManager.default.contents(atPath: dir.path + "/ideas/new note.md") == Data("# new note\n".utf8))
        #expect(throws: WriteError.outsideVault("../escape.md")) {
            try VaultWriter.create("../escape.md", contents: "x", in: dir.path)
        }
        // No temporary file is left behind.
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/ideas")
        #expect(left == ["new note.md"])
    }

    @Test func replaceOnlyWhenTheFileIsAsRead() throws {
        let dir = TempDir()
        dir.write("a.md", "see network nations here\n")
        #expect(throws: WriteError.changedSinceRead("a.md")) {
            try VaultWriter.replace("a.md", expecting: "something else", with: "x", in: dir.path)
        }
        try VaultWriter.replace("a.md", expecting: "see network nations here\n",
                                with: "see [[network-nations|network nations]] here\n", in: dir.path)
        #expect(String(decoding: FileManager.default.contents(atPath: dir.path + "/a.md")!, as: UTF8.self)
                == "see [[network-nations|network nations]] here\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["a.md"])
    }
}
