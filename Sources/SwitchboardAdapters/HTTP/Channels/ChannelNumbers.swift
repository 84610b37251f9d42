import SQLKit
import SwitchboardCore

/// Storage of a channel's numbers (`dids`): existence checks of destinations and members, the
/// full-replacement write, and their JSON.
enum ChannelNumbers {
    /// The table holding the objects a destination or member type points at.
    static func table(for type: DestinationType) -> String? {
        switch type {
        case .extension: "extensions"
        case .queue: "message_queues"
        case .api: nil
        }
    }

    static func table(for type: RoutingMemberType) -> String {
        switch type {
        case .extension: "extensions"
        case .ext_group: "extension_groups"
        case .organization: "organizations"
        }
    }

    /// Throws `40002` naming every `destination_id` or member `value` that does not exist.
    static func requireTargets(_ entries: [RoutingEntry], db: any SQLDatabase) async throws {
        var issues: [ParamIssue] = []
        for entry in entries {
            if let table = table(for: entry.destinationType), let id = entry.destinationID,
                try await !exists(db, table: table, id: id)
            {
                issues.append(ParamIssue(field: entry.prefix + "destination_id", validationType: "not_existed"))
            }
            for member in entry.members where try await !exists(db, table: table(for: member.type), id: member.id) {
                issues.append(ParamIssue(field: member.field, validationType: "not_existed"))
            }
        }
        if !issues.isEmpty { throw APIError(.parameterError, invalidParams: issues) }
    }

    static func exists(_ db: any SQLDatabase, table: String, id: Int64) async throws -> Bool {
        try await db.raw("SELECT id FROM \(unsafeRaw: table) WHERE id = \(bind: id)").first() != nil
    }

    /// Makes `entries` the whole set of numbers of `channel`: entries with an `id` of this channel are
    /// kept (with their statistics), entries without one are added, the others are removed.
    /// Throws `40002` for an `id` that is not one of this channel's numbers and `40003` for a number
    /// another channel already has.
    static func replace(channel: Int64, with entries: [RoutingEntry], db: any SQLDatabase) async throws {
        let existing = try await check(channel: channel, entries, db: db)
        try await write(channel: channel, entries, existing: existing, db: db)
    }

    /// Every check of `replace`, writing nothing; `channel` is nil for a channel not created yet.
    /// Returns the ids of the channel's current numbers.
    @discardableResult
    static func check(channel: Int64?, _ entries: [RoutingEntry], db: any SQLDatabase) async throws -> Set<Int64> {
        let existing = Set(try await db.raw("SELECT id FROM channel_numbers WHERE channel_id = \(bind: channel ?? -1)").all()
            .map { try $0.decode(column: "id", as: Int64.self) })
        let unknown = entries.filter { entry in entry.id.map { !existing.contains($0) } ?? false }
        if !unknown.isEmpty {
            throw APIError(.parameterError, invalidParams: unknown.map { ParamIssue(field: $0.prefix + "id", validationType: "not_existed") })
        }
        var duplicates: [String] = []
        for entry in entries {
            let owner = try await db.raw("SELECT channel_id FROM channel_numbers WHERE did_number = \(bind: entry.didNumber)").first()
            if let owner, try owner.decode(column: "channel_id", as: Int64.self) != channel ?? -1 {
                duplicates.append(entry.prefix + "did_number")
            }
        }
        if !duplicates.isEmpty { throw APIError(.duplicateKeyValue, duplicateFields: duplicates) }
        try await requireTargets(entries, db: db)
        return existing
    }

