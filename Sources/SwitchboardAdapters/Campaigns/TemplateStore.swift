import AsyncHTTPClient
import Foundation
import SQLKit
import SwitchboardCore

/// WhatsApp message templates synced from each WhatsApp channel's Business Account
/// (`GET {graph}/{version}/{waba_id}/message_templates`, every page), kept per channel with
/// stable ids (`MSGTemplate_Info.id`) across refreshes.
struct TemplateStore: Sendable {
    let database: Database
    let channels: ChannelStore
    let http: HTTPClient
    let graph: GraphEndpoint
    let clock: any WallClock

    /// Re-reads the channel's templates from Graph and replaces the kept ones; returns how many are kept.
    /// `40002 omnichannel_id` for a channel that is not WhatsApp; `-1` with Graph's reason when Graph refuses.
    @discardableResult
    func sync(channelID: Int64) async throws -> Int {
        guard let channel = try await channels.channel(id: channelID), channel.account.type == ChannelType.whatsapp.rawValue else {
            throw APIError.invalid("omnichannel_id", "not_existed")
        }
        let account = channel.account
        guard let token = account.secret("access_token"), !account.businessAccountID.isEmpty else {
            throw APIError(.failure, detail: "the channel has no access_token or business_account_id")
        }
        var url: String? = graph.url("\(Self.businessAccount(account.businessAccountID))/message_templates?limit=100")
        var fetched: [JSONValue] = []
        var pages = 0
        while let next = url, pages < 50 {
            let answer = await callProvider(http, method: .GET, url: next, headers: ["Authorization": "Bearer \(token)"], timeout: .seconds(20), maxBody: 8 << 20)
            guard answer.status == 200, let body = answer.json else {
                let reason = answer.json?["error"]?["message"]?.stringValue ?? "no answer from the Graph API"
                try await record(channelID: channelID, error: reason)
                throw APIError(.failure, detail: "WhatsApp templates could not be read: \(reason)")
            }
            fetched += body["data"]?.arrayValue ?? []
            url = body["paging"]?["next"]?.stringValue
            pages += 1
            if fetched.count >= 2000 { break }
        }
        let kept = WhatsAppTemplateSync.select(fetched)
        let now = clock.now()
        try await database.transaction { db in
            let existing = try await db.raw("SELECT template_id FROM whatsapp_templates WHERE channel_id = \(bind: channelID)").all()
                .map { try $0.decode(column: "template_id", as: String.self) }
            let keptIDs = Set(kept.map(\.templateID))
            for gone in existing where !keptIDs.contains(gone) {
                try await db.raw("DELETE FROM whatsapp_templates WHERE channel_id = \(bind: channelID) AND template_id = \(bind: gone)").run()
            }
            for template in kept {
                try await db.raw("""
                    INSERT INTO whatsapp_templates (channel_id, template_id, name, language, category, sub_category, parameter_format, components, synced_at)
                    VALUES (\(bind: channelID), \(bind: template.templateID), \(bind: template.name), \(bind: template.language),
                      \(bind: template.category), \(bind: template.subCategory), \(bind: template.parameterFormat),
                      \(bind: template.components.serialized()), \(bind: now))
                    ON CONFLICT (channel_id, template_id) DO UPDATE SET name = excluded.name, language = excluded.language,
                      category = excluded.category, sub_category = excluded.sub_category, parameter_format = excluded.parameter_format,
                      components = excluded.components, synced_at = excluded.synced_at
                    """).run()
            }
            try await Self.mark(db, channelID: channelID, error: "", now: now)
        }
        return kept.count
    }

    private func record(channelID: Int64, error: String) async throws {
        let now = clock.now()
        try await database.run { db in try await Self.mark(db, channelID: channelID, error: error, now: now) }
    }

    private static func mark(_ db: any SQLDatabase, channelID: Int64, error: String, now: Int64) async throws {
        try await db.raw("""
            INSERT INTO whatsapp_template_syncs (channel_id, synced_at, error) VALUES (\(bind: channelID), \(bind: now), \(bind: error))
            ON CONFLICT (channel_id) DO UPDATE SET synced_at = excluded.synced_at, error = excluded.error
            """).run()
    }

