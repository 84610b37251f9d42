import Foundation
import Logging
import SQLKit
import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

@Suite("Storage contract (SQLite and PostgreSQL)")
struct StorageTests {
    static let logger = Logger(label: "storage-test")

    @Test(arguments: TestEngines.available)
    func migrationsApplyOnceInOrder(engine: DatabaseEngine) async throws {
        let test = try await TestDatabase.make(engine)
        let database = try await Database.open(url: test.url, logger: Self.logger)
        let runner = MigrationRunner()
        let first = try await runner.migrate(database, logger: Self.logger)
        #expect(first == Schema.migrations.map(\.name))
        #expect(try await runner.migrate(database, logger: Self.logger).isEmpty)
        #expect(try await runner.applied(on: database) == Schema.migrations.map(\.name))
        await database.close()
        await test.destroy()
    }

    @Test(arguments: TestEngines.available)
    func refusesToStartWhenAppliedMigrationsDiverge(engine: DatabaseEngine) async throws {
        let test = try await TestDatabase.make(engine)
        let database = try await Database.open(url: test.url, logger: Self.logger)
        try await MigrationRunner().migrate(database, logger: Self.logger)
        // A database migrated by a build that knew one migration more than this one.
        let newer = MigrationRunner(migrations: Schema.migrations + [Migration("999_from_the_future", ["CREATE TABLE future (id INTEGER)"])])
        try await newer.migrate(database, logger: Self.logger)
        await #expect(throws: MigrationMismatch.self) { try await MigrationRunner().migrate(database, logger: Self.logger) }
        // A build whose list differs in the middle is refused too.
        let renamed = MigrationRunner(migrations: [Migration("001_other", [])] + Schema.migrations.dropFirst() + [Migration("999_from_the_future", [])])
        await #expect(throws: MigrationMismatch.self) { try await renamed.migrate(database, logger: Self.logger) }
        await database.close()
        await test.destroy()
    }

    @Test(arguments: TestEngines.available)
    func aFailedTransactionLeavesNothing(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await hub.hub.database.transaction { db in
                    try await db.raw("INSERT INTO settings (key, value) VALUES ('half', 'written')").run()
                    throw Boom()
                }
            }
            let count = try await hub.hub.database.run { db in
                try await db.raw("SELECT COUNT(*) AS n FROM settings WHERE key = 'half'").first()?.decode(column: "n", as: Int.self)
            }
            #expect(count == 0)
        }
    }

    @Test(arguments: TestEngines.available)
    func concurrentTransactionsDoNotInterleave(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            try await hub.hub.database.run { db in
                try await db.raw("INSERT INTO settings (key, value) VALUES ('counter', '0')").run()
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<30 {
                    group.addTask {
                        try await hub.hub.database.transaction { db in
                            if engine == .postgres {
                                try await db.raw("SELECT value FROM settings WHERE key = 'counter' FOR UPDATE").run()
                            }
                            let value = try await db.raw("SELECT value FROM settings WHERE key = 'counter'").first()!
                                .decode(column: "value", as: String.self)
                            try await db.raw("UPDATE settings SET value = \(bind: String(Int(value)! + 1)) WHERE key = 'counter'").run()
                        }
                    }
                }
                try await group.waitForAll()
            }
            let final = try await hub.hub.database.run { db in
                try await db.raw("SELECT value FROM settings WHERE key = 'counter'").first()!.decode(column: "value", as: String.self)
            }
            #expect(final == "30")
        }
    }

    @Test(arguments: TestEngines.available)
    func dataAndCredentialsSurviveARestart(engine: DatabaseEngine) async throws {
        let test = try await TestDatabase.make(engine)
        var configuration = AppConfiguration()
        configuration.databaseURL = test.url
        configuration.dataDirectory = test.directory + "/data"
        var logger = Logger(label: "restart")
        logger.logLevel = .warning

        let first = try await Switchboard.start(configuration: configuration, logger: logger)
        let generated = first.generated
        #expect(generated.adminPassword != nil)
        let clientID = try #require(generated.clientID)
        let secret = try #require(generated.clientSecret)
        let sealed = try first.secrets.seal("provider-secret")
        _ = try await first.tokens.issue(clientID: clientID, secret: secret, ip: "127.0.0.1")
        try await first.database.run { db in
            try await db.raw("INSERT INTO extensions (number, created_at) VALUES ('2001', 1)").run()
        }
        await first.database.close()

        let second = try await Switchboard.start(configuration: configuration, logger: logger)
        #expect(second.generated.adminPassword == nil && second.generated.clientID == nil)
        #expect(try await second.credentials.verifyAdminPassword(generated.adminPassword!))
        #expect(try second.secrets.open(sealed) == "provider-secret")
        _ = try await second.tokens.issue(clientID: clientID, secret: secret, ip: "127.0.0.1")
        let number = try await second.database.run { db in
            try await db.raw("SELECT number FROM extensions").first()?.decode(column: "number", as: String.self)
        }
        #expect(number == "2001")
        await second.database.close()
        await test.destroy()
    }

    @Test func secretsAreStoredAsSaltedHashes() async throws {
        try await TestHub.with(.sqlite) { hub in
            let stored = try await hub.hub.database.run { db in
                try await db.raw("SELECT secret_hash FROM api_clients").first()!.decode(column: "secret_hash", as: String.self)
            }
            #expect(!stored.contains(TestHub.clientSecret))
            #expect(stored.hasPrefix("pbkdf2-sha256$"))
            #expect(PasswordHasher.verify(TestHub.clientSecret, against: stored))
            #expect(!PasswordHasher.verify("other", against: stored))
            #expect(PasswordHasher.hash("same") != PasswordHasher.hash("same"))
            let tokens = try await hub.withClient { api in try await api.token() }
            let raw = try await hub.hub.database.run { db in
                try await db.raw("SELECT token_hash FROM api_tokens").all().map { try $0.decode(column: "token_hash", as: String.self) }
            }
            #expect(!raw.contains(tokens))
        }
    }
}

@Suite("Secret box and master key")
struct SecretBoxTests {
    @Test func sealsAndOpensAndDetectsTampering() throws {
        let directory = NSTemporaryDirectory() + "sb-key-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let key = try SecretBox.loadMasterKey(environmentValue: nil, dataDirectory: directory)
        let box = SecretBox(key: key)
        let sealed = try box.seal("token-123")
        #expect(!sealed.contains("token-123"))
        #expect(try box.open(sealed) == "token-123")
        var bytes = Formats.decodeBase64(String(sealed.dropFirst(3)))!
        bytes[bytes.count - 1] ^= 1
        #expect(throws: (any Error).self) { try box.open("v1:" + Formats.encodeBase64(bytes)) }

        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/master.key")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let again = SecretBox(key: try SecretBox.loadMasterKey(environmentValue: nil, dataDirectory: directory))
        #expect(try again.open(sealed) == "token-123")
    }

    @Test func environmentKeyMustBe32Base64Bytes() throws {
        #expect(throws: ConfigurationError.self) { try SecretBox.loadMasterKey(environmentValue: "c2hvcnQ=", dataDirectory: "/nonexistent") }
        let key = Formats.encodeBase64(Array(repeating: 7, count: 32))
        let box = SecretBox(key: try SecretBox.loadMasterKey(environmentValue: key, dataDirectory: "/nonexistent"))
        #expect(try box.open(try box.seal("x")) == "x")
    }

    @Test func masksKeepOnlyTheEnds() {
        #expect(maskSecret("abcdefghijkl") == "ab********kl")
        #expect(maskSecret("abc") == "****")
    }
}
