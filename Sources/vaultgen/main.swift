// vaultgen: writes a deterministic synthetic vault (and its ground truth in
// .mycel-truth.json) for benchmarks and for trying mycel on a large vault.
//
//   vaultgen [--notes N] [--seed S] [--paragraphs P] FOLDER
import Foundation
import VaultGenerator

var notes = 10_000, seed: UInt64 = 42, paragraphs = 3
var folder: String?
var args = CommandLine.arguments.dropFirst()
func usage() -> Never {
    FileHandle.standardError.write(Data("usage: vaultgen [--notes N] [--seed S] [--paragraphs P] FOLDER\n".utf8))
    exit(2)
}
while let a = args.popFirst() {
    switch a {
    case "--notes": guard let v = args.popFirst().flatMap({ Int($0) }), v > 0 else { usage() }; notes = v
    case "--seed": guard let v = args.popFirst().flatMap({ UInt64($0) }) else { usage() }; seed = v
    case "--paragraphs": guard let v = args.popFirst().flatMap({ Int($0) }), v >= 0 else { usage() }; paragraphs = v
    case "-h", "--help": usage()
    default: if folder == nil && !a.hasPrefix("-") { folder = a } else { usage() }
    }
}
guard let folder else { usage() }
do {
    try VaultGenerator(.init(notes: notes, seed: seed, paragraphs: paragraphs)).write(to: folder)
    print("wrote \(notes) notes to \(folder)")
} catch {
    FileHandle.standardError.write(Data("vaultgen: \(error)\n".utf8))
    exit(1)
}
