import Foundation
import SQLKit
import SwitchboardCore

/// The Campaigns page's values: every campaign as the list shows it (`MSGCampaign_Info` plus its
/// progress), and what the create form offers — SMS and WhatsApp channels with their numbers,
/// phonebooks, number types, extensions and queues to assign sessions to.
struct PortalCampaignList: Sendable {
    let database: Database

    /// Statuses during which the page polls the campaign and shows a progress bar.
    static let live: Set<String> = ["pending", "executing", "retrying"]

    func fill(into values: inout [String: Any]) async throws {
        let (found, channels, numbers) = try await database.run { db in
            let rows = try await db.raw(SQLQueryString(CampaignViews.select) + SQLQueryString(" ORDER BY c.id DESC")).all()
            var found: [(any SQLRow, CampaignTally)] = []
            for row in rows {
                found.append((row, try await CampaignViews.tally(db, campaignID: try row.decode(column: "id", as: Int64.self))))
            }
            return (found,
                    try await db.raw("SELECT id, name, type FROM message_channels WHERE type IN ('sms', 'whatsapp') ORDER BY id").all(),
                    try await db.raw("SELECT id, channel_id, did_number FROM channel_numbers ORDER BY channel_id, position").all())
        }
        let campaigns = try found.map { try Self.row($0.0, tally: $0.1) }
        values["campaigns"] = campaigns
        values["campaignChannels"] = try channels.map { row -> [String: Any] in
            ["id": try row.decode(column: "id", as: Int64.self), "name": try row.decode(column: "name", as: String.self),
             "type": try row.decode(column: "type", as: String.self)]
        }
        values["senders"] = try numbers.map { row -> [String: Any] in
            ["id": try row.decode(column: "id", as: Int64.self), "channel": try row.decode(column: "channel_id", as: Int64.self),
             "number": try row.decode(column: "did_number", as: String.self)]
        }
        values["numberTypes"] = RecipientNumberType.allCases.map { ["value": $0.rawValue, "label": Self.label($0.rawValue)] }
    }

    /// One list row: status (readable), channel, sender, recipient, send time and mode, result and progress.
    static func row(_ row: any SQLRow, tally: CampaignTally) throws -> [String: Any] {
        let settings = try CampaignViews.settings(row)
        let status = try row.decode(column: "status", as: String.self)
        let known = CampaignStatus(rawValue: status)
        let sendTime: Int64 = if case .int(let t)? = settings["send_time"] { t } else { 0 }
        return [
            "id": try row.decode(column: "id", as: Int64.self),
            "name": settings["name"]?.stringValue ?? "",
            "status": status, "status_label": label(status),
            "ok": status == "completed", "bad": status == "stop",
            "live": live.contains(status),
            "retryable": known?.isRetryable ?? false, "editable": known?.isEditable ?? false, "deletable": !(known?.isRunning ?? false),
            "channel_name": try row.decode(column: "channel_name", as: String?.self) ?? "",
            "sender": try row.decode(column: "sender_number", as: String?.self) ?? "",
            "recipient": settings["recipient_type"]?.stringValue == "phonebook"
                ? (try row.decode(column: "phonebook_name", as: String?.self) ?? "") : "Input & Import",
            "send_time": sendTime, "send_type": settings["send_type"]?.stringValue ?? "",
            "send_mode": settings["send_mode"]?.stringValue == "direct" ? "Send directly" : "Create sessions",
            "result_count": tally.resultCount, "response_rate": tally.responseRate,
            "total": tally.total, "done": tally.succeeded + tally.failed,
        ]
    }

    /// `mobile_number2` → "Mobile number 2", `executing` → "Executing".
    static func label(_ raw: String) -> String {
        var text = raw.replacingOccurrences(of: "_", with: " ")
        if let last = text.last, last.isNumber { text.insert(" ", at: text.index(before: text.endIndex)) }
        return text.prefix(1).uppercased() + text.dropFirst()
    }
}
