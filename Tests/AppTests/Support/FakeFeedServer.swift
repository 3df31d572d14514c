@testable import App
import Foundation
import Synchronization
import Testing
import Vapor
import VaporTesting

/// Someone's blog on loopback: an RSS feed that a test rewrites at will, answered with an ETag
/// and 304 to a matching `If-None-Match`; redirects, a page that is not a feed, an answer too
/// large, a compressed bomb, a slow answer and a failing one. It records each request's
/// conditional and encoding headers.
final class FakeFeedServer: Sendable {
    struct Entry: Sendable {
        var id: String
        var title: String
        var link: String
        var date: Date
        var summary: String? = nil
    }

    struct Seen: Sendable {
        var path: String
        var ifNoneMatch: String?
        var acceptEncoding: String?
        var host: String?
    }

    private final class State: Sendable {
        let entries = Mutex<[Entry]>([])
        let version = Mutex(1)
        let failing = Mutex(false)
        let busyFor = Mutex<Int?>(nil)
        let hub = Mutex<String?>(nil)
        let seen = Mutex<[Seen]>([])
    }

    let server: FakeNetworkServer
    private let state: State

    var baseURL: String { server.baseURL }
    /// The feed's address.
    var url: String { server.baseURL + "/feed.xml" }
    var requests: [Seen] { state.seen.withLock { $0 } }
    var feedRequests: [Seen] { requests.filter { $0.path == "/feed.xml" } }

    private init(server: FakeNetworkServer, state: State) {
        self.server = server
        self.state = state
    }

    /// Replaces the feed's items (newest first, as blogs write them); a new version gets a new ETag.
    func publish(_ entries: [Entry]) {
        state.entries.withLock { $0 = entries }
        state.version.withLock { $0 += 1 }
    }

    /// While true the feed answers 500.
    func fail(_ failing: Bool) { state.failing.withLock { $0 = failing } }

    /// While set the feed answers 429 with `Retry-After` in these seconds.
    func busy(retryAfter seconds: Int?) { state.busyFor.withLock { $0 = seconds } }

    /// From now on the feed names this WebSub hub, and itself as the topic.
    func announce(hub: String) { state.hub.withLock { $0 = hub } }

    static func with(_ body: (FakeFeedServer) async throws -> Void) async throws {
        let state = State()
        var word: UInt64 = 0x9E37_79B9_7F4A_7C15
        let noise = Data((0..<(6 << 17)).map { _ in
            word ^= word << 13
            word ^= word >> 7
            word ^= word << 17
            return word
        }.withUnsafeBytes { Data($0) })
        let server = try await FakeNetworkServer(compressing: true) { routes in
            let record: @Sendable (Request) -> Void = { req in
                state.seen.withLock {
                    $0.append(Seen(path: req.url.path, ifNoneMatch: req.headers.first(name: .ifNoneMatch),
                                   acceptEncoding: req.headers.first(name: .acceptEncoding), host: req.headers.first(name: .host)))
                }
            }
            routes.get("feed.xml") { req -> Response in
                record(req)
                if state.failing.withLock({ $0 }) { return Response(status: .internalServerError) }
                if let seconds = state.busyFor.withLock({ $0 }) { return Response(status: .tooManyRequests, headers: ["Retry-After": String(seconds)]) }
                let etag = "\"v\(state.version.withLock { $0 })\""
                if req.headers.first(name: .ifNoneMatch) == etag { return Response(status: .notModified, headers: ["ETag": etag]) }
                let port = req.application.http.server.shared.localAddress?.port ?? 0
                let xml = rss(state.entries.withLock { $0 }, hub: state.hub.withLock { $0 }, selfURL: "http://127.0.0.1:\(port)/feed.xml")
                // Labelled Atom, a type Vapor compresses, so the gzip path is the one taken;
                // the parser goes by the root element, as it must with real servers.
                return Response(status: .ok, headers: ["Content-Type": "application/atom+xml; charset=utf-8", "ETag": etag], body: .init(string: xml))
            }
            routes.get("moved") { req -> Response in
                record(req)
                return Response(status: .movedPermanently, headers: ["Location": "/hop/2"])
            }
            routes.get("hop", ":n") { req -> Response in
                record(req)
                let n = req.parameters.get("n", as: Int.self) ?? 0
                return Response(status: .found, headers: ["Location": n > 0 ? "/hop/\(n - 1)" : "/feed.xml"])
            }
            routes.get("old.xml") { req -> Response in
                record(req)
                return Response(status: .movedPermanently, headers: ["Location": "/feed.xml"])
            }
            routes.get("loop") { req -> Response in
                record(req)
                return Response(status: .found, headers: ["Location": "/loop"])
            }
            routes.get("to-metadata") { req -> Response in
                record(req)
                return Response(status: .found, headers: ["Location": "http://169.254.169.254/latest/meta-data/"])
            }
            routes.get("to-loopback") { req -> Response in
                record(req)
                let port = req.application.http.server.shared.localAddress?.port ?? 0
                return Response(status: .temporaryRedirect, headers: ["Location": "http://127.0.0.2:\(port)/feed.xml"])
            }
            routes.get("page.html") { req -> Response in
                record(req)
                return Response(status: .ok, headers: ["Content-Type": "text/html"], body: .init(string: "<!doctype html>\n<html><head><title>Home</title></head><body><p>Hello</body></html>"))
            }
            routes.get("broken.xml") { req -> Response in
                record(req)
                return Response(status: .ok, headers: ["Content-Type": "application/rss+xml"], body: .init(string: "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel><title>Oops</title>\n<item><title>Half</item></channel></rss>"))
            }
            // 6 MB that does not compress, over the fetcher's 5 MB. Made before the server
            // starts: every fake shares the event loops with the app under test.
            routes.get("huge.xml") { req -> Response in
                record(req)
                return Response(status: .ok, headers: ["Content-Type": "application/octet-stream"], body: .init(data: noise))
            }
            // 4 MB of spaces, which gzip squeezes to kilobytes: within the size bound, far past
            // the ratio a compressed answer may expand by.
            routes.get("bomb.xml") { req -> Response in
                record(req)
                let xml = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>" + String(repeating: " ", count: 4 << 20) + "</title></feed>"
                return Response(status: .ok, headers: ["Content-Type": "application/atom+xml"], body: .init(string: xml))
            }
            routes.get("slow.xml") { req -> Response in
                record(req)
                try await Task.sleep(for: .seconds(1))
                return Response(status: .ok, body: .init(string: rss([])))
            }
        }
        let fake = FakeFeedServer(server: server, state: state)
        do { try await body(fake) } catch { try? await server.stop(); throw error }
        try await server.stop()
    }

    static func rss(_ entries: [Entry], title: String = "Corner Bakery blog", hub: String? = nil, selfURL: String? = nil) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let items = entries.map { entry in
            """
            <item><guid isPermaLink="false">\(entry.id)</guid><title>\(escape(entry.title))</title><link>\(escape(entry.link))</link>\
            <pubDate>\(formatter.string(from: entry.date))</pubDate>\(entry.summary.map { "<description>\(escape($0))</description>" } ?? "")</item>
            """
        }.joined(separator: "\n")
        return """
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>\(escape(title))</title><link>https://bakery.example/blog/</link>\
            \(hub.map { #"<atom:link rel="hub" href="\#($0)"/>"# } ?? "")\(selfURL.map { #"<atom:link rel="self" href="\#($0)"/>"# } ?? "")
            \(items)
            </channel></rss>
            """
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
