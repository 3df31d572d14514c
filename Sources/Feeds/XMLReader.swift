import Foundation

/// A small, strict-where-it-matters XML reader over UTF-8 bytes. It builds an `XMLTree`, refuses
/// what is not well-formed with a line and column, and stays within fixed bounds whatever the
/// input: nesting depth, element count, text per element. DTDs are skipped, never expanded, so
/// entity bombs have nothing to expand; HTML's common named entities are read as feeds mean them.
enum XMLReader {
    static let deepest = 256
    /// A 10,000-item feed has some 150,000; each costs a hundred-odd bytes of tree.
    static let mostElements = 500_000
    /// Namespace declarations in scope at once; each element's prefix is looked up among them.
    static let mostBindings = 256
    /// Longer text in one element is cut here (a whole podcast's show notes fit many times over).
    static let longestText = 4 << 20

    static func read(_ bytes: [UInt8], base: URL?) throws(FeedError) -> XMLTree {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(FeedError) -> XMLTree.Element in
                var parser = Parser(buffer, source: bytes, base: base)
                return try parser.run()
            }
        }
        return XMLTree(root: try result.get(), source: bytes)
    }

    /// Where `offset` lies in `bytes`, as a 1-based line and column (in characters).
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    private struct Frame {
        let element: XMLTree.Element
        let name: Range<Int>
        let textStart: Int
        let bindings: Int
    }

    private struct Parser {
        let p: UnsafeBufferPointer<UInt8>
        let source: [UInt8]
        let base: URL?
        var i = 0
        var stack: [Frame] = []
        var bindings: [(prefix: String, vocabulary: Vocabulary)] = []
        var text: [UInt8] = []
        var names: [ArraySlice<UInt8>: String] = [:]
        var root: XMLTree.Element?
        var elements = 0

        init(_ p: UnsafeBufferPointer<UInt8>, source: [UInt8], base: URL?) {
            self.p = p
            self.source = source
            self.base = base
        }

        func error(_ message: String, at offset: Int) -> FeedError {
            let (line, column) = XMLReader.position(of: offset, in: source)
            return .xml(message: message, line: line, column: column)
        }

        mutating func run() throws(FeedError) -> XMLTree.Element {
            let n = p.count
            while i < n {
                if p[i] == UInt8(ascii: "<") {
                    try markup()
                } else if stack.isEmpty {
                    guard isSpace(p[i]) else {
                        throw error(root == nil ? "text before the root element" : "text after the root element", at: i)
                    }
                    i += 1
                } else {
                    try characterData()
                }
            }
            if let open = stack.last {
                throw error("the feed ends inside <\(intern(open.name))>", at: n)
            }
            guard let root else { throw error(n == 0 ? "the feed is empty" : "no root element", at: n) }
            return root
        }

        // MARK: markup

        private mutating func markup() throws(FeedError) {
            let start = i
            guard i + 1 < p.count else { throw error("the feed ends inside a tag", at: i) }
            switch p[i + 1] {
            case UInt8(ascii: "?"):
                i = try end(of: "?>", from: i + 2, unterminated: "a processing instruction is not closed", start: start)
            case UInt8(ascii: "!"):
                if starts(with: "<!--") {
                    i = try end(of: "-->", from: i + 4, unterminated: "a comment is not closed", start: start)
                } else if starts(with: "<![CDATA[") {
                    guard !stack.isEmpty else { throw error("CDATA outside the root element", at: start) }
                    let close = try end(of: "]]>", from: i + 9, unterminated: "a CDATA section is not closed", start: start)
                    appendText(i + 9..<close - 3)
                    i = close
                } else if starts(with: "<!DOCTYPE") {
                    guard root == nil else { throw error("a DOCTYPE inside the document", at: start) }
                    try skipDoctype()
                } else {
                    throw error("'<!' that starts no comment, CDATA or DOCTYPE", at: start)
                }
            case UInt8(ascii: "/"):
                try endTag()
            default:
                try startTag()
            }
        }

        /// The offset just past the first `terminator` at or after `from`.
        private func end(of terminator: StaticString, from: Int, unterminated: String, start: Int) throws(FeedError) -> Int {
            let pattern = UnsafeBufferPointer(start: terminator.utf8Start, count: terminator.utf8CodeUnitCount)
            let first = pattern[0]
            var k = from
            let last = p.count - pattern.count
            while k <= last {
                if p[k] == first {
                    var matched = true
                    for j in 1..<pattern.count where p[k + j] != pattern[j] {
                        matched = false
                        break
                    }
                    if matched { return k + pattern.count }
                }
                k += 1
            }
            throw error(unterminated, at: start)
        }

        private func starts(with prefix: StaticString) -> Bool {
            let count = prefix.utf8CodeUnitCount
            guard i + count <= p.count else { return false }
            for j in 0..<count where p[i + j] != prefix.utf8Start[j] { return false }
            return true
        }

        /// Skips `<!DOCTYPE …>`, its internal subset included. Entities declared there are never
        /// expanded: a reference to one stays in the text as written.
        private mutating func skipDoctype() throws(FeedError) {
            let start = i
            i += 9
            var inSubset = false
            while i < p.count {
                switch p[i] {
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    let quote = p[i]
                    i += 1
                    while i < p.count && p[i] != quote { i += 1 }
                case UInt8(ascii: "<") where inSubset && starts(with: "<!--"):
                    i = try end(of: "-->", from: i + 4, unterminated: "a comment is not closed", start: i) - 1
                case UInt8(ascii: "["):
                    inSubset = true
                case UInt8(ascii: "]"):
                    inSubset = false
                case UInt8(ascii: ">") where !inSubset:
                    i += 1
                    return
                default:
                    break
                }
                i += 1
            }
            throw error("the DOCTYPE is not closed", at: start)
        }

        private mutating func startTag() throws(FeedError) {
            let start = i
            guard root == nil || !stack.isEmpty else { throw error("a second root element", at: start) }
            guard stack.count < XMLReader.deepest else {
                throw error("elements nested deeper than \(XMLReader.deepest)", at: start)
            }
            elements += 1
            guard elements <= XMLReader.mostElements else {
                throw error("more than \(XMLReader.mostElements) elements", at: start)
            }
            i += 1
            let name = try self.name()
            var attributes: [(name: Range<Int>, value: String)] = []
            var selfClosing = false
            while true {
                let spaced = skipSpace()
                guard i < p.count else { throw error("the feed ends inside a tag", at: start) }
                if p[i] == UInt8(ascii: ">") {
                    i += 1
                    break
                }
                if p[i] == UInt8(ascii: "/") {
                    guard i + 1 < p.count, p[i + 1] == UInt8(ascii: ">") else { throw error("'/' inside a tag", at: i) }
                    i += 2
                    selfClosing = true
                    break
                }
                guard spaced else { throw error("expected a space between attributes", at: i) }
                let attributeName = try self.name()
                skipSpace()
                guard i < p.count, p[i] == UInt8(ascii: "=") else { throw error("an attribute without a value", at: i) }
                i += 1
                skipSpace()
                guard i < p.count, p[i] == UInt8(ascii: "\"") || p[i] == UInt8(ascii: "'") else {
                    throw error("an attribute value without quotes", at: i)
                }
                attributes.append((attributeName, try attributeValue()))
            }
            try open(name: name, attributes: attributes, selfClosing: selfClosing, innerStart: i)
        }

        private mutating func open(name: Range<Int>, attributes: [(name: Range<Int>, value: String)], selfClosing: Bool, innerStart: Int) throws(FeedError) {
            let bindingsBefore = bindings.count
            var base = stack.last?.element.base ?? self.base
            var kept: [(name: String, value: String)] = []
            kept.reserveCapacity(attributes.count)
            for (range, value) in attributes {
                let qualified = intern(range)
                if qualified == "xmlns" || qualified.hasPrefix("xmlns:") {
                    // Past the bound a declaration is ignored (its elements read as unknown),
                    // so no input makes every lookup long.
                    guard bindings.count < XMLReader.mostBindings else { continue }
                    bindings.append((qualified == "xmlns" ? "" : String(qualified.dropFirst(6)), Vocabulary(uri: value)))
                } else if qualified == "xml:base" {
                    let value = value.trimmingCharacters(in: .whitespacesAndNewlines)
                    base = URL(string: value, relativeTo: base)?.absoluteURL ?? base
                } else {
                    kept.append((localName(qualified), value))
                }
            }
            let qualified = intern(name)
            let element = XMLTree.Element(
                vocabulary: vocabulary(of: qualified), name: localName(qualified), attributes: kept, base: base, innerStart: innerStart
            )
            if let parent = stack.last?.element {
                parent.children.append(element)
            } else {
                root = element
            }
            if selfClosing {
                bindings.removeLast(bindings.count - bindingsBefore)
            } else {
                stack.append(Frame(element: element, name: name, textStart: text.count, bindings: bindingsBefore))
            }
        }

        private func localName(_ qualified: String) -> String {
            guard let colon = qualified.firstIndex(of: ":") else { return qualified }
            return String(qualified[qualified.index(after: colon)...])
        }

        private func vocabulary(of qualified: String) -> Vocabulary {
            let prefix = qualified.firstIndex(of: ":").map { String(qualified[..<$0]) } ?? ""
            if let binding = bindings.last(where: { $0.prefix == prefix }) { return binding.vocabulary }
            if prefix.isEmpty { return .none }
            return Vocabulary(undeclaredPrefix: prefix) ?? .other
        }

        private mutating func endTag() throws(FeedError) {
            let start = i
            i += 2
            let name = try self.name()
            skipSpace()
            guard i < p.count, p[i] == UInt8(ascii: ">") else { throw error("expected '>' to close </\(intern(name))", at: i) }
            i += 1
            guard let frame = stack.last else { throw error("</\(intern(name))> closes nothing", at: start) }
            guard source[name] == source[frame.name] else {
                throw error("</\(intern(name))> where </\(intern(frame.name))> was expected", at: start)
            }
            let element = frame.element
            element.text = String(decoding: text[frame.textStart...], as: UTF8.self)
            text.removeLast(text.count - frame.textStart)
            element.inner = element.inner.lowerBound..<start
            bindings.removeLast(bindings.count - frame.bindings)
            stack.removeLast()
        }

        private mutating func name() throws(FeedError) -> Range<Int> {
            let start = i
            guard i < p.count, isNameStart(p[i]) else { throw error("expected a name", at: i) }
            i += 1
            while i < p.count, isNameByte(p[i]) { i += 1 }
            return start..<i
        }

        @discardableResult
        private mutating func skipSpace() -> Bool {
            let start = i
            while i < p.count, isSpace(p[i]) { i += 1 }
            return i > start
        }

        private mutating func intern(_ range: Range<Int>) -> String {
            let key = source[range]
            if let name = names[key] { return name }
            let name = String(decoding: key, as: UTF8.self)
            names[key] = name
            return name
        }

        // MARK: text

        private mutating func characterData() throws(FeedError) {
            while i < p.count {
                let start = i
                while i < p.count, p[i] != UInt8(ascii: "<"), p[i] != UInt8(ascii: "&") { i += 1 }
                appendText(start..<i)
                guard i < p.count, p[i] == UInt8(ascii: "&") else { return }
                let scalar = reference()
                Self.append(scalar, to: &text, room: XMLReader.longestText - (text.count - stack[stack.count - 1].textStart))
            }
        }

        private mutating func appendText(_ range: Range<Int>) {
            guard let frame = stack.last, !range.isEmpty else { return }
            let room = XMLReader.longestText - (text.count - frame.textStart)
            guard room > 0 else { return }
            let end = range.lowerBound + min(range.count, room)
            text.append(contentsOf: UnsafeBufferPointer(rebasing: p[range.lowerBound..<end]))
        }

        private mutating func attributeValue() throws(FeedError) -> String {
            let quote = p[i]
            i += 1
            var value: [UInt8] = []
            while i < p.count, p[i] != quote {
                switch p[i] {
                case UInt8(ascii: "<"):
                    throw error("'<' inside an attribute value", at: i)
                case UInt8(ascii: "&"):
                    Self.append(reference(), to: &value, room: XMLReader.longestText - value.count)
                case 0x09, 0x0A, 0x0D:
                    value.append(0x20)
                    i += 1
                default:
                    value.append(p[i])
                    i += 1
                }
            }
            guard i < p.count else { throw error("an attribute value is not closed", at: i) }
            i += 1
            return String(decoding: value, as: UTF8.self)
        }

        /// Moves past the reference at `i` (which is `&`) and gives what it stands for. One that
        /// is not XML's five, a character number or a known HTML name stays as written, so the
        /// reader moves past the `&` alone and gives that.
        private mutating func reference() -> Unicode.Scalar {
            guard let (scalar, end) = HTMLEntities.reference(in: p, at: i) else {
                i += 1
                return "&"
            }
            i = end
            return scalar
        }

        private static func append(_ scalar: Unicode.Scalar, to out: inout [UInt8], room: Int) {
            guard room >= 4 else { return }
            if scalar.isASCII {
                out.append(UInt8(scalar.value))
            } else {
                out.append(contentsOf: String(scalar).utf8)
            }
        }
    }
}

private func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
}

private func isNameStart(_ byte: UInt8) -> Bool {
    (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte >= 0x80
}

private func isNameByte(_ byte: UInt8) -> Bool {
    isNameStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
}

