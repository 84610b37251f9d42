import AsyncHTTPClient
import HTTPTypes
import NIOHTTP1
import SwitchboardCore

/// Flowroute Messaging API v2.1 (reference §4): sends are a flat JSON object (`to`, `from` as
/// digits without `+`, `body`, `media_urls`, `is_mms`) posted as `application/vnd.api+json` with
/// HTTP Basic `access_key:secret_key` to `/v2.1/messages` (202, `data.id` = `mdr2-…`); inbound
/// messages and delivery receipts are JSON:API documents on the channel's webhook URL.
///
/// Flowroute documents no webhook signature ([U]): the channel's unguessable webhook URL is the
/// only protection. SIPTRUNK is served by this adapter under its own name and base URL.
///
/// Double sends: no idempotency key exists, so a crash after the 202 and before the id was
/// recorded resends the message — the customer can get it twice.
public struct FlowrouteProvider: MessagingProvider {
    public static let defaultBaseURL = "https://api.flowroute.com"
    public let name: String
    public let baseURL: String

    public var resendMayDuplicate: Bool { true }

    public init(name: String = "flowroute", baseURL: String = FlowrouteProvider.defaultBaseURL) {
        self.name = name
        self.baseURL = baseURL
    }

    public func send(_ request: OutboundRequest, account: ChannelAccount, http: HTTPClient) async -> SendOutcome {
        guard let access = account.secret("access_key"), let secret = account.secret("secret_key") else {
            return .failed(SendFailure(.authNotExist, "the channel has no access_key or secret_key"))
        }
        var body: JSONObject = ["to": .string(CarrierWire.digits(request.to)), "from": .string(CarrierWire.digits(request.from))]
        if !request.text.isEmpty || request.mediaURLs.isEmpty { body["body"] = .string(request.text) }
        if !request.mediaURLs.isEmpty {
            body["media_urls"] = .array(request.mediaURLs.map(JSONValue.string))
            body["is_mms"] = true
        }
        let answer = await CarrierSupport.postJSON(
            http, url: "\(baseURL)/v2.1/messages", authorization: CarrierSupport.basic(access, secret), contentType: "application/vnd.api+json", body)
        return FlowrouteWire.sendOutcome(status: answer.status, body: answer.json, rawBody: answer.body, retryAfter: answer.retryAfter)
    }

    /// Lists one of the account's numbers (Numbers API v2, `GET /v2/numbers?limit=1`, same Basic
    /// credentials): 200 means they work. SIPTRUNK's API is undocumented (providers.md §12), so no
    /// check is guessed for it.
    public func checkConnectivity(account: ChannelAccount, http: HTTPClient) async -> ChannelConnectivity? {
        guard name == "flowroute" else { return nil }
        guard let access = account.secret("access_key"), let secret = account.secret("secret_key") else { return .unauthorized }
        let answer = await callProvider(
            http, method: .GET, url: "\(baseURL)/v2/numbers?limit=1",
            headers: ["Authorization": CarrierSupport.basic(access, secret), "Accept": "application/vnd.api+json"], timeout: .seconds(15))
        return CarrierWire.connectivity(status: answer.status)
    }

    public func readWebhook(_ request: WebhookRequest, account: ChannelAccount) throws(WebhookRejection) -> WebhookContent {
        try CarrierSupport.jsonEvents(request, FlowrouteWire.webhook)
    }
}
