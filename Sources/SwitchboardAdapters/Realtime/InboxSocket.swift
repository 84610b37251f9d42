import Hummingbird
import HummingbirdWebSocket
import SwitchboardCore

/// Tells which agent (extension id) made a request to the web inbox, or nil.
public protocol AgentAuthenticator: Sendable {
    func extensionID(for request: Request) async throws -> Int64?
}

/// The web inbox's cookie sign-in (`/api/inbox/login`) identifies agents on the inbox socket too.
extension InboxAuth: AgentAuthenticator {
    func extensionID(for request: Request) async throws -> Int64? {
        try await agent(for: request)?.extensionID
    }
}

/// `GET /api/inbox/ws?last_seq=N` — the web inbox's event stream.
///
/// After sign-in the server sends `{"ready":true,"last_seq":<start>,"reset":<bool>}`, then every
/// event the agent may see (audience lists the agent, or is empty) with `seq > start`, oldest
/// first, each once, as `{"seq":…,"type":…,"session_id":…|null,"created_at":…,"data":<payload>}`.
/// Without `last_seq` the stream starts at the log's head; a `last_seq` beyond the head (another
/// install) or below what retention pruned (`EventRetention`) starts there with `"reset":true`
/// (the client reloads). A client that reconnects with the last `seq` it processed misses nothing
/// and gets nothing twice. `heartbeat` is answered;
/// there is no idle close (WebSocket pings detect dead peers). A refused sign-in gets
/// `{"errcode":10004,…}` and a close (1008).
struct InboxSocket: Sendable {
    let hub: EventHub
    let agents: any AgentAuthenticator
    let loop: SocketLoop

    func addRoute(to router: Router<BasicWebSocketRequestContext>) {
        router.ws("api/inbox/ws") { inbound, outbound, context in
            try await handle(inbound: inbound, outbound: outbound, request: context.request)
        }
    }

    func handle(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, request: Request) async throws {
        guard let agent = try await agents.extensionID(for: request) else {
            try await SocketLoop.refuse(outbound, .tokenExpired)
            return
        }
        var reader = request.queryReader
        let lastSeq = reader.int("last_seq", range: 0...Int64.max)
        if !reader.issues.isEmpty {
            try await SocketLoop.refuse(outbound, APIError(.parameterError, invalidParams: reader.issues))
            return
        }
        let start = try await hub.resumePoint(lastSeq: lastSeq)
        try await outbound.write(.text(start.readyFrame))
        try await loop.run(
            inbound: inbound, outbound: outbound, feed: hub.subscribe(after: start.after),
            onText: { _ in
                try await outbound.write(.text(APIError(.parameterSyntaxError, detail: "only heartbeat is understood").json.serialized()))
            },
            render: { event in
                guard EventAudience.allows(event.audience, agent: agent) else { return nil }
                return Self.frame(event).serialized()
            })
    }

    /// The JSON frame of one event on the inbox socket.
    static func frame(_ event: StoredEvent) -> JSONValue {
        [
            "seq": .int(event.seq), "type": .integer(event.type), "session_id": event.sessionID.map(JSONValue.int) ?? .null,
            "created_at": .int(event.createdAt), "data": event.payloadJSON,
        ]
    }
}
