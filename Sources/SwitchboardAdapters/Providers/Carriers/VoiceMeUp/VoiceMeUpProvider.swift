import AsyncHTTPClient
import HTTPTypes
import NIOHTTP1
import SwitchboardCore

/// VoiceMeUp (reference §7, [S] throughout): form-encoded sends to `/api/v1.1/json/queue_sms`
/// with the credentials as form fields (`username`, `auth_token`), digits-only
/// `source_number`/`destination_number`, `message` and one `attachment` URL per request; the id is
/// the `queued_sms_hash` entry of the answer. Inbound callbacks (form or JSON: [U] which) carry
/// `sms_hash`, `source_number`, `destination_number`, `message` and an attachment. Nothing is
/// signed ([U]): the channel's unguessable webhook URL is the only protection.
///
/// A message with several files goes as several requests (the text rides with the first file);
/// when a later one fails the message is marked failed without retrying, so the parts already
/// queued are not sent again.
///
/// Double sends: no idempotency key exists, so a crash after VoiceMeUp queued a message and
/// before the hash was recorded resends the message (all its parts) — the customer can get it twice.
public struct VoiceMeUpProvider: MessagingProvider {
    public static let defaultBaseURL = "https://clients.voicemeup.com"
    public let name = "voicemeup"
    public let baseURL: String
    let now: @Sendable () -> Int64

    public var resendMayDuplicate: Bool { true }

    public init(baseURL: String = VoiceMeUpProvider.defaultBaseURL, now: @escaping @Sendable () -> Int64 = CarrierSupport.unixNow) {
        self.baseURL = baseURL
        self.now = now
    }

    public func send(_ request: OutboundRequest, account: ChannelAccount, http: HTTPClient) async -> SendOutcome {
        guard let user = account.secret("username"), let token = account.secret("auth_token") else {
            return .failed(SendFailure(.authNotExist, "the channel has no username or auth_token"))
        }
        let parts: [(text: String, attachment: String?)] = request.mediaURLs.isEmpty
            ? [(request.text, nil)]
            : request.mediaURLs.enumerated().map { index, url in (index == 0 ? request.text : "", url) }
        var firstID: String?
        for (index, part) in parts.enumerated() {
            var form = [
                ("username", user), ("auth_token", token), ("source_number", CarrierWire.digits(request.from)),
                ("destination_number", CarrierWire.digits(request.to)), ("message", part.text),
            ]
            if let attachment = part.attachment { form.append(("attachment", attachment)) }
            let answer = await callProvider(
                http, method: .POST, url: "\(baseURL)/api/v1.1/json/queue_sms",
                headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"],
                body: Array(formEncode(form).utf8))
            let outcome = VoiceMeUpWire.sendOutcome(status: answer.status, body: answer.json, rawBody: answer.body)
            switch outcome {
            case .accepted(let id): if firstID == nil { firstID = id }
            case .retry(let failure, _) where index > 0, .failed(let failure) where index > 0:
                return .failed(SendFailure(failure.kind, "file \(index + 1) of \(parts.count): \(failure.providerMessage)"))
            default: return outcome
            }
        }
        return .accepted(providerMessageID: firstID ?? "")
    }

    public func readWebhook(_ request: WebhookRequest, account: ChannelAccount) throws(WebhookRejection) -> WebhookContent {
        try CarrierSupport.looseMessage(request) { fields throws(InboundRejection) in try VoiceMeUpWire.inbound(fields, now: now()) }
    }
}
