import Hummingbird
import Logging
import SwitchboardCore

/// Provider webhooks at `/api/v1.0/webhook/{provider}/{webhook_gid}`: verify on the raw bytes,
/// store in one transaction, then — and only then — answer the provider's success status.
struct WebhookController {
    let channels: ChannelStore
    let providers: ProviderRegistry
    let inbound: InboundService
    /// Largest webhook body accepted.
    var maxBody = 4 << 20

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("api/v1.0/webhook/:provider/:gid", use: receive)
        router.get("api/v1.0/webhook/:provider/:gid", use: receive)
    }

    @Sendable func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let providerName = try context.parameters.require("provider")
        let gid = try context.parameters.require("gid")
        guard let channel = try await channels.channel(webhookGID: gid), channel.account.provider == providerName,
            let provider = providers[providerName]
        else {
            return Self.plain(.notFound, "unknown webhook")
        }
        var request = request
        let body: [UInt8]
        do {
            body = Array((try await request.collectBody(upTo: maxBody)).readableBytesView)
        } catch {
            return Self.plain(.contentTooLarge, "body too large")
        }
        let query = request.uri.query.map { "?" + $0 } ?? ""
        let webhook = WebhookRequest(
            method: request.method, url: channel.account.webhookURL + query, headers: request.headers,
            query: request.queryDictionary, body: body)
        var logger = context.logger
        logger[metadataKey: "channel_id"] = .stringConvertible(channel.account.channelID)
        let content: WebhookContent
        do {
            content = try provider.readWebhook(webhook, account: channel.account)
        } catch {
            logger.notice("webhook refused", metadata: ["reason": .string(error.reason)])
            return Self.plain(error.status, error.reason)
        }
        switch content {
        case .handshake(let answer):
            return Self.plain(.ok, answer)
        case .events(let messages, let reports):
            do {
                try await inbound.store(messages, account: channel.account)
                try await inbound.apply(reports, account: channel.account)
            } catch let error as InboundService.UnknownNumber {
                logger.notice("webhook for a number the channel does not have", metadata: ["number": .string(error.number)])
                return Self.plain(.badRequest, "number \(error.number) is not configured on this channel")
            }
            return Response(status: provider.webhookSuccessStatus)
        }
    }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: .init(string: text)))
    }
}
