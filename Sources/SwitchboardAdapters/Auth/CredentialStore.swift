import Foundation
import SQLKit
import SwitchboardCore

/// The admin password and the OpenAPI client credentials, stored as salted hashes.
public struct CredentialStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// What first start generated, to print once. Empty when nothing new was generated.
    public struct Generated: Sendable {
        public var adminPassword: String?
        public var clientID: String?
        public var clientSecret: String?
    }

    /// Makes sure an admin password and an API client exist. Values given on the command line are
    /// (re)applied every start; missing ones are generated only when none is stored yet.
    public func ensure(adminPassword: String?, clientID: String?, clientSecret: String?) async throws -> Generated {
        var generated = Generated()
        if let adminPassword {
            try await setSetting("admin_password_hash", PasswordHasher.hash(adminPassword))
        } else if try await setting("admin_password_hash") == nil {
            let password = RandomToken.alphanumeric(16)
            try await setSetting("admin_password_hash", PasswordHasher.hash(password))
            generated.adminPassword = password
        }
        if let clientID, let clientSecret {
            try await upsertClient(clientID: clientID, secret: clientSecret)
        } else if try await clientCount() == 0 {
            let id = clientID ?? RandomToken.alphanumeric(32)
            let secret = clientSecret ?? RandomToken.alphanumeric(32)
            try await upsertClient(clientID: id, secret: secret)
            generated.clientID = id
            generated.clientSecret = secret
        }
        return generated
    }

    public func verifyAdminPassword(_ password: String) async throws -> Bool {
        guard let hash = try await setting("admin_password_hash") else { return false }
        return PasswordHasher.verify(password, against: hash)
    }

    public func upsertClient(clientID: String, secret: String) async throws {
        let hash = PasswordHasher.hash(secret)
        let now = Int64(Date().timeIntervalSince1970)
        try await database.run { db in
            try await db.raw("""
                INSERT INTO api_clients (client_id, secret_hash, created_at) VALUES (\(bind: clientID), \(bind: hash), \(bind: now))
                ON CONFLICT (client_id) DO UPDATE SET secret_hash = excluded.secret_hash
                """).run()
        }
    }

    func clientCount() async throws -> Int {
        try await database.run { db in
            try await db.raw("SELECT COUNT(*) AS n FROM api_clients").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    public func setting(_ key: String) async throws -> String? {
        try await database.run { db in
            try await db.raw("SELECT value FROM settings WHERE key = \(bind: key)").first()?.decode(column: "value", as: String.self)
        }
    }

    public func setSetting(_ key: String, _ value: String) async throws {
        try await database.run { db in
            try await db.raw("""
                INSERT INTO settings (key, value) VALUES (\(bind: key), \(bind: value))
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """).run()
        }
    }
}
