// The only writes mycel makes to a vault, each one asked for by the user: creating a note
// for an unresolved link, and turning an unlinked mention into a link. Both are atomic (a
// temporary file in the same folder, then a rename or a hard link), a new note never
// replaces an existing file, and an edit is refused when the file changed since it was read.

#if canImport(Glibc)
import Glibc
#endif

public enum WriteError: Error, Equatable, CustomStringConvertible {
    case exists(String)
    case changedSinceRead(String)
    case outsideVault(String)
    case system(String, String)

    public var description: String {
        switch self {
        case let .exists(p): return "\(p) already exists; nothing was written"
        case let .changedSinceRead(p): return "\(p) changed since mycel read it; nothing was written"
        case let .outsideVault(p): return "\(p) would be outside the vault; nothing was written"
        case let .system(p, why): return "could not write \(p): \(why)"
        }
    }
}

public enum VaultWriter {
    /// Creates `path` (vault-relative) with `contents`; fails if anything is there already.
    public static func create(_ path: String, contents: String, in root: String) throws(WriteError) {
        let parts = path.split(separator: "/")
        guard !path.hasPrefix("/"), !parts.contains(".."), !parts.isEmpty else { throw .outsideVault(path) }
        let full = root + "/" + path
        var folder = root
        for part in parts.dropLast() {
            folder += "/" + part
            if mkdir(folder, 0o755) != 0 && errno != EEXIST { throw .system(path, String(cString: strerror(errno))) }
        }
        let temporary = try writeTemporary(contents, near: full, path: path)
        // link() fails when the name exists: the one atomic "create, never replace".
        if link(temporary, full) != 0 {
            let e = errno
            unlink(temporary)
            if e == EEXIST { throw .exists(path) }
            throw .system(path, String(cString: strerror(e)))
        }
        unlink(temporary)
    }

    /// Replaces the contents of `path` with `new`, provided it still holds `old`.
    public static func replace(_ path: String, expecting old: String, with new: String, in root: String) throws(WriteError) {
        let full = root + "/" + path
        guard let current = read(full), current == Array(old.utf8) else { throw .changedSinceRead(path) }
        let temporary = try writeTemporary(new, near: full, path: path)
        if rename(temporary, full) != 0 {
            let e = errno
            unlink(temporary)
            throw .system(path, String(cString: strerror(e)))
        }
    }

    private static func writeTemporary(_ contents: String, near full: String, path: String) throws(WriteError) -> String {
        let folder = full.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        var template = Array((folder + "/.mycel-write-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .system(path, String(cString: strerror(errno))) }
        let temporary = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
        let bytes = Array(contents.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { close(fd); unlink(temporary); throw .system(path, String(cString: strerror(errno))) }
            written += n
        }
        fchmod(fd, 0o644)
        guard fsync(fd) == 0, close(fd) == 0 else { unlink(temporary); throw .system(path, String(cString: strerror(errno))) }
        return temporary
    }

    private static func read(_ full: String) -> [UInt8]? {
        guard let f = fopen(full, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n == 0 { break }
            out += buffer[0..<n]
        }
        return out
    }
}
