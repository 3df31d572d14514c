import Foundation
import Yams

/// The networks' own test data, copied unchanged with their licences under
/// `Tests/TextRulesTests/Conformance` (see its README for where each file came from).
enum ConformanceData {
    struct MissingFile: Error, CustomStringConvertible {
        var path: String
        var description: String { "conformance file not found: \(path)" }
    }

    struct UnexpectedShape: Error, CustomStringConvertible {
        var description: String
    }

    static let root: URL = URL(fileURLWithPath: #filePath)
        .resolvingSymlinksInPath()  // the tests may be built through a symlinked folder
        .deletingLastPathComponent()  // TextRulesTests
        .appendingPathComponent("Conformance")

    static func url(_ relativePath: String) throws -> URL {
        let url = root.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else { throw MissingFile(path: url.path) }
        return url
    }

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: url(relativePath), encoding: .utf8)
    }

    /// One case of a twitter-text YAML section.
    struct Case {
        var description: String
        var text: String
        var expected: Any?
    }

    /// The cases of `section` in a twitter-text conformance file (`tests: {section: [...]}`).
    static func twitterTextCases(_ file: String, section: String) throws -> [Case] {
        guard let document = try Yams.load(yaml: text("twitter-text/\(file)")) as? [String: Any],
            let tests = document["tests"] as? [String: Any],
            let cases = tests[section] as? [[String: Any]]
        else { throw UnexpectedShape(description: "\(file) has no section \(section)") }
        return try cases.map { entry in
            guard let description = entry["description"] as? String else {
                throw UnexpectedShape(description: "\(file)/\(section): case without description")
            }
            // YAML reads some texts (e.g. a lone number) as non-strings; the data's texts are strings.
            guard let text = entry["text"] as? String else {
                throw UnexpectedShape(description: "\(file)/\(section): \(description) has no text string")
            }
            return Case(description: description, text: text, expected: entry["expected"])
        }
    }

    /// The lines of an atproto-interop syntax file, without comments (`#…`) and empty lines.
    /// Lines are kept exactly, spaces included: some cases are about leading or trailing spaces.
    static func atprotoLines(_ file: String) throws -> [String] {
        try text("atproto-interop/\(file)")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }
}
