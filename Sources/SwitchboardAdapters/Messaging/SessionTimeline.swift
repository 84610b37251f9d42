import SQLKit
import SwitchboardCore

/// The operation timeline of sessions (seed 003 "External Chat Logs"): created and routed where,
/// transferred, picked up, closed — who and when.
enum SessionTimeline {
    /// Where a session was routed or transferred to, with the name the timeline shows.
    struct Target: Sendable {
        var type: String
        var id: Int64?
        var name: String
    }

    static let platformName = "Third-Party Message Analytics Platform"

    /// Names a destination: an extension as `Name<number>`, a queue by name, `api` as the platform.
    static func target(_ db: any SQLDatabase, type: String, id: Int64?) async throws -> Target {
        switch type {
        case DestinationType.extension.rawValue:
            let agent = try await id.asyncMap { try await Acting.agent(db, extensionID: $0) } ?? nil
            return Target(type: type, id: id, name: agent?.label ?? "")
        case DestinationType.queue.rawValue:
            let name = try await id.asyncMap { id in
                try await db.raw("SELECT name FROM message_queues WHERE id = \(bind: id)").first()?.decode(column: "name", as: String.self)
            } ?? nil
            return Target(type: type, id: id, name: name ?? "")
        default:
            return Target(type: DestinationType.api.rawValue, id: nil, name: platformName)
        }
    }

    static func append(
        _ db: any SQLDatabase, sessionID: Int64, _ operation: TimelineOperation, by acting: Acting, target: Target? = nil, now: Int64
    ) async throws {
        try await db.raw("""
            INSERT INTO session_operations (session_id, operation, actor_type, actor_no, actor_name, target_type, target_id,
              target_name, created_at)
            VALUES (\(bind: sessionID), \(bind: operation.rawValue), \(bind: acting.userType), \(bind: acting.number),
              \(bind: acting.name), \(bind: target?.type ?? ""), \(bind: target?.id), \(bind: target?.name ?? ""), \(bind: now))
            """).run()
    }

    /// The timeline of a session, oldest first, each entry with seed 003's wording.
    static func render(_ db: any SQLDatabase, sessionID: Int64) async throws -> [JSONValue] {
        let rows = try await db.raw("SELECT * FROM session_operations WHERE session_id = \(bind: sessionID) ORDER BY id").all()
        return try rows.map { row in
            let operation = TimelineOperation(rawValue: try row.decode(column: "operation", as: String.self)) ?? .created
            let actorType = try row.decode(column: "actor_type", as: Int.self)
            let actorNo = try row.decode(column: "actor_no", as: String.self)
            let actorName = try row.decode(column: "actor_name", as: String.self)
            let actor = actorType == 1 ? "\(actorName)<\(actorNo)>" : (actorName.isEmpty ? actorNo : actorName)
            let target = try row.decode(column: "target_name", as: String.self)
            let description: String
            switch operation {
            case .created where actorType == 1 || actorType == 9: description = "\(actor) created the session."
            case .created: description = "Received a message from \(actorNo), and the session has been routed to \(target)."
            case .transferred: description = "\(actor) transferred the session to \(target)."
            case .pickedUp: description = "\(actor) picked up the session from message queue \(target)."
            case .closed where actorType == 0: description = "The session was closed automatically after a period of inactivity."
            case .closed: description = "\(actor) closed the session."
            }
            return [
                "operation": .string(operation.rawValue), "title": .string(operation.title), "time": .int(try row.decode(column: "created_at", as: Int64.self)),
                "description": .string(description),
                "operator": ["user_type": .integer(actorType), "user_no": .string(actorNo), "username": .string(actorName)],
                "target": ["type": .string(try row.decode(column: "target_type", as: String.self)),
                           "id": .int(try row.decode(column: "target_id", as: Int64?.self) ?? 0), "name": .string(target)],
            ]
        }
    }
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<U>(_ transform: (Wrapped) async throws -> U) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
