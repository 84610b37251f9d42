import AsyncHTTPClient
import HTTPTypes
import SwitchboardCore

/// The Messenger Platform's Send API and page webhooks (providers.md §10; seed 003 "Facebook"):
/// replies go to `POST {graph}/{version}/me/messages?access_token={page token}&appsecret_proof=…`
/// as `RESPONSE`, or `MESSAGE_TAG` with the message's tag outside the 24-hour window; webhooks are
/// Meta's GET handshake and `X-Hub-Signature-256`-signed POSTs. The channel's number is the page id.
///
/// `appsecret_proof` (hex HMAC-SHA256 of the token with the app secret) is sent whenever the app
/// secret is known, so apps with "Require App Secret" on work too.
///
/// Resending after a crash may duplicate: the Send API takes no idempotency key, so a reply Meta
/// accepted but we did not record is sent again (text and every file).
public struct MessengerProvider: MessagingProvider {
    public let name = "facebook"
    let graph: GraphEndpoint

    /// `baseURL` overrides `https://graph.facebook.com` (configuration `providerBaseURLs["facebook"]`).
    public init(baseURL: String? = nil) {
        graph = GraphEndpoint(baseURL)
    }

    public func send(_ request: OutboundRequest, account: ChannelAccount, http: HTTPClient) async -> SendOutcome {
        guard let token = account.secret("access_token") else {
            return .failed(SendFailure(.authNotExist, "the channel has no access_token"))
        }
        let bodies: [JSONValue]
        do {
            bodies = try MessengerPlatform.messageBodies(to: request.to, text: request.text, mediaLinks: request.mediaURLs, tag: request.tag)
        } catch {
            return .failed(error)
        }
        let url = graph.url("me/messages") + "?" + tokenQuery(token, account: account)
        return await GraphEndpoint.sendParts(bodies) { body in
            await graph.post(http, url: url, body: body) {
                MessengerPlatform.sendOutcome(status: $0, body: $1, rawBody: $2, retryAfter: $3)
            }
        }
    }

    public func readWebhook(_ request: WebhookRequest, account: ChannelAccount) throws(WebhookRejection) -> WebhookContent {
        try MetaWebhook.read(request, account: account) { json throws(InboundRejection) in
            try MessengerPlatform.webhookEvents(json)
        }
    }

    /// `GET {graph}/{version}/me` with the page token: the page itself.
    public func checkConnectivity(account: ChannelAccount, http: HTTPClient) async -> ChannelConnectivity? {
        guard let token = account.secret("access_token") else { return .unauthorized }
        let answer = await callProvider(
            http, method: .GET, url: graph.url("me") + "?" + tokenQuery(token, account: account), headers: [:], timeout: .seconds(15))
        return MetaGraph.connectivity(status: answer.status, body: answer.json)
    }

    /// `access_token=…` and, with the app secret, `appsecret_proof=…`.
    func tokenQuery(_ token: String, account: ChannelAccount) -> String {
        var pairs = [("access_token", token)]
        if let secret = account.secret("app_secret") {
            pairs.append(("appsecret_proof", MetaWebhook.hexHMAC(key: secret, message: Array(token.utf8))))
        }
        return formEncode(pairs)
    }
}
