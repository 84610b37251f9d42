import AsyncHTTPClient
import SwitchboardCore

/// The `livechat` "provider": the visitor's widget is the recipient. Sending marks the message
/// sent; the widget reads it from the event log (`/api/livechat/messages`, a long poll woken by
/// the message's events). Visitors' messages come in through `/api/livechat/send`, not a webhook.
public struct LiveChatProvider: MessagingProvider {
    public let name = "livechat"
    /// A resend after a crash shows the message once: the widget lists messages by id.
    public var resendMayDuplicate: Bool { false }

    public init() {}

    public func send(_ request: OutboundRequest, account: ChannelAccount, http: HTTPClient) async -> SendOutcome {
        .accepted(providerMessageID: "lc-\(request.messageID)")
    }

    public func readWebhook(_ request: WebhookRequest, account: ChannelAccount) throws(WebhookRejection) -> WebhookContent {
        throw WebhookRejection(.notFound, "Live Chat has no webhook")
    }

    public func checkConnectivity(account: ChannelAccount, http: HTTPClient) async -> ChannelConnectivity? { .connected }
}
