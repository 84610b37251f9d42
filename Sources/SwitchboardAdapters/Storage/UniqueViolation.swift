import PostgresNIO
import SQLiteNIO

/// Whether `error` is the engine refusing a duplicate key (PostgreSQL 23505, SQLite UNIQUE/PRIMARY KEY).
func isUniqueViolation(_ error: any Error) -> Bool {
    if let error = error as? PSQLError { return error.serverInfo?[.sqlState] == "23505" }
    if let error = error as? SQLiteError {
        switch error.reason {
        case .constraint, .constraintUniqueFailed, .constraintPrimaryKeyFailed: return true
        default: return false
        }
    }
    return false
}

extension Database {
    /// A transaction retried (up to `attempts` times) when a concurrent writer won a unique key race;
    /// the retry then sees the winner's row.
    func transactionRetryingConflicts<T: Sendable>(
        attempts: Int = 3, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await transaction(body)
            } catch where attempt < attempts && isUniqueViolation(error) {
                attempt += 1
            }
        }
    }
}

import SQLKit
