import Foundation
import Networks
import Vapor

/// Where Trestle keeps its data and how it is reached, read once from the environment at start.
public struct TrestleSettings: Sendable {
    public enum DatabaseChoice: Sendable, Equatable {
        /// A SQLite file (WAL mode) — the default, nothing to install.
        case sqliteFile(path: String)
        /// A private in-memory SQLite database; used by the tests.
        case sqliteMemory
        /// PostgreSQL, for scale and several nodes.
        case postgres(url: String)

        var isSQLite: Bool {
            if case .postgres = self { return false }
            return true
        }
    }

    public var dataDirectory: String
    public var database: DatabaseChoice
    /// The address users reach Trestle at; invitation links are built from it. Without it the
    /// request's own Host header is used.
    public var publicURL: URL?
    /// 32 bytes; encrypts network tokens at rest.
    public var secretKey: SymmetricKey
    /// Bcrypt cost; lowered only by the tests.
    public var passwordCost: Int
    /// Addresses of the reverse proxies in front of Trestle; only from these is
    /// `X-Forwarded-For` believed when telling clients apart.
    public var trustedProxies: Set<String>
    /// Which addresses Trestle may call when a person names a server (a Mastodon instance, a
    /// Bluesky service): public ones, plus what `TRESTLE_FETCH_ALLOW` names.
    public var outboundPolicy: OutboundAddressPolicy
    /// How long one call to a network may take in all (`TRESTLE_NETWORK_TIMEOUT`, seconds).
    public var networkTimeout: Int = 15
    /// How long a worker holds a job before another may take it over, unless it renews the
    /// lease (`TRESTLE_JOB_LEASE`, seconds): how soon the work of a worker that died goes on.
    public var jobLease: Int = 60
    /// How often each channel's notifications are read (`TRESTLE_INBOX_POLL_SECONDS`); on
    /// Mastodon the stream brings them within seconds, and polling catches what it missed.
    public var inboxPollSeconds: Int = 60
    /// Whether a click keeps the page it came from (`TRESTLE_CLICK_REFERRERS=on`); off by default.
    public var keepsReferrers = false
    /// The request header a proxy puts the visitor's country in (`TRESTLE_CLICK_COUNTRY_HEADER`,
    /// e.g. `CF-IPCountry`); unset, no country is kept.
    public var countryHeader: String?
    /// When set, `/metrics` answers only a request bearing it (`TRESTLE_METRICS_TOKEN`).
    public var metricsToken: String?
    /// The SMTP server notifications are emailed through (`TRESTLE_SMTP_URL`, `TRESTLE_SMTP_FROM`);
    /// unset, notifications stay in Trestle.
    public var smtp: SMTPSettings?
    /// The operator's app registrations with the OAuth networks, by the NETWORK of
    /// `TRESTLE_<NETWORK>_CLIENT_ID` and `TRESTLE_<NETWORK>_CLIENT_SECRET`; a network without
    /// one is shown as not configured.
    public var oauthApps: [String: OAuthApp] = [:]
    /// Where an OAuth network's API and sign-in page are reached (`TRESTLE_<NETWORK>_BASE_URL`),
    /// by the same NETWORK, when not at the network itself: a proxy, or a stand-in of its API
    /// for trying Trestle out.
    public var networkBaseURLs: [String: URL] = [:]

    /// The networks whose apps the operator registers, as their settings name them.
    public static let oauthNetworks = ["X", "LINKEDIN", "FACEBOOK", "INSTAGRAM", "THREADS"]

    public init(
        dataDirectory: String,
        database: DatabaseChoice,
        publicURL: URL?,
        secretKey: SymmetricKey,
        passwordCost: Int = 12,
        trustedProxies: Set<String> = [],
        outboundPolicy: OutboundAddressPolicy = OutboundAddressPolicy()
    ) {
        self.dataDirectory = dataDirectory
        self.database = database
        self.publicURL = publicURL
        self.secretKey = secretKey
        self.passwordCost = passwordCost
        self.trustedProxies = trustedProxies
        self.outboundPolicy = outboundPolicy
    }

    /// Cookies carry `Secure` when Trestle is served over HTTPS.
    public var servesHTTPS: Bool { publicURL?.scheme?.lowercased() == "https" }

    /// Reads `TRESTLE_DATA_DIR`, `DATABASE_URL`, `TRESTLE_PUBLIC_URL`, `TRESTLE_SECRET_KEY`,
    /// `TRESTLE_TRUSTED_PROXIES`, `TRESTLE_FETCH_ALLOW`, `TRESTLE_NETWORK_TIMEOUT`, `TRESTLE_JOB_LEASE` and
    /// `TRESTLE_METRICS_TOKEN`,
    /// creating the data directory and the secret key file on first run.
    public static func fromEnvironment() throws -> TrestleSettings {
        let env = ProcessInfo.processInfo.environment
        let dataDirectory = env["TRESTLE_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./data"
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)

        let database: DatabaseChoice
        if let url = env["DATABASE_URL"], !url.isEmpty {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw SettingsError("DATABASE_URL must be a postgres:// URL; leave it unset for SQLite.")
            }
            database = .postgres(url: url)
        } else {
            database = .sqliteFile(path: (dataDirectory as NSString).appendingPathComponent("trestle.sqlite"))
        }

