/// The one rule for where Trestle may send a browser after a form: a path on this site.
///
/// Browsers forgive a great deal in a `Location` — they drop tabs and newlines anywhere, treat
/// `\` as `/`, and read `//host` as another site — so `/\t/evil.example` would leave the site.
/// A target is therefore refused outright when it has any control character, whitespace or
/// backslash, when it does not start with a single `/`, or when it contains `//` at all.
enum RedirectTarget {
    static let longest = 2_048

    /// `path` when it is a same-site path by that rule; nil otherwise.
    static func sameSitePath(_ path: String?) -> String? {
        guard let path, path.utf8.count <= longest, path.hasPrefix("/"), !path.contains("//") else { return nil }
        let unsafe = path.unicodeScalars.contains { scalar in
            scalar == "\\" || scalar.properties.generalCategory == .control || scalar.properties.isWhitespace
                || scalar.properties.generalCategory == .format
        }
        return unsafe ? nil : path
    }
}
