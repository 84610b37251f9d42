import Foundation
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
/// - Resuming (ours): `&last_seq=N&topic_list=30031,30032` starts with those topics and sends the
///   events after `N` first; the connection opens with `{"ready":true,"last_seq":…,"reset":…}`
///   (`reset`: the log cannot honour `N` — another install, or pruned — so it starts at the
///   head) and every envelope carries its `seq`. A client that reconnects with the last `seq` it
///   processed misses nothing and gets nothing twice.
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
        var reader = request.queryReader
        let lastSeq = reader.int("last_seq", range: 0...Int64.max)
        let initialTopics = reader.string("topic_list").map(Self.topics)
        if case nil? = initialTopics { reader.fail("topic_list", "comma-separated event ids") }
        if !reader.issues.isEmpty {
            try await SocketLoop.refuse(outbound, APIError(.parameterError, invalidParams: reader.issues))
            return
        }
        var start = hub.cursor
        if lastSeq != nil {
            let resume = try await hub.resumePoint(lastSeq: lastSeq)
            start = resume.after
            try await outbound.write(.text(resume.readyFrame))
        }
        let topics = Shared<Set<Int>>(Set(initialTopics.flatMap { $0 } ?? []))
        let serial = self.serial
        let withSeq = lastSeq != nil
        try await loop.run(
            inbound: inbound, outbound: outbound, feed: hub.subscribe(after: start),
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
                topics.value.contains(event.type) ? event.envelope(serial: serial, withSeq: withSeq) : nil
            })
    }

    /// `30031,30032` → the ids; nil when any part is not a number.
    static func topics(_ text: String) -> [Int]? {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let ids = parts.compactMap { Int($0) }
        return ids.count == parts.count ? ids : nil
    }
}