        var publicURL: URL?
        if let value = env["TRESTLE_PUBLIC_URL"], !value.isEmpty {
            guard let url = URL(string: value), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw SettingsError("TRESTLE_PUBLIC_URL must be an http:// or https:// URL, such as https://social.example.com.")
            }
            publicURL = url
        }

        let secretKey: SymmetricKey
        if let value = env["TRESTLE_SECRET_KEY"], !value.isEmpty {
            secretKey = try SecretKeyFile.decode(value, source: "TRESTLE_SECRET_KEY")
        } else {
            secretKey = try SecretKeyFile.loadOrCreate(in: dataDirectory)
        }
        let proxies = (env["TRESTLE_TRUSTED_PROXIES"] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let outboundPolicy: OutboundAddressPolicy
        do {
            outboundPolicy = try OutboundAddressPolicy(allowing: (env["TRESTLE_FETCH_ALLOW"] ?? "").split(separator: ",").map(String.init))
        } catch {
            throw SettingsError("TRESTLE_FETCH_ALLOW: \(error)")
        }
        var settings = TrestleSettings(
            dataDirectory: dataDirectory, database: database, publicURL: publicURL, secretKey: secretKey,
            trustedProxies: Set(proxies), outboundPolicy: outboundPolicy
        )
        settings.networkTimeout = try seconds(env, "TRESTLE_NETWORK_TIMEOUT", default: 15, within: 1...300)
        settings.jobLease = try seconds(env, "TRESTLE_JOB_LEASE", default: 60, within: 2...3600)
        settings.inboxPollSeconds = try seconds(env, "TRESTLE_INBOX_POLL_SECONDS", default: 60, within: 5...3600)
        settings.keepsReferrers = ["on", "true", "1", "yes"].contains((env["TRESTLE_CLICK_REFERRERS"] ?? "").lowercased())
        settings.countryHeader = env["TRESTLE_CLICK_COUNTRY_HEADER"].flatMap { $0.isEmpty ? nil : $0 }
        settings.metricsToken = env["TRESTLE_METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        settings.smtp = try SMTPSettings.from(url: env["TRESTLE_SMTP_URL"], from: env["TRESTLE_SMTP_FROM"])
        settings.oauthApps = try oauthApps(env)
        settings.networkBaseURLs = try networkBaseURLs(env)
        return settings
    }

    /// Each OAuth network's stand-in address, where one is set; one that is not a web address
    /// stops the start.
    static func networkBaseURLs(_ env: [String: String]) throws -> [String: URL] {
        var urls: [String: URL] = [:]
        for name in oauthNetworks {
            guard let value = env["TRESTLE_\(name)_BASE_URL"], !value.isEmpty else { continue }
            guard let url = URL(string: value), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw SettingsError("TRESTLE_\(name)_BASE_URL must be an http:// or https:// URL.")
            }
            urls[name] = url
        }
        return urls
    }

    /// Each network's id and secret, both or neither: one without the other is a mistake that
    /// stops the start rather than a network that fails later.
    static func oauthApps(_ env: [String: String]) throws -> [String: OAuthApp] {
        var apps: [String: OAuthApp] = [:]
        for name in oauthNetworks {
            let id = env["TRESTLE_\(name)_CLIENT_ID"].flatMap { $0.isEmpty ? nil : $0 }
            let secret = env["TRESTLE_\(name)_CLIENT_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
            switch (id, secret) {
            case let (id?, secret?): apps[name] = OAuthApp(clientID: id, clientSecret: secret)
            case (nil, nil): break
            default: throw SettingsError("Set both TRESTLE_\(name)_CLIENT_ID and TRESTLE_\(name)_CLIENT_SECRET, or neither.")
            }
        }
        return apps
    }

    /// A whole number of seconds from the environment, within `range`; a typo stops the start.
    private static func seconds(_ env: [String: String], _ name: String, default value: Int, within range: ClosedRange<Int>) throws -> Int {
        guard let text = env[name], !text.isEmpty else { return value }
        guard let seconds = Int(text), range.contains(seconds) else {
            throw SettingsError("\(name) must be a whole number of seconds from \(range.lowerBound) to \(range.upperBound).")
        }
        return seconds
    }
}

/// A setting that cannot be used; Trestle refuses to start and says which and why.
public struct SettingsError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension Application {
    private struct SettingsKey: StorageKey { typealias Value = TrestleSettings }

    /// The settings `configure` was given.
    public var settings: TrestleSettings {
        get {
            guard let settings = storage[SettingsKey.self] else {
                fatalError("configure(_:settings:) must run before settings are read")
            }
            return settings
        }
        set { storage[SettingsKey.self] = newValue }
    }
}
