import Foundation
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// The event log's retention: old events go once every consumer is done with them, nothing else.
@Suite("Event retention")
struct EventRetentionTests {
    @Test(arguments: TestEngines.available)
    func prunesOnlyOldEventsThatArePlannedAndDelivered(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            let now = hub.clock.now()
            let old = now - 31 * 86_400
            let seqs = try await hub.hub.database.transaction { db -> [Int64] in
                var seqs: [Int64] = []
                for created in [old, old, old, old, now] {
                    seqs.append(try await EventLog.append(db, .messageCreated, sessionID: nil, payload: ["n": .int(created)], now: created))
                }
                try await db.raw("""
                    INSERT INTO event_webhooks (url, secret, created_at) VALUES ('https://example.test/hook', 'sealed', \(bind: old))
                    """).run()
                let webhook = try await db.raw("SELECT id FROM event_webhooks").first()!.decode(column: "id", as: Int64.self)
                // Event 2 still waits for its webhook delivery; event 1's was delivered long ago.
                try await db.raw("""
                    INSERT INTO event_deliveries (webhook_id, event_seq, status, due_at, created_at)
                    VALUES (\(bind: webhook), \(bind: seqs[0]), 'done', 0, \(bind: old)), (\(bind: webhook), \(bind: seqs[1]), 'pending', 0, \(bind: old))
                    """).run()
                // The webhook planner has got as far as event 3 (event 4 is old but unplanned).
                try await db.raw("DELETE FROM event_cursors").run()
                try await db.raw("INSERT INTO event_cursors (name, seq) VALUES ('webhooks', \(bind: seqs[2]))").run()
                return seqs
            }
            let retention = EventRetention(database: hub.hub.database, clock: hub.clock, logger: hub.hub.logger, retentionDays: 30, batchSize: 1)
            #expect(try await retention.prune() == 2)
            let (left, pruned, deliveries) = try await hub.hub.database.run { db in
                (
                    try await db.raw("SELECT seq FROM events ORDER BY seq").all().map { try $0.decode(column: "seq", as: Int64.self) },
                    try await EventRetention.prunedThrough(db),
                    try await db.raw("SELECT event_seq FROM event_deliveries").all().map { try $0.decode(column: "event_seq", as: Int64.self) }
                )
            }
            #expect(left == [seqs[1], seqs[3], seqs[4]])
            #expect(pruned == seqs[2])
            #expect(deliveries == [seqs[1]])
            #expect(try await retention.prune() == 0)
        }
    }
}
