import Foundation

/// What Meta's Graph API (Facebook Pages, Instagram, Threads) says when it refuses a call, as
/// the publisher's outcomes: the error body `{"error": {"message", "type", "code",
/// "error_subcode"}}` and the usage headers `X-App-Usage` and `X-Business-Use-Case-Usage`
/// (percentages of the hourly allowance, and minutes until access comes back).
public enum MetaGraphAnswer {
    /// How long to wait when Meta throttles without saying for how long: its window is an hour,
    /// and usage falls as it rolls.
    static let defaultWait = 10 * 60

    /// Throws the outcome an error answer means; returns for a 2xx.
    public static func check(_ response: NetworkHTTPClient.Response, network: String) throws {
        guard !(200..<300).contains(response.status) else { return }
        throw error(response, network: network)
    }

    /// Whether the answer says the object asked for does not exist (code 100, subcode 33): a
    /// post deleted, or never the account's.
    public static func isMissingObject(_ response: NetworkHTTPClient.Response) -> Bool {
        guard !(200..<300).contains(response.status), let failure = failure(response) else { return false }
        return failure.code == 100 && failure.error_subcode == 33
    }

    private struct Failure: Decodable {
        var message: String?
        var code: Int?
        var error_subcode: Int?
        var error_user_msg: String?
    }

    private static func failure(_ response: NetworkHTTPClient.Response) -> Failure? {
        struct Body: Decodable { var error: Failure? }
        return (try? JSONDecoder().decode(Body.self, from: response.body))?.error
    }

    static func error(_ response: NetworkHTTPClient.Response, network: String) -> NetworkError {
        let failure = failure(response)
        let message = String((failure?.error_user_msg ?? failure?.message ?? "no reason given").prefix(300))
        let code = failure?.code
        switch code {
        case 190?, 102?:
            return .unauthorized("\(network) refused the access token (\(message)). Connect the account again.")
        case 10?, .some(200...299):
            return .unauthorized("\(network) did not allow this (\(message)). Connect the account again and allow what Trestle asks for.")
        case 4?, 17?, 32?, 613?, .some(80_001...80_014):
            return .rateLimited(retryAfter: wait(response) ?? defaultWait)
        case 1?, 2?:
            return .rejected(status: max(response.status, 500), message: message)
        case 506?:
            return .rejected(status: response.status, message: "\(network) refused it as a duplicate of a recent post: \(message)")
        default:
            if response.status == 429 { return .rateLimited(retryAfter: wait(response) ?? defaultWait) }
            if response.status == 401 { return .unauthorized("\(network) refused the access token (\(message)). Connect the account again.") }
            return .rejected(status: response.status, message: message)
        }
    }

    /// Seconds until Meta lets the app call again, from the usage headers: the longest
    /// `estimated_time_to_regain_access` (minutes), or the default wait when any use has
    /// reached 100 %; nil when neither says so.
    public static func wait(_ response: NetworkHTTPClient.Response) -> Int? {
        var minutes: Double = 0
        var exhausted = false
        for usage in usages(response) {
            if let regain = usage.regainMinutes { minutes = max(minutes, regain) }
            if usage.highest >= 100 { exhausted = true }
        }
        if minutes > 0 { return RetryAfter.bounded(minutes * 60) }
        return exhausted ? defaultWait : nil
    }

    /// The highest use of any allowance the headers report, in percent (0…100+), to slow down
    /// before Meta throttles; nil without usage headers.
    public static func highestUse(_ response: NetworkHTTPClient.Response) -> Double? {
        usages(response).map(\.highest).max()
    }

    struct Usage {
        var highest: Double
        var regainMinutes: Double?
    }

    /// Every usage the headers carry, each number checked: a header that is not what Meta
    /// documents says nothing.
    static func usages(_ response: NetworkHTTPClient.Response) -> [Usage] {
        var found: [Usage] = []
        if let text = response.header("X-App-Usage"), text.utf8.count <= 4_096,
           let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] {
            found.append(usage(object))
        }
        if let text = response.header("X-Business-Use-Case-Usage"), text.utf8.count <= 16_384,
           let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] {
            for entries in object.values.prefix(50) {
                for entry in (entries as? [[String: Any]] ?? []).prefix(50) { found.append(usage(entry)) }
            }
        }
        return found
    }

    private static func usage(_ object: [String: Any]) -> Usage {
        func percent(_ key: String) -> Double? {
            guard let value = (object[key] as? NSNumber)?.doubleValue, value.isFinite, value >= 0, value <= 10_000 else { return nil }
            return value
        }
        let highest = ["call_count", "total_cputime", "total_time"].compactMap(percent).max() ?? 0
        let regain = (object["estimated_time_to_regain_access"] as? NSNumber)?.doubleValue
        return Usage(highest: highest, regainMinutes: regain.flatMap { $0.isFinite && $0 > 0 && $0 <= 7 * 24 * 60 ? $0 : nil })
    }
}
