import Foundation

/// The IDNA `ToASCII` check twitter-text applies to every link's host (via Java's `IDN`):
/// each label, once mapped and Punycode-encoded, must be 1 to 63 characters.
enum InternationalDomainName {
    static let maxLabelLength = 63

    /// The length of the host in `range` in its ASCII (`xn--`) form, or nil if it has no valid one.
    static func asciiLength(of scalars: [Unicode.Scalar], _ range: Range<Int>) -> Int? {
        var total = 0
        var labelStart = range.lowerBound
        var index = range.lowerBound
        while index <= range.upperBound {
            if index == range.upperBound || isLabelSeparator(scalars[index]) {
                guard let length = asciiLength(ofLabel: scalars[labelStart..<index]) else { return nil }
                total += length + (index < range.upperBound ? 1 : 0)
                labelStart = index + 1
            }
            index += 1
        }
        return total
    }

    /// IDNA treats the ideographic and fullwidth full stops as dots too.
    private static func isLabelSeparator(_ c: Unicode.Scalar) -> Bool {
        c == "." || c.value == 0x3002 || c.value == 0xFF0E || c.value == 0xFF61
    }

    private static func asciiLength(ofLabel label: ArraySlice<Unicode.Scalar>) -> Int? {
        var length = label.count
        if !label.allSatisfy(\.isASCII) {
            // Nameprep: case folding and compatibility composition, then Punycode.
            var view = String.UnicodeScalarView()
            view.append(contentsOf: label)
            let prepared = Array(String(view).lowercased().precomposedStringWithCompatibilityMapping.unicodeScalars)
            if prepared.allSatisfy(\.isASCII) {
                length = prepared.count
            } else {
                if prepared.count >= 4, prepared[0].asciiLowercased == 0x78, prepared[1].asciiLowercased == 0x6E,
                    prepared[2] == "-", prepared[3] == "-"
                {
                    return nil  // already claims to be encoded, yet is not ASCII
                }
                guard let encoded = Punycode.encode(prepared) else { return nil }
                length = 4 + encoded.utf8.count
            }
        }
        guard length > 0, length <= maxLabelLength else { return nil }
        return length
    }
}
