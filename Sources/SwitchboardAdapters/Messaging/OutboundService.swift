import Foundation
import SQLKit
import SwitchboardCore

/// Writes outbound messages together with their outbox row, in the caller's transaction, so a
/// message is either not accepted at all or certain to be sent by the dispatcher.
enum OutboundService {
    /// Who is sending (Yeastar `sender_type`/`sender_no`).
    struct Sender: Sendable {
        var type: Int
        var number: String
        var name: String

        static func `extension`(number: String, name: String) -> Sender { Sender(type: 1, number: number, name: name) }
        static let api = Sender(type: 9, number: "api", name: "API")
    }

    /// What to send.
    struct Content: Sendable {
        var text: String = ""
        /// File_Info JSON array text, or "".
        var files: String = ""
        var kind: Int = 0
        var whatsappParam: String = ""
        var tag: String = ""
        var requestID: String = ""
        var campaignID: Int64?
    }

    /// Inserts the message (`delivery_status` 0) and its outbox row; returns the message id.
    static func queue(
        _ db: any SQLDatabase, channelID: Int64, sessionID: Int64?, recipient: String, sender: Sender, content: Content, now: Int64
    ) async throws -> Int64 {
        let messageID = try await insertReturningID(db, """
            INSERT INTO messages (session_id, channel_id, direction, sender_type, sender_no, sender_name, recipient, msg_type,
              msg_kind, body, files, whatsapp_msg_param, tag, delivery_status, request_id, campaign_id, created_at, received_at)
            VALUES (\(bind: sessionID), \(bind: channelID), 'out', \(bind: sender.type), \(bind: sender.number), \(bind: sender.name),
              \(bind: recipient), 0, \(bind: content.kind), \(bind: content.text), \(bind: content.files), \(bind: content.whatsappParam),
              \(bind: content.tag), 0, \(bind: content.requestID), \(bind: content.campaignID), \(bind: now), \(bind: now))
            """)
        try await db.raw("""
            INSERT INTO outbox (message_id, channel_id, status, attempts, due_at, created_at)
            VALUES (\(bind: messageID), \(bind: channelID), 'pending', 0, \(bind: now * 1_000_000), \(bind: now))
            """).run()
        if let sessionID {
            try await db.raw("UPDATE sessions SET last_active_at = \(bind: now), last_msg_id = \(bind: messageID) WHERE id = \(bind: sessionID)").run()
        }
        let record = try await MessageRecords.load(db, id: messageID) ?? [:]
        try await EventLog.append(db, .messageCreated, sessionID: sessionID, payload: .object(record), now: now)
        return messageID
    }
}
