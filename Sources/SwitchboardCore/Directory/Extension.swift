/// Presence of an agent, as Yeastar names it. It drives the live-chat greeting.
public enum PresenceStatus: String, Sendable, CaseIterable {
    case available, away
    case businessTrip = "business_trip"
    case doNotDisturb = "do_not_disturb"
    case lunchBreak = "lunch_break"
    case offWork = "off_work"
}

/// The fields of an extension (an agent) a client may set; `nil` means "not given".
public struct ExtensionFields: Sendable, Equatable {
    public var number: String?
    public var callerIDName: String?
    public var firstName: String?
    public var lastName: String?
    public var email: String?
    public var mobileNumber: String?
    /// Write-only: the password the agent signs in to the inbox with.
    public var password: String?
    public var presence: PresenceStatus?

    public init() {}

    /// Reads `extension/create` (all required fields checked) or `extension/update` (all optional).
    public static func read(_ reader: inout FieldReader, creating: Bool) -> ExtensionFields {
        var fields = ExtensionFields()
        fields.number = reader.string("number", required: creating, maxLength: 15, allowEmpty: false)
        if let number = fields.number, !number.allSatisfy({ $0.isASCII && $0.isNumber }) || number.isEmpty {
            reader.fail("number", "invalid_format")
            fields.number = nil
        }
        fields.callerIDName = reader.string("caller_id_name", maxLength: 127)
        fields.firstName = reader.string("first_name", maxLength: 63)
        fields.lastName = reader.string("last_name", maxLength: 63)
        fields.email = reader.string("email_addr", maxLength: 127)
        if let email = fields.email, !email.isEmpty, !Self.looksLikeEmail(email) {
            reader.fail("email_addr", "invalid_format")
        }
        fields.mobileNumber = reader.string("mobile_number", maxLength: 31)
        if let mobile = fields.mobileNumber, !mobile.isEmpty, !Formats.isDialable(mobile) {
            reader.fail("mobile_number", "invalid_format")
        }
        fields.password = reader.string("user_password", maxLength: 63)
        if let password = fields.password, password.count < 6 {
            reader.fail("user_password", "min_length")
        }
        fields.presence = reader.choice("presence_status")
        if creating && fields.callerIDName == nil {
            let name = [fields.firstName, fields.lastName].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            fields.callerIDName = name.isEmpty ? fields.number : name
        }
        return fields
    }

    /// A loose `local@domain.tld` check (one `@`, a dotted domain, no spaces).
    public static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
    }
}
