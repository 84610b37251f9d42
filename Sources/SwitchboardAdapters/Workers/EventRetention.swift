import Foundation
import Logging
import ServiceLifecycle
import SQLKit
import SwitchboardCore

/// Keeps the event log from growing forever: deletes events older than `retentionDays` that every
/// consumer is done with — the webhook planner has passed them (`event_cursors`) and no delivery
/// of them is still pending — plus finished webhook deliveries of the same age.
///
/// The highest deleted `seq` is kept in `settings` (`events_pruned_through`), so an agent socket
/// resuming from an older `last_seq` is told to reload (`reset`) instead of silently missing what
/// was pruned (`ResumePoint.resolve`). Deletes go in batches so no transaction grows large.
public struct EventRetention: Service {
    static let prunedThroughKey = "events_pruned_through"

    let database: Database
    let clock: any WallClock
    let logger: Logger
    let retentionDays: Int64
    let interval: Duration
    let batchSize: Int

    public init(database: Database, clock: any WallClock, logger: Logger, retentionDays: Int64, interval: Duration = .seconds(3600), batchSize: Int = 5000) {
        self.database = database
        self.clock = clock
        self.logger = logger
        self.retentionDays = retentionDays
        self.interval = interval
        self.batchSize = batchSize
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let pruned = try await prune()
                if pruned > 0 { logger.info("pruned old events", metadata: ["count": "\(pruned)"]) }
            } catch {
                logger.error("event retention failed", metadata: ["error": .string("\(error)")])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Deletes what has expired; returns how many events went.
    @discardableResult
    public func prune() async throws -> Int {
        let cutoff = clock.now() - retentionDays * 86_400
        var total = 0
        while true {
            let deleted = try await database.transaction { [batchSize] db -> Int in
                let planned = try await db.raw("SELECT MIN(seq) AS s FROM event_cursors").first()?.decode(column: "s", as: Int64?.self)
                let rows = try await db.raw("""
                    SELECT e.seq FROM events e
                    WHERE e.created_at < \(bind: cutoff) AND e.seq <= \(bind: planned ?? Int64.max)
                      AND NOT EXISTS (SELECT 1 FROM event_deliveries d WHERE d.event_seq = e.seq AND d.status IN ('pending', 'sending'))
                    ORDER BY e.seq LIMIT \(bind: batchSize)
                    """).all().map { try $0.decode(column: "seq", as: Int64.self) }
                guard let highest = rows.last else { return 0 }
                try await db.delete(from: "events").where("seq", .in, rows).run()
                try await db.raw("""
                    INSERT INTO settings (key, value) VALUES (\(bind: Self.prunedThroughKey), \(bind: String(highest)))
                    ON CONFLICT (key) DO UPDATE SET value = \(bind: String(highest))
                    """).run()
                return rows.count
            }
            total += deleted
            if deleted < batchSize { break }
        }
        try await database.run { db in
            try await db.raw("DELETE FROM event_deliveries WHERE status IN ('done', 'failed') AND created_at < \(bind: cutoff)").run()
        }
        return total
    }

    /// The highest pruned `seq` (0 when nothing was pruned).
    static func prunedThrough(_ db: any SQLDatabase) async throws -> Int64 {
        let value = try await db.raw("SELECT value FROM settings WHERE key = \(bind: prunedThroughKey)").first()?.decode(column: "value", as: String.self)
        return value.flatMap(Int64.init) ?? 0
    }
}
