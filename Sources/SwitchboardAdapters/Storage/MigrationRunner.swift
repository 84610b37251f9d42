import Logging
import SQLKit

/// One named, ordered schema change. Statements are SQL common to SQLite and PostgreSQL, with two
/// placeholders: `{{ID}}` (an auto-increment integer primary key) and `{{BLOB}}` (binary column).
public struct Migration: Sendable {
    public let name: String
    public let statements: [String]

    public init(_ name: String, _ statements: [String]) {
        self.name = name
        self.statements = statements
    }

    func sql(for engine: DatabaseEngine) -> [String] {
        statements.map { statement in
            switch engine {
            case .sqlite:
                statement.replacingOccurrences(of: "{{ID}}", with: "INTEGER PRIMARY KEY AUTOINCREMENT")
                    .replacingOccurrences(of: "{{BLOB}}", with: "BLOB")
            case .postgres:
                statement.replacingOccurrences(of: "{{ID}}", with: "BIGSERIAL PRIMARY KEY")
                    .replacingOccurrences(of: "{{BLOB}}", with: "BYTEA")
            }
        }
    }
}

/// The migration runner refused to start: the database was migrated by different code.
public struct MigrationMismatch: Error, CustomStringConvertible {
    public let applied: [String]
    public let expected: [String]
    public var description: String {
        "the database's applied migrations \(applied) are not a prefix of this build's \(expected); refusing to start"
    }
}

/// Applies `migrations` in order, each in its own transaction, recording them in `schema_migrations`.
/// Refuses to run when the applied list is not a prefix of the code's list.
public struct MigrationRunner: Sendable {
    public let migrations: [Migration]

    public init(migrations: [Migration] = Schema.migrations) {
        self.migrations = migrations
    }

    /// The names applied so far, in order.
    public func applied(on database: Database) async throws -> [String] {
        try await database.run { db in
            try await db.raw(
                "CREATE TABLE IF NOT EXISTS schema_migrations (seq INTEGER NOT NULL, name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)"
            ).run()
            return try await db.raw("SELECT name FROM schema_migrations ORDER BY seq").all().map { try $0.decode(column: "name", as: String.self) }
        }
    }

    /// Brings the schema up to date; returns the names it applied.
    @discardableResult
    public func migrate(_ database: Database, logger: Logger) async throws -> [String] {
        let applied = try await applied(on: database)
        let expected = migrations.map(\.name)
        guard applied.count <= expected.count, Array(expected.prefix(applied.count)) == applied else {
            throw MigrationMismatch(applied: applied, expected: expected)
        }
        var done: [String] = []
        for (index, migration) in migrations.enumerated().dropFirst(applied.count) {
            let statements = migration.sql(for: database.engine)
            let name = migration.name
            try await database.transaction { db in
                for statement in statements { try await db.raw(SQLQueryString(statement)).run() }
                try await db.raw(
                    "INSERT INTO schema_migrations (seq, name, applied_at) VALUES (\(bind: index), \(bind: name), \(bind: Int64(Date().timeIntervalSince1970)))"
                ).run()
            }
            logger.info("applied migration", metadata: ["migration": .string(name)])
            done.append(name)
        }
        return done
    }
}

import Foundation
