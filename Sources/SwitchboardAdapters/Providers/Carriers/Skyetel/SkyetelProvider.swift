import AsyncHTTPClient
import HTTPTypes
import NIOHTTP1
import SwitchboardCore

/// Skyetel (reference §6): JSON sends (`to` as 11 digits, `text`, `media`) with HTTP Basic
/// `sid_key:secret_key` to `/v1/out?from={11-digit sender}` — the sender goes in the query string.
/// Inbound messages are JSON with `to`, `from`, `text`, `media`, posted to the channel's webhook
/// URL (a GET with the same fields as query parameters is read too). Skyetel signs nothing and
/// sends no message id ([U]): replays are recognised by a hash of the raw body, and the channel's
/// unguessable webhook URL is the only protection. No delivery receipts are documented.
///
/// Double sends: no idempotency key exists, so a crash after Skyetel accepted a message and
/// before it was recorded resends it — the customer can get it twice.
public struct SkyetelProvider: MessagingProvider {
    public static let defaultBaseURL = "https://sms.skyetel.com"
    public let name = "skyetel"
    public let baseURL: String
    let now: @Sendable () -> Int64

    public var resendMayDuplicate: Bool { true }

    public init(baseURL: String = SkyetelProvider.defaultBaseURL, now: @escaping @Sendable () -> Int64 = CarrierSupport.unixNow) {
        self.baseURL = baseURL
        self.now = now
    }

    public func send(_ request: OutboundRequest, account: ChannelAccount, http: HTTPClient) async -> SendOutcome {
        guard let sid = account.secret("sid_key"), let secret = account.secret("secret_key") else {
            return .failed(SendFailure(.authNotExist, "the channel has no sid_key or secret_key"))
        }
        var body: JSONObject = ["to": .string(CarrierWire.digits(request.to)), "text": .string(request.text)]
        if !request.mediaURLs.isEmpty { body["media"] = .array(request.mediaURLs.map(JSONValue.string)) }
        let from = formEncode([("from", CarrierWire.digits(request.from))])
        let answer = await CarrierSupport.postJSON(http, url: "\(baseURL)/v1/out?\(from)", authorization: CarrierSupport.basic(sid, secret), body)
        return SkyetelWire.sendOutcome(status: answer.status, body: answer.json, rawBody: answer.body, fallbackID: "skyetel-\(request.messageID)")
    }

    public func readWebhook(_ request: WebhookRequest, account: ChannelAccount) throws(WebhookRejection) -> WebhookContent {
        let raw = request.method == .get ? Array((request.url.split(separator: "?", maxSplits: 1).dropFirst().first ?? "").utf8) : request.body
        let id = CarrierSupport.derivedID(raw, prefix: "skyetel-")
        return try CarrierSupport.looseMessage(request) { fields throws(InboundRejection) in try SkyetelWire.inbound(fields, id: id, now: now()) }
    }
}
