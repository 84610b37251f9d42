import Foundation
import SQLKit
import SwitchboardCore

/// Reads channels as the messaging pipelines need them: by webhook id or id, credentials opened.
struct ChannelStore: Sendable {
    let context: ChannelContext

    /// A channel as the pipelines see it.
    struct Channel: Sendable {
        var account: ChannelAccount
        var sendRate: Int
        var webhookGID: String
    }

    func channel(webhookGID gid: String) async throws -> Channel? {
        try await load(SQLQueryString("SELECT * FROM message_channels WHERE webhook_gid = \(bind: gid)"))
    }

    func channel(id: Int64) async throws -> Channel? {
        try await load(SQLQueryString("SELECT * FROM message_channels WHERE id = \(bind: id)"))
    }

    /// Every channel, or those of `providers` (for the connectivity checker).
    func channels(providers: [String]?) async throws -> [Channel] {
        let rows = try await context.database.run { db in try await db.raw("SELECT * FROM message_channels ORDER BY id").all() }
        return try rows.map { try decode($0) }.filter { providers?.contains($0.account.provider) ?? true }
    }

    private func load(_ query: SQLQueryString) async throws -> Channel? {
        let row = try await context.database.run { db in try await db.raw(query).first() }
        return try row.flatMap { try decode($0) }
    }

    private func decode(_ row: any SQLRow) throws -> Channel {
        let provider = try row.decode(column: "provider", as: String.self)
        let type = try row.decode(column: "type", as: String.self)
        let gid = try row.decode(column: "webhook_gid", as: String.self)
        let sealed = try row.decode(column: "credentials", as: String.self)
        var credentials: [String: String] = [:]
        if !sealed.isEmpty {
            let plain = try context.secrets.open(sealed)
            for item in (try? JSONDecoder().decode(JSONValue.self, from: Data(plain.utf8)))?.arrayValue ?? [] {
                if let key = item["k"]?.stringValue { credentials[key] = item["v"]?.stringValue ?? "" }
            }
        }
        let urlType = WebhookURLType(rawValue: try row.decode(column: "webhook_url_type", as: String.self)) ?? .nat
        let account = ChannelAccount(
            channelID: try row.decode(column: "id", as: Int64.self), provider: provider, type: type, credentials: credentials,
            phoneNumberID: try row.decode(column: "phone_number_id", as: String.self),
            businessAccountID: try row.decode(column: "business_account_id", as: String.self),
            verifyToken: try row.decode(column: "verify_token", as: String.self),
            accompanyingMessage: try row.decode(column: "accompanying_msg", as: String.self),
            webhookURL: context.webhookURL(type: urlType, provider: provider, gid: gid))
        let rate = try row.decode(column: "send_rate", as: Int64?.self).map { Int($0) } ?? 0
        return Channel(account: account, sendRate: rate > 0 ? rate : defaultSendRate(channelType: type), webhookGID: gid)
    }

    /// Records a connectivity result as the channel's `status`/`reason`; true when it changed.
    func record(_ connectivity: ChannelConnectivity, channelID: Int64) async throws -> Bool {
        try await context.database.run { db in
            let row = try await db.raw("SELECT status, reason FROM message_channels WHERE id = \(bind: channelID)").first()
            let status = try row?.decode(column: "status", as: String.self)
            let reason = try row?.decode(column: "reason", as: String.self)
            guard status != connectivity.status || reason != connectivity.reason else { return false }
            try await db.raw("""
                UPDATE message_channels SET status = \(bind: connectivity.status), reason = \(bind: connectivity.reason)
                WHERE id = \(bind: channelID)
                """).run()
            return true
        }
    }
}
