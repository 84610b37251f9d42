import Foundation
import SQLKit
import SwitchboardCore

/// The state changes of a session — pick up, transfer, close, archive, unarchive, remove, read —
/// each inside the caller's transaction, each with its system message, timeline entry and event.
/// Ownership changes are conditional UPDATEs, so two agents racing for one session get one winner
/// on SQLite and PostgreSQL alike.
enum SessionActions {
    /// Makes the acting agent the owner of an unowned queue session (Pick Up, or Auto-Pickup's first
    /// reply). Losing the race to another agent is `70084 ACTION FORBIDDEN`.
    static func pickUp(_ db: any SQLDatabase, _ record: SessionStore.Record, by acting: Acting, now: Int64) async throws {
        guard case .agent(let extensionID) = acting.actor else { throw APIError(.accessDenied) }
        let previous = try await SessionStore.audience(db, sessionID: record.id)
        let won = try await db.raw("""
            UPDATE sessions SET owner_extension_id = \(bind: extensionID)
            WHERE id = \(bind: record.id) AND owner_extension_id IS NULL AND closed_at IS NULL RETURNING id
            """).first()
        guard won != nil else { throw APIError(.actionForbidden, detail: "another agent has picked up the session") }
        let queue = try await SessionTimeline.target(db, type: DestinationType.queue.rawValue, id: record.queueID)
        try await SessionStore.systemMessage(
            db, sessionID: record.id, channelID: record.channelID, .pickedUp, by: acting,
            text: SystemMessageKind.pickedUp.text(actor: acting.name, target: queue.name), now: now)
        try await SessionTimeline.append(db, sessionID: record.id, .pickedUp, by: acting, target: queue, now: now)
        try await setState(db, sessionID: record.id, agentKey: extensionID, archived: 0, now: now)
        try await SessionStore.announce(db, .sessionPickedUp, sessionID: record.id, alsoTo: previous, now: now)
    }

    /// Moves the session to an extension, a queue or the platform with its whole history; it leaves
    /// the previous holders' lists. A destination that does not exist is `40002` (`destination_id`
    /// `not_existed`); moving it where it already is, `70084`.
    static func transfer(
        _ db: any SQLDatabase, _ record: SessionStore.Record, to type: DestinationType, id destinationID: Int64?, by acting: Acting, now: Int64
    ) async throws {
        if let destinationID {
            let table = type == .extension ? "extensions" : "message_queues"
            guard try await db.raw("SELECT id FROM \(unsafeRaw: table) WHERE id = \(bind: destinationID)").first() != nil else {
                throw APIError.invalid("destination_id", "not_existed")
            }
        }
        let route = SessionRoute(destinationType: type.rawValue, destinationID: destinationID)
        if route.ownerExtensionID == record.ownerExtensionID && route.queueID == record.queueID && type == record.destinationType
            || (type == .extension && record.ownerExtensionID == destinationID)
        {
            throw APIError(.actionForbidden, detail: "the session is already there")
        }
        let previous = try await SessionStore.audience(db, sessionID: record.id)
        let moved = try await db.raw("""
            UPDATE sessions SET destination_type = \(bind: type.rawValue), owner_extension_id = \(bind: route.ownerExtensionID),
              queue_id = \(bind: route.queueID)
            WHERE id = \(bind: record.id) AND closed_at IS NULL AND COALESCE(owner_extension_id, 0) = \(bind: record.ownerExtensionID ?? 0)
              AND COALESCE(queue_id, 0) = \(bind: record.queueID ?? 0)
            RETURNING id
            """).first()
        guard moved != nil else { throw APIError(.actionForbidden, detail: "the session changed meanwhile") }
        let target = try await SessionTimeline.target(db, type: type.rawValue, id: destinationID)
        let kind: SystemMessageKind = type == .queue ? .transferredToQueue : .transferred
        let param: JSONValue = [
            "from_type": .string(acting.userType == 1 ? "extension" : "api"), "from_no": .string(acting.number),
            "from_name": .string(acting.name), "to_type": .string(type.rawValue), "to_id": .int(destinationID ?? 0),
            "to_name": .string(target.name),
        ]
        try await SessionStore.systemMessage(
            db, sessionID: record.id, channelID: record.channelID, kind, by: acting,
            text: kind.text(actor: acting.name, target: target.name), param: param.serialized(), now: now)
        try await SessionTimeline.append(db, sessionID: record.id, .transferred, by: acting, target: target, now: now)
        if let owner = route.ownerExtensionID {
            try await setState(db, sessionID: record.id, agentKey: owner, archived: 0, now: now)
        }
        try await SessionStore.announce(db, .sessionTransferred, sessionID: record.id, alsoTo: previous, now: now)
    }

