/// The kind of a message channel (`type` in the OpenAPI).
public enum ChannelType: String, Sendable, CaseIterable {
    case sms, whatsapp, facebook, livechat
}

/// How one `Auth_Info` value must be written.
public enum AuthValueKind: Sendable, Equatable {
    /// A credential sent Base64-encoded; sealed at rest and masked in answers.
    case base64Secret
    /// A provider endpoint (`https://…`, or `http://` to a loopback host); shown as is.
    case url
    /// Plain text that is not a secret (Facebook `page_name`); shown as is.
    case plain
}

/// One key a provider's `account_data` may carry.
public struct AuthKey: Sendable, Equatable {
    public let name: String
    public let required: Bool
    public let kind: AuthValueKind

    public init(_ name: String, required: Bool = true, kind: AuthValueKind = .base64Secret) {
        self.name = name
        self.required = required
        self.kind = kind
    }
}

/// The service provider of a channel (`channel` in the OpenAPI), with its exact `Auth_Info` key set
/// as seed 000 lists it.
public enum ChannelProvider: String, Sendable, CaseIterable {
    case general, apidaze, athena, bandwidth, flowroute, ixica, siptrunk, skyetel, telnyx, twilio, vetta, voicemeup
    case whatsapp, facebook, livechat
    /// Ours, not Yeastar's: the built-in simulated SMS provider behind `serve --demo`.
    case sandbox

    public var type: ChannelType {
        switch self {
        case .whatsapp: .whatsapp
        case .facebook: .facebook
        case .livechat: .livechat
        default: .sms
        }
    }

    /// The providers `message_channel/create` accepts (Live Chat has its own endpoint).
    public static var creatable: [ChannelProvider] { allCases.filter { $0 != .livechat } }

    public var authKeys: [AuthKey] {
        switch self {
        case .general, .athena, .ixica, .vetta:
            [AuthKey("api_key"), AuthKey("api_secret", required: false),
             AuthKey("api_verify_url", required: false, kind: .url), AuthKey("api_send_url", kind: .url)]
        case .apidaze: [AuthKey("api_key"), AuthKey("api_secret")]
        case .bandwidth: [AuthKey("application_id"), AuthKey("account_id"), AuthKey("username"), AuthKey("password")]
        case .flowroute, .siptrunk: [AuthKey("access_key"), AuthKey("secret_key")]
        case .skyetel: [AuthKey("sid_key"), AuthKey("secret_key")]
        case .telnyx: [AuthKey("api_key"), AuthKey("public_key")]
        case .twilio: [AuthKey("account_sid"), AuthKey("auth_token")]
        case .voicemeup: [AuthKey("username"), AuthKey("auth_token")]
        case .whatsapp: [AuthKey("access_token"), AuthKey("app_secret")]
        case .facebook: [AuthKey("access_token"), AuthKey("app_secret"), AuthKey("page_name", kind: .plain)]
        case .livechat: []
        case .sandbox: [AuthKey("api_secret", required: false)]
        }
    }

    public func authKey(named name: String) -> AuthKey? {
        authKeys.first { $0.name == name }
    }

    /// Apidaze requires a text to accompany chat files.
    public var requiresAccompanyingMessage: Bool { self == .apidaze }
}

/// One `{k, v}` pair of `account_data`.
public struct AuthPair: Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    public var json: JSONValue { ["k": .string(key), "v": .string(value)] }

    /// Reads `account_data` for `provider`: every key must belong to it, appear once, and carry a value
    /// of its kind (Base64 or provider URL); every required key must be present.
    public static func readAccountData(_ reader: inout FieldReader, provider: ChannelProvider?, required: Bool) -> [AuthPair]? {
        guard let items = reader.objects("account_data", required: required) else { return nil }
        var pairs: [AuthPair] = []
        var failed = false
        for var item in items {
            guard let key = item.requiredText("k"), let value = item.requiredText("v") else {
                reader.absorb(item)
                failed = true
                continue
            }
            guard let provider else { continue }
            guard let spec = provider.authKey(named: key) else {
                item.fail("k", "invalid_value")
                reader.absorb(item)
                failed = true
                continue
            }
            if pairs.contains(where: { $0.key == key }) {
                item.fail("k", "duplicate")
            } else {
                switch spec.kind {
                case .base64Secret where Formats.decodeBase64(value) == nil: item.fail("v", "base64")
                case .url where !Formats.isProviderURL(value): item.fail("v", "url")
                default: break
                }
            }
            if !item.issues.isEmpty { failed = true }
            reader.absorb(item)
            pairs.append(AuthPair(key: key, value: value))
        }
        guard let provider, !failed else { return failed ? nil : pairs }
        for spec in provider.authKeys where spec.required && !pairs.contains(where: { $0.key == spec.name }) {
            reader.fail("account_data.\(spec.name)", "required")
            failed = true
        }
        return failed ? nil : pairs
    }
}
