import AsyncHTTPClient
import Crypto
import Foundation
import HTTPTypes
import SwitchboardCore

/// The built-in `sandbox` SMS provider: it behaves like a real one — network latency on every send,
/// a delivery receipt a moment later, and a simulated customer who answers — but everything stays
/// on this machine. Receipts and replies come back over real HTTP to the channel's webhook, in the
/// General SMS API format (signed with `api_secret` when the channel has one), so the demo exercises
/// exactly the inbound path real providers use.
public struct SandboxProvider: MessagingProvider {
    public let name = "sandbox"
    public var webhookSuccessStatus: HTTPResponse.Status { .noContent }
    /// The sandbox has no idempotency key; a resend after a crash repeats the simulated SMS.
    public var resendMayDuplicate: Bool { true }
    let world: SandboxWorld

    public init(world: SandboxWorld) {
        self.world = world
    }

    public func send(_ request: OutboundRequest, account: ChannelAccount, http: HTTPClient) async -> SendOutcome {
        try? await Task.sleep(for: .milliseconds(Int.random(in: 20...80)))
        guard Formats.isE164(request.to) else { return .failed(SendFailure(.invalidPhoneNumber, "sandbox: \(request.to) is not E.164")) }
        let id = "sbx-" + UUID().uuidString.lowercased()
        world.schedule(.receipt(messageID: id), for: account, after: .milliseconds(400))
        if let reply = world.customer.reply(to: request.text) {
            world.schedule(.message(from: request.to, to: request.from, text: reply), for: account, after: .milliseconds(1500))
        }
        return .accepted(providerMessageID: id)
    }

    public func readWebhook(_ request: WebhookRequest, account: ChannelAccount) throws(WebhookRejection) -> WebhookContent {
        if let secret = account.secret("api_secret") {
            let expected = SandboxWorld.signature(secret: secret, body: request.body)
            guard let given = request.headers[HTTPField.Name("X-Signature-256")!], constantTimeEqual(Array(given.utf8), Array(expected.utf8)) else {
                throw WebhookRejection(.badRequest, "X-Signature-256 does not match")
            }
        }
        guard let json = request.json else { throw WebhookRejection(.badRequest, "the body is not JSON") }
        if json["data"]?["event_type"]?.stringValue == "message.status" {
            guard let id = json["data"]?["payload"]?["id"]?.stringValue else { throw WebhookRejection(.badRequest, "payload.id is required") }
            return .events(messages: [], reports: [DeliveryReport(providerMessageID: id, state: .delivered)])
        }
        do {
            return .events(messages: [try GeneralSMSAPI.inboundMessage(json)], reports: [])
        } catch {
            throw WebhookRejection(.badRequest, error.reason)
        }
    }

    public func checkConnectivity(account: ChannelAccount, http: HTTPClient) async -> ChannelConnectivity? { .connected }
}
