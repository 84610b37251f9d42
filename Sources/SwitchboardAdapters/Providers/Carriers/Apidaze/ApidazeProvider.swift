import AsyncHTTPClient
import HTTPTypes
import NIOHTTP1
import SwitchboardCore

/// Apidaze (reference §8): form-encoded sends (`from`, `to` as digits, `body`) to
/// `/{api_key}/sms/send?api_secret={api_secret}` — key in the path, secret in the query ([C]
/// official SDKs). Files go as links after the text, which is the channel's accompanying text when
/// the agent wrote none (see `ApidazeWire.body`). Inbound messages are read defensively from JSON
/// or form fields ([U] format); nothing is signed, so the channel's unguessable webhook URL is the
/// only protection. No delivery receipts are known.
///
/// Double sends: no idempotency key exists, so a crash after Apidaze accepted a message and
/// before it was recorded resends it — the customer can get it twice.
public struct ApidazeProvider: MessagingProvider {
    public static let defaultBaseURL = "https://api.apidaze.io"
    public let name = "apidaze"
    public let baseURL: String
    let now: @Sendable () -> Int64

    public var resendMayDuplicate: Bool { true }

    public init(baseURL: String = ApidazeProvider.defaultBaseURL, now: @escaping @Sendable () -> Int64 = CarrierSupport.unixNow) {
        self.baseURL = baseURL
        self.now = now
    }

    public func send(_ request: OutboundRequest, account: ChannelAccount, http: HTTPClient) async -> SendOutcome {
        guard let key = account.secret("api_key"), let secret = account.secret("api_secret") else {
            return .failed(SendFailure(.authNotExist, "the channel has no api_key or api_secret"))
        }
        let text = ApidazeWire.body(text: request.text, mediaURLs: request.mediaURLs, accompanyingMessage: account.accompanyingMessage)
        let form = [("from", CarrierWire.digits(request.from)), ("to", CarrierWire.digits(request.to)), ("body", text)]
        let path = formEncode([("k", key)]).dropFirst(2)
        let answer = await callProvider(
            http, method: .POST, url: "\(baseURL)/\(path)/sms/send?\(formEncode([("api_secret", secret)]))",
            headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"],
            body: Array(formEncode(form).utf8))
        return ApidazeWire.sendOutcome(status: answer.status, body: answer.json, rawBody: answer.body, fallbackID: "apidaze-\(request.messageID)")
    }

    public func readWebhook(_ request: WebhookRequest, account: ChannelAccount) throws(WebhookRejection) -> WebhookContent {
        let derivedID = CarrierSupport.derivedID(request.body, prefix: "apidaze-")
        return try CarrierSupport.looseMessage(request) { fields throws(InboundRejection) in
            try ApidazeWire.inbound(fields, derivedID: derivedID, now: now())
        }
    }
}
