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

    static let guards: [String: [Guard]] = [
        "extension": [
            Guard(detail: "the extension is the inbound destination of a message channel number") { id in
                """
                SELECT id FROM channel_numbers WHERE destination_type = 'extension' AND destination_id = \(bind: id)
                UNION SELECT id FROM message_channels WHERE destination_type = 'extension' AND destination_id = \(bind: id)
                """
            },
            memberGuard("extension", detail: "the extension may start sessions through a message channel number"),
            Guard(detail: "the extension is an agent of a message queue") { id in
                "SELECT id FROM message_queue_members WHERE extension_id = \(bind: id)"
            },
        ],
        "extensiongroup": [
            memberGuard("ext_group", detail: "the extension group may start sessions through a message channel number"),
        ],
        "organization": [
            memberGuard("organization", detail: "the organization may start sessions through a message channel number"),
        ],
    ]

    /// A channel number still lists the object among the members allowed to start sessions.
    private static func memberGuard(_ type: String, detail: String) -> Guard {
        Guard(detail: detail) { id in
            "SELECT number_id FROM channel_number_members WHERE member_type = \(bind: type) AND member_id = \(bind: id)"
        }
    }

    /// Throws `70091` for the first guard of `path` that still finds a reference to `id`.
    static func check(path: String, id: Int64, db: any SQLDatabase) async throws {
        for item in guards[path] ?? [] {
            try await requireNoReference(db, item.query(id), detail: item.detail)
        }
    }
}
