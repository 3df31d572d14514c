import Foundation

/// What connecting an account of a network asks of a person: the words of its card on the
/// Channels page, how they sign in where the network has its own sign-in, and the fields
/// they type where credentials can be pasted. The page and the API are made from this.
public struct Connecting: Sendable {
    /// How a person signs in at the network itself.
    public enum SignIn: Sendable, Equatable {
        /// At their own server, whose address they type in `field` (Mastodon): Trestle
        /// registers itself there first.
        case atTheirServer(field: ConnectionField, button: String)
        /// OAuth 2 with PKCE at the network's own app, registered once by the operator.
        case oauth(OAuthProvider, button: String)
    }

    /// The card's heading: "Connect a Mastodon account".
    public var title: String
    /// What the person does, in a sentence or two.
    public var summary: String
    public var signIn: SignIn?
    /// Credentials typed or pasted; empty for a network that connects only by signing in.
    public var fields: [ConnectionField]
    /// The heading of the fields when they are the second way, beside a sign-in.
    public var fieldsTitle: String?
    /// Where the person finds what the fields ask, when it is not plain.
    public var fieldsHint: String?
    /// The button that sends the fields.
    public var fieldsButton: String
    /// The field a problem with the server is said on, and the one the network refuses.
    public var serverField: String
    public var secretField: String

    public init(title: String, summary: String, signIn: SignIn? = nil, fields: [ConnectionField] = [], fieldsTitle: String? = nil,
                fieldsHint: String? = nil, fieldsButton: String = "Connect", serverField: String, secretField: String) {
        self.title = title
        self.summary = summary
        self.signIn = signIn
        self.fields = fields
        self.fieldsTitle = fieldsTitle
        self.fieldsHint = fieldsHint
        self.fieldsButton = fieldsButton
        self.serverField = serverField
        self.secretField = secretField
    }

    /// A network connected only by signing in at the operator's app (`provider`).
    public static func signingIn(title: String, summary: String, provider: OAuthProvider, button: String) -> Connecting {
        Connecting(title: title, summary: summary, signIn: .oauth(provider, button: button), serverField: "form", secretField: "form")
    }

    /// The OAuth app the operator registers, for a network that connects that way.
    public var oauth: OAuthProvider? {
        if case let .oauth(provider, _)? = signIn { provider } else { nil }
    }
}

/// One thing a person types to connect.
public struct ConnectionField: Sendable, Equatable, Encodable {
    /// Its name in the API's body and the form.
    public var name: String
    public var label: String
    public var placeholder: String?
    /// Never shown back, never kept in a form that failed.
    public var isSecret = false
    /// Left out, the network's usual is taken; shown folded away.
    public var isOptional = false
    public var autocomplete: String?

    public init(name: String, label: String, placeholder: String? = nil, isSecret: Bool = false, isOptional: Bool = false, autocomplete: String? = nil) {
        self.name = name
        self.label = label
        self.placeholder = placeholder
        self.isSecret = isSecret
        self.isOptional = isOptional
        self.autocomplete = autocomplete
    }
}

/// The fields a connection's typed values were wrong in, each with what to do.
public struct ConnectionProblems: Error, Sendable, Equatable {
    public var fields: [String: String]

    public init(_ fields: [String: String]) {
        self.fields = fields
    }
}
