/// The HTML named character references feeds use without declaring them (`&nbsp;`, `&mdash;`):
/// all of HTML 4's Latin-1 set and the common punctuation and symbols. Anything else stays as
/// written, since a feed reader that guesses would change text.
enum HTMLEntities {
    static func scalar(named name: String) -> Unicode.Scalar? { table[name] }

    /// The character that the reference at `start` (an `&`) stands for, and the offset just
    /// past its `;`: one of XML's five, a decimal or hex number (U+FFFD for one that names no
    /// character), or a known HTML name. Nil for anything else, which stays as written.
    static func reference(in p: UnsafeBufferPointer<UInt8>, at start: Int) -> (scalar: Unicode.Scalar, end: Int)? {
        var k = start + 1
        if k < p.count, p[k] == UInt8(ascii: "#") {
            k += 1
            let hex = k < p.count && (p[k] == UInt8(ascii: "x") || p[k] == UInt8(ascii: "X"))
            if hex { k += 1 }
            var value: UInt32 = 0
            let digitsStart = k
            while k < p.count, let digit = digitValue(p[k], hex: hex) {
                value = min(value &* (hex ? 16 : 10) &+ digit, 0x11_0000)
                k += 1
            }
            guard k > digitsStart, k < p.count, p[k] == UInt8(ascii: ";") else { return nil }
            return (value == 0 ? "\u{FFFD}" : Unicode.Scalar(value) ?? "\u{FFFD}", k + 1)
        }
        while k < p.count, k - start <= 32, isASCIIAlphanumeric(p[k]) { k += 1 }
        guard k > start + 1, k < p.count, p[k] == UInt8(ascii: ";") else { return nil }
        let name = UnsafeBufferPointer(rebasing: p[start + 1..<k])
        let scalar: Unicode.Scalar?
        switch name.count {
        case 2 where name[1] == UInt8(ascii: "t") && name[0] == UInt8(ascii: "l"): scalar = "<"
        case 2 where name[1] == UInt8(ascii: "t") && name[0] == UInt8(ascii: "g"): scalar = ">"
        case 3 where name.elementsEqual("amp".utf8): scalar = "&"
        case 4 where name.elementsEqual("quot".utf8): scalar = "\""
        case 4 where name.elementsEqual("apos".utf8): scalar = "'"
        default: scalar = table[String(decoding: name, as: UTF8.self)]
        }
        return scalar.map { ($0, k + 1) }
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func digitValue(_ byte: UInt8, hex: Bool) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// HTML 4's names for U+00A0 through U+00FF, in code point order.
    private static let latin1 = [
        "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf", "laquo", "not", "shy", "reg", "macr",
        "deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
        "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml",
        "ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig",
        "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil", "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml",
        "eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
    ]

    private static let others: [String: UInt32] = [
        "OElig": 0x152, "oelig": 0x153, "Scaron": 0x160, "scaron": 0x161, "Yuml": 0x178, "fnof": 0x192, "circ": 0x2C6, "tilde": 0x2DC,
        "ensp": 0x2002, "emsp": 0x2003, "thinsp": 0x2009, "zwnj": 0x200C, "zwj": 0x200D, "lrm": 0x200E, "rlm": 0x200F,
        "ndash": 0x2013, "mdash": 0x2014, "lsquo": 0x2018, "rsquo": 0x2019, "sbquo": 0x201A, "ldquo": 0x201C, "rdquo": 0x201D,
        "bdquo": 0x201E, "dagger": 0x2020, "Dagger": 0x2021, "bull": 0x2022, "hellip": 0x2026, "permil": 0x2030, "prime": 0x2032,
        "Prime": 0x2033, "lsaquo": 0x2039, "rsaquo": 0x203A, "oline": 0x203E, "frasl": 0x2044, "euro": 0x20AC, "trade": 0x2122,
        "larr": 0x2190, "uarr": 0x2191, "rarr": 0x2192, "darr": 0x2193, "harr": 0x2194, "minus": 0x2212, "infin": 0x221E,
        "asymp": 0x2248, "ne": 0x2260, "le": 0x2264, "ge": 0x2265, "loz": 0x25CA, "spades": 0x2660, "clubs": 0x2663,
        "hearts": 0x2665, "diams": 0x2666, "alpha": 0x3B1, "beta": 0x3B2, "gamma": 0x3B3, "delta": 0x3B4, "pi": 0x3C0,
        "mu": 0x3BC, "sigma": 0x3C3, "omega": 0x3C9, "Omega": 0x3A9, "Delta": 0x394,
        "quot": 0x22, "amp": 0x26, "lt": 0x3C, "gt": 0x3E, "apos": 0x27,
    ]

    private static let table: [String: Unicode.Scalar] = {
        var table: [String: Unicode.Scalar] = [:]
        for (offset, name) in latin1.enumerated() { table[name] = Unicode.Scalar(UInt8(0xA0 + offset)) }
        for (name, value) in others { table[name] = Unicode.Scalar(value) }
        return table
    }()
}
