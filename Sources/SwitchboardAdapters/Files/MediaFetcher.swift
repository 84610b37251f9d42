import AsyncHTTPClient
import Foundation
import Logging
import SQLKit
import ServiceLifecycle
import SwitchboardCore

/// Downloads inbound media after the webhook's transaction has committed (so providers get their
/// answer at once), into the file store, capped per channel type (SMS/WhatsApp 100 MB, Facebook
/// 25 MB, Live Chat 10 MB). The message's `files` entry is then pointed at our own link. Failed
/// downloads are retried with backoff; the provider's link stays in place until one succeeds.
struct MediaFetcher: Service {
    let database: Database
    let channels: ChannelStore
    let providers: ProviderRegistry
    let files: FileStore
    let http: HTTPClient
    let clock: any WallClock
    let logger: Logger
    var retry = RetryPolicy(maxAttempts: 5, baseSeconds: 5, capSeconds: 600, jitter: 0.2)

    static func limit(channelType: String) -> Int {
        switch channelType {
        case "facebook": 25 << 20
        case "livechat": 10 << 20
        default: 100 << 20
        }
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let done = (try? await fetchDue()) ?? 0
            if done == 0 { try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) } }
        }
    }

    /// Downloads every due media file; returns how many were attempted.
    @discardableResult
    func fetchDue(limit: Int = 20) async throws -> Int {
        let now = clock.now()
        let rows = try await database.run { db in
            try await db.raw("""
                SELECT d.id, d.message_id, d.position, d.url, d.content_type, d.attempts, m.channel_id
                FROM media_downloads d JOIN messages m ON m.id = d.message_id
                WHERE d.status = 'pending' AND d.due_at <= \(bind: now) ORDER BY d.id LIMIT \(unsafeRaw: String(limit))
                """).all()
        }
        for row in rows {
            let id = try row.decode(column: "id", as: Int64.self)
            // Claim: only one node works on a download at a time.
            let claimed = try await database.run { db in
                try await db.raw("""
                    UPDATE media_downloads SET status = 'working', attempts = attempts + 1 WHERE id = \(bind: id) AND status = 'pending' RETURNING id
                    """).first()
            }
            guard claimed != nil else { continue }
            try await fetch(
                downloadID: id, messageID: try row.decode(column: "message_id", as: Int64.self),
                position: try row.decode(column: "position", as: Int.self), url: try row.decode(column: "url", as: String.self),
                contentType: try row.decode(column: "content_type", as: String.self), attempt: try row.decode(column: "attempts", as: Int.self) + 1,
                channelID: try row.decode(column: "channel_id", as: Int64.self))
        }
        return rows.count
    }

    private func fetch(downloadID: Int64, messageID: Int64, position: Int, url: String, contentType: String, attempt: Int, channelID: Int64) async throws {
        var fetched: FetchedMedia?
        if let channel = try await channels.channel(id: channelID), let provider = providers[channel.account.provider] {
            fetched = await provider.fetchMedia(
                MediaReference(url: url, contentType: contentType.isEmpty ? nil : contentType), account: channel.account, http: http,
                limit: Self.limit(channelType: channel.account.type))
        }
        guard let fetched else {
            let delay = retry.delay(afterAttempt: attempt, unit: Double.random(in: 0..<1))
            let now = clock.now()
            try await database.run { db in
                try await db.raw("""
                    UPDATE media_downloads SET status = \(bind: delay == nil ? "failed" : "pending"),
                      due_at = \(bind: now + Int64(delay ?? 0)), last_error = 'download failed' WHERE id = \(bind: downloadID)
                    """).run()
            }
            return
        }
        let stored = try await files.save(fetched.bytes, name: fetched.name, contentType: fetched.contentType)
        let now = clock.now()
        try await database.transaction { db in
            guard let row = try await db.raw("SELECT files, session_id FROM messages WHERE id = \(bind: messageID)").first() else { return }
            var entries = (try? JSONDecoder().decode(JSONValue.self, from: Data(try row.decode(column: "files", as: String.self).utf8)))?.arrayValue ?? []
            if position < entries.count { entries[position] = stored.json } else { entries.append(stored.json) }
            try await db.raw("UPDATE messages SET files = \(bind: JSONValue.array(entries).serialized()) WHERE id = \(bind: messageID)").run()
            try await db.raw("UPDATE media_downloads SET status = 'done' WHERE id = \(bind: downloadID)").run()
            if let record = try await MessageRecords.load(db, id: messageID) {
                try await EventLog.append(
                    db, .messageUpdated, sessionID: try row.decode(column: "session_id", as: Int64?.self), payload: .object(record), now: now)
            }
        }
    }
}
