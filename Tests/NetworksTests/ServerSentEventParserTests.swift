import Foundation
import Fuzzing
@testable import Networks
import Testing

/// Server-sent events read as the HTML standard says, however the bytes are split, and within
/// bounds whatever a server sends.
@Suite struct ServerSentEventParserTests {
    static let mastodon = """
        :)
        :thump

        event: notification
        data: {"id":"1","type":"mention"}

        event: delete
        data: 113570812344590101

        :thump
        event: notification
        data: {"id":"2",
        data: "type":"follow"}


        """

    /// Everything `bytes` makes, fed `splits` bytes at a time; nil when the parser refused it.
    static func events(_ bytes: [UInt8], splits: Int = .max) -> [ServerSentEvent]? {
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        var index = 0
        while index < bytes.count {
            let end = min(bytes.count, index + max(1, splits))
            guard let more = try? parser.feed(bytes[index..<end]) else { return nil }
            events += more
            index = end
        }
        return events
    }

    @Test func mastodonsEventsAreReadAndItsHeartbeatsSkipped() {
        let expected = [
            ServerSentEvent(name: "notification", data: #"{"id":"1","type":"mention"}"#),
            ServerSentEvent(name: "delete", data: "113570812344590101"),
            ServerSentEvent(name: "notification", data: "{\"id\":\"2\",\n\"type\":\"follow\"}"),
        ]
        #expect(Self.events(Array(Self.mastodon.utf8)) == expected)
        #expect(Self.events(Array(Self.mastodon.utf8), splits: 1) == expected, "one byte at a time")
        let crlf = Self.mastodon.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(Self.events(Array(crlf.utf8), splits: 1) == expected, "CRLF, split between CR and LF")
        #expect(Self.events(Array(Self.mastodon.replacingOccurrences(of: "\n", with: "\r").utf8)) == expected, "CR alone")
    }

    @Test func theStandardsCornersAreKept() {
        #expect(Self.events(Array("data:no space\n\n".utf8)) == [ServerSentEvent(name: "message", data: "no space")])
        #expect(Self.events(Array("data:  two spaces\n\n".utf8)) == [ServerSentEvent(name: "message", data: " two spaces")])
        #expect(Self.events(Array("data\n\n".utf8)) == [ServerSentEvent(name: "message", data: "")])
        #expect(Self.events(Array("event: lonely\n\n".utf8)) == [], "an event without data is not dispatched")
        #expect(Self.events(Array("event: cut\ndata: short".utf8)) == [], "an event the stream never ended is not dispatched")
        #expect(Self.events([0xEF, 0xBB, 0xBF] + Array("data: bom\n\n".utf8)) == [ServerSentEvent(name: "message", data: "bom")])
        #expect(Self.events(Array("id: 7\nretry: 10\nwhatever: x\ndata: y\n\n".utf8)) == [ServerSentEvent(name: "message", data: "y")])
    }

    @Test func aLineOrEventBeyondTheBoundsIsRefused() {
        let long = Array("data: ".utf8) + Array(repeating: UInt8(ascii: "x"), count: ServerSentEventParser.longestLine)
        #expect(Self.events(long, splits: 4_096) == nil)
        let line = "data: " + String(repeating: "y", count: 60_000) + "\n"
        let many = Array(String(repeating: line, count: ServerSentEventParser.largestEvent / 60_000 + 1).utf8)
        #expect(Self.events(many, splits: 65_536) == nil)
        let heartbeats = Array(String(repeating: ":thump\n", count: 200_000).utf8)
        #expect(Self.events(heartbeats, splits: 8_192) == [], "endless heartbeats hold nothing")
    }

    @Test func anyStreamIsReadTheSameHoweverItIsSplit() async {
        let seeds = [Array(Self.mastodon.utf8), Array(Self.mastodon.replacingOccurrences(of: "\n", with: "\r\n").utf8), Array("data: a\r\rdata: b\n\n".utf8)]
        let tokens = ["\n", "\r", "\r\n", "\n\n", "data:", "data: ", "event:", "event: notification", ":thump", ":", " ", "\u{FEFF}", "id:", "retry:"]
        var split = SeededRandom(seed: 7)
        var failures = 0
        let report = await FuzzLoop.run(seeds: seeds, iterations: FuzzLoop.iterations(default: 20_000), tokens: tokens, longest: 1 << 14) { input in
            let whole = Self.events(input)
            let pieces = Self.events(input, splits: Int.random(in: 1...64, using: &split))
            if whole != pieces, failures < 5 {
                failures += 1
                Issue.record("split differently: \(String(decoding: input, as: UTF8.self).debugDescription)")
            }
            for event in whole ?? [] where event.data.utf8.count > ServerSentEventParser.largestEvent {
                Issue.record("an event beyond the bound: \(event.data.utf8.count) bytes")
            }
        }
        #expect(report.inputs >= seeds.count)
        #expect(report.slowest < FuzzLoop.hang)
    }
}
