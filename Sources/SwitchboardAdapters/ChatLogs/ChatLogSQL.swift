import Foundation
import SQLKit
import SwitchboardCore

/// The SQL behind the chat log: a session with the facts its row shows (who started it, its owner
/// and queue), the WHERE clause of a `ChatLogFilter`, and decoding into the Core records.
/// Messages without a session (campaign messages sent in `direct` mode) never match: every query
/// starts from sessions or requires `session_id`.
enum ChatLogSQL {
    /// Columns of a session row. The owner's columns keep their own names so `Acting.displayName` reads them.
    static let sessionColumns = """
        s.id, s.created_at, s.last_active_at, s.closed_at, s.channel_type, s.did_number, s.customer, s.customer_name,
        op.actor_type AS creator_type, op.actor_no AS creator_no, op.actor_name AS creator_name,
        e.number, e.caller_id_name, e.first_name, e.last_name, q.name AS queue_name
        """

    /// Sessions with their first timeline entry (`created`), owner and queue.
    static let sessionJoins = """
        LEFT JOIN session_operations op ON op.id = (SELECT MIN(o.id) FROM session_operations o WHERE o.session_id = s.id)
        LEFT JOIN extensions e ON e.id = s.owner_extension_id
        LEFT JOIN message_queues q ON q.id = s.queue_id
        """

    static let messageColumns = """
        m.id, m.session_id, m.created_at, m.direction, m.sender_type, m.sender_no, m.sender_name, m.msg_type, m.body,
        m.files, m.whatsapp_msg_param, m.delivery_status
        """

    /// Whether the filter reads the joined columns (sender and recipient do); counting skips the joins otherwise.
    static func needsJoins(_ filter: ChatLogFilter) -> Bool { !filter.sender.isEmpty || !filter.recipient.isEmpty }

    private static let hubStarted = "op.actor_type IN (0, 1, 9)"
    private static let customerText = "LOWER(s.customer_name || '<' || s.customer || '>')"

    /// The conditions of `filter` on `s` (and, for sender/recipient, on the joins), ANDed, with a
    /// leading space to follow `WHERE`/`AND`; `1 = 1` for none.
    static func conditions(_ filter: ChatLogFilter) -> SQLQueryString {
        var parts: [SQLQueryString] = []
        if let start = filter.startTime { parts.append("s.last_active_at >= \(bind: start)") }
        if let end = filter.endTime { parts.append("s.created_at <= \(bind: end)") }
        if !filter.sender.isEmpty {
            let pattern = ChatLogFilter.containsPattern(filter.sender)
            parts.append("""
                (CASE WHEN \(unsafeRaw: hubStarted) THEN LOWER(op.actor_name || '<' || op.actor_no || '>')
                  ELSE \(unsafeRaw: customerText) END) LIKE \(bind: pattern) ESCAPE '\\'
                """)
        }
        if !filter.recipient.isEmpty {
            let pattern = ChatLogFilter.containsPattern(filter.recipient)
            parts.append("""
                (CASE WHEN \(unsafeRaw: hubStarted) THEN \(unsafeRaw: customerText)
                  WHEN e.id IS NOT NULL THEN LOWER(e.caller_id_name || ' ' || e.first_name || ' ' || e.last_name || '<' || e.number || '>')
                  WHEN q.id IS NOT NULL THEN LOWER(q.name)
                  ELSE \(bind: ChatLogRules.platformName.lowercased()) END) LIKE \(bind: pattern) ESCAPE '\\'
                """)
        }
        if let type = filter.channelType { parts.append("s.channel_type = \(bind: type.rawValue)") }
        if !filter.channelNumber.isEmpty { parts.append("s.did_number = \(bind: filter.channelNumber)") }
        if let closed = filter.closed { parts.append(closed ? "s.closed_at IS NOT NULL" : "s.closed_at IS NULL") }
        if let id = filter.sessionID { parts.append("s.id = \(bind: id)") }
        guard var sql = parts.first else { return " 1 = 1" }
        for part in parts.dropFirst() { sql = sql + " AND " + part }
        return " " + sql
    }

    /// ` (1,2,3)` for a list of ids (integers only, so they are written inline).
    static func list(_ ids: [Int64]) -> SQLQueryString {
        SQLQueryString(" (" + ids.map(String.init).joined(separator: ",") + ")")
    }

    static func session(_ row: any SQLRow) throws -> ChatLogSession {
        let ownerNumber = try row.decode(column: "number", as: String?.self)
        return ChatLogSession(
            id: try row.decode(column: "id", as: Int64.self), createdAt: try row.decode(column: "created_at", as: Int64.self),
            lastActiveAt: try row.decode(column: "last_active_at", as: Int64.self),
            closedAt: try row.decode(column: "closed_at", as: Int64?.self),
            channelType: try row.decode(column: "channel_type", as: String.self),
            channelNumber: try row.decode(column: "did_number", as: String.self),
            customer: try row.decode(column: "customer", as: String.self),
            customerName: try row.decode(column: "customer_name", as: String.self),
            creatorType: try row.decode(column: "creator_type", as: Int?.self),
            creatorNumber: try row.decode(column: "creator_no", as: String?.self) ?? "",
            creatorName: try row.decode(column: "creator_name", as: String?.self) ?? "",
            ownerName: ownerNumber == nil ? nil : try Acting.displayName(row), ownerNumber: ownerNumber,
            queueName: try row.decode(column: "queue_name", as: String?.self))
    }

    static func message(_ row: any SQLRow) throws -> ChatLogMessage {
        ChatLogMessage(
            id: try row.decode(column: "id", as: Int64.self), sessionID: try row.decode(column: "session_id", as: Int64.self),
            time: try row.decode(column: "created_at", as: Int64.self), direction: try row.decode(column: "direction", as: String.self),
            senderType: try row.decode(column: "sender_type", as: Int.self), senderNumber: try row.decode(column: "sender_no", as: String.self),
            senderName: try row.decode(column: "sender_name", as: String.self), msgType: try row.decode(column: "msg_type", as: Int.self),
            body: try row.decode(column: "body", as: String.self), files: files(try row.decode(column: "files", as: String.self)),
            templateParam: try row.decode(column: "whatsapp_msg_param", as: String.self),
            deliveryStatus: try row.decode(column: "delivery_status", as: Int.self))
    }

    /// The names and links of a File_Info JSON array (empty text: none).
    static func files(_ text: String) -> [(name: String, uri: String)] {
        guard !text.isEmpty, let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)), let items = value.arrayValue else { return [] }
        return items.map { (name: $0["name"]?.stringValue ?? "", uri: $0["uri"]?.stringValue ?? "") }
    }
}
