import Foundation
import Logging
@testable import SwitchboardAdapters
import SwitchboardTesting
import Testing

/// The one-node-at-a-time lease the campaign runner holds, on both engines.
@Suite("Runner lease (SQLite and PostgreSQL)")
struct RunnerLeaseTests {
    static let logger = Logger(label: "lease-test")

    @Test(arguments: TestEngines.available)
    func oneHolderAtATimeTakeoverAfterExpiryAndRelease(engine: DatabaseEngine) async throws {
        let test = try await TestDatabase.make(engine)
        let database = try await Database.open(url: test.url, logger: Self.logger)
        try await MigrationRunner().migrate(database, logger: Self.logger)
        let a = RunnerLease(database: database, name: "campaign-runner", holder: "node-a", seconds: 10)
        let b = RunnerLease(database: database, name: "campaign-runner", holder: "node-b", seconds: 10)

        #expect(try await a.acquire(now: 1000) == .taken(previous: nil))
        // With most of its lease left the holder renews without a write: the row still ends at 1010.
        #expect(try await a.acquire(now: 1002) == .renewed)
        #expect(try await database.run { db in
            try await db.raw("SELECT expires_at FROM runner_leases").first()?.decode(column: "expires_at", as: Int64.self)
        } == 1010)
        #expect(try await b.acquire(now: 1005) == .busy)
        #expect(try await a.acquire(now: 1008) == .renewed)  // now lasts until 1018
        #expect(try await b.acquire(now: 1015) == .busy)
        #expect(try await b.acquire(now: 1019) == .taken(previous: "node-a"))  // a stopped renewing
        #expect(try await a.acquire(now: 1020) == .busy)
        try await a.release()  // not a's to release: nothing changes
        #expect(try await a.acquire(now: 1021) == .busy)
        try await b.release()
        #expect(try await a.acquire(now: 1022) == .taken(previous: nil))

        // Many contenders at once on an expired lease: exactly one takes it.
        let contenders = (0..<8).map { RunnerLease(database: database, name: "campaign-runner", holder: "node-\($0)", seconds: 10) }
        let outcomes = try await withThrowingTaskGroup(of: RunnerLease.Outcome.self) { group in
            for lease in contenders { group.addTask { try await lease.acquire(now: 2000) } }
            return try await group.reduce(into: [RunnerLease.Outcome]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 != .busy }.count == 1, "\(outcomes)")
        await database.close()
        await test.destroy()
    }
}
