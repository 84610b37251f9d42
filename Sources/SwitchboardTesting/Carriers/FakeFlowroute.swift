import Foundation
import Hummingbird
import SwitchboardCore

/// Flowroute's Messaging API v2.1 on a loopback port (also standing in for SIPTRUNK, which is
/// served by the same adapter): `POST /v2.1/messages` (HTTP Basic `access:secret`,
/// `application/vnd.api+json`, a flat body with 11-digit `to`/`from` without `+`, `body` or
/// `media_urls`) answering 202 `{"data":{"id":"mdr2-…"}}` or JSON:API error objects. It builds v2.1
/// inbound-message and delivery-receipt webhooks, and lists numbers (`GET /v2/numbers`, Numbers API v2).
public final class FakeFlowroute: Sendable {
    public let accessKey: String
    public let secretKey: String
    public let core = FakeCarrierCore()
    public var sent: Recorder<FakeCarrierSend> { core.sent }
    public var failures: Script<FakeCarrierAnswer> { core.failures }
    public var baseURL: String { core.baseURL }

    public static func start(accessKey: String = "12345678", secretKey: String = "flowroute-secret-abc") async throws -> FakeFlowroute {
        let fake = FakeFlowroute(accessKey: accessKey, secretKey: secretKey)
        let router = Router()
        router.post("v2.1/messages") { request, _ in try await fake.handleSend(request) }
        router.get("v2/numbers") { request, _ in
            guard request.headers[.authorization] == FakeCarrierCore.basic(fake.accessKey, fake.secretKey) else {
                return fake.core.refuse(Self.error("Unauthorized", "Authentication credentials were not provided or are invalid.", status: 401), "bad credentials")
            }
            if let failure = fake.failures.next() { return failure.response }
            return FakeCarrierCore.json(200, ["data": [], "links": ["self": "/v2/numbers?limit=1"]])
        }
        try await fake.core.start(router)
        return fake
    }

    private init(accessKey: String, secretKey: String) {
        self.accessKey = accessKey
        self.secretKey = secretKey
    }

    public func stop() async { await core.stop() }

    /// Flowroute's error body: an array of JSON:API error objects.
    public static func error(_ title: String, _ detail: String, status: Int) -> FakeCarrierAnswer {
        FakeCarrierAnswer(status: status, body: (["errors": [[
            "id": .string(UUID().uuidString.lowercased()), "status": .int(Int64(status)), "title": .string(title), "detail": .string(detail),
        ]]] as JSONValue).serialized(), contentType: "application/vnd.api+json")
    }

    func handleSend(_ request: Request) async throws -> Response {
        guard request.headers[.authorization] == FakeCarrierCore.basic(accessKey, secretKey) else {
            return core.refuse(Self.error("Unauthorized", "Authentication credentials were not provided or are invalid.", status: 401), "bad credentials")
        }
        guard FakeCarrierCore.hasContentType(request, "application/vnd.api+json") else {
            return core.refuse(Self.error("Unsupported Media Type", "Content-Type must be application/vnd.api+json", status: 415), "content type")
        }
        guard let body = try? JSONDecoder().decode(JSONValue.self, from: Data(try await FakeCarrierCore.body(request))), body["data"] == nil else {
            return core.refuse(Self.error("Bad Request", "Expected a flat message object", status: 400), "shape")
        }
        guard let to = body["to"]?.stringValue, FakeCarrierCore.isElevenDigits(to) else {
            return core.refuse(Self.error("Unprocessable Entity", "'to' must be an 11-digit E.164 number without '+'", status: 422), "bad to")
        }
        guard let from = body["from"]?.stringValue, FakeCarrierCore.isElevenDigits(from) else {
            return core.refuse(Self.error("Unprocessable Entity", "'from' must be an 11-digit E.164 number without '+'", status: 422), "bad from")
        }
        let text = body["body"]?.stringValue ?? ""
        let media = body["media_urls"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard !text.isEmpty || !media.isEmpty else { return core.refuse(Self.error("Unprocessable Entity", "'body' is required", status: 422), "no body") }
        if let failure = failures.next() { return failure.response }
        let id = "mdr2-" + FakeCarrierCore.newID("")
        let isMMS: String = if case .bool(let flag)? = body["is_mms"] { String(flag) } else { "" }
        sent.append(FakeCarrierSend(from: from, to: to, text: text, mediaURLs: media, id: id, extras: ["is_mms": isMMS]))
        return FakeCarrierCore.json(202, ["data": [
            "id": .string(id), "links": ["self": .string("https://api.flowroute.com/v2.1/messages/\(id)")], "type": "message",
        ]])
    }

    /// A v2.1 inbound-message webhook (digits-only numbers), with MMS media in `included`.
    public static func received(id: String, from: String, to: String, body: String, mediaURL: String? = nil) -> String {
        var document: JSONObject = ["data": [
            "id": .string(id), "type": "message",
            "attributes": [
                "amount_display": "$0.0000", "amount_nanodollars": 0, "body": .string(body), "direction": "inbound",
                "from": .string(from), "is_mms": .bool(mediaURL != nil), "message_encoding": 0, "message_type": "longcode",
                "status": "delivered", "timestamp": "2024-01-01T00:00:00.00Z", "to": .string(to), "delivery_receipts": [],
            ],
        ]]
        if let mediaURL {
            document["included"] = [["id": "media-1", "type": "media", "attributes": [
                "url": .string(mediaURL), "mime_type": "image/png", "file_name": "a.png", "file_size": 2048,
            ]]]
        }
        return JSONValue.object(document).serialized()
    }

    /// A v2.1 delivery receipt on one of ours.
    public static func receipt(id: String, status: String, code: Int64, description: String, level: Int64 = 2) -> String {
        (["data": [
            "id": .string(id), "type": "delivery_receipt",
            "attributes": [
                "body": "", "level": .int(level), "status": .string(status), "status_code": .int(code),
                "status_code_description": .string(description), "timestamp": "2024-01-01T00:00:02.00Z",
            ],
            "links": ["related": .string("https://api.flowroute.com/v2.1/messages/\(id)")],
        ]] as JSONValue).serialized()
    }
}
