// Running the user's editor on a note: `$VISUAL`, else `$EDITOR`, else `vi`, started
// directly (no shell: the variable is split at spaces, so `code -w` works and nothing in a
// file name is ever interpreted), with the terminal handed over while it runs.

import Foundation

enum Editor {
    /// The configured editor, if any (set at start-up).
    nonisolated(unsafe) static var configured: [String]?

    static func command(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        if let configured, !configured.isEmpty { return configured }
        for key in ["VISUAL", "EDITOR"] {
            if let value = environment[key] {
                let parts = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                if !parts.isEmpty { return parts }
            }
        }
        return ["vi"]
    }

    /// Runs the editor on `file` and waits. Returns a message for the status line when it
    /// could not run or failed. Interrupts typed in the editor are the editor's: mycel
    /// ignores SIGINT while it waits, and the editor starts with default signal actions.
    static func run(file: String) -> String? {
        let argv = command() + [file]
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        var cargs = argv.map { strdup($0) } + [nil]
        defer { for a in cargs { free(a) } }
        let previous = signal(SIGINT, SIG_IGN)
        defer { signal(SIGINT, previous) }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, argv[0], nil, &attributes, &cargs, environ)
        guard rc == 0 else { return "could not start the editor “\(argv[0])”: \(String(cString: strerror(rc)))" }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7F == 0
        let code = (status >> 8) & 0xFF
        if !exited { return "the editor “\(argv[0])” was stopped by a signal" }
        if code != 0 { return "the editor “\(argv[0])” exited with status \(code)" }
        return nil
    }
}
