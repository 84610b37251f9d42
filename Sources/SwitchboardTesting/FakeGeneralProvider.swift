import Crypto
import Foundation
import Hummingbird
import Synchronization
import SwitchboardCore

/// A Service Provider implementing seed 003's General SMS API: `POST /sendmessage` and
/// `GET /verify?challenge=…`, both requiring `Authorization: Bearer {api_key}`; sends must be
/// `application/json` with E.164 `from`/`to` and `text` or `media_urls`, or it answers the seed's
/// error JSON. It also signs inbound webhooks the way such a provider does.
public final class FakeGeneralProvider: Sendable {
    public struct Sent: Sendable, Equatable {
        public var from: String
        public var to: String
        public var text: String?
        public var mediaURLs: [String]
        public var id: String
        /// When the fake took the request (for rate measurements).
        public var at: ContinuousClock.Instant = .now
    }

    /// A scripted failure: HTTP status and, optionally, a PBX error code for the error body.
    public struct Failure: Sendable {
        public var status: Int
        public var code: String?
        public init(status: Int, code: String? = nil) {
            self.status = status
            self.code = code
        }
    }

    public let apiKey: String
    public let server: FakeServer
    public let sent = Recorder<Sent>()
    public let sendFailures = Script<Failure>()
    public let verifyFailures = Script<Failure>()
    /// Time each accepted send takes before the answer (to keep sends in flight in crash tests).
    public let sendDelay = Mutex<Duration>(.zero)

    public var sendURL: String { server.baseURL + "/sendmessage" }
    public var verifyURL: String { server.baseURL + "/verify" }

    public static func start(apiKey: String = "myAPIKey456") async throws -> FakeGeneralProvider {
        let box = FakeBox()
        let router = Router()
        router.post("sendmessage") { request, context in try await box.value!.handleSend(request, context: context) }
        router.get("verify") { request, context in box.value!.handleVerify(request) }
        let fake = FakeGeneralProvider(apiKey: apiKey, server: try await FakeServer.start(router))
        box.value = fake
        return fake
    }

    private init(apiKey: String, server: FakeServer) {
        self.apiKey = apiKey
        self.server = server
    }

    public func stop() async { await server.stop() }

    static func errorBody(_ code: String, _ title: String, _ detail: String) -> String {
        (["errors": [["code": .string(code), "title": .string(title), "detail": .string(detail)]]] as JSONValue).serialized()
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(string: text)))
    }

    func handleSend(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard request.headers[.authorization] == "Bearer \(apiKey)" else {
            return Self.json(.unauthorized, Self.errorBody("10004", "Authentication failed", "No key found matching the ID with the provided secret."))
        }
        guard request.headers[.contentType]?.hasPrefix("application/json") == true else {
            return Self.json(.badRequest, Self.errorBody("10002", "Invalid parameter", "Content-Type must be application/json"))
        }
        if let failure = sendFailures.next() {
            let body = failure.code.map { Self.errorBody($0, "Scripted failure", "code \($0)") } ?? ""
            return Self.json(HTTPResponse.Status(code: failure.status), body)
        }
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        guard let body = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView)),
            let from = body["from"]?.stringValue, let to = body["to"]?.stringValue
        else { return Self.json(.badRequest, Self.errorBody("10002", "Invalid parameter", "from and to are required")) }
        guard Formats.isE164(to), Formats.isE164(from) || Formats.isAlphanumericSenderID(from) else {
            return Self.json(.badRequest, Self.errorBody("10001", "Invalid 'to' address", "The 'to' address should be a single valid number."))
        }
        let text = body["text"]?.stringValue
        let media = body["media_urls"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard text?.isEmpty == false || !media.isEmpty else {
            return Self.json(.badRequest, Self.errorBody("10002", "Invalid parameter", "text or media_urls is required"))
        }
        let delay = sendDelay.withLock { $0 }
        if delay > .zero { try await Task.sleep(for: delay) }
        let id = UUID().uuidString.lowercased()
        sent.append(Sent(from: from, to: to, text: text, mediaURLs: media, id: id))
        return Self.json(.ok, (["data": ["id": .string(id)]] as JSONValue).serialized())
    }

    func handleVerify(_ request: Request) -> Response {
        guard request.headers[.authorization] == "Bearer \(apiKey)" else {
            return Self.json(.unauthorized, Self.errorBody("10004", "Authentication failed", "bad key"))
        }
        if let failure = verifyFailures.next() {
            return Self.json(HTTPResponse.Status(code: failure.status), failure.code.map { Self.errorBody($0, "Scripted", "failure") } ?? "")
        }
        let challenge = request.uri.queryParameters["challenge"].map(String.init) ?? ""
        return Response(status: .ok, body: .init(byteBuffer: .init(string: challenge)))
    }

    /// The body of seed 003's inbound webhook for one message.
    public static func inboundBody(id: String, from: String, to: String, text: String, mediaURL: String? = nil) -> String {
        var payload: JSONObject = [
            "id": .string(id), "direction": "inbound", "from": ["phone_number": .string(from), "carrier": "T-Mobile USA"],
            "to": [["phone_number": .string(to), "carrier": "PBX"]], "text": .string(text),
            "received_at": "2019-12-09T20:16:07.503+00:00", "record_type": "message", "type": "SMS/MMS",
        ]
        if let mediaURL { payload["media"] = [["content_type": "image/png", "url": .string(mediaURL)]] }
        let body: JSONValue = [
            "data": ["event_type": "message.received", "id": .string(UUID().uuidString), "payload": .object(payload), "record_type": "event"],
            "meta": ["attempt": 1],
        ]
        return body.serialized()
    }

    /// `sha256=<lowercase hex HMAC-SHA256(secret, body)>`.
    public static func signature(secret: String, body: String) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: Array(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }
}

/// Lets a route closure reach the fake created after the router.
final class FakeBox: @unchecked Sendable {
    var value: FakeGeneralProvider?
}