    /// Closes the session: no more sending, the customer's next message opens a new session.
    /// Live Chat visitors also get the channel's "Chat Session Closed Message". With `idleSince`
    /// the close only happens if the session has had no activity after it (the auto-closer).
    /// Returns false when the session was already closed (or became active) and `strict` is off.
    @discardableResult
    static func close(
        _ db: any SQLDatabase, _ record: SessionStore.Record, _ kind: SystemMessageKind, by acting: Acting, idleSince: Int64? = nil,
        strict: Bool = true, now: Int64
    ) async throws -> Bool {
        let idle = idleSince.map { SQLQueryString(" AND last_active_at <= \(bind: $0)") } ?? SQLQueryString("")
        let closed = try await db.raw("""
            UPDATE sessions SET closed_at = \(bind: now), close_type = \(bind: kind.rawValue)
            WHERE id = \(bind: record.id) AND closed_at IS NULL
            """ + idle + " RETURNING id").first()
        guard closed != nil else {
            if strict { throw APIError(.actionForbidden, detail: "the session is closed") }
            return false
        }
        try await SessionStore.systemMessage(
            db, sessionID: record.id, channelID: record.channelID, kind, by: acting, text: kind.text(actor: acting.name), now: now)
        try await SessionTimeline.append(db, sessionID: record.id, .closed, by: acting, now: now)
        if record.channelType == ChannelType.livechat.rawValue, let text = try await liveChatClosedMessage(db, channelID: record.channelID) {
            try await OutboundService.queue(
                db, channelID: record.channelID, sessionID: record.id, recipient: record.customer,
                sender: OutboundService.Sender(type: 0, number: "", name: "PBX System"), content: .init(text: text), now: now)
        }
        try await SessionStore.announce(db, .sessionClosed, sessionID: record.id, now: now)
        return true
    }

    private static func liveChatClosedMessage(_ db: any SQLDatabase, channelID: Int64) async throws -> String? {
        let settings = try await db.raw("SELECT settings FROM message_channels WHERE id = \(bind: channelID)").first()?
            .decode(column: "settings", as: String.self) ?? "{}"
        let text = (try? JSONDecoder().decode(JSONValue.self, from: Data(settings.utf8)))?["session_closed_msg"]?.stringValue
        return text?.isEmpty == false ? text : nil
    }

    /// Archive (`true`) or unarchive for one actor. A closed session stays archived (`70084`).
    static func setArchived(_ db: any SQLDatabase, _ record: SessionStore.Record, _ archived: Bool, by acting: Acting, now: Int64) async throws {
        if !archived && record.closedAt != nil { throw APIError(.actionForbidden, detail: "a closed session stays archived") }
        try await setState(db, sessionID: record.id, agentKey: acting.actor.stateKey, archived: archived ? 1 : 0, now: now)
        try await announceToActor(db, archived ? .sessionArchived : .sessionUnarchived, record.id, acting, now: now)
    }

    /// Removes the session from the actor's lists on all their clients, until it has new activity.
    static func remove(_ db: any SQLDatabase, _ record: SessionStore.Record, by acting: Acting, now: Int64) async throws {
        try await upsertState(db, sessionID: record.id, agentKey: acting.actor.stateKey, column: "removed_msg_id", value: record.lastMsgID, now: now)
        try await announceToActor(db, .sessionRemoved, record.id, acting, now: now)
    }

    /// Marks the session read up to `messageID` for the actor (only ever forward).
    static func markRead(_ db: any SQLDatabase, sessionID: Int64, upTo messageID: Int64, by acting: Acting, now: Int64) async throws {
        let current = try await db.raw("""
            SELECT last_read_msg_id FROM session_agent_state WHERE session_id = \(bind: sessionID) AND agent_key = \(bind: acting.actor.stateKey)
            """).first()?.decode(column: "last_read_msg_id", as: Int64.self) ?? 0
        guard messageID > current else { return }
        try await upsertState(db, sessionID: sessionID, agentKey: acting.actor.stateKey, column: "last_read_msg_id", value: messageID, now: now)
        try await announceToActor(db, .sessionRead, sessionID, acting, extra: ["last_read_msg_id": .int(messageID)], now: now)
    }

    /// Unarchives for the actor if archived (sending in an archived session unarchives it).
    static func unarchiveOnSend(_ db: any SQLDatabase, sessionID: Int64, by acting: Acting, now: Int64) async throws {
        let changed = try await db.raw("""
            UPDATE session_agent_state SET archived = 0, updated_at = \(bind: now)
            WHERE session_id = \(bind: sessionID) AND agent_key = \(bind: acting.actor.stateKey) AND archived = 1 RETURNING session_id
            """).first()
        if changed != nil { try await announceToActor(db, .sessionUnarchived, sessionID, acting, now: now) }
    }

    static func setState(_ db: any SQLDatabase, sessionID: Int64, agentKey: Int64, archived: Int, now: Int64) async throws {
        try await upsertState(db, sessionID: sessionID, agentKey: agentKey, column: "archived", value: Int64(archived), now: now)
    }

    private static func upsertState(
        _ db: any SQLDatabase, sessionID: Int64, agentKey: Int64, column: String, value: Int64, now: Int64
    ) async throws {
        try await db.raw("""
            INSERT INTO session_agent_state (session_id, agent_key, \(unsafeRaw: column), updated_at)
            VALUES (\(bind: sessionID), \(bind: agentKey), \(bind: value), \(bind: now))
            ON CONFLICT (session_id, agent_key) DO UPDATE SET \(unsafeRaw: column) = excluded.\(unsafeRaw: column), updated_at = excluded.updated_at
            """).run()
    }

    private static func announceToActor(
        _ db: any SQLDatabase, _ kind: EventKind, _ sessionID: Int64, _ acting: Acting, extra: JSONObject = [:], now: Int64
    ) async throws {
        var audience: [Int64] = []
        if case .agent(let id) = acting.actor { audience = [id] }
        try await EventLog.append(
            db, kind, sessionID: sessionID, extensionIDs: audience,
            payload: try await SessionStore.eventPayload(db, sessionID: sessionID, extra: extra), now: now)
    }
}
