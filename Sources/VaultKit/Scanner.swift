#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file found in the vault.
struct ScannedFile: Sendable {
    /// Vault-relative path, `/`-separated.
    var path: String
    var isNote: Bool
    /// For a note: how many notes the walk found before it (the walk is not in path order).
    var order = -1
    /// Its folder, held open by the scan (`Scanner.Folders`), or -1: the file is then opened
    /// by its path from the vault folder.
    var folder: Int32 = -1
    /// Where its name starts in `path` (bytes), for opening it from `folder`.
    var nameStart = 0
    /// The path of its folder ("" for the vault's own): the walk's string, shared by every
    /// file in the folder.
    var folderPath = ""
}

/// Something the scan skipped, for `check`.
struct ScanIssue: Sendable {
    enum Kind: Sendable { case symlinkOutside, symlinkLoop, unreadableFolder, notAFile }
    var kind: Kind
    var path: String
    var detail: String
}

/// Walks a vault: skips names starting with `.`, follows symbolic links only while they stay
/// inside the vault, and never enters a folder twice (so a link back up cannot loop).
enum Scanner {
    /// Folders the scan keeps open, so each file in them is opened by its name alone: the
    /// kernel then looks up one name, not every folder of the path again (that walk was a
    /// quarter of `openat`'s time in a vault three folders deep). Their owner closes them
    /// (`close()`) once every file is read.
    final class Folders {
        private(set) var fds: [Int32] = []
        /// How many it may hold: half of what the process may open, left after a margin for
        /// everything else, and at most 8192; folders past that are not held.
        let limit: Int

        init(limit: Int? = nil) {
            if let limit {
                self.limit = limit
            } else {
                var l = rlimit()
                let soft = getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &l) == 0 ? Int(clamping: l.rlim_cur) : 1024
                self.limit = max(0, min(8192, (soft - 64) / 2))
            }
        }

        /// Holds the folder open as `dir` is, if there is room; its descriptor, else -1.
        func hold(_ dir: OpaquePointer) -> Int32 {
            guard fds.count < limit else { return -1 }
            let fd = fcntl(dirfd(dir), F_DUPFD_CLOEXEC, 0)
            if fd >= 0 { fds.append(fd) }
            return fd
        }

