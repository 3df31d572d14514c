import Vapor

/// The evergreen library over the JSON API: the pause, categories and items.
enum LibraryAPI {
    @Sendable static func show(_ req: Request) async throws -> LibraryDTO {
        LibraryDTO(paused: try await req.library.isPaused(req.requireWorkspace().workspace))
    }

    @Sendable static func change(_ req: Request) async throws -> LibraryDTO {
        let body = try req.decodeBody(LibrarySettingsRequest.self)
        try await req.library.setPaused(body.paused, in: req.requireWorkspace().workspace)
        return LibraryDTO(paused: body.paused)
    }

    @Sendable static func categories(_ req: Request) async throws -> [LibraryCategoryDTO] {
        try await req.library.categories(in: req.requireWorkspace().workspace).map { try LibraryCategoryDTO($0) }
    }

    @Sendable static func createCategory(_ req: Request) async throws -> Response {
        let body = try req.decodeBody(LibraryCategoryRequest.self)
        let category = try await req.library.createCategory(body.draft, in: req.requireWorkspace().workspace)
        return try await LibraryCategoryDTO(category).encodeResponse(status: .created, for: req)
    }

    @Sendable static func category(_ req: Request) async throws -> LibraryCategoryDTO {
        try LibraryCategoryDTO(try await req.library.category(req.uuidParameter("category"), in: req.requireWorkspace().workspace))
    }

    @Sendable static func changeCategory(_ req: Request) async throws -> LibraryCategoryDTO {
        let body = try req.decodeBody(LibraryCategoryRequest.self)
        let service = req.library
        let category = try await service.category(req.uuidParameter("category"), in: req.requireWorkspace().workspace)
        try await service.updateCategory(category, with: body.draft)
        return try LibraryCategoryDTO(category)
    }

    @Sendable static func deleteCategory(_ req: Request) async throws -> HTTPStatus {
        let service = req.library
        try await service.deleteCategory(service.category(req.uuidParameter("category"), in: req.requireWorkspace().workspace))
        return .noContent
    }

    @Sendable static func items(_ req: Request) async throws -> [LibraryItemDTO] {
        let service = req.library
        let items = try await service.items(in: req.requireWorkspace().workspace)
        let records = try await service.records(of: items)
        return try items.map { try LibraryItemDTO($0, record: $0.id.flatMap { records[$0] }) }
    }

    @Sendable static func createItem(_ req: Request) async throws -> Response {
        let body = try req.decodeBody(LibraryItemRequest.self)
        let service = req.library
        let item = try await service.createItem(body.draft, in: req.requireWorkspace().workspace)
        return try await itemDTO(item, service).encodeResponse(status: .created, for: req)
    }

    @Sendable static func item(_ req: Request) async throws -> LibraryItemDTO {
        let service = req.library
        return try await itemDTO(service.item(req.uuidParameter("item"), in: req.requireWorkspace().workspace), service)
    }

    @Sendable static func changeItem(_ req: Request) async throws -> LibraryItemDTO {
        let body = try req.decodeBody(LibraryItemRequest.self)
        let service = req.library
        let workspace = try req.requireWorkspace().workspace
        let item = try await service.item(req.uuidParameter("item"), in: workspace)
        try await service.updateItem(item, in: workspace, with: body.draft)
        return try await itemDTO(item, service)
    }

    @Sendable static func deleteItem(_ req: Request) async throws -> HTTPStatus {
        let service = req.library
        try await service.deleteItem(service.item(req.uuidParameter("item"), in: req.requireWorkspace().workspace))
        return .noContent
    }

    private static func itemDTO(_ item: LibraryItem, _ service: LibraryService) async throws -> LibraryItemDTO {
        try LibraryItemDTO(item, record: try await service.records(of: [item])[item.requireID()])
    }
}

extension Request {
    var library: LibraryService { wiring.library(on: db) }
}
