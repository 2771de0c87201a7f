// Name keys as bytes, and a hash table over them, for link resolution.
//
// A `[String: Int]` keyed by folded names compares and hashes its keys by canonical
// equivalence: every look-up of a name with an accent normalises it again, and every
// comparison walks both strings as Unicode. Link resolution does this for every link of the
// vault. Here a name's key is its folded text in NFC, as bytes, made once; two names are
// equivalent exactly when their keys are equal bytes, so a look-up is one hash of bytes
// (`keyHash`) and a `memcmp`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// This name's key: its text folded (`folded`) and in NFC, so that names that differ
    /// only in case or in normalisation have the same key, byte for byte.
    var nameKey: String {
        var copy = self
        let isASCII = copy.withUTF8 { b in b.allSatisfy { $0 < 0x80 } }
        return isASCII ? folded : folded.foldedKey
    }

    /// `nameKey` for a string that is already folded.
    var foldedKey: String {
        var span = utf8Span
        // Nearly all text is NFC already, which the quick check confirms scalar by scalar;
        // the rest (decomposed accents, as some file systems store names) is composed.
        if span.checkForNFC(quickCheck: true) { return self }
        return String(decoding: _nfcCodeUnits, as: UTF8.self)
    }
}

/// The seed of `keyHash`: random per process, as the standard library's hashing is.
private let keyHashSeed: UInt64 = {
    var h = Hasher()
    h.combine(0x6D79_6365_6C)
    return UInt64(truncatingIfNeeded: h.finalize())
}()

/// Byte helpers for keys.
extension UnsafeBufferPointer<UInt8> {
    /// True when the bytes end in `.md` (keys are folded, so lower case).
    var endsInMD: Bool {
        count >= 3 && self[count - 1] == UInt8(ascii: "d") && self[count - 2] == UInt8(ascii: "m")
            && self[count - 3] == UInt8(ascii: ".")
    }

    /// The seeded hash a `KeyTable` files these bytes under: eight bytes at a time, each
    /// word multiplied in, then murmur3's finaliser. The standard library's SipHash cost
    /// about 260 instructions a link; this costs a tenth of that. It is not a keyed
    /// cryptographic hash as SipHash is: a vault made for it could have names that collide
    /// (the random seed, taken from the standard library's, makes that harder to aim), and
    /// that would only slow its own look-ups, since keys are compared whole.
    var keyHash: Int {
        var h = keyHashSeed ^ (UInt64(count) &* 0x9E37_79B9_7F4A_7C15)
        var i = 0
        if let base = baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 8 <= count {
                h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
                h ^= h >> 29
                i += 8
            }
            if i < count {
                // The last bytes: the buffer's last eight (overlapping words already mixed in)
                // when it has eight, else byte by byte.
                var w: UInt64 = 0
                if count >= 8 {
                    w = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
                } else {
                    for k in i..<count { w |= UInt64(base[k]) << (8 * UInt64(k - i)) }
                }
                h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
                h ^= h >> 29
            }
        }
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return Int(truncatingIfNeeded: h)
    }

    func equals(_ other: UnsafeBufferPointer<UInt8>) -> Bool {
        count == other.count && (count == 0 || memcmp(baseAddress!, other.baseAddress!, count) == 0)
    }
}

/// An array's elements copied to memory of their own, read through a plain pointer. Reading
/// an element retains nothing, so threads that all read one table (link resolution runs on
/// every core) do not contend for a reference count; the memory lives as long as any copy.
struct FixedArray<Element: BitwiseCopyable & Sendable>: @unchecked Sendable {
    private final class Owner {
        let memory: UnsafeMutableBufferPointer<Element>
        init(_ memory: UnsafeMutableBufferPointer<Element>) { self.memory = memory }
        deinit { memory.deallocate() }
    }
    private let owner: Owner
    let buffer: UnsafeBufferPointer<Element>

    init(_ elements: [Element]) {
        let memory = UnsafeMutableBufferPointer<Element>.allocate(capacity: elements.count)
        _ = memory.initialize(from: elements)
        owner = Owner(memory)
        buffer = UnsafeBufferPointer(memory)
    }

    var count: Int { buffer.count }
    subscript(i: Int) -> Element { buffer[i] }
    /// The elements at `r`, as a buffer (valid while this array lives).
    subscript(r: Range<Int>) -> UnsafeBufferPointer<Element> { UnsafeBufferPointer(rebasing: buffer[r]) }
}

/// The keys of many names, one after another in one buffer; a key is a range of it.
struct KeyArena {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// Appends the key of an already folded name; returns its range.
    mutating func append(folded name: String) -> Range<Int> {
        append(exact: name.foldedKey)
    }

    /// Appends a text's own bytes as a key (for tables that tell spellings apart); returns
    /// its range.
    mutating func append(exact text: String) -> Range<Int> {
        let start = bytes.count
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
        return start..<bytes.count
    }

