import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOHTTP1
import SwitchboardCore

/// What an adapter knows about the channel it acts for: its credentials (opened from the sealed
/// column) and the few per-channel settings providers need.
public struct ChannelAccount: Sendable {
    public var channelID: Int64
    public var provider: String
    public var type: String
    /// `account_data` as the admin gave it: key → value (secrets still Base64, as stored).
    public var credentials: [String: String]
    public var phoneNumberID: String
    public var businessAccountID: String
    public var verifyToken: String
    public var accompanyingMessage: String
    /// The URL this channel's webhooks arrive at (what providers sign, e.g. Twilio).
    public var webhookURL: String

    public init(
        channelID: Int64, provider: String, type: String, credentials: [String: String], phoneNumberID: String = "",
        businessAccountID: String = "", verifyToken: String = "", accompanyingMessage: String = "", webhookURL: String = ""
    ) {
        self.channelID = channelID
        self.provider = provider
        self.type = type
        self.credentials = credentials
        self.phoneNumberID = phoneNumberID
        self.businessAccountID = businessAccountID
        self.verifyToken = verifyToken
        self.accompanyingMessage = accompanyingMessage
        self.webhookURL = webhookURL
    }

    /// A credential the admin entered Base64-encoded (seed 000), decoded to text; nil when absent.
    public func secret(_ key: String) -> String? {
        guard let value = credentials[key], !value.isEmpty else { return nil }
        return Formats.decodeBase64(value).map { String(decoding: $0, as: UTF8.self) } ?? value
    }

    /// A credential stored as plain text (URLs, page names).
    public func plain(_ key: String) -> String? {
        guard let value = credentials[key], !value.isEmpty else { return nil }
        return value
    }
}

/// One message to hand to a provider.
public struct OutboundRequest: Sendable {
    public var messageID: Int64
    /// Our number (DID, WhatsApp number, page id).
    public var from: String
    /// The customer.
    public var to: String
    public var text: String
    /// Public links to the files (served under `/api/chat/…`).
    public var mediaURLs: [String]
    /// WhatsApp template parameters (JSON), when this is a template message.
    public var template: JSONValue?
    /// Facebook message tag, when sending outside the 24-hour window.
    public var tag: String?

    public init(messageID: Int64, from: String, to: String, text: String, mediaURLs: [String] = [], template: JSONValue? = nil, tag: String? = nil) {
        self.messageID = messageID
        self.from = from
        self.to = to
        self.text = text
        self.mediaURLs = mediaURLs
        self.template = template
        self.tag = tag
    }
}

/// A webhook request as it arrived: the raw bytes (signatures are checked on them) and the URL the
/// provider called, rebuilt on the public base.
public struct WebhookRequest: Sendable {
    public var method: HTTPRequest.Method
    public var url: String
    public var headers: HTTPFields
    public var query: [String: String]
    public var body: [UInt8]

    public init(method: HTTPRequest.Method, url: String, headers: HTTPFields, query: [String: String], body: [UInt8]) {
        self.method = method
        self.url = url
        self.headers = headers
        self.query = query
        self.body = body
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The body as JSON, or nil.
    public var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(body)) }
}

/// What a verified webhook carried.
public enum WebhookContent: Sendable {
    /// A subscription handshake (Meta's `hub.challenge`): answer with this text, store nothing.
    case handshake(String)
    /// Customer messages and reports on our messages; answer `successStatus` once they are stored.
    case events(messages: [InboundMessage], reports: [DeliveryReport])
}

/// A webhook the adapter refused: answered with `status` and nothing stored.
public struct WebhookRejection: Error, Sendable {
    public var status: HTTPResponse.Status
    public var reason: String

    public init(_ status: HTTPResponse.Status, _ reason: String) {
        self.status = status
        self.reason = reason
    }
}

/// One provider's wire format: how to send, how to read and verify its webhooks, how to check the
/// channel's credentials. Each provider is one file (or folder) implementing this.
public protocol MessagingProvider: Sendable {
    /// The `channel` value it serves (`general`, `twilio`, …).
    var name: String { get }
    /// The HTTP status the provider expects for an accepted webhook.
    var webhookSuccessStatus: HTTPResponse.Status { get }
    /// Whether a resend after a crash between "sent" and "recorded" can reach the customer twice
    /// (false when the provider de-duplicates on a key we send).
    var resendMayDuplicate: Bool { get }

    func send(_ request: OutboundRequest, account: ChannelAccount, http: HTTPClient) async -> SendOutcome
    /// Verifies the signature (constant time, raw bytes) and parses. Throws to refuse.
    func readWebhook(_ request: WebhookRequest, account: ChannelAccount) throws(WebhookRejection) -> WebhookContent
    /// Checks that the credentials work; nil when the provider offers no such check.
    func checkConnectivity(account: ChannelAccount, http: HTTPClient) async -> ChannelConnectivity?
    /// Downloads an inbound media file (with the provider's auth where it needs it), at most `limit` bytes.
    func fetchMedia(_ media: MediaReference, account: ChannelAccount, http: HTTPClient, limit: Int) async -> FetchedMedia?
}

/// A downloaded media file.
public struct FetchedMedia: Sendable {
    public var bytes: [UInt8]
    public var contentType: String
    public var name: String

    public init(bytes: [UInt8], contentType: String, name: String) {
        self.bytes = bytes
        self.contentType = contentType
        self.name = name
    }
}

extension MessagingProvider {
    public var webhookSuccessStatus: HTTPResponse.Status { .ok }
    public var resendMayDuplicate: Bool { true }
    public func checkConnectivity(account: ChannelAccount, http: HTTPClient) async -> ChannelConnectivity? { nil }

    /// A plain GET of the media URL (providers whose links need auth override this).
    public func fetchMedia(_ media: MediaReference, account: ChannelAccount, http: HTTPClient, limit: Int) async -> FetchedMedia? {
        await downloadMedia(url: media.url, headers: [:], http: http, limit: limit, contentType: media.contentType)
    }
}

/// GETs `url` with `headers`; nil on any failure or when the body exceeds `limit`.
public func downloadMedia(url: String, headers: HTTPHeaders, http: HTTPClient, limit: Int, contentType: String?) async -> FetchedMedia? {
    var request = HTTPClientRequest(url: url)
    request.headers = headers
    do {
        let response = try await http.execute(request, timeout: .seconds(60))
        guard (200..<300).contains(response.status.code) else { return nil }
        let body = try await response.body.collect(upTo: limit)
        let type = response.headers.first(name: "Content-Type") ?? contentType ?? "application/octet-stream"
        let name = URL(string: url)?.lastPathComponent ?? "file"
        return FetchedMedia(bytes: Array(body.readableBytesView), contentType: type, name: name.isEmpty ? "file" : name)
    } catch {
        return nil
    }
}

/// The adapters by `channel` name.
public struct ProviderRegistry: Sendable {
    private var providers: [String: any MessagingProvider] = [:]

    public init(_ providers: [any MessagingProvider]) {
        for provider in providers { self.providers[provider.name] = provider }
    }

    public subscript(name: String) -> (any MessagingProvider)? { providers[name] }

    public mutating func register(_ provider: any MessagingProvider) {
        providers[provider.name] = provider
    }
}
