import AsyncHTTPClient
import Crypto
import Foundation
import HTTPTypes
import NIOHTTP1
import SwitchboardCore

/// What the carrier adapters share: base URLs, HTTP Basic, request bodies as forms or loose field
/// maps, ids derived from raw bodies, and the clock.
public enum CarrierSupport {
    /// `configuration.providerBaseURLs[name]` (for fakes and staging) or the provider's real base,
    /// without a trailing slash.
    static func baseURL(_ overrides: [String: String], _ name: String, default real: String) -> String {
        var url = overrides[name] ?? real
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// `Basic base64(user:password)`.
    static func basic(_ user: String, _ password: String) -> String {
        "Basic " + Formats.encodeBase64(Array("\(user):\(password)".utf8))
    }

    /// Refuses the request unless its `Authorization` equals `Basic user:password` (constant time).
    static func requireBasic(_ request: WebhookRequest, user: String, password: String) throws(WebhookRejection) {
        let given = request.headers[.authorization] ?? ""
        guard constantTimeEqual(Array(given.utf8), Array(basic(user, password).utf8)) else {
            throw WebhookRejection(.unauthorized, "the Basic credentials do not match the channel's")
        }
    }

    /// Downloads inbound media, sending `authorization` only when the link is on the provider's own
    /// API origin (`baseURL`): credentials never go to another host a webhook named. (Redirects to
    /// a CDN drop the header too: AsyncHTTPClient strips `Authorization` on cross-origin redirects.)
    static func fetchMedia(
        _ media: MediaReference, apiBase: String, authorization: String?, http: HTTPClient, limit: Int
    ) async -> FetchedMedia? {
        var headers: HTTPHeaders = [:]
        if let authorization, isSameOrigin(media.url, apiBase) { headers.add(name: "Authorization", value: authorization) }
        return await downloadMedia(url: media.url, headers: headers, http: http, limit: limit, contentType: media.contentType)
    }

    /// Whether two URLs share scheme, host and port.
    static func isSameOrigin(_ first: String, _ second: String) -> Bool {
        guard let a = URLComponents(string: first), let b = URLComponents(string: second), a.host != nil else { return false }
        func port(_ url: URLComponents) -> Int? { url.port ?? (url.scheme == "https" ? 443 : url.scheme == "http" ? 80 : nil) }
        return a.scheme?.lowercased() == b.scheme?.lowercased() && a.host?.lowercased() == b.host?.lowercased() && port(a) == port(b)
    }

    /// Headers of a JSON request with HTTP Basic.
    static func headers(authorization: String, contentType: String) -> HTTPHeaders {
        ["Authorization": authorization, "Content-Type": contentType, "Accept": "application/json"]
    }

    /// POSTs a JSON object with the given authorization and content type.
    static func postJSON(_ http: HTTPClient, url: String, authorization: String, contentType: String = "application/json", _ body: JSONObject) async -> HTTPAnswer {
        await callProvider(
            http, method: .POST, url: url, headers: headers(authorization: authorization, contentType: contentType),
            body: Array(JSONValue.object(body).serialized().utf8))
    }

    /// Whether the request says its body is a form.
    static func isForm(_ request: WebhookRequest) -> Bool {
        request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true
    }

    /// The form pairs of a POST body, or the query of a GET.
    static func formPairs(_ request: WebhookRequest) -> [(String, String)] {
        if request.method == .get { return request.query.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
        return formDecode(request.bodyText)
    }

    /// A loosely documented body as one field map: JSON object, form, or (GET) query.
    static func looseFields(_ request: WebhookRequest) -> [String: JSONValue]? {
        let json = isForm(request) || request.method == .get ? nil : request.json
        return CarrierInbound.fields(json: json, form: json == nil ? formPairs(request) : [])
    }

    /// A stable id for a message whose carrier sends none: the hex SHA-256 of the raw body, so a
    /// replay of the same webhook is recognised (and two identical messages are not told apart).
    static func derivedID(_ body: [UInt8], prefix: String) -> String {
        prefix + SHA256.hash(data: body).prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// Runs a body reader, turning its refusal into a 400 (nothing stored).
    static func reading<T>(_ read: () throws(InboundRejection) -> T) throws(WebhookRejection) -> T {
        do {
            return try read()
        } catch {
            throw WebhookRejection(.badRequest, error.reason)
        }
    }

    /// Reads a JSON body with `parse` into messages and reports; not JSON or refused is a 400.
    static func jsonEvents(
        _ request: WebhookRequest, _ parse: (JSONValue) throws(InboundRejection) -> (messages: [InboundMessage], reports: [DeliveryReport])
    ) throws(WebhookRejection) -> WebhookContent {
        guard let json = request.json else { throw WebhookRejection(.badRequest, "the body is not JSON") }
        let (messages, reports) = try reading { () throws(InboundRejection) in try parse(json) }
        return .events(messages: messages, reports: reports)
    }

    /// Reads a loosely documented body (JSON, form or query) into one message with `parse`.
    static func looseMessage(
        _ request: WebhookRequest, _ parse: ([String: JSONValue]) throws(InboundRejection) -> InboundMessage
    ) throws(WebhookRejection) -> WebhookContent {
        guard let fields = looseFields(request) else { throw WebhookRejection(.badRequest, "the body is neither JSON nor a form") }
        return .events(messages: [try reading { () throws(InboundRejection) in try parse(fields) }], reports: [])
    }

    /// Unix seconds now.
    public static func unixNow() -> Int64 { Int64(Date().timeIntervalSince1970) }
}
