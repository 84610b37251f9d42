import AsyncHTTPClient
import Crypto
import NIOHTTP1
import SwitchboardCore

/// The HTTP request that carries one event to a webhook receiver, signed.
///
/// - POST: the body is the envelope `{"type":…,"sn":"…","msg":"<JSON string>"}` (UTF-8,
///   `application/json`); `X-Signature` = Base64(HMAC-SHA256(key: secret, data: raw body)).
/// - GET: no body; the envelope's members go in the query (`?type=…&sn=…&msg=…`, form-encoded);
///   `X-Signature` signs the *decoded* value of `msg` (the JSON text the receiver gets after
///   URL-decoding), since a GET has no raw body.
/// - Every request also carries `X-Event-Id: <seq>` (the event's log sequence number; retries of
///   one event repeat it, so receivers de-duplicate on it) and `X-Event-Type: <type>`.
enum EventWebhookRequest {
    /// A request ready to send.
    struct Prepared: Sendable {
        var method: HTTPMethod
        var url: String
        var headers: HTTPHeaders
        var body: [UInt8]?
    }

    /// Base64(HMAC-SHA256(key: secret, data: text)).
    static func signature(secret: String, of text: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return Formats.encodeBase64(Array(code))
    }

    static func make(
        url: String, method: WebhookMethod, secret: String, eventID: String, type: Int, serial: String, messageText: String
    ) -> Prepared {
        var headers: HTTPHeaders = ["User-Agent": "Switchboard", "X-Event-Id": eventID, "X-Event-Type": String(type)]
        switch method {
        case .post:
            let body = EventEnvelope.render(type: type, serial: serial, messageText: messageText)
            headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            headers.add(name: "X-Signature", value: signature(secret: secret, of: body))
            return Prepared(method: .POST, url: url, headers: headers, body: Array(body.utf8))
        case .get:
            let query = formEncode([("type", String(type)), ("sn", serial), ("msg", messageText)])
            headers.add(name: "X-Signature", value: signature(secret: secret, of: messageText))
            return Prepared(method: .GET, url: url + (url.contains("?") ? "&" : "?") + query, headers: headers, body: nil)
        }
    }

    /// Sends it; the answer's status is nil when none came (network error, timeout).
    static func send(_ prepared: Prepared, http: HTTPClient) async -> HTTPAnswer {
        await callProvider(http, method: prepared.method, url: prepared.url, headers: prepared.headers, body: prepared.body,
                           timeout: .seconds(10), maxBody: 64 << 10)
    }
}
