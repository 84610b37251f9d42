@preconcurrency import AsyncKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit
import Synchronization

/// Which SQL engine a `Database` talks to; the few places where SQL differs ask this.
public enum DatabaseEngine: String, Sendable {
    case sqlite, postgres
}

/// The one handle every repository uses: plain reads, and transactions that either commit whole or leave nothing.
///
/// SQLite has a single writer, so it gets one connection behind an async lock: a transaction never
/// interleaves with another query. PostgreSQL gets a pool; each transaction holds one pooled connection.
public final class Database: Sendable {
    public let engine: DatabaseEngine
    private let backend: any DatabaseBackend

    init(engine: DatabaseEngine, backend: any DatabaseBackend) {
        self.engine = engine
        self.backend = backend
    }

    /// Opens the database named by a URL: `sqlite:<path>`, `sqlite::memory:`, or `postgres://user:pass@host:port/db`.
    /// `poolSize`: PostgreSQL connections per event loop (tests use fewer, so many hubs fit in one server).
    public static func open(url: String, logger: Logger, poolSize: Int = 8) async throws -> Database {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            return Database(engine: .postgres, backend: try PostgresBackend(url: url, logger: logger, poolSize: poolSize))
        }
        guard url.hasPrefix("sqlite:") else {
            throw ConfigurationError("unsupported database URL (use sqlite:<path> or postgres://…)")
        }
        let path = String(url.dropFirst("sqlite:".count))
        return Database(engine: .sqlite, backend: try await SQLiteBackend(path: path, logger: logger))
    }

    /// Runs `body` outside a transaction (single statements, reads).
    public func run<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await backend.run(body)
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await backend.transaction(body)
    }

    public func close() async {
        await backend.close()
    }
}

/// A configuration mistake the operator must fix; printed as is.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

protocol DatabaseBackend: Sendable {
    func run<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    func close() async
}

/// A FIFO async mutex: waiters resume in arrival order.
final class AsyncLock: Sendable {
    private struct State {
        var locked = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    func lock() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLock { state -> Bool in
                if state.locked {
                    state.waiters.append(continuation)
                    return false
                }
                state.locked = true
                return true
            }
            if acquired { continuation.resume() }
        }
    }

    func unlock() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.locked = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }

    func withLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await lock()
        defer { unlock() }
        return try await body()
    }
}

final class SQLiteBackend: DatabaseBackend {
    private let connection: SQLiteConnection
    private let sql: any SQLDatabase
    private let lock = AsyncLock()

    init(path: String, logger: Logger) async throws {
        let storage: SQLiteConnection.Storage = path == ":memory:" ? .memory : .file(path: path)
        connection = try await SQLiteConnection.open(storage: storage, threadPool: .singleton, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
        sql = connection.sql(queryLogLevel: .trace)
        _ = try await connection.query("PRAGMA journal_mode = WAL")
        _ = try await connection.query("PRAGMA foreign_keys = ON")
        _ = try await connection.query("PRAGMA busy_timeout = 5000")
        _ = try await connection.query("PRAGMA synchronous = NORMAL")
    }

    /// The backend whose lock the current task holds. A nested `run`/`transaction` from inside a
    /// transaction (e.g. a helper that opens its own) joins it instead of waiting for the lock
    /// forever; a nested transaction becomes a savepoint.
    @TaskLocal static var holder: ObjectIdentifier?

    private var holdsLock: Bool { Self.holder == ObjectIdentifier(self) }

    func run<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if holdsLock { return try await body(sql) }
        return try await lock.withLock {
            try await Self.$holder.withValue(ObjectIdentifier(self)) { try await body(sql) }
        }
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if holdsLock {
            let savepoint = "sp_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12)
            try await sql.raw("SAVEPOINT \(unsafeRaw: savepoint)").run()
            do {
                let result = try await body(sql)
                try await sql.raw("RELEASE SAVEPOINT \(unsafeRaw: savepoint)").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK TO SAVEPOINT \(unsafeRaw: savepoint)").run()
                throw error
            }
        }
        return try await lock.withLock {
            try await Self.$holder.withValue(ObjectIdentifier(self)) {
                try await sql.raw("BEGIN IMMEDIATE").run()
                do {
                    let result = try await body(sql)
                    try await sql.raw("COMMIT").run()
                    return result
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    throw error
                }
            }
        }
    }

    func close() async {
        try? await connection.close()
    }
}

/// The pool is internally synchronised, hence `@unchecked`.
final class PostgresBackend: DatabaseBackend, @unchecked Sendable {
    private let pool: EventLoopGroupConnectionPool<PostgresConnectionSource>
    private let sql: any SQLDatabase

    init(url: String, logger: Logger, poolSize: Int) throws {
        let configuration = try SQLPostgresConfiguration(url: url)
        pool = EventLoopGroupConnectionPool(
            source: PostgresConnectionSource(sqlConfiguration: configuration),
            maxConnectionsPerEventLoop: poolSize,
            requestTimeout: .seconds(30),
            pruneInterval: .seconds(60),
            logger: logger,
            on: MultiThreadedEventLoopGroup.singleton
        )
        sql = pool.database(logger: logger).sql(queryLogLevel: .trace)
    }

    func run<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await body(sql)
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await sql.withSession { session in
            try await session.raw("BEGIN").run()
            do {
                let result = try await body(session)
                try await session.raw("COMMIT").run()
                return result
            } catch {
                try? await session.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    func close() async {
        try? await pool.shutdownAsync()
    }
}
