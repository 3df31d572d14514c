import Vapor

/// The evergreen library: categories and their rules, items with when each goes next and how
/// often it went out, adding both, and the pause.
enum LibraryPages {
    struct CategoryLine: Encodable {
        var id: String
        var name: String
        var rules: String
        var selected: Bool
    }

    struct ItemLine: Encodable {
        var id: String
        var category: String
        var text: String
        var wordings: Int
        var timesSent: Int
        var nextDueAt: Date?
        var lastSentAt: Date?
    }

    struct Context: Encodable {
        var page: PageContext
        var paused: Bool
        var categories: [CategoryLine]
        var items: [ItemLine]
        var categoryForm: CategoryForm
        var itemForm: ItemForm
        var errors: FieldErrors
    }

    struct CategoryForm: Content {
        var name: String?
        var minDaysBetween: String?
        var maxRepeats: String?
    }

    struct ItemForm: Content {
        var category: String?
        var text: String?
        var variants: [String]?
    }

    struct PauseForm: Content {
        var paused: String?
    }

    @Sendable static func library(_ req: Request) async throws -> Response {
        try await render(req)
    }

    @Sendable static func pause(_ req: Request) async throws -> Response {
        let form = try req.content.decode(PauseForm.self)
        let workspace = try req.requireWorkspace().workspace
        try await req.library.setPaused(form.paused == "true", in: workspace)
        return req.redirect(to: try path(workspace))
    }

    @Sendable static func createCategory(_ req: Request) async throws -> Response {
        let form = try req.content.decode(CategoryForm.self)
        let workspace = try req.requireWorkspace().workspace
        var draft = LibraryService.CategoryDraft(name: form.name ?? "")
        var errors: FieldErrors = [:]
        if let days = form.minDaysBetween?.trimmingCharacters(in: .whitespaces), !days.isEmpty {
            if let value = Int(days) { draft.minDaysBetween = value } else { errors["minDaysBetween"] = "Give a whole number of days." }
        }
        if let repeats = form.maxRepeats?.trimmingCharacters(in: .whitespaces), !repeats.isEmpty {
            if let value = Int(repeats) { draft.maxRepeats = .some(value) } else { errors["maxRepeats"] = "Give a whole number, or leave it empty for no limit." }
        }
        guard errors.isEmpty else { return try await render(req, categoryForm: form, errors: errors, status: .unprocessableEntity) }
        do {
            _ = try await req.library.createCategory(draft, in: workspace)
            return req.redirect(to: try path(workspace))
        } catch let error as ServiceError where !error.fields.isEmpty {
            return try await render(req, categoryForm: form, errors: error.fields, status: error.status)
        }
    }

    @Sendable static func deleteCategory(_ req: Request) async throws -> Response {
        let workspace = try req.requireWorkspace().workspace
        let service = req.library
        try await service.deleteCategory(service.category(req.uuidParameter("category"), in: workspace))
        return req.redirect(to: try path(workspace))
    }

    @Sendable static func createItem(_ req: Request) async throws -> Response {
        let form = try req.content.decode(ItemForm.self)
        let workspace = try req.requireWorkspace().workspace
        do {
            _ = try await req.library.createItem(.init(category: form.category ?? "", text: form.text ?? "", variants: form.variants ?? []), in: workspace)
            return req.redirect(to: try path(workspace))
        } catch let error as ServiceError where !error.fields.isEmpty {
            return try await render(req, itemForm: form, errors: error.fields, status: error.status)
        }
    }

    @Sendable static func deleteItem(_ req: Request) async throws -> Response {
        let workspace = try req.requireWorkspace().workspace
        let service = req.library
        try await service.deleteItem(service.item(req.uuidParameter("item"), in: workspace))
        return req.redirect(to: try path(workspace))
    }

    private static func path(_ workspace: Workspace) throws -> String {
        "/workspaces/\(try workspace.requireID())/library"
    }

    private static func render(
        _ req: Request, categoryForm: CategoryForm = .init(), itemForm: ItemForm = .init(), errors: FieldErrors = [:], status: HTTPStatus = .ok
    ) async throws -> Response {
        let access = try req.requireWorkspace()
        let service = req.library
        let categories = try await service.categories(in: access.workspace)
        let names = Dictionary(uniqueKeysWithValues: categories.compactMap { category in category.id.map { ($0, category.name) } })
        let items = try await service.items(in: access.workspace)
        let records = try await service.records(of: items)
        let context = Context(
            page: try await .load(req, title: "Library", in: access),
            paused: try await service.isPaused(access.workspace),
            categories: try categories.map { category in
                let id = try category.requireID().uuidString
                return CategoryLine(id: id, name: category.name, rules: rules(of: category), selected: itemForm.category == id)
            },
            items: try items.map { item in
                let record = records[try item.requireID()]
                return ItemLine(id: try item.requireID().uuidString, category: names[item.$category.id] ?? "", text: item.text,
                                wordings: item.wordings.count, timesSent: record?.timesSent ?? 0, nextDueAt: record?.nextDueAt, lastSentAt: record?.lastSentAt)
            },
            categoryForm: categoryForm, itemForm: itemForm, errors: errors
        )
        return try await req.page("library", context, status: status)
    }

    /// "Every 30 days at most, 5 times, until 2027-03-01" in words.
    private static func rules(of category: LibraryCategory) -> String {
        var parts = ["At most once every \(category.minDaysBetween) days per channel"]
        parts.append(category.maxRepeats.map { "\($0) times in all" } ?? "no limit on repeats")
        if let expiry = category.expiresAt {
            let day = ISO8601DateFormatter()
            day.formatOptions = [.withFullDate]
            parts.append("until \(day.string(from: expiry)) (UTC)")
        }
        return parts.joined(separator: ", ")
    }
}
