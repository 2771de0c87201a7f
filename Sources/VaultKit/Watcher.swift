// Notices changes to a vault's files made by anything else (another editor, git pull, a
// sync client), through Linux's inotify: one watch per folder, folders created later are
// watched as they appear. The caller polls; nothing here blocks or runs a thread.

#if os(Linux)
import Glibc

public final class VaultWatcher {
    private let fd: Int32
    private let root: String
    private var folders: [Int32: String] = [:]

    /// Nil when inotify is not available (or out of watches): the vault then simply does
    /// not reload by itself.
    public init?(root: String) {
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        self.root = root
        guard fd >= 0 else { return nil }
        watch(root)
        if folders.isEmpty { close(fd); return nil }
    }

    deinit { close(fd) }

    private static let mask = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF)

    /// Watches `folder` and every folder under it (hidden ones, like `.obsidian`, skipped).
    private func watch(_ folder: String) {
        let wd = inotify_add_watch(fd, folder, Self.mask)
        guard wd >= 0 else { return }
        folders[wd] = folder
        guard let dir = opendir(folder) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard !name.hasPrefix("."), Int32(entry.pointee.d_type) == Int32(DT_DIR) else { continue }
            watch(folder + "/" + name)
        }
    }

    /// What changed: the vault paths of the files, or everything (a folder came or went, or
    /// the kernel dropped events), so the caller reloads all.
    public enum Change: Sendable, Equatable {
        case files(Set<String>)
        case everything
    }

    /// Reads what happened since the last call; nil when nothing that matters did (hidden
    /// files and editors' swap files are ignored).
    public func changes() -> Change? {
        var paths = Set<String>()
        var everything = false
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= n {
                let (wd, mask, length, name) = buffer.withUnsafeBytes { raw -> (Int32, UInt32, Int, String) in
                    let e = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let start = offset + MemoryLayout<inotify_event>.size
                    let bytes = raw[start..<min(n, start + Int(e.len))]
                    return (e.wd, e.mask, Int(e.len), String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self))
                }
                offset += MemoryLayout<inotify_event>.size + length
                if mask & UInt32(IN_Q_OVERFLOW) != 0 { everything = true; continue }
                if mask & UInt32(IN_ISDIR) != 0 {
                    if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0, !name.hasPrefix("."), let parent = folders[wd] {
                        watch(parent + "/" + name)
                    }
                    if !name.hasPrefix(".") { everything = true }
                    continue
                }
                if mask & UInt32(IN_DELETE_SELF) != 0 { folders[wd] = nil; everything = true; continue }
                if name.hasPrefix(".") || name.hasSuffix("~") || name.hasSuffix(".swp") || name.hasSuffix(".swx") { continue }
                guard let folder = folders[wd] else { everything = true; continue }
                let relative = folder == root ? name : String(folder.dropFirst(root.count + 1)) + "/" + name
                paths.insert(relative)
            }
        }
        if everything { return .everything }
        return paths.isEmpty ? nil : .files(paths)
    }
}
#endif
