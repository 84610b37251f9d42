import AsyncHTTPClient
import Crypto
import HTTPTypes
import NIOHTTP1
import SwitchboardCore

/// Twilio Programmable Messaging (reference §1): form-encoded sends with HTTP Basic
/// `account_sid:auth_token` to `/2010-04-01/Accounts/{sid}/Messages.json`, asking for status
/// callbacks on the channel's webhook URL; incoming messages and status callbacks arrive there as
/// forms signed `X-Twilio-Signature` = Base64 HMAC-SHA1(auth_token, URL + sorted params).
///
/// Double sends: Twilio's Messages API takes no idempotency key, so a crash after Twilio accepted
/// a message and before the sid was recorded resends it once the outbox lease runs out — the
/// customer can get it twice (the first copy's status callbacks then match nothing and are ignored).
public struct TwilioProvider: MessagingProvider {
    public static let defaultBaseURL = "https://api.twilio.com"
    public let name = "twilio"
    public let baseURL: String
    let now: @Sendable () -> Int64

    /// Acknowledging without a reply: 204 ([S] Twilio's messaging skill: "return TwiML to reply, or
    /// 204 to acknowledge without replying"; the documented alternative is an empty `<Response/>`).
    public var webhookSuccessStatus: HTTPResponse.Status { .noContent }
    public var resendMayDuplicate: Bool { true }

    public init(baseURL: String = TwilioProvider.defaultBaseURL, now: @escaping @Sendable () -> Int64 = CarrierSupport.unixNow) {
        self.baseURL = baseURL
        self.now = now
    }

    func credentials(_ account: ChannelAccount) -> (sid: String, token: String)? {
        guard let sid = account.secret("account_sid"), let token = account.secret("auth_token") else { return nil }
        return (sid, token)
    }

    public func send(_ request: OutboundRequest, account: ChannelAccount, http: HTTPClient) async -> SendOutcome {
        guard let (sid, token) = credentials(account) else {
            return .failed(SendFailure(.authNotExist, "the channel has no account_sid or auth_token"))
        }
        var form: [(String, String)] = [("To", request.to), ("From", request.from)]
        if !request.text.isEmpty { form.append(("Body", request.text)) }
        for url in request.mediaURLs { form.append(("MediaUrl", url)) }
        if !account.webhookURL.isEmpty { form.append(("StatusCallback", account.webhookURL)) }
        let answer = await callProvider(
            http, method: .POST, url: "\(baseURL)/2010-04-01/Accounts/\(sid)/Messages.json",
            headers: CarrierSupport.headers(authorization: CarrierSupport.basic(sid, token), contentType: "application/x-www-form-urlencoded"),
            body: Array(formEncode(form).utf8))
        return TwilioWire.sendOutcome(status: answer.status, body: answer.json, rawBody: answer.body, retryAfter: answer.retryAfter)
    }

    public func readWebhook(_ request: WebhookRequest, account: ChannelAccount) throws(WebhookRejection) -> WebhookContent {
        guard let (_, token) = credentials(account) else { throw WebhookRejection(.forbidden, "the channel has no auth_token") }
        let form = CarrierSupport.formPairs(request)
        guard Self.isValid(request, form: form, token: token) else {
            throw WebhookRejection(.forbidden, "X-Twilio-Signature does not match")
        }
        if TwilioWire.isStatusCallback(form) {
            return .events(messages: [], reports: TwilioWire.report(form).map { [$0] } ?? [])
        }
        let message = try CarrierSupport.reading { () throws(InboundRejection) in try TwilioWire.inbound(form, now: now()) }
        return .events(messages: [message], reports: [])
    }

    /// `X-Twilio-Signature` for `url` and `params`, as Twilio computes it.
    public static func signature(token: String, url: String, params: [(String, String)]) -> String {
        let base = TwilioWire.signatureBase(url: url, params: params)
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(base.utf8), using: SymmetricKey(data: Array(token.utf8)))
        return Formats.encodeBase64(Array(mac))
    }

    /// The SDK validator's rules: the signature over the URL (with or without its port) and the
    /// POST params; for JSON bodies the URL's `bodySHA256` must be the body's hex SHA-256 and the
    /// params are empty ([C] twilio-python `RequestValidator.validate`). Compared in constant time.
    static func isValid(_ request: WebhookRequest, form: [(String, String)], token: String) -> Bool {
        guard let given = request.headers[HTTPField.Name("X-Twilio-Signature")!] else { return false }
        var params = request.method == .post ? form : []
        if let bodyHash = request.query["bodySHA256"] {
            let actual = SHA256.hash(data: request.body).map { String(format: "%02x", $0) }.joined()
            guard constantTimeEqual(Array(actual.utf8), Array(bodyHash.lowercased().utf8)) else { return false }
            params = []
        }
        var valid = false
        for url in TwilioWire.signatureURLVariants(request.url) {
            // Every variant is computed and compared, so the time taken does not depend on which matched.
            if constantTimeEqual(Array(signature(token: token, url: url, params: params).utf8), Array(given.utf8)) { valid = true }
        }
        return valid
    }

    /// MMS media links (`/2010-04-01/Accounts/{sid}/Messages/{MM}/Media/{ME}`) are public unless the
    /// account enforces "HTTP Basic Authentication for media access"; sending `sid:token` works in
    /// both cases, and Twilio's redirect to its CDN drops the header.
    public func fetchMedia(_ media: MediaReference, account: ChannelAccount, http: HTTPClient, limit: Int) async -> FetchedMedia? {
        let authorization = credentials(account).map { CarrierSupport.basic($0.sid, $0.token) }
        return await CarrierSupport.fetchMedia(media, apiBase: baseURL, authorization: authorization, http: http, limit: limit)
    }

    /// Fetches the account (`GET /2010-04-01/Accounts/{sid}.json`): 200 means the credentials work.
    public func checkConnectivity(account: ChannelAccount, http: HTTPClient) async -> ChannelConnectivity? {
        guard let (sid, token) = credentials(account) else { return .unauthorized }
        let answer = await callProvider(
            http, method: .GET, url: "\(baseURL)/2010-04-01/Accounts/\(sid).json",
            headers: ["Authorization": CarrierSupport.basic(sid, token)], timeout: .seconds(15))
        return CarrierWire.connectivity(status: answer.status)
    }
}
