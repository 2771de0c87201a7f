// `make fuzz` builds this with `-sanitize=fuzzer,address -D FUZZING`: `main` hands control to
// libFuzzer's driver, which calls `fuzzOne` once per generated input. Built normally, it is a
// small replayer: `mycel-fuzz FILE...` runs saved inputs (a crash the fuzzer found, a corpus)
// through the same code and says which one fails.
import Foundation
import MycelFuzz

#if FUZZING
// libFuzzer's entry for programs that own `main` (SwiftPM gives every executable its own).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzInput.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
#endif

@main
struct Entry {
    static func main() {
        #if FUZZING
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOne))
        #else
        replay(Array(CommandLine.arguments.dropFirst()))
        #endif
    }

    static func replay(_ files: [String]) {
        if files.isEmpty || files.contains("--help") || files.contains("-h") {
            print("usage: mycel-fuzz FILE...   (runs saved fuzzing inputs; `make fuzz` fuzzes)")
            return
        }
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("mycel-fuzz: cannot read \(path)\n".utf8))
                exit(2)
            }
            // Unbuffered, so a crash still shows which input caused it.
            FileHandle.standardError.write(Data("\(path): ".utf8))
            FuzzInput.run([UInt8](data))
            FileHandle.standardError.write(Data("ok\n".utf8))
        }
    }
}
