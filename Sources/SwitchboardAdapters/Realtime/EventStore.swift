import Foundation
import SQLKit
import SwitchboardCore

/// One row of the event log, with the facts of its session that notifications carry.
public struct StoredEvent: Sendable, Equatable {
    public var seq: Int64
    public var type: Int
    public var sessionID: Int64?
    /// `,1,4,` style audience; empty = everyone with access.
    public var audience: String
    /// The stored payload text (JSON).
    public var payload: String
    public var createdAt: Int64
    public var session: NotificationSession?

    /// The payload as JSON (`null` when the stored text does not parse).
    public var payloadJSON: JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(payload.utf8))) ?? .null
    }

    /// The `msg` of Yeastar's envelope: the stored payload, enriched for 30031 (see `NewMessageNotification`).
    public var messageText: String {
        guard type == EventKind.newMessage.rawValue, case .object(let record) = payloadJSON else { return payload }
        return JSONValue.object(NewMessageNotification.payload(record: record, session: session)).serialized()
    }

    /// The envelope third-party platforms receive.
    public func envelope(serial: String, withSeq: Bool = false) -> String {
        EventEnvelope.render(type: type, serial: serial, messageText: messageText, seq: withSeq ? seq : nil)
    }
}

/// Reads the event log and the per-install serial (`sn`).
enum EventStore {
    /// Events with `seq` in `(after, upTo]`, oldest first, at most `limit`.
    static func load(_ db: any SQLDatabase, after: Int64, upTo: Int64 = .max, limit: Int = 500) async throws -> [StoredEvent] {
        try await db.raw("""
            SELECT e.seq, e.type, e.session_id, e.extension_ids, e.payload, e.created_at,
              s.channel_id, s.channel_type, s.did_number, s.customer, s.customer_name, s.customer_type, c.name AS channel_name
            FROM events e LEFT JOIN sessions s ON s.id = e.session_id LEFT JOIN message_channels c ON c.id = s.channel_id
            WHERE e.seq > \(bind: after) AND e.seq <= \(bind: upTo) ORDER BY e.seq LIMIT \(unsafeRaw: String(limit))
            """).all().map(decode)
    }

    /// One event by its sequence number.
    static func event(_ db: any SQLDatabase, seq: Int64) async throws -> StoredEvent? {
        try await load(db, after: seq - 1, upTo: seq, limit: 1).first
    }

    static func decode(_ row: any SQLRow) throws -> StoredEvent {
        var session: NotificationSession?
        if let channelID = try row.decode(column: "channel_id", as: Int64?.self) {
            session = NotificationSession(
                channelID: channelID, channelType: try row.decode(column: "channel_type", as: String?.self) ?? "",
                channelName: try row.decode(column: "channel_name", as: String?.self) ?? "",
                didNumber: try row.decode(column: "did_number", as: String?.self) ?? "",
                customer: try row.decode(column: "customer", as: String?.self) ?? "",
                customerName: try row.decode(column: "customer_name", as: String?.self) ?? "",
                customerType: try row.decode(column: "customer_type", as: Int?.self) ?? 0)
        }
        return StoredEvent(
            seq: try row.decode(column: "seq", as: Int64.self), type: try row.decode(column: "type", as: Int.self),
            sessionID: try row.decode(column: "session_id", as: Int64?.self),
            audience: try row.decode(column: "extension_ids", as: String.self),
            payload: try row.decode(column: "payload", as: String.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self), session: session)
    }

    /// The largest `seq` in the log (0 when empty).
    static func head(_ db: any SQLDatabase) async throws -> Int64 {
        try await db.raw("SELECT COALESCE(MAX(seq), 0) AS head FROM events").first()?.decode(column: "head", as: Int64.self) ?? 0
    }

    /// This install's serial, Yeastar's `sn`: 12 upper-case hex characters generated once and kept in `settings`.
    static func serial(_ database: Database) async throws -> String {
        let candidate = String(RandomToken.sha256Hex(UUID().uuidString).prefix(12)).uppercased()
        return try await database.transaction { db in
            try await db.raw("""
                INSERT INTO settings (key, value) VALUES ('install_serial', \(bind: candidate)) ON CONFLICT (key) DO NOTHING
                """).run()
            return try await db.raw("SELECT value FROM settings WHERE key = 'install_serial'").first()?
                .decode(column: "value", as: String.self) ?? candidate
        }
    }
}
