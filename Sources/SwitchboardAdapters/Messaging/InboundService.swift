import Foundation
import Logging
import SQLKit
import SwitchboardCore

/// Stores what a verified webhook carried, in one transaction per message: de-duplicate on
/// (channel, provider message id), find or open the customer's session on that number (routed by
/// the number's rule), insert the message, count it, and log the events. Nothing is acknowledged
/// to the provider before this returns.
struct InboundService: Sendable {
    let database: Database
    let clock: any WallClock

    /// An inbound message for a number the channel does not have.
    struct UnknownNumber: Error { let number: String }

    /// Stores the messages; returns the ids of the messages newly stored (replays give none).
    @discardableResult
    func store(_ messages: [InboundMessage], account: ChannelAccount) async throws -> [Int64] {
        var stored: [Int64] = []
        for message in messages {
            if let id = try await store(message, account: account) { stored.append(id) }
        }
        return stored
    }

    private func store(_ message: InboundMessage, account: ChannelAccount) async throws -> Int64? {
        let now = clock.now()
        return try await database.transactionRetryingConflicts { db in
            let duplicate = try await db.raw("""
                SELECT id FROM messages WHERE channel_id = \(bind: account.channelID) AND inbound_key = \(bind: message.providerMessageID)
                """).first()
            if duplicate != nil { return nil }
            // A Live Chat channel has no numbers: its `channel_number` routes by the channel's own destination.
            let liveChat = account.type == ChannelType.livechat.rawValue
            guard let number = try await db.raw(liveChat ? """
                SELECT NULL AS id, COALESCE(destination_type, 'api') AS destination_type, destination_id FROM message_channels
                WHERE id = \(bind: account.channelID) AND channel_number = \(bind: message.to)
                """ : """
                SELECT id, destination_type, destination_id FROM channel_numbers
                WHERE channel_id = \(bind: account.channelID) AND did_number = \(bind: message.to)
                """).first()
            else { throw UnknownNumber(number: message.to) }
            let numberID = try number.decode(column: "id", as: Int64?.self)
            let route = SessionRoute(
                destinationType: try number.decode(column: "destination_type", as: String.self),
                destinationID: try number.decode(column: "destination_id", as: Int64?.self))
            let session = try await SessionStore.openSession(
                db, account: account, numberID: numberID, did: message.to, customer: message.from,
                customerName: message.senderName, route: route, now: now)
            let files = message.media.isEmpty ? "" : JSONValue.array(message.media.map { media in
                ["id": "", "name": .string(media.url.split(separator: "/").last.map(String.init) ?? "file"), "uri": .string(media.url),
                 "type": .string(media.contentType ?? ""), "size": .int(media.size ?? 0)]
            }).serialized()
            let messageID = try await insertReturningID(db, """
                INSERT INTO messages (session_id, channel_id, direction, sender_type, sender_no, sender_name, recipient, msg_type,
                  body, files, delivery_status, provider_message_id, inbound_key, created_at, received_at)
                VALUES (\(bind: session.id), \(bind: account.channelID), 'in', \(bind: CustomerType.forChannelType(account.type)),
                  \(bind: message.from), \(bind: message.senderName), \(bind: message.to), 0, \(bind: message.text), \(bind: files), 1,
                  \(bind: message.providerMessageID), \(bind: message.providerMessageID), \(bind: message.receivedAt), \(bind: now))
                """)
            // Live Chat visitors upload into our file store: there is nothing to download.
            for (position, media) in message.media.enumerated() where !liveChat {
                try await db.raw("""
                    INSERT INTO media_downloads (message_id, position, url, content_type, due_at)
                    VALUES (\(bind: messageID), \(bind: position), \(bind: media.url), \(bind: media.contentType ?? ""), \(bind: now))
                    """).run()
            }
            try await db.raw("""
                UPDATE sessions SET last_active_at = \(bind: now), last_inbound_at = \(bind: now), last_msg_id = \(bind: messageID)
                WHERE id = \(bind: session.id)
                """).run()
            let record = try await MessageRecords.load(db, id: messageID) ?? [:]
            try await EventLog.append(
                db, .messageCreated, sessionID: session.id, extensionIDs: try await SessionStore.audience(db, sessionID: session.id),
                payload: .object(record), now: now)
            if route.destinationType == "api" {
                try await EventLog.append(db, .newMessage, sessionID: session.id, payload: .object(record), now: now)
            }
            // Last, so the (sharded) counter row stays locked for as short a time as possible.
            try await ChannelStats.bump(db, numberID: numberID, [.received], at: now)
            return messageID
        }
    }

    /// Applies delivery reports to the messages they name (unknown ids are ignored: they may be
    /// reports on messages sent before this hub, or by another system on the same account).
    func apply(_ reports: [DeliveryReport], account: ChannelAccount) async throws {
        let now = clock.now()
        for report in reports {
            try await database.transaction { db in
                guard let row = try await db.raw("""
                    SELECT m.id, m.session_id, m.delivery_status, m.sender_type, m.read_at, s.number_id
                    FROM messages m LEFT JOIN sessions s ON s.id = m.session_id
                    WHERE m.channel_id = \(bind: account.channelID) AND m.provider_message_id = \(bind: report.providerMessageID)
                      AND m.direction = 'out'
                    """).first()
                else { return }
                let id = try row.decode(column: "id", as: Int64.self)
                let previous = try row.decode(column: "delivery_status", as: Int.self)
                switch report.state {
                case .failed(let failure):
                    guard previous != 2 else { return }
                    try await db.raw("""
                        UPDATE messages SET delivery_status = 2, send_error = \(bind: failure.kind.rawValue),
                          send_error_msg = \(bind: failure.providerMessage) WHERE id = \(bind: id)
                        """).run()
                    try await ChannelStats.bump(db, numberID: try row.decode(column: "number_id", as: Int64?.self), [.failed], at: now)
                case .sent, .delivered:
                    guard previous == 0 else { return }
                    try await db.raw("UPDATE messages SET delivery_status = 1 WHERE id = \(bind: id)").run()
                case .read:
                    // The first read report only: providers repeat them, and a read implies delivery.
                    guard try row.decode(column: "read_at", as: Int64?.self) == nil else { return }
                    try await db.raw("""
                        UPDATE messages SET read_at = \(bind: now), delivery_status = \(bind: previous == 0 ? 1 : previous)
                        WHERE id = \(bind: id)
                        """).run()
                }
                let sessionID = try row.decode(column: "session_id", as: Int64?.self)
                let record = try await MessageRecords.load(db, id: id) ?? [:]
                try await EventLog.append(db, .messageUpdated, sessionID: sessionID, payload: .object(record), now: now)
                if report.state == .read, try row.decode(column: "sender_type", as: Int.self) == OutboundService.Sender.api.type {
                    // 30038 as reference §8.4 shows it: only for messages the third-party platform sent.
                    let receipt: JSONValue = [
                        "data": ["session_id": .int(sessionID ?? 0), "read_msg_id": .int(id), "user_id": 0, "read_time": .int(now)],
                    ]
                    try await EventLog.append(db, .readReceipt, sessionID: sessionID, payload: receipt, now: now)
                }
            }
        }
    }
}
