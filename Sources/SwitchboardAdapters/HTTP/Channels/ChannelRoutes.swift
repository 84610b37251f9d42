import Foundation
import Hummingbird
import Logging
import SwitchboardCore

/// What the channel and queue endpoints share: storage, time, the secret box and the public bases
/// webhook URLs and embed codes start with.
struct ChannelContext: Sendable {
    let database: Database
    let clock: any WallClock
    let secrets: SecretBox
    /// The `nat` base (the configured public URL), without a trailing slash.
    let publicURL: String
    /// The `fqdn` base; the public URL when no FQDN is configured.
    let fqdnURL: String
    /// Where uploaded Live Chat avatars are kept.
    let uploadDirectory: String
    /// The system email (the embed code sent to a website admin).
    let email: EmailService

    init(database: Database, clock: any WallClock, secrets: SecretBox, configuration: AppConfiguration) {
        self.database = database
        self.clock = clock
        self.secrets = secrets
        self.publicURL = configuration.resolvedPublicURL
        var fqdn = configuration.fqdnURL ?? configuration.resolvedPublicURL
        while fqdn.hasSuffix("/") { fqdn.removeLast() }
        self.fqdnURL = fqdn
        self.uploadDirectory = configuration.dataDirectory + "/livechat"
        self.email = .standard(database: database, secrets: secrets, clock: clock, configuration: configuration, logger: Logger(label: "switchboard.email"))
    }

    /// `{base}/api/v1.0/webhook/{provider}/{webhook_gid}`.
    func webhookURL(type: WebhookURLType, provider: String, gid: String) -> String {
        (type == .fqdn ? fqdnURL : publicURL) + "/api/v1.0/webhook/\(provider)/\(gid)"
    }

    /// Seals `account_data` as one JSON document.
    func seal(_ pairs: [AuthPair]) throws -> String {
        try secrets.seal(JSONValue.array(pairs.map(\.json)).serialized())
    }

    /// `account_data` for an answer: secrets masked, URLs and plain values as stored.
    func maskedAccountData(_ sealed: String, provider: ChannelProvider) throws -> JSONValue {
        guard !sealed.isEmpty else { return .array([]) }
        let plain = try secrets.open(sealed)
        let items = (try? JSONDecoder().decode(JSONValue.self, from: Data(plain.utf8)))?.arrayValue ?? []
        return .array(items.map { item in
            let key = item["k"]?.stringValue ?? ""
            let value = item["v"]?.stringValue ?? ""
            let kind = provider.authKey(named: key)?.kind ?? .base64Secret
            return ["k": .string(key), "v": .string(kind == .base64Secret ? maskSecret(value) : value)]
        })
    }

    /// 32 random lowercase hex digits (webhook ids, verify tokens).
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

/// Mounts `message_channel/*` (SMS, WhatsApp, Facebook, Live Chat) and `message_queue/*`.
struct ChannelRoutes {
    let context: ChannelContext

    init(database: Database, clock: any WallClock, secrets: SecretBox, configuration: AppConfiguration) {
        context = ChannelContext(database: database, clock: clock, secrets: secrets, configuration: configuration)
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        ChannelController(context: context).addRoutes(to: group)
        LiveChatController(context: context).addRoutes(to: group)
        let queues = CrudController(resource: MessageQueueResource(), database: context.database, clock: context.clock)
        queues.addRoutes(to: group)
        // The reference's URL template spells it plural, its example singular: accept both.
        group.get("message_queues/delete", use: queues.delete)
    }
}
