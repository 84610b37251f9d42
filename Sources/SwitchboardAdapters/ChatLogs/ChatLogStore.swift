import SQLKit
import SwitchboardCore

/// Reads and deletes external chat logs: filtered pages of sessions (newest activity first), one
/// session's history, keyset pages for the download, and deletions that either happen whole or
/// not at all.
struct ChatLogStore: Sendable {
    let database: Database
    let clock: any WallClock

    /// One page of sessions matching `filter`, newest activity first, and how many match in all.
    func search(_ filter: ChatLogFilter, page: PageRequest) async throws -> (total: Int64, sessions: [ChatLogSession]) {
        let conditions = ChatLogSQL.conditions(filter)
        let countJoins = ChatLogSQL.needsJoins(filter) ? ChatLogSQL.sessionJoins : ""
        return try await database.run { db in
            let total = try await db.raw("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM sessions s \(unsafeRaw: countJoins) WHERE " + conditions)
                .first()?.decode(column: "n", as: Int64.self) ?? 0
            let rows = try await db.raw("""
                SELECT \(unsafeRaw: ChatLogSQL.sessionColumns) FROM sessions s \(unsafeRaw: ChatLogSQL.sessionJoins) WHERE
                """ + conditions + """
                 ORDER BY s.last_active_at DESC, s.id DESC LIMIT \(unsafeRaw: String(page.pageSize)) OFFSET \(unsafeRaw: String(page.offset))
                """).all()
            return (total, try rows.map(ChatLogSQL.session))
        }
    }

    /// The session `id` as the log shows it, or `60001`.
    func session(id: Int64) async throws -> ChatLogSession {
        guard let session = try await sessions(ids: [id]).first else { throw APIError.notFound }
        return session
    }

    func sessions(ids: [Int64]) async throws -> [ChatLogSession] {
        guard !ids.isEmpty else { return [] }
        return try await database.run { db in
            try await db.raw("""
                SELECT \(unsafeRaw: ChatLogSQL.sessionColumns) FROM sessions s \(unsafeRaw: ChatLogSQL.sessionJoins)
                WHERE s.id IN
                """ + ChatLogSQL.list(ids) + " ORDER BY s.id").all().map(ChatLogSQL.session)
        }
    }

    /// One page of the session's messages, newest first (system messages included), and their count.
    func history(sessionID: Int64, page: PageRequest) async throws -> (total: Int64, messages: [ChatLogMessage]) {
        try await database.run { db in
            let total = try await db.raw("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM messages WHERE session_id = \(bind: sessionID)")
                .first()?.decode(column: "n", as: Int64.self) ?? 0
            let rows = try await db.raw("""
                SELECT \(unsafeRaw: ChatLogSQL.messageColumns) FROM messages m WHERE m.session_id = \(bind: sessionID)
                ORDER BY m.id DESC LIMIT \(unsafeRaw: String(page.pageSize)) OFFSET \(unsafeRaw: String(page.offset))
                """).all()
            return (total, try rows.map(ChatLogSQL.message))
        }
    }

    /// The next sessions matching `filter` after session id `after`, in id order (the download's keyset).
    func sessionsPage(_ filter: ChatLogFilter, after: Int64, limit: Int) async throws -> [ChatLogSession] {
        let conditions = ChatLogSQL.conditions(filter)
        return try await database.run { db in
            try await db.raw("""
                SELECT \(unsafeRaw: ChatLogSQL.sessionColumns) FROM sessions s \(unsafeRaw: ChatLogSQL.sessionJoins)
                WHERE s.id > \(bind: after) AND
                """ + conditions + " ORDER BY s.id LIMIT \(unsafeRaw: String(limit))").all().map(ChatLogSQL.session)
        }
    }

    /// The next messages of sessions matching `filter` after (`session`, `message`), in (session, message) order.
    func messagesPage(_ filter: ChatLogFilter, after: (session: Int64, message: Int64), limit: Int) async throws -> [ChatLogMessage] {
        let conditions = ChatLogSQL.conditions(filter)
        let joins = ChatLogSQL.needsJoins(filter) ? ChatLogSQL.sessionJoins : ""
        return try await database.run { db in
            try await db.raw("""
                SELECT \(unsafeRaw: ChatLogSQL.messageColumns) FROM messages m JOIN sessions s ON s.id = m.session_id \(unsafeRaw: joins)
                WHERE (m.session_id, m.id) > (\(bind: after.session), \(bind: after.message)) AND
                """ + conditions + " ORDER BY m.session_id, m.id LIMIT \(unsafeRaw: String(limit))").all().map(ChatLogSQL.message)
        }
    }

    /// Deletes the sessions with their messages, timeline and agent state; agents' clients are told
    /// (`39011` with `deleted` 1). Any id that is not a session is `60001` and nothing is deleted.
    func deleteSessions(_ ids: [Int64]) async throws {
        let now = clock.now()
        try await database.transaction { db in
            let found = Set(try await db.raw("SELECT id FROM sessions WHERE id IN " + ChatLogSQL.list(ids)).all()
                .map { try $0.decode(column: "id", as: Int64.self) })
            let missing = ids.filter { !found.contains($0) }
            guard missing.isEmpty else {
                throw APIError(.dataNotFound, invalidParams: missing.map { ParamIssue(field: "ids", value: String($0)) })
            }
            for id in ids {
                try await SessionStore.announce(db, .sessionRemoved, sessionID: id, extra: ["deleted": 1], now: now)
            }
            try await db.raw("DELETE FROM messages WHERE session_id IN " + ChatLogSQL.list(ids)).run()
            try await db.raw("DELETE FROM sessions WHERE id IN " + ChatLogSQL.list(ids)).run()
        }
    }

    /// Deletes messages of sessions. An id that is no such message is `60001`; a message the hub
    /// wrote is `70084`; either way nothing is deleted.
    func deleteMessages(_ ids: [Int64]) async throws {
        try await database.transaction { db in
            let rows = try await db.raw("""
                SELECT id, direction, sender_type FROM messages WHERE session_id IS NOT NULL AND id IN
                """ + ChatLogSQL.list(ids)).all()
            var found = Set<Int64>()
            var system: [Int64] = []
            for row in rows {
                let id = try row.decode(column: "id", as: Int64.self)
                found.insert(id)
                if ChatLogRules.isSystemMessage(
                    direction: try row.decode(column: "direction", as: String.self), senderType: try row.decode(column: "sender_type", as: Int.self))
                {
                    system.append(id)
                }
            }
            let missing = ids.filter { !found.contains($0) }
            guard missing.isEmpty else {
                throw APIError(.dataNotFound, invalidParams: missing.map { ParamIssue(field: "ids", value: String($0)) })
            }
            guard system.isEmpty else {
                throw APIError(
                    .actionForbidden, invalidParams: system.sorted().map { ParamIssue(field: "ids", value: String($0)) },
                    detail: "messages sent by the system cannot be deleted")
            }
            try await db.raw("DELETE FROM messages WHERE id IN " + ChatLogSQL.list(ids)).run()
        }
    }
}
