import SQLKit
import SwitchboardCore

/// Cross-feature references that forbid deleting a directory object (`70091 CONNECTION_RELATION_EXISTED`).
/// Keyed by the object's API path (`extension`, `extensiongroup`, `organization`, `phonebook`, …);
/// each feature that points at directory objects adds its queries here. A query finds a row when
/// the object with id `?` is still referenced.
enum DeleteGuards {
    struct Guard: Sendable {
        let detail: String
        let query: @Sendable (Int64) -> SQLQueryString
    }

    static let guards: [String: [Guard]] = [:]

    /// Throws `70091` for the first guard of `path` that still finds a reference to `id`.
    static func check(path: String, id: Int64, db: any SQLDatabase) async throws {
        for item in guards[path] ?? [] {
            try await requireNoReference(db, item.query(id), detail: item.detail)
        }
    }
}