        func close() {
            for fd in fds { _ = Glibc.close(fd) }
            fds = []
        }
    }

    /// `found` is told of each note as the walk finds it (in `order`), so that notes can be
    /// read while the walk goes on. Given `folders`, the walk holds the folders it lists
    /// open there, and each file found names its folder's descriptor.
    static func scan(root: String, folders: Folders? = nil, found: ((ScannedFile) -> Void)? = nil) throws(VaultError)
        -> (files: [ScannedFile], issues: [ScanIssue]) {
        guard let realRoot = realPath(root) else { throw VaultError.notFound(root) }
        var st = stat()
        guard stat(realRoot, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { throw VaultError.notAFolder(root) }
        var files: [ScannedFile] = []
        var issues: [ScanIssue] = []
        var notes = 0
        var visited = Set<FileKey>()
        visited.insert(FileKey(st))
        var stack: [(abs: String, rel: String)] = [(realRoot, "")]
        let rootPrefix = realRoot == "/" ? "/" : realRoot + "/"

        // Folders reached through a symbolic link wait until every real folder has been
        // walked, so a folder is always listed under its real path when it has one.
        var deferred: [(abs: String, rel: String, key: FileKey)] = []

        while true {
            if stack.isEmpty {
                guard !deferred.isEmpty else { break }
                let d = deferred.removeFirst()
                if visited.insert(d.key).inserted {
                    stack.append((d.abs, d.rel))
                } else {
                    issues.append(ScanIssue(kind: .symlinkLoop, path: d.rel, detail: "folder already in the vault at another path"))
                }
                continue
            }
            let (dirAbs, dirRel) = stack.removeLast()
            guard let dir = opendir(dirAbs) else {
                issues.append(ScanIssue(kind: .unreadableFolder, path: dirRel, detail: String(cString: strerror(errno))))
                continue
            }
            let held = folders?.hold(dir) ?? -1
            var subfolders: [(String, String)] = []
            while let entry = readdir(dir) {
                // The path is made from the entry's bytes in one allocation; the name alone
                // only for the few entries that need it.
                let (rel, nameCount) = withUnsafeBytes(of: entry.pointee.d_name) { raw -> (String, Int)? in
                    let bytes = raw.bindMemory(to: UInt8.self)
                    let len = bytes.firstIndex(of: 0) ?? bytes.count
                    guard len > 0, bytes[0] != UInt8(ascii: ".") else { return nil }
                    return relativePath(dirRel, UnsafeBufferPointer(rebasing: bytes[0..<len]))
                } ?? ("", 0)
                if nameCount == 0 { continue }
                // Only folders, links and odd files need the name alone and the absolute path.
                let name = { String(rel[rel.utf8.index(rel.utf8.endIndex, offsetBy: -nameCount)...]) }
                let abs = { dirAbs == "/" ? "/" + name() : dirAbs + "/" + name() }
                var type = entry.pointee.d_type
                if type == UInt8(DT_UNKNOWN) {
                    var s = stat()
                    guard lstat(abs(), &s) == 0 else { continue }
                    type = dtype(s.st_mode)
                }
                if type == UInt8(DT_LNK) {
                    guard let target = realPath(abs()) else {
                        issues.append(ScanIssue(kind: .symlinkOutside, path: rel, detail: "broken symbolic link"))
                        continue
                    }
                    guard target == realRoot || target.hasPrefix(rootPrefix) else {
                        issues.append(ScanIssue(kind: .symlinkOutside, path: rel, detail: "points outside the vault, to \(target)"))
                        continue
                    }
                    var s = stat()
                    guard stat(target, &s) == 0 else { continue }
                    type = dtype(s.st_mode)
                    if type == UInt8(DT_DIR) {
                        deferred.append((abs(), rel, FileKey(s)))
                        continue
                    }
                }
                if type == UInt8(DT_DIR) {
                    var s = stat()
                    if stat(abs(), &s) == 0, !visited.insert(FileKey(s)).inserted { continue }
                    subfolders.append((abs(), rel))
                } else if type == UInt8(DT_REG) {
                    let isNote = nameCount > 3 && rel.utf8.hasMDSuffix
                    let file = ScannedFile(path: rel, isNote: isNote, order: isNote ? notes : -1, folder: held,
                                           nameStart: rel.utf8.count - nameCount, folderPath: dirRel)
                    files.append(file)
                    if isNote {
                        found?(file)
                        notes += 1
                    }
                } else if nameCount > 3, rel.utf8.hasMDSuffix {
                    // A pipe, socket or device named like a note: reading it could block
                    // forever or never end.
                    issues.append(ScanIssue(kind: .notAFile, path: rel, detail: "a \(kindName(abs()))"))
                }
            }
            closedir(dir)
            // Depth-first in name order keeps the walk deterministic.
            stack.append(contentsOf: subfolders.sorted { $0.1 > $1.1 })
        }
        files = sortedByPath(files)
        return (files, issues)
    }

    /// `folder/name` (`name` in the vault's own folder) and the length of its name part in
    /// bytes, made with one allocation. A name that is not valid UTF-8 has its bad bytes
    /// replaced (U+FFFD), as `String(decoding:)` does; opening it by that path then fails,
    /// and the file is reported as unreadable.
    static func relativePath(_ folder: String, _ name: UnsafeBufferPointer<UInt8>) -> (path: String, nameCount: Int) {
        guard validateUTF8(name).valid else {
            let repaired = String(decoding: name, as: UTF8.self)
            return (folder.isEmpty ? repaired : folder + "/" + repaired, repaired.utf8.count)
        }
        guard !folder.isEmpty else { return (stringOfValidUTF8(name), name.count) }
        var folder = folder
        let path = folder.withUTF8 { f in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: f.count + 1 + name.count) { out in
                _ = out.initialize(from: f)
                out[f.count] = UInt8(ascii: "/")
                _ = UnsafeMutableBufferPointer(rebasing: out[(f.count + 1)...]).initialize(from: name)
                return stringOfValidUTF8(UnsafeBufferPointer(out))
            }
        }
        return (path, name.count)
    }

    /// The files in byte order of their paths (`utf8SortedIndices`).
    static func sortedByPath(_ files: [ScannedFile]) -> [ScannedFile] {
        utf8SortedIndices(files.map(\.path)).map { files[$0] }
    }

    private struct FileKey: Hashable {
        let dev: UInt64
        let ino: UInt64
        init(_ s: stat) {
            dev = UInt64(s.st_dev)
            ino = UInt64(s.st_ino)
        }
    }

    private static func kindName(_ path: String) -> String {
        var s = stat()
        guard stat(path, &s) == 0 else { return "special file" }
        switch s.st_mode & S_IFMT {
        case S_IFIFO: return "named pipe"
        case S_IFSOCK: return "socket"
        case S_IFCHR, S_IFBLK: return "device"
        default: return "special file"
        }
    }

    private static func dtype(_ mode: mode_t) -> UInt8 {
        switch mode & S_IFMT {
        case S_IFDIR: return UInt8(DT_DIR)
        case S_IFREG: return UInt8(DT_REG)
        case S_IFLNK: return UInt8(DT_LNK)
        default: return UInt8(DT_UNKNOWN)
        }
    }

    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// Reads a whole file into a buffer of its own, or says why it cannot be read (the form
    /// a custom reader of `Vault.load` returns).
    static func read(_ path: String) -> Result<[UInt8], ReadFailure> {
        var buffer: [UInt8] = []
        if let failure = read(path, in: AT_FDCWD, into: &buffer) { return .failure(failure) }
        return .success(buffer)
    }

    /// Reads a whole file into `buffer` (replacing what it held, keeping its memory, so one
    /// buffer serves file after file); nil when the whole file was read.
    ///
    /// The file is read up to the size `fstat` gives when it is opened: a file that grows
    /// while it is read is read as it was then, as it would be had it grown a moment later.
    /// A file whose size is given as 0 (as some special file systems do) is read to its end.
    static func read(_ path: String, in folder: Int32, into buffer: inout [UInt8]) -> ReadFailure? {
        path.withCString { read(cPath: $0, in: folder, into: &buffer) }
    }

    /// Reads a file the scan found: by its name from its folder when the scan holds that
    /// open, else by its path from `root` (the vault folder).
    static func read(_ file: ScannedFile, root: Int32, into buffer: inout [UInt8]) -> ReadFailure? {
        file.path.withCString { p in
            file.folder >= 0 ? read(cPath: p + file.nameStart, in: file.folder, into: &buffer)
                : read(cPath: p, in: root, into: &buffer)
        }
    }

    private static func read(cPath: UnsafePointer<CChar>, in folder: Int32, into buffer: inout [UInt8]) -> ReadFailure? {
        buffer.removeAll(keepingCapacity: true)
        // Non-blocking, so a file swapped for a pipe after the scan cannot hang the load.
        let fd = openat(folder, cPath, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return ReadFailure(message: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return ReadFailure(message: String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return ReadFailure(message: "not a regular file") }
        var failure: Int32 = 0
        /// Reads up to `n` more bytes onto the end of `buffer`; false at the end of the file
        /// or on an error (kept in `failure`).
        func readMore(_ n: Int) -> Bool {
            var got = 0
            buffer.append(addingCapacity: n) { span in
                span.withUnsafeMutableBufferPointer { p, initialized in
                    while true {
                        let r = Glibc.read(fd, p.baseAddress!, n)
                        if r >= 0 { got = r; break }
                        if errno != EINTR { failure = errno; break }
                    }
                    initialized = got
                }
            }
            return got > 0
        }
        let expected = Int(st.st_size)
        if expected > 0 {
            while buffer.count < expected, readMore(expected - buffer.count) {}
        } else {
            // 4 KiB first (most such files are small), then 64 KiB at a time.
            while readMore(buffer.isEmpty ? 1 << 12 : 1 << 16) {}
        }
        if failure != 0 { return ReadFailure(message: String(cString: strerror(failure))) }
        return nil
    }

    struct ReadFailure: Error { let message: String }
}

/// Why a vault could not be opened at all.
public enum VaultError: Error, CustomStringConvertible, Sendable {
    case notFound(String)
    case notAFolder(String)

    public var description: String {
        switch self {
        case let .notFound(p): return "no such folder: \(p)"
        case let .notAFolder(p): return "not a folder: \(p)"
        }
    }
}
