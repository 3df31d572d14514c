import Testing
import TextRules

/// atproto-interop-tests `syntax/`: every `_valid` line accepted, every `_invalid` line refused.
@Suite struct ATProtoSyntaxTests {
    private func expect(
        _ file: String, accepted: Bool, by validator: (String) -> Bool, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let lines = try ConformanceData.atprotoLines(file)
        #expect(!lines.isEmpty, "\(file) has no cases", sourceLocation: sourceLocation)
        for line in lines {
            #expect(validator(line) == accepted, "\(file): \(line.debugDescription)", sourceLocation: sourceLocation)
        }
    }

    @Test func handles() throws {
        try expect("handle_syntax_valid.txt", accepted: true, by: ATProtoSyntax.isValidHandle)
        try expect("handle_syntax_invalid.txt", accepted: false, by: ATProtoSyntax.isValidHandle)
    }

    @Test func dids() throws {
        try expect("did_syntax_valid.txt", accepted: true, by: ATProtoSyntax.isValidDID)
        try expect("did_syntax_invalid.txt", accepted: false, by: ATProtoSyntax.isValidDID)
    }

    @Test func atURIs() throws {
        try expect("aturi_syntax_valid.txt", accepted: true, by: ATProtoSyntax.isValidATURI)
        try expect("aturi_syntax_invalid.txt", accepted: false, by: ATProtoSyntax.isValidATURI)
    }

    @Test func tids() throws {
        try expect("tid_syntax_valid.txt", accepted: true, by: ATProtoSyntax.isValidTID)
        try expect("tid_syntax_invalid.txt", accepted: false, by: ATProtoSyntax.isValidTID)
    }

    @Test func recordKeys() throws {
        try expect("recordkey_syntax_valid.txt", accepted: true, by: ATProtoSyntax.isValidRecordKey)
        try expect("recordkey_syntax_invalid.txt", accepted: false, by: ATProtoSyntax.isValidRecordKey)
    }

    @Test func datetimeSyntax() throws {
        try expect("datetime_syntax_valid.txt", accepted: true, by: ATProtoSyntax.isValidDatetimeSyntax)
        try expect("datetime_syntax_invalid.txt", accepted: false, by: ATProtoSyntax.isValidDatetimeSyntax)
    }

    @Test func parsedDatetimes() throws {
        try expect("datetime_syntax_valid.txt", accepted: true, by: ATProtoSyntax.isValidDatetime)
        try expect("datetime_syntax_invalid.txt", accepted: false, by: ATProtoSyntax.isValidDatetime)
        try expect("datetime_parse_invalid.txt", accepted: false, by: ATProtoSyntax.isValidDatetime)
    }

    @Test func nsids() {
        #expect(ATProtoSyntax.isValidNSID("app.bsky.feed.post"))
        #expect(ATProtoSyntax.isValidNSID("com.atproto.feed.postV2"))
        #expect(!ATProtoSyntax.isValidNSID("com.atproto.feed_post"))
        #expect(!ATProtoSyntax.isValidNSID("short.name"))
        #expect(!ATProtoSyntax.isValidNSID("1com.example.name"))
    }
}
