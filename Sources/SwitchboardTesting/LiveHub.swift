import Foundation
import Hummingbird
import HummingbirdTesting
import SwitchboardAdapters
import SwitchboardCore

/// The application on a loopback port, for tests that need sockets.
public struct LiveServer: Sendable {
    public let port: Int
    public let api: OpenAPIClient

    /// Opens `/openapi/v1.0/subscribe` with an access token.
    public func subscribe(token: String) async throws -> SocketProbe {
        try await SocketProbe.connect(port: port, path: "/openapi/v1.0/subscribe?access_token=\(token)")
    }

    /// Opens the agent socket `/api/inbox/ws` with an inbox sign-in cookie, optionally resuming after `lastSeq`.
    public func inbox(cookie: String?, lastSeq: Int64? = nil) async throws -> SocketProbe {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = cookie }
        return try await SocketProbe.connect(port: port, path: "/api/inbox/ws" + (lastSeq.map { "?last_seq=\($0)" } ?? ""), headers: headers)
    }

    /// Signs an agent in to the web inbox (`/api/inbox/login`) and returns the `Cookie` header value.
    public func signIn(extension number: String, password: String) async throws -> String {
        let answer = try await api.call(.post, "/api/inbox/login", body: JSONValue.object(["extension": .string(number), "password": .string(password)]).serialized())
        guard answer.errcode == 0, let setCookie = answer.headers[.setCookie], let pair = setCookie.split(separator: ";").first else {
            throw TestFailure("inbox sign-in failed: \(answer.text)")
        }
        return String(pair)
    }
}

extension TestHub {
    /// Runs `body` against the live application: every route, the WebSocket upgrades, the realtime
    /// services and the outbox dispatcher — `makeApplication()` minus the workers that sleep for
    /// minutes without watching for shutdown (the connectivity checker), so the test stops promptly.
    public func withLiveServer<T: Sendable>(_ body: @Sendable (LiveServer) async throws -> T) async throws -> T {
        var app = Application(
            router: hub.makeRouter(), server: hub.realtime.server, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: hub.logger)
        app.addServices(hub.realtime.services)
        app.addServices(hub.dispatcher)
        return try await app.test(.live) { client in
            guard let port = client.port else { throw TestFailure("the live server has no port") }
            return try await body(LiveServer(port: port, api: OpenAPIClient(client: client)))
        }
    }
}
