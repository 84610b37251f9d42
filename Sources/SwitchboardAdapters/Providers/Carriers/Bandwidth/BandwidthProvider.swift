import AsyncHTTPClient
import HTTPTypes
import NIOHTTP1
import SwitchboardCore

/// Bandwidth Messaging API v2 (reference §3): JSON sends with HTTP Basic `username:password` to
/// `/api/v2/users/{account_id}/messages` (`to` is an array, `applicationId` required, 202 on
/// success); callbacks arrive as a JSON array of events, inbound and delivery status alike.
///
/// Bandwidth does not sign callbacks; it can send HTTP Basic with credentials set on the
/// application ([C]). Yeastar's setup (seed 003) sets none, so a callback without `Authorization`
/// is accepted — the channel's unguessable webhook URL is then the only protection — and one
/// with `Authorization` must carry the channel's `username:password`.
///
/// Double sends: no idempotency key exists, so a crash after Bandwidth answered 202 and before the
/// id was recorded resends the message — the customer can get it twice.
public struct BandwidthProvider: MessagingProvider {
    public static let defaultBaseURL = "https://messaging.bandwidth.com"
    public let name = "bandwidth"
    public let baseURL: String

    public var resendMayDuplicate: Bool { true }

    public init(baseURL: String = BandwidthProvider.defaultBaseURL) {
        self.baseURL = baseURL
    }

    public func send(_ request: OutboundRequest, account: ChannelAccount, http: HTTPClient) async -> SendOutcome {
        guard let applicationID = account.secret("application_id"), let accountID = account.secret("account_id"),
            let user = account.secret("username"), let password = account.secret("password")
        else { return .failed(SendFailure(.authNotExist, "the channel lacks application_id, account_id, username or password")) }
        var body: JSONObject = [
            "applicationId": .string(applicationID), "to": [.string(request.to)], "from": .string(request.from),
            "text": .string(request.text), "tag": .string(String(request.messageID)),
        ]
        if !request.mediaURLs.isEmpty { body["media"] = .array(request.mediaURLs.map(JSONValue.string)) }
        let answer = await CarrierSupport.postJSON(
            http, url: "\(baseURL)/api/v2/users/\(accountID)/messages", authorization: CarrierSupport.basic(user, password),
            contentType: "application/json; charset=utf-8", body)
        return BandwidthWire.sendOutcome(status: answer.status, body: answer.json, rawBody: answer.body, retryAfter: answer.retryAfter)
    }

    /// Inbound media lives under `/api/v2/users/{accountId}/media/…` and needs the API credentials
    /// (providers.md §3).
    public func fetchMedia(_ media: MediaReference, account: ChannelAccount, http: HTTPClient, limit: Int) async -> FetchedMedia? {
        let authorization = account.secret("username").flatMap { user in account.secret("password").map { CarrierSupport.basic(user, $0) } }
        return await CarrierSupport.fetchMedia(media, apiBase: baseURL, authorization: authorization, http: http, limit: limit)
    }

    /// Lists one message (`GET /api/v2/users/{accountId}/messages?limit=1`): 200 means the account
    /// and its API credentials work; 401/403 that they do not.
    public func checkConnectivity(account: ChannelAccount, http: HTTPClient) async -> ChannelConnectivity? {
        guard let accountID = account.secret("account_id"), let user = account.secret("username"), let password = account.secret("password")
        else { return .unauthorized }
        let answer = await callProvider(
            http, method: .GET, url: "\(baseURL)/api/v2/users/\(accountID)/messages?limit=1",
            headers: ["Authorization": CarrierSupport.basic(user, password), "Accept": "application/json"], timeout: .seconds(15))
        return CarrierWire.connectivity(status: answer.status)
    }

    public func readWebhook(_ request: WebhookRequest, account: ChannelAccount) throws(WebhookRejection) -> WebhookContent {
        if request.headers[.authorization] != nil {
            try CarrierSupport.requireBasic(request, user: account.secret("username") ?? "", password: account.secret("password") ?? "")
        }
        return try CarrierSupport.jsonEvents(request, BandwidthWire.callbacks)
    }
}
