/// How the hub talks to its SMTP server: in clear, upgraded with STARTTLS, or TLS from the first byte (SMTPS).
public enum EmailSecurity: String, Sendable, CaseIterable {
    case none, starttls, ssl

    public var label: String {
        switch self {
        case .none: "None"
        case .starttls: "STARTTLS"
        case .ssl: "SSL/TLS"
        }
    }

    /// The usual port: 25, 587 (submission) or 465 (submissions).
    public var defaultPort: Int64 {
        switch self {
        case .none: 25
        case .starttls: 587
        case .ssl: 465
        }
    }
}

/// The system's outgoing mail server (the portal's Email page). `password` is the plain secret:
/// it is sealed at rest and never answered.
public struct EmailSettings: Sendable, Equatable {
    public var host: String
    public var port: Int64
    public var security: EmailSecurity
    public var username: String
    public var password: String
    public var senderAddress: String
    public var senderName: String

    public init(
        host: String, port: Int64, security: EmailSecurity, username: String = "", password: String = "",
        senderAddress: String, senderName: String = ""
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.senderAddress = senderAddress
        self.senderName = senderName
    }

    public var sender: MailAddress { MailAddress(senderAddress, name: senderName) }

    public static let maxHostLength = 253
    public static let maxUsernameLength = 255
    public static let maxPasswordLength = 255
    public static let maxSenderNameLength = 127

    /// Reads `email/update`: `host`, `security` and `sender_address` required; `port` defaults to the
    /// security's usual port; `password` left out keeps `stored` (write-only field). With a username
    /// and no password at all, `password` is `required`. Every bad field is collected in `reader`.
    public static func read(_ reader: inout FieldReader, storedPassword: String?) -> EmailSettings? {
        let host = reader.string("host", required: true, maxLength: maxHostLength, allowEmpty: false)
        if let host, !isHost(host) { reader.fail("host", "invalid_value") }
        let security = reader.choice("security", required: true, as: EmailSecurity.self)
        let port = reader.int("port", range: 1...65535)
        let username = reader.string("username", maxLength: maxUsernameLength) ?? ""
        if username.hasControls { reader.fail("username", "invalid_value") }
        let given = reader.string("password", maxLength: maxPasswordLength)
        if given?.hasControls == true { reader.fail("password", "invalid_value") }
        let password = given ?? storedPassword ?? ""
        if !username.isEmpty && password.isEmpty && !reader.issues.contains(where: { $0.field == "password" }) {
            reader.fail("password", "required")
        }
        let address = reader.string("sender_address", required: true, maxLength: 254, allowEmpty: false)
        if let address, !MailAddress.isValid(address) { reader.fail("sender_address", "invalid_value") }
        let name = reader.string("sender_name", maxLength: maxSenderNameLength) ?? ""
        if name.hasControls { reader.fail("sender_name", "invalid_value") }
        guard reader.issues.isEmpty, let host, let security, let address else { return nil }
        return EmailSettings(
            host: host, port: port ?? security.defaultPort, security: security, username: username, password: password,
            senderAddress: address, senderName: name)
    }

    /// A DNS name or an IP literal: letters, digits, `.`, `-`, and `:`/`[]` for IPv6.
    static func isHost(_ text: String) -> Bool {
        !text.hasPrefix(".") && !text.hasPrefix("-") && text.unicodeScalars.allSatisfy { scalar in
            (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))) || ".-:[]".unicodeScalars.contains(scalar)
        }
    }

    /// Reads one recipient address (`to` of `email/test`, `email` of `message_channel/embedcode`).
    public static func readRecipient(_ reader: inout FieldReader, _ key: String, required: Bool) -> String? {
        guard let address = reader.string(key, required: required, maxLength: 254, allowEmpty: false) else { return nil }
        if address.isEmpty && !required { return nil }
        guard MailAddress.isValid(address) else {
            reader.fail(key, "invalid_value")
            return nil
        }
        return address
    }
}

extension MailMessage {
    /// The message of the Email page's "Send test email".
    public static func testEmail(from sender: MailAddress, to recipient: String) -> MailMessage {
        MailMessage(
            from: sender, to: [MailAddress(recipient)], subject: "Switchboard test email",
            text: "This is a test email from Switchboard. Your email (SMTP) settings work.\n")
    }
}

extension String {
    var hasControls: Bool { unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } }
}
