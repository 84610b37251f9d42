import Foundation
import SQLKit
import SwitchboardCore

/// Writes outbound messages together with their outbox row, in the caller's transaction, so a
/// message is either not accepted at all or certain to be sent by the dispatcher.
public enum OutboundService {
    /// Who is sending (Yeastar `sender_type`/`sender_no`).
    public struct Sender: Sendable {
        public var type: Int
        public var number: String
        public var name: String

        public init(type: Int, number: String, name: String) {
            self.type = type
            self.number = number
            self.name = name
        }

        public static func `extension`(number: String, name: String) -> Sender { Sender(type: 1, number: number, name: name) }
        public static let api = Sender(type: 9, number: "api", name: "API")
    }

    /// What to send.
    public struct Content: Sendable {
        public var text: String = ""
        /// File_Info JSON array text, or "".
        public var files: String = ""
        public var kind: Int = 0
        public var whatsappParam: String = ""
        public var tag: String = ""
        public var requestID: String = ""
        public var campaignID: Int64?

        public init(text: String = "", files: String = "", kind: Int = 0, whatsappParam: String = "", tag: String = "", requestID: String = "", campaignID: Int64? = nil) {
            self.text = text
            self.files = files
            self.kind = kind
            self.whatsappParam = whatsappParam
            self.tag = tag
            self.requestID = requestID
            self.campaignID = campaignID
        }
    }

    /// Inserts the message (`delivery_status` 0) and its outbox row; returns the message id.
    public static func queue(
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
        let audience = try await sessionID.asyncMap { try await SessionStore.audience(db, sessionID: $0) } ?? []
        try await EventLog.append(db, .messageCreated, sessionID: sessionID, extensionIDs: audience, payload: .object(record), now: now)
        return messageID
    }
}
