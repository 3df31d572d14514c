/// Text for pages and feeds written in Swift rather than Leaf.
enum HTMLText {
    /// Text made safe to place in HTML or XML, in element content and in quoted attributes alike.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default:
                // Characters XML 1.0 forbids (most C0 controls, U+FFFE/U+FFFF) are dropped: a
                // feed carrying one would be refused whole by its readers.
                if (scalar.value < 0x20 && scalar != "\n" && scalar != "\t" && scalar != "\r") || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    continue
                }
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
