import AsyncHTTPClient
import Crypto
import Foundation
import NIOHTTP1
import HTTPTypes
import SwitchboardCore

/// What WhatsApp and Messenger webhooks share (Graph webhooks getting-started page, [C]): the GET
/// subscription handshake and the `X-Hub-Signature-256` check on POSTs.
///
/// Refusals: a wrong handshake is 403, as Meta's page says. A missing or wrong signature is also
/// 403 — Meta documents no status for it; 403 ("we know who you claim to be and refuse") fits a
/// request that carries credentials which do not verify, and Meta only retries and eventually
/// disables a subscription that keeps failing, which is what a forged sender should see.
/// A body that verifies but is not a Meta webhook is 400.
enum MetaWebhook {
    static let signatureHeader = HTTPField.Name("X-Hub-Signature-256")!

    /// Reads a webhook for a Meta channel: handshake on GET, verified events on POST.
    static func read(
        _ request: WebhookRequest, account: ChannelAccount,
        parse: (JSONValue) throws(InboundRejection) -> (messages: [InboundMessage], reports: [DeliveryReport])
    ) throws(WebhookRejection) -> WebhookContent {
        switch request.method {
        case .get:
            guard let challenge = MetaGraph.handshakeChallenge(
                query: request.query, verifyToken: account.verifyToken,
                tokensEqual: { constantTimeEqual(Array($0.utf8), Array($1.utf8)) })
            else { throw WebhookRejection(.forbidden, "hub.mode or hub.verify_token does not match") }
            return .handshake(challenge)
        case .post:
            guard let secret = account.secret("app_secret") else {
                throw WebhookRejection(.forbidden, "the channel has no app_secret to verify X-Hub-Signature-256 with")
            }
            guard let given = request.headers[signatureHeader],
                constantTimeEqual(Array(given.utf8), Array(signature(secret: secret, body: request.body).utf8))
            else { throw WebhookRejection(.forbidden, "X-Hub-Signature-256 does not match") }
            guard let json = request.json else { throw WebhookRejection(.badRequest, "the body is not JSON") }
            do {
                let events = try parse(json)
                return .events(messages: events.messages, reports: events.reports)
            } catch {
                throw WebhookRejection(.badRequest, error.reason)
            }
        default:
            throw WebhookRejection(.methodNotAllowed, "Meta webhooks are GET (handshake) or POST")
        }
    }

    /// `sha256=<lowercase hex HMAC-SHA256(app secret, raw body)>`, as Meta signs.
    static func signature(secret: String, body: [UInt8]) -> String {
        "sha256=" + hexHMAC(key: secret, message: body)
    }

    /// Lowercase hex HMAC-SHA256 (also Graph's `appsecret_proof` of a token).
    static func hexHMAC(key: String, message: [UInt8]) -> String {
        HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(key.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }
}

/// Where an adapter reaches Graph: the configured base (for fakes and staging) and the version.
struct GraphEndpoint: Sendable {
    var baseURL: String

    init(_ configured: String?) {
        var base = configured ?? MetaGraph.defaultBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        baseURL = base
    }

    /// `{base}/{version}/{path}`.
    func url(_ path: String) -> String {
        "\(baseURL)/\(MetaGraph.version)/\(path)"
    }
}

extension GraphEndpoint {
    /// POSTs `body` as JSON to `url` and classifies the answer with `outcome`.
    func post(
        _ http: HTTPClient, url: String, headers: HTTPHeaders = [:], body: JSONValue,
        outcome: (Int?, JSONValue?, String, Int64?) -> SendOutcome
    ) async -> SendOutcome {
        var headers = headers
        headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        let answer = await callProvider(http, method: .POST, url: url, headers: headers, body: Array(body.serialized().utf8))
        return outcome(answer.status, answer.json, answer.body, answer.retryAfter)
    }

    /// Sends a message made of several Graph messages (a text and files) one after the other and
    /// reports it as one: accepted with the first part's id when all went out; the first part's
    /// own outcome when it failed (nothing reached the customer, so a retry is safe); failed, not
    /// retried, when a later part failed — earlier parts already reached the customer and a retry
    /// would send them again.
    static func sendParts(_ bodies: [JSONValue], send: (JSONValue) async -> SendOutcome) async -> SendOutcome {
        var firstID: String?
        for (index, body) in bodies.enumerated() {
            let outcome = await send(body)
            switch outcome {
            case .accepted(let id):
                if firstID == nil { firstID = id }
            case .retry(let failure, _), .failed(let failure):
                if index == 0 { return outcome }
                return .failed(SendFailure(failure.kind, "part \(index + 1) of \(bodies.count) failed after earlier parts were sent: \(failure.providerMessage)"))
            }
        }
        guard let firstID else { return .failed(SendFailure(.invalidParam, "nothing to send")) }
        return .accepted(providerMessageID: firstID)
    }
}
