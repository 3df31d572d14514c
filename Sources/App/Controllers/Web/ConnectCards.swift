import Networks
import TextRules

/// The Channels page's "connect" cards, one per connector in the registry, made from what each
/// says it needs: a sign-in at the network, fields to type, or both. A form that failed comes
/// back with what was typed (never a secret) and its errors beside the fields.
struct ConnectCard: Encodable {
    struct Field: Encodable {
        var id: String
        var name: String
        var label: String
        var type: String
        var placeholder: String?
        var autocomplete: String?
        var maxLength: Int?
        var value: String?
        var error: String?
    }

    struct Form: Encodable {
        /// The form's own key: the network, or the network and `-sign-in`.
        var key: String
        var action: String
        var network: String
        var title: String?
        var hint: String?
        var button: String
        var fields: [Field]
        /// Fields left out by most, folded away; unfolded when one of them is wrong.
        var optional: [Field]
        var optionalOpen: Bool
        var timezone: Field
        var formError: String?
        /// Open when it failed, so its errors show.
        var failed: Bool
        var isPrimary: Bool
        /// The page's CSRF token: the form is drawn in a context of its own.
        var csrf: String
    }

    var network: String
    var title: String
    var summary: String
    var signIn: Form?
    var fields: Form?
    /// A network whose app the operator has not registered: the settings to set, and where
    /// the README says how.
    var notConfigured: NotConfigured?

    struct NotConfigured: Encodable {
        var settings: String
        var guide: String
        /// Why the sign-in just tried did not start.
        var error: String?
    }

    /// The form that failed: its key, what was typed in it and its errors.
    struct Failure {
        var key: String
        var typed: [String: String]
        var errors: FieldErrors
    }

    /// The cards a person can use first; those waiting for the operator after them.
    static func cards(_ connectors: Connectors, apps: [String: OAuthApp], workspace: String, csrf: String, failed: Failure?) -> [ConnectCard] {
        let cards = allCards(connectors, apps: apps, workspace: workspace, csrf: csrf, failed: failed)
        return cards.filter { $0.notConfigured == nil } + cards.filter { $0.notConfigured != nil }
    }

    private static func allCards(_ connectors: Connectors, apps: [String: OAuthApp], workspace: String, csrf: String, failed: Failure?) -> [ConnectCard] {
        connectors.all.map { connector in
            let network = connector.network.rawValue
            let connecting = connector.connecting
            var card = ConnectCard(network: network, title: connecting.title, summary: connecting.summary)
            switch connecting.signIn {
            case let .atTheirServer(field, button)?:
                card.signIn = form(key: "\(network)-sign-in", action: "/workspaces/\(workspace)/channels/\(network)/sign-in", network: network,
                                   title: nil, hint: nil, button: button, fields: [field], isPrimary: true, csrf: csrf, failed: failed)
            case let .oauth(provider, button)? where apps[provider.settingName] != nil:
                card.signIn = form(key: "\(network)-sign-in", action: "/workspaces/\(workspace)/channels/sign-in/\(network)", network: network,
                                   title: nil, hint: nil, button: button, fields: [], isPrimary: true, csrf: csrf, failed: failed)
            case let .oauth(provider, _)?:
                card.notConfigured = NotConfigured(
                    settings: "TRESTLE_\(provider.settingName)_CLIENT_ID and TRESTLE_\(provider.settingName)_CLIENT_SECRET",
                    guide: "/readme#\(provider.setupAnchor)",
                    error: failed?.key == "\(network)-sign-in" ? failed?.errors["form"] : nil)
            case nil:
                break
            }
            if !connecting.fields.isEmpty {
                card.fields = form(key: network, action: "/workspaces/\(workspace)/channels", network: network,
                                   title: connecting.fieldsTitle, hint: connecting.fieldsHint, button: connecting.fieldsButton,
                                   fields: connecting.fields, isPrimary: card.signIn == nil, csrf: csrf, failed: failed)
            }
            return card
        }
    }

    private static func form(key: String, action: String, network: String, title: String?, hint: String?, button: String,
                             fields: [ConnectionField], isPrimary: Bool, csrf: String, failed: Failure?) -> Form {
        let mine = failed?.key == key ? failed : nil
        func row(_ field: ConnectionField) -> Field {
            Field(id: "\(key)-\(field.name)", name: field.name, label: field.label, type: field.isSecret ? "password" : "text",
                  placeholder: field.placeholder, autocomplete: field.autocomplete,
                  maxLength: field.name == "name" ? FieldRules.maximumNameLength : nil,
                  value: field.isSecret ? nil : mine?.typed[field.name], error: mine?.errors[field.name])
        }
        let optional = fields.filter(\.isOptional).map(row)
        return Form(
            key: key, action: action, network: network, title: title, hint: hint, button: button,
            fields: fields.filter { !$0.isOptional }.map(row), optional: optional, optionalOpen: optional.contains { $0.error != nil },
            timezone: Field(id: "\(key)-timezone", name: "timezone", label: "Time zone for posting times", type: "text",
                            value: mine?.typed["timezone"], error: mine?.errors["timezone"]),
            formError: mine?.errors["form"] ?? mine?.errors["network"], failed: mine != nil, isPrimary: isPrimary, csrf: csrf
        )
    }

    /// The networks not offered yet, named for the page to say so ("X, LinkedIn and Threads").
    static func missing(_ connectors: Connectors) -> String? {
        let names = connectors.missing.filter { !$0.livesInTrestle }.map(\.displayName)
        guard let last = names.last else { return nil }
        return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " and " + last
    }
}
