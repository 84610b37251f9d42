import Foundation
import SQLKit
import SwitchboardCore

/// The Channels list: each channel with its status and reason, webhook URL and verify token (or
/// Live Chat number), and per number the Messaging Statistics of seed 003 (Total = sent plus
/// failed, Sent, Failed, Received) within a time range, with a small inline SVG bar chart.
struct PortalChannelList: Sendable {
    let database: Database
    let clock: any WallClock
    let context: ChannelContext

    func rows(range: StatsRange) async throws -> [[String: Any]] {
        let (from, to) = range.bounds(now: clock.now())
        let (channels, numbers) = try await database.run { db in
            (try await db.raw("""
                SELECT id, name, type, provider, status, reason, webhook_url_type, webhook_gid, verify_token, channel_number
                FROM message_channels ORDER BY id
                """).all(),
             try await db.raw("""
                SELECT n.channel_id, n.did_number,
                  CAST(SUM(CASE WHEN m.direction = 'out' AND m.delivery_status IN (1, 2) THEN 1 ELSE 0 END) AS BIGINT) AS total,
                  CAST(SUM(CASE WHEN m.direction = 'out' AND m.delivery_status = 1 THEN 1 ELSE 0 END) AS BIGINT) AS sent,
                  CAST(SUM(CASE WHEN m.direction = 'out' AND m.delivery_status = 2 THEN 1 ELSE 0 END) AS BIGINT) AS failed,
                  CAST(SUM(CASE WHEN m.direction = 'in' THEN 1 ELSE 0 END) AS BIGINT) AS received
                FROM channel_numbers n
                LEFT JOIN sessions s ON s.channel_id = n.channel_id AND s.did_number = n.did_number
                LEFT JOIN messages m ON m.session_id = s.id AND m.created_at >= \(bind: from) AND m.created_at < \(bind: to)
                GROUP BY n.channel_id, n.did_number, n.position ORDER BY n.channel_id, n.position
                """).all())
        }
        var byChannel: [Int64: [[String: Any]]] = [:]
        for row in numbers {
            let counts = try ["total", "sent", "failed", "received"].map { try row.decode(column: $0, as: Int64?.self) ?? 0 }
            let number = try row.decode(column: "did_number", as: String.self)
            byChannel[try row.decode(column: "channel_id", as: Int64.self), default: []].append([
                "number": number, "total": counts[0], "sent": counts[1], "failed": counts[2], "received": counts[3],
                "chart": Self.chart(number: number, counts: Array(counts)),
            ])
        }
        return try channels.map { row in
            let id = try row.decode(column: "id", as: Int64.self)
            let provider = ChannelProvider(rawValue: try row.decode(column: "provider", as: String.self)) ?? .general
            let status = try row.decode(column: "status", as: String.self)
            let urlType = WebhookURLType(rawValue: try row.decode(column: "webhook_url_type", as: String.self)) ?? .nat
            var item: [String: Any] = [
                "id": id, "name": try row.decode(column: "name", as: String.self), "type": provider.type.rawValue,
                "provider": PortalPages.providerLabel(provider), "ok": status.hasSuffix("succ"),
                "status": status.hasSuffix("succ") ? "Connected" : "Disconnected",
                "numbers": byChannel[id] ?? [], "livechat": provider == .livechat, "whatsapp": provider == .whatsapp,
            ]
            // Mustache treats an empty string as true: set optional texts only when there is one.
            let reason = try row.decode(column: "reason", as: String.self)
            if !reason.isEmpty { item["reason"] = reason }
            if provider == .livechat {
                item["channel_number"] = try row.decode(column: "channel_number", as: String?.self) ?? ""
            } else {
                item["webhook_url"] = context.webhookURL(type: urlType, provider: provider.rawValue, gid: try row.decode(column: "webhook_gid", as: String.self))
                let token = try row.decode(column: "verify_token", as: String.self)
                if provider.type != .sms, !token.isEmpty { item["verify_token"] = token }
            }
            return item
        }
    }

    /// A 120×40 bar chart of Total, Sent, Failed, Received, labelled for screen readers.
    static func chart(number: String, counts: [Int64]) -> String {
        let top = max(counts.max() ?? 0, 1)
        let names = ["Total", "Sent", "Failed", "Received"], classes = ["total", "sent", "failed", "received"]
        let bars = counts.enumerated().map { index, count in
            let height = Int((Double(count) / Double(top) * 36).rounded())
            return "<rect class=\"bar-\(classes[index])\" x=\"\(index * 30 + 4)\" y=\"\(38 - height)\" width=\"22\" height=\"\(height)\"><title>\(names[index]): \(count)</title></rect>"
        }.joined()
        let number = number.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
        let label = zip(names, counts).map { "\($0) \($1)" }.joined(separator: ", ")
        return "<svg class=\"stats\" viewBox=\"0 0 120 40\" width=\"120\" height=\"40\" role=\"img\" aria-label=\"\(number): \(label)\">\(bars)</svg>"
    }
}
