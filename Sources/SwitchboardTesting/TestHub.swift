import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SwitchboardAdapters
import SwitchboardCore

/// A whole hub for one test: its own database, a manual clock, known API credentials, and helpers
/// that call the OpenAPI the way an integration would.
public struct TestHub: Sendable {
    public static let clientID = "test-client"
    public static let clientSecret = "test-secret-0123456789"
    public static let adminPassword = "admin-password"

    public let hub: Switchboard
    public let clock: ManualClock
    public let database: TestDatabase

    /// Builds a hub on `engine`, runs `body` with it, and always tears it down.
    public static func with<T: Sendable>(
        _ engine: DatabaseEngine, configure: (inout AppConfiguration) -> Void = { _ in },
        _ body: (TestHub) async throws -> T
    ) async throws -> T {
        let database = try await TestDatabase.make(engine)
        let clock = ManualClock()
        var configuration = AppConfiguration()
        configuration.databaseURL = database.url
        configuration.dataDirectory = database.directory + "/data"
        configuration.apiClientID = clientID
        configuration.apiClientSecret = clientSecret
        configuration.adminPassword = adminPassword
        configuration.port = 0
        configuration.publicURL = "https://hub.example.test"
        // Many hubs run at once against one PostgreSQL server: a small pool each keeps under its limit.
        configuration.databasePoolSize = 4
        configure(&configuration)
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let hub: Switchboard
        do {
            hub = try await Switchboard.start(configuration: configuration, clock: clock, logger: logger)
        } catch {
            await database.destroy()
            throw error
        }
        let testHub = TestHub(hub: hub, clock: clock, database: database)
        do {
            let result = try await body(testHub)
            await hub.database.close()
            await database.destroy()
            return result
        } catch {
            await hub.database.close()
            await database.destroy()
            throw error
        }
    }

    /// Runs `body` against the in-process router (no sockets).
    public func withClient<T: Sendable>(_ body: @Sendable (OpenAPIClient) async throws -> T) async throws -> T {
        var logger = Logger(label: "test-app")
        logger.logLevel = .warning
        let app = Application(router: hub.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        return try await app.test(.router) { client in
            try await body(OpenAPIClient(client: client))
        }
    }
}

/// Calls the OpenAPI as an integration does and decodes the JSON answer.
public struct OpenAPIClient: Sendable {
    public let client: any TestClientProtocol

    public struct Answer: Sendable {
        public let status: HTTPResponse.Status
        public let headers: HTTPFields
        public let json: JSONValue
        public let text: String

        public var errcode: Int64? {
            if case .int(let code)? = json["errcode"] { return code }
            return nil
        }
        public var errmsg: String? { json["errmsg"]?.stringValue }
        public func int(_ key: String) -> Int64? {
            if case .int(let value)? = json[key] { return value }
            return nil
        }
        /// The `field` of each `invalid_param_list` entry.
        public var invalidFields: [String] {
            json["invalid_param_list"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
        }
    }

    /// A raw request; `path` is relative to `/openapi/v1.0/` unless it starts with `/`.
    public func call(
        _ method: HTTPRequest.Method, _ path: String, query: [String: String] = [:], token: String? = nil,
        body: String? = nil, headers: HTTPFields = [.userAgent: "OpenAPI", .contentType: "application/json"]
    ) async throws -> Answer {
        var items = query.sorted(by: { $0.key < $1.key }).map { URLQueryItem(name: $0.key, value: $0.value) }
        if let token { items.append(URLQueryItem(name: "access_token", value: token)) }
        var components = URLComponents()
        components.path = path.hasPrefix("/") ? path : "/openapi/v1.0/" + path
        components.queryItems = items.isEmpty ? nil : items
        let response = try await client.executeRequest(
            uri: components.string!, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        let text = String(buffer: response.body)
        let json = (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null
        return Answer(status: response.status, headers: response.headers, json: json, text: text)
    }

    public func post(_ path: String, token: String?, _ body: JSONValue) async throws -> Answer {
        try await call(.post, path, token: token, body: body.serialized())
    }

    public func get(_ path: String, token: String?, _ query: [String: String] = [:]) async throws -> Answer {
        try await call(.get, path, query: query, token: token)
    }

    /// Obtains an access token with the test client's credentials (fails the test's expectations otherwise).
    public func token() async throws -> String {
        let answer = try await post("get_token", token: nil, ["username": .string(TestHub.clientID), "password": .string(TestHub.clientSecret)])
        guard let token = answer.json["access_token"]?.stringValue else {
            throw TestFailure("get_token failed: \(answer.text)")
        }
        return token
    }
}

/// A test precondition that did not hold.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
