import Foundation
import Logging
import ServiceLifecycle
import SQLKit
import SwitchboardCore

/// Closes sessions idle for longer than their channel's Session Timeout (`auto_close_session` = 1,
/// `session_expired_time` days; Live Chat's `session_expired_unit` may make it minutes or hours),
/// with the `msg_type` 3 system message. Time comes from the injected `WallClock`; tests call
/// `closeExpired()` directly. Each session closes in its own transaction, and only if it is still
/// idle then, so a message arriving meanwhile keeps it open.
public struct AutoCloser: Service {
    let database: Database
    let clock: any WallClock
    let logger: Logger
    /// How often the service looks for idle sessions.
    let interval: Duration

    public init(database: Database, clock: any WallClock, logger: Logger, interval: Duration = .seconds(30)) {
        self.database = database
        self.clock = clock
        self.logger = logger
        self.interval = interval
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await closeExpired()
            } catch {
                logger.error("auto-close failed", metadata: ["error": .string("\(error)")])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Closes every session whose channel's timeout has passed; returns how many it closed.
    @discardableResult
    public func closeExpired() async throws -> Int {
        let now = clock.now()
        let channels = try await database.run { db in
            try await db.raw("""
                SELECT id, type, session_expired_time, settings FROM message_channels WHERE auto_close_session = 1
                """).all()
        }
        var closed = 0
        for channel in channels {
            let settings = (try? JSONDecoder().decode(JSONValue.self, from: Data(try channel.decode(column: "settings", as: String.self).utf8))) ?? [:]
            let type = try channel.decode(column: "type", as: String.self)
            guard let timeout = AutoClose.timeout(
                autoClose: true, expiredTime: try channel.decode(column: "session_expired_time", as: Int64?.self),
                unit: type == ChannelType.livechat.rawValue ? settings["session_expired_unit"]?.stringValue : nil)
            else { continue }
            let channelID = try channel.decode(column: "id", as: Int64.self)
            let cutoff = now - timeout
            let idle = try await database.run { db in
                try await db.raw("""
                    SELECT id FROM sessions WHERE channel_id = \(bind: channelID) AND closed_at IS NULL AND last_active_at <= \(bind: cutoff)
                    ORDER BY id
                    """).all().map { try $0.decode(column: "id", as: Int64.self) }
            }
            for id in idle {
                let done = try await database.transaction { db in
                    let record = try await SessionStore.load(db, id: id)
                    return try await SessionActions.close(db, record, .closedAutomatically, by: .system, idleSince: cutoff, strict: false, now: now)
                }
                if done { closed += 1 }
            }
        }
        return closed
    }
}
