// Finding a code unit in a text one machine word at a time: eight bytes, or two scalars, per
// step, with no branch per character. The finder's hot loops (is the query a subsequence,
// where does each of its characters occur) spend their time here.
//
// A word is compared with the sought unit repeated in every lane; the lanes that come out
// zero are found exactly with `zeroLanes`. Words are read unaligned and never past either end
// of the buffer: the last partial word is read as the word ending at the buffer's end, with
// the lanes already looked at masked off. Only a text shorter than one word goes unit by unit.

enum WordScan {
    /// 0x80 (or 0x8000_0000) in each lane of `x` that is zero, nothing elsewhere. Exact, unlike
    /// the shorter `(x - ones) & ~x & highs`, which can also flag a lane above a zero one.
    @inline(__always)
    static func zeroLanes(_ x: UInt64, low: UInt64) -> UInt64 {
        ~(((x & low) &+ low) | x | low)
    }

    /// Every lane's bits but the top one: 0x7F7F… for bytes, 0x7FFF_FFFF… for scalars.
    @inline(__always)
    static func lowBits<C: FixedWidthInteger>(_: C.Type) -> UInt64 {
        MemoryLayout<C>.size == 1 ? 0x7F7F_7F7F_7F7F_7F7F
            : MemoryLayout<C>.size == 2 ? 0x7FFF_7FFF_7FFF_7FFF : 0x7FFF_FFFF_7FFF_FFFF
    }

    /// `c` in every lane of a word.
    @inline(__always)
    static func repeated<C: FixedWidthInteger & UnsignedInteger>(_ c: C) -> UInt64 {
        let v = UInt64(truncatingIfNeeded: c)
        switch MemoryLayout<C>.size {
        case 1: return v &* 0x0101_0101_0101_0101
        case 2: return v &* 0x0001_0001_0001_0001
        default: return v | v << 32
        }
    }

    @inline(__always)
    static func word<C>(_ text: UnsafeBufferPointer<C>, at k: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(text.baseAddress.unsafelyUnwrapped + k).loadUnaligned(as: UInt64.self))
    }

    /// The top bits of a word of byte lanes (as `zeroLanes` leaves them) packed into the low
    /// byte, lane 0 first: lane k's bit at 8k + 7 moves to 56 + k, and the multiplication's
    /// other products land below 56 or past 63 without sharing a bit, so nothing carries.
    @inline(__always)
    static func byteBits(_ z: UInt64) -> UInt64 {
        ((z &>> 7) &* 0x0102_0408_1020_4080) &>> 56
    }

    /// The first `k` in `from..<end` with `text[k] == c`, or `end` when there is none.
    /// (Offsets within the buffer never come near `Int.max`: the arithmetic wraps unchecked.)
    @inline(__always)
    static func first<C: FixedWidthInteger & UnsignedInteger>(_ c: C, in text: UnsafeBufferPointer<C>,
                                                              from: Int, to end: Int) -> Int {
        let lanes = 8 / MemoryLayout<C>.size, laneBits = 64 / lanes
        var k = from
        if end >= lanes {
            let low = lowBits(C.self), pattern = repeated(c)
            while k &+ lanes <= end {
                let z = zeroLanes(word(text, at: k) ^ pattern, low: low)
                if z != 0 { return k &+ z.trailingZeroBitCount / laneBits }
                k &+= lanes
            }
            guard k < end else { return end }
            // The word that ends at `end`, without the lanes before `k`.
            let s = end &- lanes
            let z = zeroLanes(word(text, at: s) ^ pattern, low: low) & (~0 << UInt64((k &- s) &* laneBits))
            return z != 0 ? s &+ z.trailingZeroBitCount / laneBits : end
        }
        while k < end && text[k] != c { k &+= 1 }
        return k
    }

    /// The last `k` in `from...through` with `text[k] == c`, or `from - 1` when there is none.
    @inline(__always)
    static func last<C: FixedWidthInteger & UnsignedInteger>(_ c: C, in text: UnsafeBufferPointer<C>,
                                                             from: Int, through: Int) -> Int {
        let lanes = 8 / MemoryLayout<C>.size, laneBits = 64 / lanes
        var k = through
        if text.count >= lanes {
            let low = lowBits(C.self), pattern = repeated(c)
            // The word whose last lane is `k`, while it starts at or after `from`.
            while k - lanes + 1 >= from {
                let z = zeroLanes(word(text, at: k - lanes + 1) ^ pattern, low: low)
                if z != 0 { return k - lanes + 1 + (63 - z.leadingZeroBitCount) / laneBits }
                k -= lanes
            }
            guard k >= from else { return from - 1 }
            // Fewer than a word's lanes are left: read the word that starts at `from` (or at 0,
            // when `from` is too close to the end), keeping the lanes from `from` to `k`.
            let s = min(from, text.count - lanes)
            let keep = UInt64((k - s + 1) * laneBits)
            var z = zeroLanes(word(text, at: s) ^ pattern, low: low)
            if keep < 64 { z &= (1 << keep) &- 1 }
            z &= ~0 << UInt64((from - s) * laneBits)
            return z != 0 ? s + (63 - z.leadingZeroBitCount) / laneBits : from - 1
        }
        while k >= from && text[k] != c { k -= 1 }
        return k
    }
}
