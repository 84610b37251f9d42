import Foundation
import SQLKit
import Synchronization

/// One node at a time: a named lease in `runner_leases`, taken by whoever finds it free or run
/// out, kept by renewing it before it runs out. Each process is a new holder, so a restarted node
/// waits for its dead predecessor's lease to run out like any other node would. While more than
/// half of its own lease is left, the holder renews without touching the database (the campaign
/// runner asks on every pass, up to ten times a second).
final class RunnerLease: Sendable {
    /// What `acquire` found.
    enum Outcome: Sendable, Equatable {
        /// This holder had it and renewed it.
        case renewed
        /// This holder took it over: free, released, or left to run out by `previous`.
        case taken(previous: String?)
        /// Another live holder has it.
        case busy
    }

    let database: Database
    let name: String
    let holder: String
    let seconds: Int64
    /// Until when this holder is known to hold the lease (nil: not known to hold it).
    private let heldUntil = Mutex<Int64?>(nil)

    init(database: Database, name: String, holder: String = UUID().uuidString, seconds: Int64) {
        self.database = database
        self.name = name
        self.holder = holder
        self.seconds = seconds
    }

    /// Takes or renews the lease at `now` (Unix seconds).
    func acquire(now: Int64) async throws -> Outcome {
        if let held = heldUntil.withLock({ $0 }), now + seconds / 2 < held { return .renewed }
        let outcome = try await acquireInDatabase(now: now)
        heldUntil.withLock { $0 = outcome == .busy ? nil : now + seconds }
        return outcome
    }

    private func acquireInDatabase(now: Int64) async throws -> Outcome {
        let (name, holder, until) = (self.name, self.holder, now + seconds)
        return try await database.transaction { db in
            let inserted = try await db.raw("""
                INSERT INTO runner_leases (name, holder, expires_at) VALUES (\(bind: name), \(bind: holder), \(bind: until))
                ON CONFLICT (name) DO NOTHING RETURNING name
                """).first()
            if inserted != nil { return .taken(previous: nil) }
            guard let row = try await db.raw("SELECT holder, expires_at FROM runner_leases WHERE name = \(bind: name)").first() else { return .busy }
            let current = try row.decode(column: "holder", as: String.self)
            let expires = try row.decode(column: "expires_at", as: Int64.self)
            guard current == holder || expires < now else { return .busy }
            // Only if nobody changed it since we looked (another node may be taking it right now).
            let changed = try await db.raw("""
                UPDATE runner_leases SET holder = \(bind: holder), expires_at = \(bind: until)
                WHERE name = \(bind: name) AND holder = \(bind: current) AND expires_at = \(bind: expires) RETURNING name
                """).first()
            guard changed != nil else { return .busy }
            return current == holder ? .renewed : .taken(previous: current.isEmpty ? nil : current)
        }
    }

    /// Gives the lease up (on a graceful stop) so the next holder need not wait for it to run out.
    func release() async throws {
        heldUntil.withLock { $0 = nil }
        let (name, holder) = (self.name, self.holder)
        try await database.run { db in
            try await db.raw("UPDATE runner_leases SET holder = '', expires_at = 0 WHERE name = \(bind: name) AND holder = \(bind: holder)").run()
        }
    }
}

