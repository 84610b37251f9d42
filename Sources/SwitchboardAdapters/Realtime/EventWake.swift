import Foundation
import SQLKit
import Synchronization

/// Wakes event hubs when an event is appended, so realtime delivery does not wait for the next poll.
///
/// `EventLog.append` calls `announce(on:)` inside the appending transaction. On PostgreSQL that is
/// a `pg_notify` on `channel`, which PostgreSQL delivers only when the transaction commits, to
/// every node LISTENing (this one included). On SQLite it nudges the hubs of this process at once:
/// their next read queues behind the open transaction on SQLite's single connection, so it sees
/// the commit (or, after a rollback, nothing — a harmless extra read).
public enum EventWake {
    /// The PostgreSQL NOTIFY channel.
    public static let channel = "switchboard_events"

    private static let listeners = Mutex<[UUID: @Sendable () -> Void]>([:])

    static func announce(on db: any SQLDatabase) async throws {
        if db.dialect.name == "postgresql" {
            try await db.raw("SELECT pg_notify(\(bind: channel), '')").run()
        } else {
            nudgeAll()
        }
    }

    /// Calls every registered wake-up (hubs of this process).
    static func nudgeAll() {
        for wake in listeners.withLock({ Array($0.values) }) { wake() }
    }

    /// Registers a wake-up; returns the token to remove it with.
    static func register(_ wake: @escaping @Sendable () -> Void) -> UUID {
        let token = UUID()
        listeners.withLock { $0[token] = wake }
        return token
    }

    static func unregister(_ token: UUID) {
        _ = listeners.withLock { $0.removeValue(forKey: token) }
    }
}
