import Foundation
import Vapor

/// Conversions reported by a shop's server (API token) or a CSV of orders, and the workspace's
/// tracking settings.
enum ConversionsAPI {
    /// 201 for a new conversion, 200 with the stored one when the order was reported before; with
    /// what it counts for, so a shop's system can check its tracking.
    @Sendable static func report(_ req: Request) async throws -> Response {
        let body = try req.decodeBody(ConversionRequest.self)
        let conversions = ConversionService(db: req.db, wiring: req.wiring), workspace = try req.requireWorkspace().workspace
        let (conversion, created) = try await conversions.report(body.report, from: .api, in: workspace)
        let attribution = try await conversions.attribution(of: conversion, in: workspace)
        return try await ConversionDTO(conversion, attribution: attribution).encodeResponse(status: created ? .created : .ok, for: req)
    }

    /// A CSV of orders (`text/csv`), all or nothing.
    @Sendable static func importCSV(_ req: Request) async throws -> ConversionImportDTO {
        guard let type = req.headers.contentType, type.type == "text", type.subType == "csv" else {
            throw AppError(status: .unsupportedMediaType, code: "unsupported_media_type", message: "Send the orders as CSV with `Content-Type: text/csv`.")
        }
        guard let buffer = req.body.data, let text = String(bytes: buffer.readableBytesView, encoding: .utf8) else {
            throw ServiceError.invalid(["file": "Send the orders as UTF-8 text."], message: "Nothing was imported.")
        }
        let (created, repeated) = try await ConversionService(db: req.db, wiring: req.wiring).importCSV(text, in: req.requireWorkspace().workspace)
        return ConversionImportDTO(created: created, repeated: repeated)
    }

    @Sendable static func tracking(_ req: Request) async throws -> TrackingDTO {
        TrackingDTO(try await ConversionService(db: req.db, wiring: req.wiring).tracking(of: req.requireWorkspace().workspace), base: req.publicBaseURL)
    }

    @Sendable static func changeTracking(_ req: Request) async throws -> TrackingDTO {
        let body = try req.decodeBody(TrackingChangeRequest.self)
        let tracking = try await ConversionService(db: req.db, wiring: req.wiring).changeTracking(attributionDays: body.attributionDays, shortenLinks: body.shortenLinks, of: req.requireWorkspace().workspace)
        return TrackingDTO(tracking, base: req.publicBaseURL)
    }
}
