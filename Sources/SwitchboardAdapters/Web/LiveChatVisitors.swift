import Foundation
import HTTPTypes
import Hummingbird
import SQLKit
import SwitchboardCore

/// A Live Chat channel as the widget needs it: its id, number, website domain, destination and settings.
struct LiveChatSite: Sendable {
    var channelID: Int64
    var channelNumber: String
    var name: String
    var websiteDomain: String
    var destinationType: DestinationType?
    var destinationID: Int64?
    var settings: JSONObject

    func text(_ key: String) -> String { settings[key]?.stringValue ?? "" }
    func flag(_ key: String) -> Bool { settings[key] == 1 }
    var messageType: Int64 { if case .int(let value)? = settings["message_type"] { value } else { 1 } }
    var preChatFields: [String] { settings["pre_chat_fields"]?.arrayValue?.compactMap(\.stringValue) ?? ["name"] }

    static func load(_ db: any SQLDatabase, channelNumber: String) async throws -> LiveChatSite? {
        guard let row = try await db.raw("""
            SELECT id, name, channel_number, website_domain, destination_type, destination_id, settings FROM message_channels
            WHERE type = 'livechat' AND channel_number = \(bind: channelNumber)
            """).first()
        else { return nil }
        return LiveChatSite(
            channelID: try row.decode(column: "id", as: Int64.self), channelNumber: channelNumber,
            name: try row.decode(column: "name", as: String.self), websiteDomain: try row.decode(column: "website_domain", as: String.self),
            destinationType: try row.decode(column: "destination_type", as: String?.self).flatMap(DestinationType.init(rawValue:)),
            destinationID: try row.decode(column: "destination_id", as: Int64?.self),
            settings: try LiveChatController.decodeSettings(try row.decode(column: "settings", as: String.self)))
    }

    /// The greeting a visitor opening the chat now gets (business hours, destination, presence).
    func greeting(_ db: any SQLDatabase, now: Int64) async throws -> LiveChatGreeting {
        let hours = try await LiveChatHoursStore.load(db, channelID: channelID)
        var signedIn = false
        var presence: PresenceStatus?
        if destinationType == .extension, let id = destinationID {
            signedIn = try await db.raw("""
                SELECT 1 AS n FROM inbox_sessions WHERE extension_id = \(bind: id) AND expires_at > \(bind: now)
                """).first() != nil
            let row = try await db.raw("SELECT presence_status FROM extensions WHERE id = \(bind: id)").first()
            let text: String? = try row?.decode(column: "presence_status", as: String.self)
            presence = text.flatMap(PresenceStatus.init(rawValue:))
        }
        return LiveChatGreeting.choose(
            withinBusinessHours: hours.isOpen(at: now), destination: destinationType, agentSignedIn: signedIn, presence: presence)
    }
}

/// A visitor of a Live Chat channel, known by the token their widget keeps.
struct LiveChatVisitor: Sendable {
    /// The customer id of their sessions (`visitor-…`).
    var id: String
    var name: String

    static func register(_ db: any SQLDatabase, site: LiveChatSite, name: String, email: String, phone: String, now: Int64) async throws -> (token: String, visitor: LiveChatVisitor) {
        let token = RandomToken.alphanumeric(43)
        let id = "visitor-" + RandomToken.alphanumeric(16).lowercased()
        try await db.raw("""
            INSERT INTO livechat_visitors (token_hash, channel_id, visitor, name, email, phone, created_at)
            VALUES (\(bind: RandomToken.sha256Hex(token)), \(bind: site.channelID), \(bind: id), \(bind: name), \(bind: email), \(bind: phone), \(bind: now))
            """).run()
        return (token, LiveChatVisitor(id: id, name: name))
    }

    /// The visitor a request's `X-Visitor-Token` names on `site`, or nil.
    static func find(_ db: any SQLDatabase, request: Request, site: LiveChatSite) async throws -> LiveChatVisitor? {
        guard let token = request.headers[HTTPField.Name("X-Visitor-Token")!], !token.isEmpty else { return nil }
        return try await db.raw("""
            SELECT visitor, name FROM livechat_visitors WHERE token_hash = \(bind: RandomToken.sha256Hex(token)) AND channel_id = \(bind: site.channelID)
            """).first().map { LiveChatVisitor(id: try $0.decode(column: "visitor", as: String.self), name: try $0.decode(column: "name", as: String.self)) }
    }

    /// The visitor's open session on the channel, if any.
    func openSession(_ db: any SQLDatabase, site: LiveChatSite) async throws -> Int64? {
        try await db.raw("""
            SELECT id FROM sessions WHERE channel_id = \(bind: site.channelID) AND customer = \(bind: id) AND closed_at IS NULL
            """).first()?.decode(column: "id", as: Int64.self)
    }

    var acting: Acting { Acting(actor: .administrator, userType: CustomerType.forChannelType("livechat"), number: id, name: name.isEmpty ? "Website Visitor" : name) }
}

/// Office hours of Live Chat channels (`livechat_hours`) and their OpenAPI endpoints:
/// `GET message_channel/livechat_hours?id=` and `POST message_channel/livechat_hours`
/// `{"id", "utc_offset", "hours": [{"day","start","end"}], "holidays": ["YYYY-MM-DD"]}` (ours).
enum LiveChatHoursStore {
    static func load(_ db: any SQLDatabase, channelID: Int64) async throws -> BusinessHours {
        guard let text = try await db.raw("SELECT hours FROM livechat_hours WHERE channel_id = \(bind: channelID)").first()?
            .decode(column: "hours", as: String.self),
            let json = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)), let object = json.objectValue
        else { return BusinessHours() }
        var reader = FieldReader(object)
        return BusinessHours.read(&reader)
    }

    static func addRoutes(to group: RouterGroup<AppRequestContext>, database: Database, clock: any WallClock) {
        group.get("message_channel/livechat_hours") { request, _ in
            var reader = request.queryReader
            let id = reader.id("id", required: true)
            try reader.finish()
            let hours = try await database.run { db in
                _ = try await LiveChatController.liveChatRow(id!, db: db)
                return try await load(db, channelID: id!)
            }
            return JSONResponse.success(["data": hours.json])
        }
        group.post("message_channel/livechat_hours") { request, context in
            var request = request
            var reader = FieldReader(try await request.jsonObject(context: context))
            let id = reader.id("id", required: true)
            let hours = BusinessHours.read(&reader)
            try reader.finish()
            let now = clock.now()
            try await database.transaction { db in
                _ = try await LiveChatController.liveChatRow(id!, db: db)
                try await db.raw("""
                    INSERT INTO livechat_hours (channel_id, hours, updated_at) VALUES (\(bind: id!), \(bind: hours.json.serialized()), \(bind: now))
                    ON CONFLICT (channel_id) DO UPDATE SET hours = excluded.hours, updated_at = excluded.updated_at
                    """).run()
            }
            return JSONResponse.success()
        }
    }
}
