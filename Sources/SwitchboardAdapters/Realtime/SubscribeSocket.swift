import Hummingbird
import HummingbirdWebSocket
import SwitchboardCore

/// `GET /openapi/v1.0/subscribe?access_token=…` — Yeastar's event WebSocket (reference §8.1).
///
/// - The access token is checked once, at connect; an invalid one gets
///   `{"errcode":10004,"errmsg":"TOKEN EXPIRED"}` and a close (1008).
/// - `{"topic_list":[30031,30032]}` replaces the connection's topics and is answered
///   `{"errcode":0,"errmsg":"SUCCESS"}`; a malformed frame gets a 40001/40002 body, the
///   connection stays open. Any event id may be listed (Yeastar's 3xxxx and our 39xxx).
/// - `heartbeat` → `heartbeat response`; 60 s without a frame from the client closes it.
/// - Events that happen from the moment of connection on are sent as Yeastar envelopes, `msg`
///   a JSON string, for the topics held when the event is sent. An OpenAPI client acts as the
///   platform, so it sees every event regardless of audience.
struct SubscribeSocket: Sendable {
    let hub: EventHub
    let tokens: TokenService
    let loop: SocketLoop
    let serial: String

    func addRoute(to router: Router<BasicWebSocketRequestContext>) {
        router.ws("openapi/v1.0/subscribe") { inbound, outbound, context in
            try await handle(inbound: inbound, outbound: outbound, request: context.request)
        }
    }

    func handle(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, request: Request) async throws {
        let token = request.uri.queryParameters["access_token"].map(String.init) ?? ""
        guard !token.isEmpty, try await tokens.clientID(forAccessToken: token) != nil else {
            try await SocketLoop.refuse(outbound, .tokenExpired)
            return
        }
        let topics = Shared<Set<Int>>([])
        let serial = self.serial
        try await loop.run(
            inbound: inbound, outbound: outbound, feed: hub.subscribe(after: hub.cursor),
            onText: { text in
                switch RealtimeCommand.parse(text, decodeJSON: SocketLoop.decodeJSON) {
                case .heartbeat:
                    try await outbound.write(.text(RealtimeCommand.heartbeatResponse))
                case .subscribe(let list):
                    topics.value = Set(list)
                    try await outbound.write(.text(RealtimeCommand.subscribed))
                case .invalid(let error):
                    try await outbound.write(.text(error.json.serialized()))
                }
            },
            render: { event in
                topics.value.contains(event.type) ? event.envelope(serial: serial) : nil
            })
    }
}