    /// The WABA id as Graph knows it: the channel stores what the admin typed, which seed 000's example Base64-encodes.
    static func businessAccount(_ stored: String) -> String {
        if let bytes = Formats.decodeBase64(stored), !bytes.isEmpty, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        return stored
    }

    /// WhatsApp channels whose templates were last synced before `cutoff` (or never).
    func stale(before cutoff: Int64) async throws -> [Int64] {
        try await database.run { db in
            try await db.raw("""
                SELECT c.id FROM message_channels c LEFT JOIN whatsapp_template_syncs s ON s.channel_id = c.id
                WHERE c.type = 'whatsapp' AND (s.synced_at IS NULL OR s.synced_at < \(bind: cutoff)) ORDER BY c.id
                """).all().map { try $0.decode(column: "id", as: Int64.self) }
        }
    }

    /// `MSGTemplate_Info` (seed 002): `components_data` is the components' JSON text.
    static func render(_ row: any SQLRow) throws -> JSONObject {
        [
            "id": .int(try row.decode(column: "id", as: Int64.self)),
            "template_id": .string(try row.decode(column: "template_id", as: String.self)),
            "name": .string(try row.decode(column: "name", as: String.self)),
            "parameter_format": .string(try row.decode(column: "parameter_format", as: String.self)),
            "language": .string(try row.decode(column: "language", as: String.self)),
            "category": .string(try row.decode(column: "category", as: String.self)),
            "sub_category": .string(try row.decode(column: "sub_category", as: String.self)),
            "components_data": .string(try row.decode(column: "components", as: String.self)),
            "omnichannel_id": .int(try row.decode(column: "channel_id", as: Int64.self)),
        ]
    }

    /// The same check for `message/send`, only once the channel's templates were synced (before
    /// that the provider alone judges the template).
    static func checkIfSynced(_ db: any SQLDatabase, channelID: Int64, param: JSONValue, field: String) async throws -> [ParamIssue] {
        guard try await isSynced(db, channelID: channelID) else { return [] }
        return try await check(db, channelID: channelID, param: param, field: field)
    }

    /// Whether the channel's templates were read from Graph successfully at least once.
    static func isSynced(_ db: any SQLDatabase, channelID: Int64) async throws -> Bool {
        if try await db.raw("SELECT channel_id FROM whatsapp_template_syncs WHERE channel_id = \(bind: channelID) AND error = ''").first() != nil {
            return true
        }
        return try await db.raw("SELECT id FROM whatsapp_templates WHERE channel_id = \(bind: channelID)").first() != nil
    }

    /// Problems of a template parameter object against the channel's synced template, as `msg_param`
    /// issues whose `value` says what is wrong or missing.
    static func check(_ db: any SQLDatabase, channelID: Int64, param: JSONValue, field: String = "msg_param") async throws -> [ParamIssue] {
        var row: (any SQLRow)?
        if case .int(let id)? = param["id"] {
            row = try await db.raw("SELECT * FROM whatsapp_templates WHERE id = \(bind: id) AND channel_id = \(bind: channelID)").first()
        }
        if row == nil, let templateID = param["template_id"]?.stringValue {
            row = try await db.raw("""
                SELECT * FROM whatsapp_templates WHERE template_id = \(bind: templateID) AND channel_id = \(bind: channelID)
                """).first()
        }
        guard let row else {
            return [ParamIssue(field: field, validationType: "not_existed", value: "no synced template of this channel has that id or template_id")]
        }
        let template = SyncedTemplate(
            templateID: try row.decode(column: "template_id", as: String.self), name: try row.decode(column: "name", as: String.self),
            language: try row.decode(column: "language", as: String.self), category: try row.decode(column: "category", as: String.self),
            subCategory: try row.decode(column: "sub_category", as: String.self),
            parameterFormat: try row.decode(column: "parameter_format", as: String.self),
            components: SocketLoop.decodeJSON(try row.decode(column: "components", as: String.self)) ?? .array([]))
        return WhatsAppTemplateCheck.problems(param, against: template).map {
            ParamIssue(field: field, validationType: "invalid_value", value: $0)
        }
    }
}
