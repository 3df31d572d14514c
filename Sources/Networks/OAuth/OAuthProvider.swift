import Foundation

/// A network's OAuth 2 app, registered once by the operator: where people are sent to allow
/// Trestle, where codes and refresh tokens are exchanged, and what to ask for.
public struct OAuthProvider: Sendable, Equatable {
    /// The NETWORK in `TRESTLE_<NETWORK>_CLIENT_ID` and `TRESTLE_<NETWORK>_CLIENT_SECRET`.
    public var settingName: String
    public var authorizeURL: URL
    public var tokenURL: URL
    public var scopes: [String]
    /// The README section that says, step by step, how to register the app.
    public var setupAnchor: String

    public init(settingName: String, authorizeURL: URL, tokenURL: URL, scopes: [String], setupAnchor: String) {
        self.settingName = settingName
        self.authorizeURL = authorizeURL
        self.tokenURL = tokenURL
        self.scopes = scopes
        self.setupAnchor = setupAnchor
    }
}
