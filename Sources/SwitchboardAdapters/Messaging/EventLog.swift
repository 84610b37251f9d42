import Foundation
import SQLKit
import SwitchboardCore

/// The append-only event log: every state change of sessions and messages adds a row with a
/// monotonically increasing `seq`. Realtime clients read from it and resume from their last `seq`.
enum EventLog {
    /// Appends one event inside the caller's transaction; returns its sequence number.
    @discardableResult
    static func append(
        _ db: any SQLDatabase, _ kind: EventKind, sessionID: Int64?, extensionIDs: [Int64] = [], payload: JSONValue, now: Int64
    ) async throws -> Int64 {
        let audience = extensionIDs.isEmpty ? "" : "," + extensionIDs.map(String.init).joined(separator: ",") + ","
        let row = try await db.raw("""
            INSERT INTO events (type, session_id, extension_ids, payload, created_at)
            VALUES (\(bind: kind.rawValue), \(bind: sessionID), \(bind: audience), \(bind: payload.serialized()), \(bind: now))
            RETURNING seq
            """).first()
        try await EventWake.announce(on: db)
        return try row?.decode(column: "seq", as: Int64.self) ?? 0
    }
}

/// Per-number, per-UTC-day counters behind the channel statistics.
enum ChannelStats {
    enum Counter: String { case sent, delivered, failed, received }

    /// Rows per number and day that writers spread over (see `Schema.numberStatsShards`).
    static let shardCount = 16

    static func bump(_ db: any SQLDatabase, numberID: Int64?, _ counters: [Counter], at time: Int64) async throws {
        guard let numberID, !counters.isEmpty else { return }
        let day = (time >= 0 ? time / 86_400 : (time - 86_399) / 86_400) * 86_400
        let sets = counters.map { "\($0.rawValue) = channel_number_stats.\($0.rawValue) + 1" }.joined(separator: ", ")
        let columns = counters.map(\.rawValue).joined(separator: ", ")
        let ones = counters.map { _ in "1" }.joined(separator: ", ")
        try await db.raw("""
            INSERT INTO channel_number_stats (number_id, day, shard, \(unsafeRaw: columns))
            VALUES (\(bind: numberID), \(bind: day), \(bind: Int.random(in: 0..<shardCount)), \(unsafeRaw: ones))
            ON CONFLICT (number_id, day, shard) DO UPDATE SET \(unsafeRaw: sets)
            """).run()
    }
}

/// Renders message rows as Yeastar's `Msg_Record` (empty strings, never null, for absent values).
enum MessageRecords {
    static func render(_ row: any SQLRow) throws -> JSONObject {
        let senderType = try row.decode(column: "sender_type", as: Int.self)
        let senderNo = try row.decode(column: "sender_no", as: String.self)
        let senderName = try row.decode(column: "sender_name", as: String.self)
        let created = try row.decode(column: "created_at", as: Int64.self)
        return [
            "session_id": .int(try row.decode(column: "session_id", as: Int64?.self) ?? 0),
            "msg_id": .int(try row.decode(column: "id", as: Int64.self)),
            "delivery_status": .integer(try row.decode(column: "delivery_status", as: Int.self)),
            "sender": [
                "user_id": .int(try row.decode(column: "sender_user_id", as: Int64?.self) ?? 0),
                "user_no": .string(senderNo), "user_type": .integer(senderType), "avatar": "",
                "username": .string(senderName.isEmpty ? senderNo : senderName),
            ],
            "msg_type": .integer(try row.decode(column: "msg_type", as: Int.self)),
            "msg_body": .string(try row.decode(column: "body", as: String.self)),
            "msg_files": .string(try row.decode(column: "files", as: String.self)),
            "send_time": .int(created),
            "param": .string(try row.decode(column: "param", as: String.self)),
            "send_error": .string(try row.decode(column: "send_error", as: String.self)),
            "send_error_msg": .string(try row.decode(column: "send_error_msg", as: String.self)),
            "tag": .string(try row.decode(column: "tag", as: String.self)),
            "receive_time": .int(try row.decode(column: "received_at", as: Int64.self)),
            "whatsapp_msg_param": .string(try row.decode(column: "whatsapp_msg_param", as: String.self)),
            "msg_kind": .integer(try row.decode(column: "msg_kind", as: Int.self)),
        ]
    }

    /// The columns `render` reads, for SELECTs (`sender_user_id` is the extension id of agent senders).
    static let columns = """
        m.id, m.session_id, m.delivery_status, m.sender_type, m.sender_no, m.sender_name, m.msg_type, m.body, m.files,
        m.created_at, m.param, m.send_error, m.send_error_msg, m.tag, m.received_at, m.whatsapp_msg_param, m.msg_kind,
        CASE WHEN m.sender_type = 1 THEN (SELECT e.id FROM extensions e WHERE e.number = m.sender_no) ELSE NULL END AS sender_user_id
        """

    static func load(_ db: any SQLDatabase, id: Int64) async throws -> JSONObject? {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM messages m WHERE m.id = \(bind: id)").first().map(render)
    }
}
