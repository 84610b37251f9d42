import SQLKit
import SwitchboardCore

/// The values of the portal's External chat logs page: the channel types of its filter and the
/// channel numbers it suggests (any number can still be typed: sessions outlive their channels).
/// The sessions themselves are fetched by the page through the bridge (`chat_log/search`).
struct PortalChatLogs: Sendable {
    let database: Database

    func fill(into values: inout [String: Any]) async throws {
        values["chatLogTypes"] = ChannelType.allCases.map { ["value": $0.rawValue, "label": ChatLogRules.channelTypeName($0.rawValue)] }
        let rows = try await database.run { db in
            try await db.raw("""
                SELECT n.did_number, c.name FROM channel_numbers n JOIN message_channels c ON c.id = n.channel_id ORDER BY n.did_number
                """).all()
        }
        values["chatLogNumbers"] = try rows.map { row -> [String: Any] in
            ["did_number": try row.decode(column: "did_number", as: String.self), "name": try row.decode(column: "name", as: String.self)]
        }
    }
}
