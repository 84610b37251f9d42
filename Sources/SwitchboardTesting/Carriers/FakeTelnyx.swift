import Crypto
import Foundation
import Hummingbird
import SwitchboardCore

/// Telnyx's Messaging API v2 on a loopback port: `POST /v2/messages` (Bearer key, JSON, +E.164
/// `to`/`from`, `text` or `media_urls`) answering 200 `{"data":{…}}` or Telnyx's
/// `{"errors":[{code,title,detail}]}`, and `GET /v2/messaging_profiles`. It holds its own Ed25519
/// key pair — the channel gets the Base64 public key as `public_key` — and signs webhooks as
/// Telnyx does: `telnyx-signature-ed25519` over `{telnyx-timestamp}|{body}`.
public final class FakeTelnyx: Sendable {
    public let apiKey: String
    public let signingKey = Curve25519.Signing.PrivateKey()
    public let core = FakeCarrierCore()
    public var sent: Recorder<FakeCarrierSend> { core.sent }
    public var failures: Script<FakeCarrierAnswer> { core.failures }
    public var baseURL: String { core.baseURL }

    /// What the portal's Public Key page shows: Base64 of the 32-byte Ed25519 public key.
    public var publicKeyBase64: String { Formats.encodeBase64(Array(signingKey.publicKey.rawRepresentation)) }

    public static func start(apiKey: String = "KEY0123456789ABCDEF_telnyx") async throws -> FakeTelnyx {
        let fake = FakeTelnyx(apiKey: apiKey)
        let router = Router()
        router.post("v2/messages") { request, _ in try await fake.handleSend(request) }
        router.get("v2/messaging_profiles") { request, _ in fake.handleProfiles(request) }
        try await fake.core.start(router)
        return fake
    }

    private init(apiKey: String) {
        self.apiKey = apiKey
    }

    public func stop() async { await core.stop() }

    /// Telnyx's error body with one error.
    public static func error(_ code: String, _ title: String, _ detail: String, status: Int) -> FakeCarrierAnswer {
        FakeCarrierAnswer(status: status, body: (["errors": [["code": .string(code), "title": .string(title), "detail": .string(detail)]]] as JSONValue).serialized())
    }

    func handleSend(_ request: Request) async throws -> Response {
        guard request.headers[.authorization] == "Bearer \(apiKey)" else {
            return core.refuse(Self.error("10009", "Authentication failed", "Could not understand the provided credentials.", status: 401), "bad key")
        }
        guard FakeCarrierCore.hasContentType(request, "application/json") else {
            return core.refuse(Self.error("10015", "Bad Request", "The request body is not valid JSON.", status: 400), "not JSON")
        }
        guard let body = try? JSONDecoder().decode(JSONValue.self, from: Data(try await FakeCarrierCore.body(request))) else {
            return core.refuse(Self.error("10015", "Bad Request", "The request body is not valid JSON.", status: 400), "not JSON")
        }
        guard let to = body["to"]?.stringValue, Formats.isE164(to) else {
            return core.refuse(Self.error("10016", "Phone number must be in +E.164 format", "The 'to' number is invalid.", status: 422), "bad to")
        }
        guard let from = body["from"]?.stringValue, Formats.isE164(from) || Formats.isAlphanumericSenderID(from) else {
            return core.refuse(Self.error("10004", "Missing required parameter", "The 'from' parameter is required.", status: 422), "bad from")
        }
        let text = body["text"]?.stringValue ?? ""
        let media = body["media_urls"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard !text.isEmpty || !media.isEmpty else {
            return core.refuse(Self.error("10004", "Missing required parameter", "The 'text' parameter is required.", status: 422), "no text")
        }
        if let failure = failures.next() { return failure.response }
        let id = UUID().uuidString.lowercased()
        sent.append(FakeCarrierSend(from: from, to: to, text: text, mediaURLs: media, id: id, extras: ["type": body["type"]?.stringValue ?? ""]))
        return FakeCarrierCore.json(200, ["data": [
            "record_type": "message", "direction": "outbound", "id": .string(id), "type": media.isEmpty ? "SMS" : "MMS",
            "from": ["phone_number": .string(from), "carrier": "Telnyx", "line_type": "Wireless"],
            "to": [["phone_number": .string(to), "status": "queued", "carrier": "T-MOBILE USA, INC.", "line_type": "Wireless"]],
            "text": .string(text), "media": .array(media.map { ["url": .string($0)] }), "encoding": "GSM-7", "parts": 1,
        ]])
    }

    func handleProfiles(_ request: Request) -> Response {
        guard request.headers[.authorization] == "Bearer \(apiKey)" else {
            return core.refuse(Self.error("10009", "Authentication failed", "Could not understand the provided credentials.", status: 401), "bad key")
        }
        if let failure = failures.next() { return failure.response }
        return FakeCarrierCore.json(200, ["data": [], "meta": ["page_number": 1, "page_size": 1, "total_pages": 0, "total_results": 0]])
    }

    /// A `message.received` webhook body.
    public static func received(id: String, from: String, to: String, text: String, mediaURL: String? = nil) -> String {
        let media: [JSONValue] = mediaURL.map { [["url": .string($0), "content_type": "image/jpeg", "size": 1024]] } ?? []
        return envelope("message.received", [
            "record_type": "message", "direction": "inbound", "id": .string(id), "type": media.isEmpty ? "SMS" : "MMS",
            "messaging_profile_id": "400176d2-0000-0000-0000-000000000000",
            "from": ["phone_number": .string(from), "carrier": "T-Mobile USA", "line_type": "long_code"],
            "to": [["phone_number": .string(to), "status": "webhook_delivered", "carrier": "Telnyx", "line_type": "Wireless"]],
            "cc": [], "text": .string(text), "media": .array(media), "encoding": "GSM-7", "parts": 1,
            "received_at": "2024-01-01T00:00:00.000+00:00",
        ])
    }

    /// A `message.finalized` webhook on one of our messages, with Telnyx's `errors` when it failed.
    public static func finalized(id: String, to: String, status: String, errorCode: String? = nil, errorTitle: String = "") -> String {
        let errors: [JSONValue] = errorCode.map { [["code": .string($0), "title": .string(errorTitle)]] } ?? []
        return envelope("message.finalized", [
            "record_type": "message", "direction": "outbound", "id": .string(id), "type": "SMS",
            "to": [["phone_number": .string(to), "status": .string(status)]], "errors": .array(errors),
        ])
    }

    static func envelope(_ event: String, _ payload: JSONObject) -> String {
        (["data": [
            "record_type": "event", "id": .string(UUID().uuidString.lowercased()), "event_type": .string(event),
            "occurred_at": "2024-01-01T00:00:00.000+00:00", "payload": .object(payload),
        ], "meta": ["attempt": 1, "delivered_to": "https://hub.example.test"]] as JSONValue).serialized()
    }

    /// The headers Telnyx sends with `body`, signed at `timestamp` (default: now).
    public func signatureHeaders(body: String, timestamp: Int64 = Int64(Date().timeIntervalSince1970)) throws -> (signature: String, timestamp: String) {
        let signed = try signingKey.signature(for: Array("\(timestamp)|\(body)".utf8))
        return (Data(signed).base64EncodedString(), String(timestamp))
    }
}
