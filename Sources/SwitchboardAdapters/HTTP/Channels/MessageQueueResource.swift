import SQLKit
import SwitchboardCore

/// `message_queue/*` (reference §7): a named set of agents sharing a channel number's sessions.
/// `members` is a full replacement on update: agents sent with their `id` keep it, others are added.
/// Limits (64 queues, 120 agents per queue) can be lowered or raised through the `settings` table.
struct MessageQueueResource: CrudResource {
    let path = "message_queue"
    let table = "message_queues"
    let listKey = "list"
    let searchColumns = ["name"]
    let sortColumns = ["id", "name"]

    func render(_ row: any SQLRow, db: any SQLDatabase) async throws -> JSONObject {
        let id = try row.decode(column: "id", as: Int64.self)
        let members = try await db.raw("""
            SELECT m.id, m.extension_id, e.number, e.caller_id_name FROM message_queue_members m
            JOIN extensions e ON e.id = m.extension_id WHERE m.queue_id = \(bind: id) ORDER BY m.id
            """).all()
        return [
            "id": .int(id),
            "name": .string(try row.decode(column: "name", as: String.self)),
            "members": .array(try members.map { member in
                [
                    "id": .int(try member.decode(column: "id", as: Int64.self)),
                    "extension_id": .int(try member.decode(column: "extension_id", as: Int64.self)),
                    "ext_num": .string(try member.decode(column: "number", as: String.self)),
                    "caller_id_name": .string(try member.decode(column: "caller_id_name", as: String.self)),
                ]
            }),
            "assignment_mode": .string(try row.decode(column: "assignment_mode", as: String.self)),
        ]
    }

    func create(_ body: JSONObject, db: any SQLDatabase, now: Int64) async throws -> Int64 {
        var reader = FieldReader(body)
        let fields = QueueFields.read(&reader, creating: true)
        try reader.finish()
        let limits = try await Self.limits(db)
        let count = try await db.raw("SELECT COUNT(*) AS n FROM message_queues").first()?.decode(column: "n", as: Int64.self) ?? 0
        guard count < limits.maxQueues else {
            throw APIError(.maxLimitationExceeded, detail: "at most \(limits.maxQueues) message queues")
        }
        try Self.requireAgentLimit(fields.members ?? [], limits)
        try await requireUnique(db, table: table, column: "name", value: fields.name!, field: "name")
        let id = try await insertReturningID(db, """
            INSERT INTO message_queues (name, assignment_mode, created_at)
            VALUES (\(bind: fields.name!), \(bind: fields.assignmentMode!.rawValue), \(bind: now))
            """)
        try await replaceMembers(queue: id, with: fields.members ?? [], limits: limits, db: db)
        return id
    }

    func update(id: Int64, _ body: JSONObject, db: any SQLDatabase) async throws {
        var reader = FieldReader(body)
        let fields = QueueFields.read(&reader, creating: false)
        try reader.finish()
        if let name = fields.name {
            try await requireUnique(db, table: table, column: "name", value: name, field: "name", excluding: id)
        }
        try await updateColumns(db, table: table, id: id, [("name", fields.name), ("assignment_mode", fields.assignmentMode?.rawValue)])
        if let members = fields.members {
            try await replaceMembers(queue: id, with: members, limits: try await Self.limits(db), db: db)
        }
    }

    /// A queue that is still the inbound destination of a channel number or a Live Chat channel stays.
    func checkUnreferenced(id: Int64, db: any SQLDatabase) async throws {
        try await requireNoReference(db, """
            SELECT id FROM channel_numbers WHERE destination_type = 'queue' AND destination_id = \(bind: id)
            UNION SELECT id FROM message_channels WHERE destination_type = 'queue' AND destination_id = \(bind: id)
            """, detail: "the message queue is the inbound destination of a message channel")
    }

    /// Makes `members` the queue's whole agent list. `60002` beyond the agent limit; `40002` for an
    /// extension that does not exist or an agent `id` that is not one of this queue's.
    private func replaceMembers(queue: Int64, with members: [QueueMemberEntry], limits: QueueLimits, db: any SQLDatabase) async throws {
        try Self.requireAgentLimit(members, limits)
        let existing = try await db.raw("SELECT id, extension_id FROM message_queue_members WHERE queue_id = \(bind: queue)").all()
        var agents: [Int64: Int64] = [:]
        for row in existing { agents[try row.decode(column: "id", as: Int64.self)] = try row.decode(column: "extension_id", as: Int64.self) }
        var issues: [ParamIssue] = []
        for member in members {
            if let id = member.id, agents[id] == nil {
                issues.append(ParamIssue(field: member.prefix + "id", validationType: "not_existed"))
            }
            if try await !ChannelNumbers.exists(db, table: "extensions", id: member.extensionID) {
                issues.append(ParamIssue(field: member.prefix + "extension_id", validationType: "not_existed"))
            }
        }
        if !issues.isEmpty { throw APIError(.parameterError, invalidParams: issues) }
        // Agents left out, and kept agents moved to another extension, are deleted first; the moved ones
        // come back under their old id, so (queue, extension) stays unique at every step.
        let unchanged = Set(members.compactMap { member in member.id.flatMap { agents[$0] == member.extensionID ? $0 : nil } })
        for id in agents.keys where !unchanged.contains(id) {
            try await db.raw("DELETE FROM message_queue_members WHERE id = \(bind: id)").run()
        }
        for member in members {
            if let id = member.id {
                guard !unchanged.contains(id) else { continue }
                try await db.raw("""
                    INSERT INTO message_queue_members (id, queue_id, extension_id)
                    VALUES (\(bind: id), \(bind: queue), \(bind: member.extensionID))
                    """).run()
            } else {
                try await db.raw("""
                    INSERT INTO message_queue_members (queue_id, extension_id) VALUES (\(bind: queue), \(bind: member.extensionID))
                    """).run()
            }
        }
    }

    /// `60002` when `members` holds more agents than a queue may have.
    static func requireAgentLimit(_ members: [QueueMemberEntry], _ limits: QueueLimits) throws {
        guard Int64(members.count) <= limits.maxAgentsPerQueue else {
            throw APIError(.maxLimitationExceeded, detail: "at most \(limits.maxAgentsPerQueue) agents per message queue")
        }
    }

    /// The configured limits: `QueueLimits.default` unless the `settings` table overrides them.
    static func limits(_ db: any SQLDatabase) async throws -> QueueLimits {
        var limits = QueueLimits.default
        let rows = try await db.raw("""
            SELECT key, value FROM settings WHERE key IN (\(bind: QueueLimits.maxQueuesSetting), \(bind: QueueLimits.maxAgentsSetting))
            """).all()
        for row in rows {
            guard let value = Int64(try row.decode(column: "value", as: String.self)) else { continue }
            if try row.decode(column: "key", as: String.self) == QueueLimits.maxQueuesSetting {
                limits.maxQueues = value
            } else {
                limits.maxAgentsPerQueue = value
            }
        }
        return limits
    }
}
