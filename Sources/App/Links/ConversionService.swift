import Fluent
import Foundation
import SQLKit

/// Conversions: a lead or a sale reported by the shop's script, its server or a CSV of orders,
/// counted once per order id, and traced through its click id to the post that brought it when
/// the click came within the workspace's attribution window.
struct ConversionService: Sendable {
    let db: any Database
    let wiring: Wiring

    /// One report, as any of the three ways says it.
    struct Report: Sendable, Equatable {
        var kind: String?
        var orderID: String?
        var value: Decimal?
        var currency: String?
        var clickID: String?
        var occurredAt: Date?
    }

    /// A conversion is a click's when it came within the attribution window after it (a minute
    /// before is allowed for clocks that differ); the Links page and reports count by this rule.
    static func attributes(occurred: Date, clicked: Date, window: TimeInterval) -> Bool {
        occurred >= clicked.addingTimeInterval(-60) && occurred.timeIntervalSince(clicked) <= window
    }

    static let longestOrderID = 200
    static let largestValue = Decimal(1_000_000_000)
    static let longestAttributionDays = 90

    /// Stores the report, or finds the conversion it repeats (same kind and order id); a repeat
    /// that brings a click id the first lacked adds it. Returns the conversion and whether it
    /// is new.
    func report(_ report: Report, from source: Conversion.Source, in workspace: Workspace) async throws -> (Conversion, created: Bool) {
        let conversion = try Self.conversion(from: report, source: source, workspaceID: workspace.requireID(), now: wiring.clock.now())
        return try await store(conversion)
    }

    private func store(_ conversion: Conversion) async throws -> (Conversion, created: Bool) {
        if let orderID = conversion.orderID,
           let existing = try await Conversion.query(on: db).filter(\.$workspace.$id == conversion.$workspace.id)
               .filter(\.$kind == conversion.kind).filter(\.$orderID == orderID).first() {
            if existing.clickID == nil, let clickID = conversion.clickID {
                existing.clickID = clickID
                try await existing.save(on: db)
            }
            return (existing, false)
        }
        do {
            try await conversion.create(on: db)
        } catch {
            // The same order reported twice at the same moment: the other report stored it.
            guard (error as? any DatabaseError)?.isConstraintFailure == true, let orderID = conversion.orderID,
                  let existing = try await Conversion.query(on: db).filter(\.$workspace.$id == conversion.$workspace.id)
                      .filter(\.$kind == conversion.kind).filter(\.$orderID == orderID).first() else { throw error }
            return (existing, false)
        }
        return (conversion, true)
    }

