import Foundation
import TextRules

/// Checks a record, or a query's answer, against the AT Protocol lexicons in
/// `Tests/AppTests/Lexicons`, as a PDS that validates writes would: objects' required fields, strings' byte and grapheme lengths and
/// formats, integers' ranges, arrays' lengths, refs, unions by `$type`, and blobs' type and
/// size. Returns what is wrong, each with the path to it; empty when the record is valid.
struct Lexicon {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Lexicons")

    private var documents: [String: [String: Any]] = [:]

    init() throws {
        let files = FileManager.default.enumerator(at: Self.folder, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        for file in files where file.pathExtension == "json" {
            let document = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: Any]
            documents[document["id"] as! String] = document
        }
    }

    /// Problems with `record` as a record of the collection `nsid`.
    func problems(in record: [String: Any], as nsid: String) -> [String] {
        guard let main = definition("\(nsid)#main"), main["type"] as? String == "record", let schema = main["record"] as? [String: Any] else {
            return ["no record lexicon \(nsid)"]
        }
        var found: [String] = []
        if record["$type"] as? String != nsid { found.append("$type: expected \(nsid)") }
        check(record, against: schema, in: nsid, at: "record", into: &found)
        return found
    }

    /// Problems with `output` as the answer of the query `nsid` (its `output.schema`).
    func problems(inOutputOf nsid: String, _ output: [String: Any]) -> [String] {
        guard let main = definition("\(nsid)#main"), main["type"] as? String == "query",
              let schema = (main["output"] as? [String: Any])?["schema"] as? [String: Any] else {
            return ["no query lexicon \(nsid)"]
        }
        var found: [String] = []
        check(output, against: schema, in: nsid, at: "output", into: &found)
        return found
    }

    private func definition(_ reference: String) -> [String: Any]? {
        let pieces = reference.split(separator: "#", maxSplits: 1).map(String.init)
        let name = pieces.count == 2 ? pieces[1] : "main"
        return (documents[pieces[0]]?["defs"] as? [String: Any])?[name] as? [String: Any]
    }

    /// `#image` in `app.bsky.embed.images` is `app.bsky.embed.images#image`.
    private func resolve(_ reference: String, in nsid: String) -> String {
        reference.hasPrefix("#") ? nsid + reference : reference
    }

    private func check(_ value: Any, against schema: [String: Any], in nsid: String, at path: String, into found: inout [String]) {
        switch schema["type"] as? String {
        case "object":
            guard let object = value as? [String: Any] else { return found.append("\(path): expected an object") }
            for field in schema["required"] as? [String] ?? [] where object[field] == nil {
                found.append("\(path).\(field): required")
            }
            for (field, property) in schema["properties"] as? [String: [String: Any]] ?? [:] {
                guard let fieldValue = object[field], !(fieldValue is NSNull) else { continue }
                check(fieldValue, against: property, in: nsid, at: "\(path).\(field)", into: &found)
            }
        case "string":
            guard let text = value as? String else { return found.append("\(path): expected a string") }
            if let most = schema["maxLength"] as? Int, text.utf8.count > most { found.append("\(path): over \(most) bytes") }
            if let least = schema["minLength"] as? Int, text.utf8.count < least { found.append("\(path): under \(least) bytes") }
            if let most = schema["maxGraphemes"] as? Int, text.count > most { found.append("\(path): over \(most) graphemes") }
            if let format = schema["format"] as? String, !Self.fits(text, format) { found.append("\(path): not a valid \(format)") }
        case "integer":
            // `type(of:)`, not `is Bool`: on Linux a JSON 0 or 1 (an NSNumber) also casts to Bool.
            guard let number = value as? Int, !(type(of: value) is Bool.Type) else { return found.append("\(path): expected an integer") }
            if let least = schema["minimum"] as? Int, number < least { found.append("\(path): under \(least)") }
            if let most = schema["maximum"] as? Int, number > most { found.append("\(path): over \(most)") }
        case "boolean":
            if !(value is Bool) { found.append("\(path): expected a boolean") }
        case "array":
            guard let items = value as? [Any] else { return found.append("\(path): expected an array") }
            if let most = schema["maxLength"] as? Int, items.count > most { found.append("\(path): over \(most) items") }
            if let least = schema["minLength"] as? Int, items.count < least { found.append("\(path): under \(least) items") }
            if let itemSchema = schema["items"] as? [String: Any] {
                for (index, item) in items.enumerated() { check(item, against: itemSchema, in: nsid, at: "\(path)[\(index)]", into: &found) }
            }
        case "ref":
            let reference = resolve(schema["ref"] as? String ?? "", in: nsid)
            guard let target = definition(reference) else { return found.append("\(path): unknown ref \(reference)") }
            check(value, against: target, in: String(reference.split(separator: "#")[0]), at: path, into: &found)
        case "union":
            guard let object = value as? [String: Any], let type = object["$type"] as? String else { return found.append("\(path): a union member needs $type") }
            let refs = (schema["refs"] as? [String] ?? []).map { resolve($0, in: nsid) }
            let matching = refs.first { $0 == type || $0 == "\(type)#main" || "\($0)#main" == type }
            guard let matching else {
                if schema["closed"] as? Bool == true { found.append("\(path): $type \(type) is not one of \(refs)") }
                return
            }
            guard let target = definition(matching) else { return found.append("\(path): unknown ref \(matching)") }
            check(value, against: target, in: String(matching.split(separator: "#")[0]), at: path, into: &found)
        case "blob":
            guard let blob = value as? [String: Any], blob["$type"] as? String == "blob",
                  let link = (blob["ref"] as? [String: Any])?["$link"] as? String, !link.isEmpty,
                  let mimeType = blob["mimeType"] as? String, let size = blob["size"] as? Int else {
                return found.append("\(path): expected a blob {$type, ref.$link, mimeType, size}")
            }
            if let most = schema["maxSize"] as? Int, size > most { found.append("\(path): blob over \(most) bytes") }
            if let accepted = schema["accept"] as? [String], !accepted.contains(where: { Self.accepts($0, mimeType) }) {
                found.append("\(path): \(mimeType) is not one of \(accepted)")
            }
        default:
            break
        }
    }

    private static func accepts(_ pattern: String, _ mimeType: String) -> Bool {
        pattern == "*/*" || pattern == mimeType || (pattern.hasSuffix("/*") && mimeType.hasPrefix(String(pattern.dropLast())))
    }

    private static func fits(_ text: String, _ format: String) -> Bool {
        switch format {
        case "datetime": ATProtoSyntax.isValidDatetime(text)
        case "did": ATProtoSyntax.isValidDID(text)
        case "handle": ATProtoSyntax.isValidHandle(text)
        case "at-uri": ATProtoSyntax.isValidATURI(text)
        case "at-identifier": ATProtoSyntax.isValidDID(text) || ATProtoSyntax.isValidHandle(text)
        case "nsid": ATProtoSyntax.isValidNSID(text)
        case "record-key": ATProtoSyntax.isValidRecordKey(text)
        case "tid": ATProtoSyntax.isValidTID(text)
        case "uri": URL(string: text)?.scheme != nil && text.utf8.count <= 8_192
        case "cid": !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        case "language": text.range(of: #"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]+)*$"#, options: .regularExpression) != nil
        default: true
        }
    }
}