    private static func write(channel: Int64, _ entries: [RoutingEntry], existing: Set<Int64>, db: any SQLDatabase) async throws {
        let kept = Set(entries.compactMap(\.id))
        for id in existing.subtracting(kept) {
            try await db.raw("DELETE FROM channel_numbers WHERE id = \(bind: id)").run()
        }
        // Park kept numbers on a placeholder first so numbers may move between entries without
        // tripping the UNIQUE constraint.
        for id in kept {
            try await db.raw("UPDATE channel_numbers SET did_number = \(bind: "~moving~\(id)") WHERE id = \(bind: id)").run()
        }
        for (position, entry) in entries.enumerated() {
            let numberID: Int64
            if let id = entry.id {
                numberID = id
                try await db.raw("""
                    UPDATE channel_numbers SET did_number = \(bind: entry.didNumber), destination_type = \(bind: entry.destinationType.rawValue),
                      destination_id = \(bind: entry.destinationID), position = \(bind: position) WHERE id = \(bind: id)
                    """).run()
                try await db.raw("DELETE FROM channel_number_members WHERE number_id = \(bind: id)").run()
            } else {
                numberID = try await insertReturningID(db, """
                    INSERT INTO channel_numbers (channel_id, did_number, destination_type, destination_id, position)
                    VALUES (\(bind: channel), \(bind: entry.didNumber), \(bind: entry.destinationType.rawValue),
                      \(bind: entry.destinationID), \(bind: position))
                    """)
            }
            for (index, member) in entry.members.enumerated() {
                try await db.raw("""
                    INSERT INTO channel_number_members (number_id, member_type, member_id, position)
                    VALUES (\(bind: numberID), \(bind: member.type.rawValue), \(bind: member.id), \(bind: index))
                    """).run()
            }
        }
    }

    /// The channel's numbers as `Msg_Routing` objects (`destination_id` and member values as strings,
    /// as the seeds send them). Facebook numbers carry no `members`.
    static func render(channel: Int64, type: ChannelType, db: any SQLDatabase) async throws -> [JSONValue] {
        let rows = try await db.raw("""
            SELECT id, did_number, destination_type, destination_id FROM channel_numbers
            WHERE channel_id = \(bind: channel) ORDER BY position, id
            """).all()
        var items: [JSONValue] = []
        for row in rows {
            let id = try row.decode(column: "id", as: Int64.self)
            var object: JSONObject = [
                "id": .int(id),
                "did_number": .string(try row.decode(column: "did_number", as: String.self)),
                "destination_type": .string(try row.decode(column: "destination_type", as: String.self)),
                "destination_id": .string(try row.decode(column: "destination_id", as: Int64?.self).map { String($0) } ?? ""),
            ]
            if type != .facebook {
                let members = try await db.raw("""
                    SELECT member_type, member_id FROM channel_number_members WHERE number_id = \(bind: id) ORDER BY position
                    """).all()
                object["members"] = .array(try members.map { member in
                    [
                        "type": .string(try member.decode(column: "member_type", as: String.self)),
                        "value": .string(String(try member.decode(column: "member_id", as: Int64.self))),
                    ]
                })
            }
            items.append(.object(object))
        }
        return items
    }

    /// `sent`, `delivered`, `failed`, `received` summed over the channel's numbers within `window`.
    /// The counters live in `channel_number_stats` (one row per number and UTC day), which the message
    /// pipeline of a later issue increments; until then they are 0.
    static func statistics(channel: Int64, window: (start: Int64?, end: Int64?), db: any SQLDatabase) async throws -> JSONObject {
        let row = try await db.raw("""
            SELECT CAST(COALESCE(SUM(s.sent), 0) AS BIGINT) AS sent, CAST(COALESCE(SUM(s.delivered), 0) AS BIGINT) AS delivered,
              CAST(COALESCE(SUM(s.failed), 0) AS BIGINT) AS failed, CAST(COALESCE(SUM(s.received), 0) AS BIGINT) AS received
            FROM channel_number_stats s JOIN channel_numbers n ON n.id = s.number_id
            WHERE n.channel_id = \(bind: channel) AND s.day >= \(bind: window.start ?? Int64.min)
              AND s.day < \(bind: window.end ?? Int64.max)
            """).first()
        var result = JSONObject()
        for key in ["sent", "delivered", "failed", "received"] {
            result[key] = .int(try row?.decode(column: key, as: Int64.self) ?? 0)
        }
        return result
    }
}
