/// A deterministic random source (SplitMix64): a fuzz run is the same on every machine, and a
/// failure is replayed from its seed.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Mutations in the manner of AFL and libFuzzer: flip bits, write bytes and integers that sit
/// at the edges (0, −1, the largest signed values, sizes just past a boundary) in either byte
/// order, insert, delete, repeat or swap runs, splice in part of another seed, insert a token
/// of the format's own words, and cut short.
public struct Mutator: Sendable {
    private var random: SeededRandom
    private let tokens: [[UInt8]]
    private let longest: Int

    /// `tokens`: words of the input's format (`"moov"`, `"did:"`, `"\"max_characters\""`),
    /// which random bytes would rarely spell. `longest`: inputs never grow past this.
    public init(seed: UInt64, tokens: [String] = [], longest: Int = 1 << 16) {
        random = SeededRandom(seed: seed)
        self.tokens = tokens.map { Array($0.utf8) }
        self.longest = longest
    }

    private static let interestingBytes: [UInt8] = [0, 1, 0x7F, 0x80, 0xFF, 0x20, 0x2F, 0x3A, 0x40, 0x0A, 0x0D]
    private static let interestingIntegers: [UInt64] = [
        0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
        0x1_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFFE, 0xFFFF_FFFF_FFFF_FFFF,
    ]

    /// One to four mutations of `input`; `corpus` gives material to splice in.
    public mutating func mutate(_ input: [UInt8], splicingFrom corpus: [[UInt8]]) -> [UInt8] {
        var bytes = input
        for _ in 0...Int.random(in: 0...3, using: &random) {
            mutateOnce(&bytes, corpus: corpus)
        }
        if bytes.count > longest { bytes.removeLast(bytes.count - longest) }
        return bytes
    }

    private mutating func mutateOnce(_ bytes: inout [UInt8], corpus: [[UInt8]]) {
        func position(allowingEnd: Bool = false) -> Int {
            let upper = bytes.count + (allowingEnd ? 0 : -1)
            return upper <= 0 ? 0 : Int.random(in: 0...upper, using: &random)
        }
        switch Int.random(in: 0..<10, using: &random) {
        case 0 where !bytes.isEmpty:
            bytes[position()] ^= 1 << UInt8.random(in: 0...7, using: &random)
        case 1 where !bytes.isEmpty:
            bytes[position()] = Self.interestingBytes.randomElement(using: &random)!
        case 2 where !bytes.isEmpty:
            let width = [2, 4, 8].randomElement(using: &random)!
            let value = Self.interestingIntegers.randomElement(using: &random)!
            let at = position()
            let bigEndian = Bool.random(using: &random)
            for i in 0..<width where at + i < bytes.count {
                let shift = UInt64(bigEndian ? (width - 1 - i) * 8 : i * 8)
                bytes[at + i] = UInt8(truncatingIfNeeded: value >> shift)
            }
        case 3:
            let count = Int.random(in: 1...16, using: &random)
            bytes.insert(contentsOf: (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }, at: position(allowingEnd: true))
        case 4 where !bytes.isEmpty:
            let at = position()
            bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...32, using: &random)))
        case 5 where !bytes.isEmpty:
            let at = position()
            let run = Array(bytes[at..<min(bytes.count, at + Int.random(in: 1...64, using: &random))])
            let times = Int.random(in: 1...8, using: &random)
            bytes.insert(contentsOf: Array(repeating: run, count: times).joined(), at: position(allowingEnd: true))
        case 6 where !corpus.isEmpty:
            let other = corpus.randomElement(using: &random)!
            guard !other.isEmpty else { return }
            let start = Int.random(in: 0..<other.count, using: &random)
            let piece = other[start..<min(other.count, start + Int.random(in: 1...256, using: &random))]
            bytes.insert(contentsOf: piece, at: position(allowingEnd: true))
        case 7 where !tokens.isEmpty:
            let token = tokens.randomElement(using: &random)!
            if Bool.random(using: &random) || bytes.count < token.count {
                bytes.insert(contentsOf: token, at: position(allowingEnd: true))
            } else {
                let at = Int.random(in: 0...(bytes.count - token.count), using: &random)
                bytes.replaceSubrange(at..<at + token.count, with: token)
            }
        case 8 where bytes.count > 1:
            let (a, b) = (position(), position())
            bytes.swapAt(a, b)
        case 9 where !bytes.isEmpty:
            bytes.removeLast(Int.random(in: 1...bytes.count, using: &random))
        default:
            bytes.append(UInt8.random(in: 0...255, using: &random))
        }
    }
}