    /// A report checked field by field; every problem is named.
    static func conversion(from report: Report, source: Conversion.Source, workspaceID: UUID, now: Date) throws -> Conversion {
        var problems: [String: String] = [:]
        let kind = report.kind.flatMap(Conversion.Kind.init(rawValue:))
        if kind == nil { problems["kind"] = "Say lead or sale." }
        let orderID = report.orderID?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let orderID, orderID.isEmpty || orderID.unicodeScalars.count > longestOrderID {
            problems["orderId"] = "An order id is 1 to \(longestOrderID) characters."
        }
        var valueMilli: Int64?
        if let value = report.value {
            if value < 0 || value > largestValue || value.isNaN {
                problems["value"] = "A value is from 0 to 1,000,000,000."
            } else {
                var milli = value * 1_000, rounded = Decimal()
                NSDecimalRound(&rounded, &milli, 0, .plain)
                valueMilli = NSDecimalNumber(decimal: rounded).int64Value
            }
        }
        let currency = report.currency?.uppercased()
        if let currency, currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isLetter }) {
            problems["currency"] = "A currency is its three-letter code, such as EUR or USD."
        }
        if valueMilli != nil && currency == nil { problems["currency"] = "Say which currency the value is in." }
        if let clickID = report.clickID, clickID.count != 16 || !clickID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            problems["clickId"] = "A click id is the 16 letters and digits of `tc` in the address the visitor came to."
        }
        if let occurredAt = report.occurredAt, occurredAt > now.addingTimeInterval(300) || occurredAt < now.addingTimeInterval(-366 * 86_400) {
            problems["occurredAt"] = "A conversion happened within the last year, not in the future."
        }
        guard problems.isEmpty, let kind else { throw ServiceError.invalid(problems, message: "The conversion was not recorded.") }
        let conversion = Conversion()
        conversion.$workspace.id = workspaceID
        conversion.kind = kind
        conversion.orderID = orderID
        conversion.valueMilli = valueMilli
        conversion.currency = valueMilli == nil ? nil : currency
        conversion.clickID = report.clickID
        conversion.source = source
        conversion.occurredAt = report.occurredAt ?? now
        return conversion
    }

    /// Reports from a CSV of orders (header `kind,order_id,value,currency,click_id,occurred_at`;
    /// see `ConversionCSV`), all or nothing: a file with any bad row stores none and names each.
    func importCSV(_ text: String, in workspace: Workspace) async throws -> (created: Int, repeated: Int) {
        let reports = try ConversionCSV.reports(from: text)
        let now = wiring.clock.now(), workspaceID = try workspace.requireID()
        var conversions: [Conversion] = []
        var problems: [String: String] = [:]
        for (line, report) in reports {
            do {
                conversions.append(try Self.conversion(from: report, source: .csv, workspaceID: workspaceID, now: now))
            } catch let error as ServiceError {
                problems["line \(line)"] = error.fields.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: " ")
            }
            if problems.count >= 20 { break }
        }
        guard problems.isEmpty else { throw ServiceError.invalid(problems, message: "Nothing was imported: fix these lines and send the file again.") }
        let checked = conversions
        return try await db.transaction { db in
            var created = 0, repeated = 0
            for conversion in checked {
                if try await ConversionService(db: db, wiring: wiring).store(conversion).created { created += 1 } else { repeated += 1 }
            }
            return (created, repeated)
        }
    }

    // MARK: Tracking settings

    /// The workspace's tracking key and window, made the first time they are asked for.
    func tracking(of workspace: Workspace) async throws -> WorkspaceTracking {
        let workspaceID = try workspace.requireID()
        if let tracking = try await WorkspaceTracking.query(on: db).filter(\.$workspace.$id == workspaceID).first() { return tracking }
        let tracking = WorkspaceTracking(workspaceID: workspaceID, publicKey: "pk_" + LinkService.newClickID() + LinkService.newClickID())
        try await (db as! any SQLDatabase).insert(into: WorkspaceTracking.schema).columns("id", "workspace_id", "public_key", "attribution_days", "shortens_links")
            .values(SQLBind(UUID()), SQLBind(workspaceID), SQLBind(tracking.publicKey), SQLBind(tracking.attributionDays), SQLBind(true))
            .ignoringConflicts(with: ["workspace_id"]).run()
        return try await WorkspaceTracking.query(on: db).filter(\.$workspace.$id == workspaceID).first() ?? tracking
    }

    func changeTracking(attributionDays days: Int?, shortenLinks: Bool?, of workspace: Workspace) async throws -> WorkspaceTracking {
        if let days, !(1...Self.longestAttributionDays).contains(days) {
            throw ServiceError.invalid(["attributionDays": "Count a conversion for a click from 1 to \(Self.longestAttributionDays) days after it."])
        }
        let tracking = try await tracking(of: workspace)
        if let days { tracking.attributionDays = days }
        if let shortenLinks { tracking.shortensLinks = shortenLinks }
        try await tracking.save(on: db)
        return tracking
    }

    /// The workspace whose site's script sent `key`.
    func workspace(forPublicKey key: String) async throws -> Workspace? {
        guard key.hasPrefix("pk_"), key.count <= 64,
              let tracking = try await WorkspaceTracking.query(on: db).filter(\.$publicKey == key).first() else { return nil }
        return try await Workspace.find(tracking.$workspace.id, on: db)
    }
}
