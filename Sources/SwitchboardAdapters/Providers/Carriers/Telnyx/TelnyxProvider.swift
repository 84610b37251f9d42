import AsyncHTTPClient
import Crypto
import HTTPTypes
import NIOHTTP1
import SwitchboardCore

/// Telnyx Messaging API v2 (reference §2): JSON sends with `Authorization: Bearer {api_key}` to
/// `/v2/messages`; webhooks (`message.received`, `message.sent`, `message.finalized`) signed with
/// Ed25519 over `{telnyx-timestamp}|{raw body}`, checked against the channel's `public_key` and
/// refused when the timestamp is more than 300 s from now.
///
/// Double sends: `/v2/messages` takes no idempotency key ([U] none documented), so a crash after
/// Telnyx accepted a message and before its id was recorded resends it — the customer can get it twice.
public struct TelnyxProvider: MessagingProvider {
    public static let defaultBaseURL = "https://api.telnyx.com"
    public let name = "telnyx"
    public let baseURL: String
    let now: @Sendable () -> Int64

    public var resendMayDuplicate: Bool { true }

    public init(baseURL: String = TelnyxProvider.defaultBaseURL, now: @escaping @Sendable () -> Int64 = CarrierSupport.unixNow) {
        self.baseURL = baseURL
        self.now = now
    }

    public func send(_ request: OutboundRequest, account: ChannelAccount, http: HTTPClient) async -> SendOutcome {
        guard let key = account.secret("api_key") else { return .failed(SendFailure(.authNotExist, "the channel has no api_key")) }
        var body: JSONObject = ["from": .string(request.from), "to": .string(request.to)]
        if !request.text.isEmpty { body["text"] = .string(request.text) }
        if !request.mediaURLs.isEmpty {
            body["media_urls"] = .array(request.mediaURLs.map(JSONValue.string))
            body["type"] = "MMS"
        }
        let answer = await CarrierSupport.postJSON(http, url: "\(baseURL)/v2/messages", authorization: "Bearer \(key)", body)
        return TelnyxWire.sendOutcome(status: answer.status, body: answer.json, rawBody: answer.body, retryAfter: answer.retryAfter)
    }

    public func readWebhook(_ request: WebhookRequest, account: ChannelAccount) throws(WebhookRejection) -> WebhookContent {
        guard let key = Self.publicKey(account) else { throw WebhookRejection(.forbidden, "the channel has no usable public_key") }
        guard let signatureText = request.headers[HTTPField.Name("telnyx-signature-ed25519")!],
            let timestamp = request.headers[HTTPField.Name("telnyx-timestamp")!],
            let signature = Formats.decodeBase64(signatureText.trimmingSpaces)
        else { throw WebhookRejection(.forbidden, "telnyx-signature-ed25519 and telnyx-timestamp are required") }
        guard key.isValidSignature(signature, for: TelnyxWire.signedPayload(timestamp: timestamp, body: request.body)) else {
            throw WebhookRejection(.forbidden, "telnyx-signature-ed25519 does not match")
        }
        guard TelnyxWire.isFresh(timestamp: timestamp, now: now()) else {
            throw WebhookRejection(.forbidden, "telnyx-timestamp is outside the 300 s window")
        }
        return try CarrierSupport.jsonEvents(request, TelnyxWire.events)
    }

    /// The Ed25519 key from `public_key`. The admin pastes Telnyx's Base64 key and the API stores
    /// every credential Base64 again (seed 000), so the stored value is decoded twice; a value
    /// stored only once (the raw 32 bytes in Base64) is accepted too.
    static func publicKey(_ account: ChannelAccount) -> Curve25519.Signing.PublicKey? {
        guard let stored = account.credentials["public_key"], let outer = Formats.decodeBase64(stored.trimmingSpaces) else { return nil }
        if let inner = Formats.decodeBase64(String(decoding: outer, as: UTF8.self).trimmingSpaces), inner.count == 32 {
            return try? Curve25519.Signing.PublicKey(rawRepresentation: inner)
        }
        return outer.count == 32 ? try? Curve25519.Signing.PublicKey(rawRepresentation: outer) : nil
    }

    /// Lists one messaging profile (`GET /v2/messaging_profiles`) to prove the API key works
    /// [U: any authenticated GET would do; this one needs only messaging access].
    public func checkConnectivity(account: ChannelAccount, http: HTTPClient) async -> ChannelConnectivity? {
        guard let key = account.secret("api_key") else { return .unauthorized }
        let answer = await callProvider(
            http, method: .GET, url: "\(baseURL)/v2/messaging_profiles?page%5Bsize%5D=1",
            headers: ["Authorization": "Bearer \(key)", "Accept": "application/json"], timeout: .seconds(15))
        return CarrierWire.connectivity(status: answer.status)
    }
}
