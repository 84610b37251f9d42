/// Which public base URL a channel's webhook URL starts with (`webhook_url_type`).
public enum WebhookURLType: String, Sendable, CaseIterable {
    case fqdn, nat
}

/// The fields of `message_channel/create` and `message_channel/update` (SMS, WhatsApp, Facebook),
/// validated as seeds 000 and 001 describe them. On update every field is optional and nil means
/// "keep"; `dids` is a full replacement when present.
public struct ChannelFields: Sendable {
    public static let maxNameLength = 127
    public static let maxPhoneNumberIDLength = 31
    public static let maxBusinessAccountIDLength = 500

    public var name: String?
    public var webhookURLType: WebhookURLType?
    public var provider: ChannelProvider?
    public var accountData: [AuthPair]?
    public var sendRate: Int64?
    public var autoCloseSession: Bool?
    public var sessionExpiredTime: Int64?
    public var accompanyingMessage: String?
    public var phoneNumberID: String?
    public var businessAccountID: String?
    public var dids: [RoutingEntry]?

    public init() {}

    /// Reads a create body. The provider decides which other fields apply.
    public static func readCreate(_ reader: inout FieldReader) -> ChannelFields {
        var fields = ChannelFields()
        fields.provider = reader.choice("channel", required: true, as: ChannelProvider.self)
        if fields.provider == .livechat { reader.fail("channel", "invalid_value") }
        fields.readCommon(&reader, provider: fields.provider, creating: true)
        return fields
    }

    /// Reads an update body for an existing channel of `provider`. A `channel` that names another
    /// provider is rejected: a channel cannot change provider.
    public static func readUpdate(_ reader: inout FieldReader, provider: ChannelProvider) -> ChannelFields {
        var fields = ChannelFields()
        if let sent = reader.string("channel"), sent != provider.rawValue { reader.fail("channel", "invalid_value") }
        fields.readCommon(&reader, provider: provider, creating: false)
        return fields
    }

    private mutating func readCommon(_ reader: inout FieldReader, provider: ChannelProvider?, creating: Bool) {
        name = creating ? reader.requiredText("name", maxLength: Self.maxNameLength) : reader.string("name", maxLength: Self.maxNameLength)
        if !creating, name?.isEmpty == true { reader.fail("name", "required") }
        webhookURLType = reader.choice("webhook_url_type", required: creating, as: WebhookURLType.self)
        accountData = AuthPair.readAccountData(&reader, provider: provider, required: creating)
        // Not bounded by the documentation; we only require a positive number.
        autoCloseSession = reader.flag("auto_close_session")
        sessionExpiredTime = reader.int("session_expired_time", range: 1...Int64(Int32.max))
        let type = provider?.type ?? .sms
        if type == .sms {
            sendRate = reader.int("send_rate", range: 1...Int64(Int32.max))
            accompanyingMessage = reader.string("accompanying_msg", maxLength: 1024)
            if provider?.requiresAccompanyingMessage == true, creating || accompanyingMessage != nil,
                accompanyingMessage?.trimmingSpaces.isEmpty ?? true, !reader.issues.contains(where: { $0.field == "accompanying_msg" })
            {
                reader.fail("accompanying_msg", "required")
            }
        }
        if type == .whatsapp {
            phoneNumberID = creating
                ? reader.requiredText("phone_number_id", maxLength: Self.maxPhoneNumberIDLength)
                : reader.string("phone_number_id", maxLength: Self.maxPhoneNumberIDLength)
            if !creating, phoneNumberID?.isEmpty == true { reader.fail("phone_number_id", "required") }
            businessAccountID = creating
                ? reader.requiredText("business_account_id", maxLength: Self.maxBusinessAccountIDLength)
                : reader.string("business_account_id", maxLength: Self.maxBusinessAccountIDLength)
            if let id = businessAccountID, Formats.decodeBase64(id) == nil { reader.fail("business_account_id", "base64") }
        }
        if provider != nil {
            dids = RoutingEntry.readAll(&reader, type: type, updating: !creating)
        }
    }
}
