import Foundation
import Vapor

/// What a shop's own site talks to: the small script it pastes into its pages (`/t.js`), which
/// keeps the click id from the address a visitor landed on in the site's own storage, and the
/// public endpoint the script reports a lead or a sale to with the workspace's public key.
/// No cookie of Trestle's is ever set on the shop's visitors.
enum SiteTracking {
    /// `POST /t/conversions` from any site (CORS): `{"key", "kind", "orderId", "value",
    /// "currency", "clickId"}`. 202 once recorded (or recognised as a repeat).
    @Sendable static func report(_ req: Request) async throws -> Response {
        struct Body: Decodable {
            var key: String
            var kind: String
            var orderId: String?
            var value: Decimal?
            var currency: String?
            var clickId: String?
        }
        guard let buffer = req.body.data, buffer.readableBytes <= 4_096,
              let body = try? JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView)) else {
            throw AppError.badRequest("invalid_json", "Send {\"key\", \"kind\", \"orderId\", \"value\", \"currency\", \"clickId\"} as JSON.")
        }
        let service = ConversionService(db: req.db, wiring: req.wiring)
        guard let workspace = try await service.workspace(forPublicKey: body.key) else {
            throw AppError.notFound("This tracking key")
        }
        _ = try await service.report(.init(kind: body.kind, orderID: body.orderId, value: body.value, currency: body.currency, clickID: body.clickId),
                                     from: .script, in: workspace)
        let response = Response(status: .accepted)
        allowAnySite(response)
        return response
    }

    /// The browser's question before a cross-site POST.
    @Sendable static func preflight(_ req: Request) async throws -> Response {
        let response = Response(status: .noContent)
        allowAnySite(response)
        response.headers.replaceOrAdd(name: .accessControlAllowMethods, value: "POST")
        response.headers.replaceOrAdd(name: .accessControlAllowHeaders, value: "Content-Type")
        response.headers.replaceOrAdd(name: .accessControlMaxAge, value: "86400")
        return response
    }

    /// The key is public and only reports conversions, so any site may send it; no credentials.
    private static func allowAnySite(_ response: Response) {
        response.headers.replaceOrAdd(name: .accessControlAllowOrigin, value: "*")
    }

    @Sendable static func script(_ req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(string: Self.source(base: req.publicBaseURL)))
        response.headers.replaceOrAdd(name: .contentType, value: "text/javascript; charset=utf-8")
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        allowAnySite(response)
        return response
    }

    /// Keeps the newest `tc` for the attribution window's longest (90 days) in the site's own
    /// localStorage, and offers `trestle.lead({orderId})` and `trestle.sale({orderId, value,
    /// currency})`, sent with `sendBeacon` so leaving the page does not lose them.
    static func source(base: String) -> String {
        """
        (function () {
          var script = document.currentScript, key = script && script.getAttribute("data-key");
          var store = "trestle_click", longest = 90 * 86400000;
          try {
            var tc = new URLSearchParams(location.search).get("tc");
            if (tc && /^[A-Za-z0-9]{16}$/.test(tc)) localStorage.setItem(store, JSON.stringify({id: tc, at: Date.now()}));
          } catch (e) {}
          function click() {
            try {
              var kept = JSON.parse(localStorage.getItem(store) || "null");
              return kept && Date.now() - kept.at < longest ? kept.id : null;
            } catch (e) { return null; }
          }
          function send(kind, details) {
            details = details || {};
            var body = JSON.stringify({key: key, kind: kind, orderId: details.orderId == null ? null : String(details.orderId),
              value: details.value == null ? null : Number(details.value), currency: details.currency || null, clickId: click()});
            var url = "\(base)/t/conversions";
            if (navigator.sendBeacon && navigator.sendBeacon(url, new Blob([body], {type: "text/plain"}))) return;
            fetch(url, {method: "POST", body: body, headers: {"Content-Type": "text/plain"}, keepalive: true, credentials: "omit"});
          }
          window.trestle = {lead: function (d) { send("lead", d); }, sale: function (d) { send("sale", d); }};
        })();
        """
    }
}
