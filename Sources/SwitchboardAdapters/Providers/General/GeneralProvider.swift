import AsyncHTTPClient
import Crypto
import HTTPTypes
import NIOHTTP1
import SwitchboardCore

/// The custom "General" SMS API of seed 003 (also spoken by Athena, IXICA and Vetta channels):
/// Bearer-key JSON sends to `api_send_url`, challenge checks against `api_verify_url`, and inbound
/// webhooks signed `X-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>`, answered 204.
///
/// Resending after a crash may duplicate: the contract has no idempotency key.
public struct GeneralProvider: MessagingProvider {
    public let name: String
    public var webhookSuccessStatus: HTTPResponse.Status { .noContent }

    public init(name: String = "general") {
        self.name = name
    }

    public func send(_ request: OutboundRequest, account: ChannelAccount, http: HTTPClient) async -> SendOutcome {
        guard let url = account.plain("api_send_url"), let key = account.secret("api_key") else {
            return .failed(SendFailure(.authNotExist, "the channel has no api_send_url or api_key"))
        }
        var body: JSONObject = ["from": .string(request.from), "to": .string(request.to)]
        if !request.text.isEmpty { body["text"] = .string(request.text) }
        if !request.mediaURLs.isEmpty { body["media_urls"] = .array(request.mediaURLs.map(JSONValue.string)) }
        let answer = await callProvider(
            http, method: .POST, url: url,
            headers: ["Content-Type": "application/json", "Authorization": "Bearer \(key)"],
            body: Array(JSONValue.object(body).serialized().utf8))
        return GeneralSMSAPI.sendOutcome(status: answer.status, body: answer.json, rawBody: answer.body)
    }

    public func readWebhook(_ request: WebhookRequest, account: ChannelAccount) throws(WebhookRejection) -> WebhookContent {
        if let secret = account.secret("api_secret") {
            let expected = "sha256=" + HMAC<SHA256>.authenticationCode(for: request.body, using: SymmetricKey(data: Array(secret.utf8)))
                .map { String(format: "%02x", $0) }.joined()
            guard let given = request.headers[HTTPField.Name("X-Signature-256")!],
                constantTimeEqual(Array(given.utf8), Array(expected.utf8))
            else { throw WebhookRejection(.badRequest, "X-Signature-256 does not match") }
        }
        guard let json = request.json else { throw WebhookRejection(.badRequest, "the body is not JSON") }
        do {
            return .events(messages: [try GeneralSMSAPI.inboundMessage(json)], reports: [])
        } catch {
            throw WebhookRejection(.badRequest, error.reason)
        }
    }

    public func checkConnectivity(account: ChannelAccount, http: HTTPClient) async -> ChannelConnectivity? {
        guard let url = account.plain("api_verify_url") else { return nil }
        let challenge = RandomToken.alphanumeric(32)
        let separator = url.contains("?") ? "&" : "?"
        let answer = await callProvider(
            http, method: .GET, url: url + separator + "challenge=" + challenge,
            headers: ["Authorization": "Bearer \(account.secret("api_key") ?? "")"], timeout: .seconds(15))
        return GeneralSMSAPI.connectivity(status: answer.status, rawBody: answer.body, challenge: challenge)
    }
}
