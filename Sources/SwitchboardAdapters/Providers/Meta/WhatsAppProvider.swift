import AsyncHTTPClient
import HTTPTypes
import SwitchboardCore

/// The WhatsApp Business Cloud API (providers.md §9; seed 003 "WhatsApp"): sends go to
/// `POST {graph}/{version}/{phone_number_id}/messages` with `Authorization: Bearer {access_token}`
/// (text, media by public link, templates from `whatsapp_msg_param`); webhooks are Meta's GET
/// handshake and `X-Hub-Signature-256`-signed POSTs carrying messages and statuses.
///
/// Resending after a crash may duplicate: the Cloud API takes no idempotency key, so a message
/// Meta accepted but we did not record as sent is sent again (every part of a text-plus-files
/// message). Status webhooks about the unrecorded first copy name a `wamid` we never stored and
/// are ignored; the resent copy is the one tracked.
public struct WhatsAppProvider: MessagingProvider {
    public let name = "whatsapp"
    let graph: GraphEndpoint

    /// `baseURL` overrides `https://graph.facebook.com` (configuration `providerBaseURLs["whatsapp"]`).
    public init(baseURL: String? = nil) {
        graph = GraphEndpoint(baseURL)
    }

    public func send(_ request: OutboundRequest, account: ChannelAccount, http: HTTPClient) async -> SendOutcome {
        guard let token = account.secret("access_token"), !account.phoneNumberID.isEmpty else {
            return .failed(SendFailure(.authNotExist, "the channel has no access_token or phone_number_id"))
        }
        let bodies: [JSONValue]
        do {
            if let template = request.template {
                let payload = try WhatsAppTemplate.payload(template, mediaLinks: request.mediaURLs)
                bodies = [WhatsAppCloudAPI.templateBody(to: request.to, template: payload)]
            } else {
                bodies = try WhatsAppCloudAPI.messageBodies(to: request.to, text: request.text, mediaLinks: request.mediaURLs)
            }
        } catch {
            return .failed(error)
        }
        let url = graph.url("\(account.phoneNumberID)/messages")
        return await GraphEndpoint.sendParts(bodies) { body in
            await graph.post(http, url: url, headers: ["Authorization": "Bearer \(token)"], body: body) {
                WhatsAppCloudAPI.sendOutcome(status: $0, body: $1, rawBody: $2, retryAfter: $3)
            }
        }
    }

    public func readWebhook(_ request: WebhookRequest, account: ChannelAccount) throws(WebhookRejection) -> WebhookContent {
        try MetaWebhook.read(request, account: account) { json throws(InboundRejection) in
            try WhatsAppCloudAPI.webhookEvents(json, phoneNumberID: account.phoneNumberID)
        }
    }

    /// `GET {graph}/{version}/{phone_number_id}` with the token: the number's own node.
    public func checkConnectivity(account: ChannelAccount, http: HTTPClient) async -> ChannelConnectivity? {
        guard let token = account.secret("access_token"), !account.phoneNumberID.isEmpty else { return .unauthorized }
        let answer = await callProvider(
            http, method: .GET, url: graph.url(account.phoneNumberID), headers: ["Authorization": "Bearer \(token)"], timeout: .seconds(15))
        return MetaGraph.connectivity(status: answer.status, body: answer.json)
    }
}
