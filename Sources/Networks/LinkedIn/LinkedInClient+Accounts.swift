import Foundation

/// Who a LinkedIn token can post as: the member (`/v2/userinfo`) and the organisations they
/// administer (`organizationAcls`, then each organisation's name).
extension LinkedInClient {
    struct Member: Decodable {
        var sub: String
        var name: String?
    }

    func member() async throws -> Member {
        let member = try Self.decode(Member.self, try await send(.GET, "/v2/userinfo"))
        guard !member.sub.isEmpty, member.sub.count <= 100, member.sub.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw NetworkError.unexpectedResponse("LinkedIn answered with a member that is not one.")
        }
        return member
    }

    struct Organization: Decodable {
        var id: Double?
        var localizedName: String?
        var vanityName: String?
    }

    /// The organisations the member administers, with their names; none when the token may
    /// not list them.
    func administeredOrganizations() async throws -> [(urn: String, organization: Organization)] {
        struct Role: Decodable { var organization: String?; var state: String?; var role: String? }
        let response = try await http.send(.GET, url("/rest/organizationAcls", [("q", "roleAssignee"), ("role", "ADMINISTRATOR"), ("state", "APPROVED")]), headers: headers)
        // An app LinkedIn has not granted the Community Management API posts for the member alone.
        if response.status == 403 { return [] }
        try Self.check(response)
        var found: [(String, Organization)] = []
        for role in (try Self.decode(Elements<Role>.self, response).elements ?? []).prefix(50) {
            guard role.state == "APPROVED", let urn = role.organization.flatMap({ try? Self.checkedURN($0) }), urn.hasPrefix("urn:li:organization:") else { continue }
            found.append((urn, try await organization(urn)))
        }
        return found
    }

    func organization(_ urn: String) async throws -> Organization {
        let id = String(try Self.checkedURN(urn).dropFirst("urn:li:organization:".count))
        return try Self.decode(Organization.self, try await send(.GET, "/rest/organizations/\(Self.encoded(id))"))
    }

    /// How many members follow an organisation.
    func followers(of organization: String) async throws -> Double? {
        struct Size: Decodable { var firstDegreeSize: Double? }
        let response = try await send(.GET, "/rest/networkSizes/\(Self.encoded(try Self.checkedURN(organization)))", query: [("edgeType", "COMPANY_FOLLOWED_BY_MEMBER")])
        return try Self.decode(Size.self, response).firstDegreeSize
    }
}
