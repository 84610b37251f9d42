import Foundation
import SQLKit
import SwitchboardCore

/// The values of each portal section's Mustache page. Pages only read; every change goes through
/// the JSON bridge (`PortalBridge`) so the OpenAPI handlers validate it.
struct PortalPages: Sendable {
    let database: Database
    let clock: any WallClock
    let channels: ChannelContext

    /// Adds `section`'s values (`is_<section>` plus its lists) to `values`.
    func fill(_ section: String, query: [String: String], into values: inout [String: Any]) async throws {
        values["is_" + section.replacingOccurrences(of: "-", with: "_")] = true
        switch section {
        case "channels":
            let range = StatsRange(rawValue: query["range"] ?? "") ?? .today
            values["channels"] = try await PortalChannelList(database: database, clock: clock, context: channels).rows(range: range)
            values["ranges"] = StatsRange.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0 == range] as [String: Any] }
            values["providers"] = ChannelProvider.creatable.filter { $0.type == .sms }.map(Self.provider)
            values["metaProviders"] = [ChannelProvider.whatsapp, .facebook].map(Self.provider)
            values["weekdays"] = Self.weekdays
            values["utcOffsets"] = Self.utcOffsets
            fallthrough
        case "queues":
            values["queues"] = try await rows("SELECT id, name, assignment_mode, (SELECT COUNT(*) FROM message_queue_members m WHERE m.queue_id = q.id) AS members FROM message_queues q ORDER BY id", ["id", "name", "assignment_mode"], counts: ["members"])
            values["extensions"] = try await extensions()
            values["modes"] = AssignmentMode.allCases.map { ["value": $0.rawValue, "label": Self.modeLabel($0)] }
        case "directory":
            values["extensions"] = try await extensions()
            values["groups"] = try await rows("SELECT id, name FROM extension_groups ORDER BY id", ["id", "name"])
            values["organizations"] = try await rows("SELECT id, name FROM organizations ORDER BY id", ["id", "name"])
            values["phonebooks"] = try await rows("SELECT id, name FROM phonebooks ORDER BY id", ["id", "name"])
            values["contacts"] = try await rows("SELECT id, first_name, last_name, company FROM company_contacts ORDER BY id LIMIT 500", ["id", "first_name", "last_name", "company"])
        case "campaigns":
            try await PortalCampaignList(database: database).fill(into: &values)
            values["extensions"] = try await extensions()
            values["queues"] = try await rows("SELECT id, name FROM message_queues ORDER BY id", ["id", "name"])
            values["phonebooks"] = try await rows("SELECT id, name FROM phonebooks ORDER BY id", ["id", "name"])
        case "api":
            values["clients"] = try await rows("SELECT client_id FROM api_clients ORDER BY id", ["client_id"])
            values["eventKinds"] = EventKind.allCases.map { ["value": $0.rawValue, "label": "\($0)"] as [String: Any] }
            values["webhooks"] = try await rows("SELECT id, url, method, events FROM event_webhooks ORDER BY id", ["id", "url", "method", "events"])
                .map { row in
                    var row = row
                    let events = EventSelection.decode(row["events"] as? String ?? "")
                    row["events"] = events.isEmpty ? nil : events.map(String.init).joined(separator: ", ")
                    return row
                }
        case "chat-logs":
            try await PortalChatLogs(database: database).fill(into: &values)
        case "email":
            try await PortalEmailPage(email: channels.email).fill(into: &values)
        default:
            values["placeholder"] = true
        }
    }

    /// The Live Chat office-hours form's rows, in `BusinessHours`' day names.
    static let weekdays: [[String: String]] = zip(BusinessHours.weekdayNames,
        ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]).map { ["key": $0.0, "label": $0.1] }

    /// Time zones as `utc_offset` minutes, every half hour from UTC-12:00 to UTC+14:00.
    static let utcOffsets: [[String: String]] = stride(from: -12 * 60, through: 14 * 60, by: 30).map { minutes in
        let sign = minutes < 0 ? "-" : "+", magnitude = abs(minutes)
        return ["value": String(minutes), "label": String(format: "UTC%@%02d:%02d", sign, magnitude / 60, magnitude % 60)]
    }

    static func provider(_ provider: ChannelProvider) -> [String: Any] {
        [
            "value": provider.rawValue, "label": providerLabel(provider),
            "keys": provider.authKeys.map { key -> [String: Any] in
                ["name": key.name, "label": key.name.replacingOccurrences(of: "_", with: " ").capitalized, "required": key.required,
                 "kind": key.kind == .base64Secret ? "base64" : key.kind == .url ? "url" : "plain", "secret": key.kind == .base64Secret]
            },
        ]
    }

    static func providerLabel(_ provider: ChannelProvider) -> String {
        switch provider {
        case .general: "General SMS API"
        case .siptrunk: "SIP Trunk.com"
        case .voicemeup: "VoiceMeUp"
        case .ixica: "IXICA"
        case .whatsapp: "WhatsApp"
        case .facebook: "Facebook Messenger"
        case .livechat: "Live Chat"
        default: provider.rawValue.capitalized
        }
    }

    static func modeLabel(_ mode: AssignmentMode) -> String {
        switch mode {
        case .manual: "Manual Pickup"
        case .auto: "Auto-Pickup"
        case .none: "Disable Pickup"
        }
    }

    private func extensions() async throws -> [[String: Any]] {
        try await rows("SELECT id, number, first_name, last_name FROM extensions ORDER BY number", ["id", "number", "first_name", "last_name"])
    }

    /// Rows as dictionaries: `columns` decoded as text (ids as numbers), `counts` as integers.
    private func rows(_ sql: String, _ columns: [String], counts: [String] = []) async throws -> [[String: Any]] {
        let found = try await database.run { db in try await db.raw(SQLQueryString(sql)).all() }
        return try found.map { row in
            var item: [String: Any] = [:]
            for column in columns {
                if column == "id" {
                    item[column] = try row.decode(column: column, as: Int64.self)
                } else {
                    item[column] = try row.decode(column: column, as: String?.self) ?? ""
                }
            }
            for column in counts { item[column] = try row.decode(column: column, as: Int64.self) }
            return item
        }
    }
}

/// The Messaging Statistics time filter of seed 003.
enum StatsRange: String, CaseIterable, Sendable {
    case today, yesterday, week = "last7", month = "last30", all

    var label: String {
        switch self {
        case .today: "Today"
        case .yesterday: "Yesterday"
        case .week: "Last 7 days"
        case .month: "Last 30 days"
        case .all: "All time"
        }
    }

    /// `[from, to)` in Unix seconds (UTC days).
    func bounds(now: Int64) -> (Int64, Int64) {
        let day: Int64 = 86400, midnight = now - now % day
        switch self {
        case .today: return (midnight, Int64.max)
        case .yesterday: return (midnight - day, midnight)
        case .week: return (midnight - 6 * day, Int64.max)
        case .month: return (midnight - 29 * day, Int64.max)
        case .all: return (0, Int64.max)
        }
    }
}
