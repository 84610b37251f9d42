import Foundation
import Logging
import PostgresKit
import SwitchboardAdapters

/// The SQL engines the tests run on: SQLite always, PostgreSQL when `SWITCHBOARD_TEST_POSTGRES_URL` is set.
public enum TestEngines {
    public static var available: [DatabaseEngine] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    public static var postgresURL: String? {
        let url = ProcessInfo.processInfo.environment["SWITCHBOARD_TEST_POSTGRES_URL"]
        return url?.isEmpty == false ? url : nil
    }
}

/// A database of its own for one test: a SQLite file in a fresh directory, or a fresh PostgreSQL
/// database created on the test server (dropped again by `destroy`).
public struct TestDatabase: Sendable {
    public let url: String
    public let directory: String
    let postgresName: String?

    public static func make(_ engine: DatabaseEngine) async throws -> TestDatabase {
        let directory = NSTemporaryDirectory() + "switchboard-test-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        switch engine {
        case .sqlite:
            return TestDatabase(url: "sqlite:\(directory)/test.sqlite", directory: directory, postgresName: nil)
        case .postgres:
            guard let base = TestEngines.postgresURL else { fatalError("SWITCHBOARD_TEST_POSTGRES_URL is not set") }
            let name = "sbtest_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try await adminStatement(base, "CREATE DATABASE \(name)")
            return TestDatabase(url: replacingDatabase(in: base, with: name), directory: directory, postgresName: name)
        }
    }

    /// Drops what `make` created.
    public func destroy() async {
        if let postgresName, let base = TestEngines.postgresURL {
            try? await Self.adminStatement(base, "DROP DATABASE IF EXISTS \(postgresName) WITH (FORCE)")
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func adminStatement(_ url: String, _ sql: String) async throws {
        let database = try await Database.open(url: url, logger: Logger(label: "test-admin"))
        do {
            try await database.run { db in try await db.raw(SQLQueryString(sql)).run() }
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }

    static func replacingDatabase(in url: String, with name: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + name
        return components.string ?? url
    }
}
