import Foundation
import SQLKit
import SwitchboardCore

/// A freshly issued access/refresh pair, as `get_token` and `refresh_token` return it.
public struct TokenPair: Sendable {
    public var accessToken: String
    public var refreshToken: String
    public var accessLifetime: Int64
    public var refreshLifetime: Int64

    public var json: JSONObject {
        [
            "access_token_expire_time": .int(accessLifetime), "access_token": .string(accessToken),
            "refresh_token_expire_time": .int(refreshLifetime), "refresh_token": .string(refreshToken),
        ]
    }
}

/// OpenAPI clients and their tokens. Tokens are stored only as SHA-256 hashes; an access token and the
/// refresh token issued with it share a `pair_id`, so refreshing or revoking retires both.
public struct TokenService: Sendable {
    let database: Database
    let clock: any WallClock
    let policy: TokenPolicy
    let throttle: LoginThrottle

    public init(database: Database, clock: any WallClock, policy: TokenPolicy = .init(), throttle: LoginThrottle = .init()) {
        self.database = database
        self.clock = clock
        self.policy = policy
        self.throttle = throttle
    }

    /// `get_token`: checks the client's id and secret, the caller's IP block and the live-token cap.
    public func issue(clientID: String, secret: String, ip: String) async throws -> TokenPair {
        let now = clock.now()
        let record = try await failureRecord(ip: ip)
        if throttle.isBlocked(record, now: now) { throw APIError(.accountIPBlocked) }
        let stored = try await database.run { db in
            try await db.raw("SELECT secret_hash FROM api_clients WHERE client_id = \(bind: clientID)").first()?
                .decode(column: "secret_hash", as: String.self)
        }
        guard let stored, PasswordHasher.verify(secret, against: stored) else {
            let next = throttle.recordingFailure(record, now: now)
            try await saveFailure(ip: ip, record: next)
            if throttle.isBlocked(next, now: now) { throw APIError(.accountIPBlocked) }
            throw APIError(.failure, invalidParams: [ParamIssue(field: "username or password", value: "error")])
        }
        if record != nil { try await clearFailures(ip: ip) }
        let policy = self.policy
        return try await database.transaction { db in
            try await db.raw("DELETE FROM api_tokens WHERE expires_at < \(bind: now - 86_400)").run()
            let live = try await db.raw("""
                SELECT COUNT(*) AS n FROM api_tokens
                WHERE client_id = \(bind: clientID) AND kind = 'access' AND revoked = 0 AND expires_at > \(bind: now)
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            guard live < policy.maxLiveAccessTokens else { throw APIError(.maxLimitationExceeded) }
            return try await Self.insertPair(db, clientID: clientID, now: now, policy: policy)
        }
    }

    /// `refresh_token`: a live refresh token buys a new pair; the old pair stops working.
    public func refresh(refreshToken: String) async throws -> TokenPair {
        let now = clock.now()
        let hash = RandomToken.sha256Hex(refreshToken)
        let policy = self.policy
        return try await database.transaction { db in
            guard let row = try await db.raw("""
                SELECT client_id, pair_id FROM api_tokens
                WHERE token_hash = \(bind: hash) AND kind = 'refresh' AND revoked = 0 AND expires_at > \(bind: now)
                """).first()
            else { throw APIError.tokenExpired }
            let clientID = try row.decode(column: "client_id", as: String.self)
            let pairID = try row.decode(column: "pair_id", as: String.self)
            try await db.raw("UPDATE api_tokens SET revoked = 1 WHERE pair_id = \(bind: pairID)").run()
            return try await Self.insertPair(db, clientID: clientID, now: now, policy: policy)
        }
    }

    /// `del_token`: retires the access token and its refresh token.
    public func revoke(accessToken: String) async throws {
        let hash = RandomToken.sha256Hex(accessToken)
        try await database.run { db in
            try await db.raw("""
                UPDATE api_tokens SET revoked = 1
                WHERE pair_id IN (SELECT pair_id FROM api_tokens WHERE token_hash = \(bind: hash) AND kind = 'access')
                """).run()
        }
    }

    /// The client owning a live access token, or nil.
    public func clientID(forAccessToken token: String) async throws -> String? {
        let hash = RandomToken.sha256Hex(token)
        let now = clock.now()
        return try await database.run { db in
            try await db.raw("""
                SELECT client_id FROM api_tokens
                WHERE token_hash = \(bind: hash) AND kind = 'access' AND revoked = 0 AND expires_at > \(bind: now)
                """).first()?.decode(column: "client_id", as: String.self)
        }
    }

    private static func insertPair(_ db: any SQLDatabase, clientID: String, now: Int64, policy: TokenPolicy) async throws -> TokenPair {
        let pair = TokenPair(
            accessToken: RandomToken.alphanumeric(), refreshToken: RandomToken.alphanumeric(),
            accessLifetime: policy.accessLifetime, refreshLifetime: policy.refreshLifetime)
        let pairID = UUID().uuidString
        try await db.raw("""
            INSERT INTO api_tokens (token_hash, kind, client_id, pair_id, expires_at, revoked) VALUES
            (\(bind: RandomToken.sha256Hex(pair.accessToken)), 'access', \(bind: clientID), \(bind: pairID), \(bind: now + policy.accessLifetime), 0),
            (\(bind: RandomToken.sha256Hex(pair.refreshToken)), 'refresh', \(bind: clientID), \(bind: pairID), \(bind: now + policy.refreshLifetime), 0)
            """).run()
        return pair
    }

    // MARK: Failed attempts per IP

    private func failureRecord(ip: String) async throws -> LoginThrottle.Record? {
        try await database.run { db in
            guard let row = try await db.raw("SELECT failures, blocked_until FROM login_failures WHERE ip = \(bind: ip)").first() else {
                return nil
            }
            return LoginThrottle.Record(
                failures: try row.decode(column: "failures", as: Int.self),
                blockedUntil: try row.decode(column: "blocked_until", as: Int64.self))
        }
    }

    private func saveFailure(ip: String, record: LoginThrottle.Record) async throws {
        try await database.run { db in
            try await db.raw("""
                INSERT INTO login_failures (ip, failures, blocked_until) VALUES (\(bind: ip), \(bind: record.failures), \(bind: record.blockedUntil))
                ON CONFLICT (ip) DO UPDATE SET failures = excluded.failures, blocked_until = excluded.blocked_until
                """).run()
        }
    }

    private func clearFailures(ip: String) async throws {
        try await database.run { db in try await db.raw("DELETE FROM login_failures WHERE ip = \(bind: ip)").run() }
    }
}