    func withKey<R>(_ r: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[r])) }
    }
}

/// An open-addressing hash table from keys (ranges of a key buffer its owner keeps) to
/// non-negative integers. Filled by `KeyTable.Builder`, then only read, by any number of
/// threads at once.
struct KeyTable: Sendable {
    /// 16 bytes, so a table of 10,000 names fits in a core's second-level cache.
    fileprivate struct Slot: BitwiseCopyable, Sendable {
        /// The hash's high half (its low bits chose the slot).
        var check: UInt32
        var start: Int32
        var count: Int32
        /// -1 when the slot is empty.
        var value: Int32
        static let empty = Slot(check: 0, start: 0, count: 0, value: -1)
    }

    @inline(__always) fileprivate static func check(_ hash: Int) -> UInt32 { UInt32(truncatingIfNeeded: hash >> 32) }

    private let slots: FixedArray<Slot>

    /// The value filed under `key` (hashed as `hash`), if any; `keys` holds the table's keys.
    func find(_ key: UnsafeBufferPointer<UInt8>, hash: Int, in keys: FixedArray<UInt8>) -> Int? {
        let mask = slots.count - 1
        let check = Self.check(hash)
        var i = hash & mask
        while true {
            let s = slots[i]
            if s.value < 0 { return nil }
            if s.check == check, key.equals(keys[Int(s.start)..<Int(s.start + s.count)]) {
                return Int(s.value)
            }
            i = (i + 1) & mask
        }
    }

    struct Builder {
        private var slots: [Slot]
        private(set) var count = 0

        /// A table for about `capacity` keys (it grows past that).
        init(capacity: Int) {
            // At most three quarters full, which keeps the table small enough to stay in cache;
            // with linear probing a miss then still reads only a few neighbouring slots.
            var size = 8
            while size * 3 < capacity * 4 { size <<= 1 }
            slots = [Slot](repeating: .empty, count: size)
        }

        /// Files `value` under the key at `range` of `arena` unless the key is there already;
        /// returns the value the key has now.
        @discardableResult
        mutating func insert(_ range: Range<Int>, of arena: KeyArena, value: Int) -> Int {
            precondition(value >= 0 && value < Int(Int32.max) && arena.bytes.count < Int(Int32.max))
            if (count + 1) * 4 > slots.count * 3 { grow(arena) }
            let (i, check, found) = arena.bytes.withUnsafeBufferPointer { all in
                probe(UnsafeBufferPointer(rebasing: all[range]), all)
            }
            if let found { return found }
            slots[i] = Slot(check: check, start: Int32(range.lowerBound), count: Int32(range.count), value: Int32(value))
            count += 1
            return value
        }

        /// The value filed under `key`, if any; `arena` holds the keys filed.
        func find(_ key: UnsafeBufferPointer<UInt8>, in arena: KeyArena) -> Int? {
            arena.bytes.withUnsafeBufferPointer { all in probe(key, all).found }
        }

        /// The slot holding `key` and its value, or the empty slot where it would go; `all`
        /// is the arena's bytes.
        private func probe(_ key: UnsafeBufferPointer<UInt8>, _ all: UnsafeBufferPointer<UInt8>)
            -> (slot: Int, check: UInt32, found: Int?) {
            let mask = slots.count - 1
            let hash = key.keyHash, check = KeyTable.check(hash)
            var i = hash & mask
            while slots[i].value >= 0 {
                let s = slots[i]
                if s.check == check, key.equals(UnsafeBufferPointer(rebasing: all[Int(s.start)..<Int(s.start + s.count)])) {
                    return (i, check, Int(s.value))
                }
                i = (i + 1) & mask
            }
            return (i, check, nil)
        }

        private mutating func grow(_ arena: KeyArena) {
            // A slot holds only half its key's hash: the hash is made again from the key.
            let old = slots
            slots = [Slot](repeating: .empty, count: old.count * 2)
            let mask = slots.count - 1
            arena.bytes.withUnsafeBufferPointer { all in
                for s in old where s.value >= 0 {
                    var i = UnsafeBufferPointer(rebasing: all[Int(s.start)..<Int(s.start + s.count)]).keyHash & mask
                    while slots[i].value >= 0 { i = (i + 1) & mask }
                    slots[i] = s
                }
            }
        }

        /// The table, to be read with the arena's bytes as a `FixedArray`; `transform` gives
        /// each key's final value from the one it was filed with.
        func build(_ transform: (Int) -> Int = { $0 }) -> KeyTable {
            KeyTable(slots: FixedArray(slots.map { s in
                var s = s
                if s.value >= 0 { s.value = Int32(transform(Int(s.value))) }
                return s
            }))
        }
    }
}
