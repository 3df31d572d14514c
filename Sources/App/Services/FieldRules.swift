import Foundation

/// The rules for the few things people type on sign-up and in settings; one message each.
enum FieldRules {
    static let passwordMinimum = 8
    /// Bcrypt reads only the first 72 bytes; a longer password would silently be cut.
    static let passwordMaximumBytes = 72
    /// Names of workspaces, tokens and channels.
    static let maximumNameLength = 80

    static func email(_ raw: String) -> (value: String, problem: String?) {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        let valid = parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".") && value.count <= 254
            && !value.contains(where: { $0.isWhitespace })
        return (value, valid ? nil : "Enter an email address such as name@example.com.")
    }

    static func password(_ value: String) -> String? {
        if value.count < passwordMinimum {
            return "Use at least \(passwordMinimum) characters."
        }
        if value.utf8.count > passwordMaximumBytes {
            return "Use at most \(passwordMaximumBytes) bytes; longer passwords cannot be checked in full."
        }
        return nil
    }

    static func workspaceName(_ raw: String) -> (value: String, problem: String?) {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if value.isEmpty { return (value, "Give the workspace a name.") }
        if value.count > 80 { return (value, "Use at most 80 characters.") }
        return (value, nil)
    }

    /// A name of something in a workspace (a channel, a library category), trimmed; `missing`
    /// says what to do when it is empty.
    static func name(_ raw: String, missing: String) -> (value: String, problem: String?) {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if value.isEmpty { return (value, missing) }
        if value.count > maximumNameLength { return (value, "Keep the name to \(maximumNameLength) characters.") }
        return (value, nil)
    }

    static func tokenName(_ raw: String) -> (value: String, problem: String?) {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if value.isEmpty { return (value, "Name the token after where it will be used.") }
        if value.count > 80 { return (value, "Use at most 80 characters.") }
        return (value, nil)
    }
}
