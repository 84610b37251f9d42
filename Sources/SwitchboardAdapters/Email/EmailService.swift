import Foundation
import Logging
import NIOSSL
import SQLKit
import SwitchboardCore

/// The system email: the stored SMTP settings (password sealed with the master key) and sending
/// through them. Failures reach clients as `-1 FAILURE` with the reason in `errdetail`.
public struct EmailService: Sendable {
    let database: Database
    let secrets: SecretBox
    let clock: any WallClock
    let sender: any MailSender

    public init(database: Database, secrets: SecretBox, clock: any WallClock, sender: any MailSender) {
        self.database = database
        self.secrets = secrets
        self.clock = clock
        self.sender = sender
    }

    /// The `errdetail` when nothing is configured.
    public static let notConfigured = "email (SMTP) is not configured: set the mail server on the portal's Email page first"

    /// The stored settings with the password opened, or nil before the first save.
    public func settings() async throws -> EmailSettings? {
        guard let row = try await database.run({ db in try await db.raw("SELECT * FROM email_settings WHERE id = 1").first() }) else {
            return nil
        }
        let sealed = try row.decode(column: "password", as: String.self)
        return EmailSettings(
            host: try row.decode(column: "host", as: String.self), port: try row.decode(column: "port", as: Int64.self),
            security: EmailSecurity(rawValue: try row.decode(column: "security", as: String.self)) ?? .none,
            username: try row.decode(column: "username", as: String.self), password: sealed.isEmpty ? "" : try secrets.open(sealed),
            senderAddress: try row.decode(column: "sender_address", as: String.self),
            senderName: try row.decode(column: "sender_name", as: String.self))
    }

    /// Replaces the settings in one statement (insert or update of row 1).
    public func save(_ settings: EmailSettings) async throws {
        let sealed = settings.password.isEmpty ? "" : try secrets.seal(settings.password)
        let now = clock.now()
        try await database.run { db in
            try await db.raw("""
                INSERT INTO email_settings (id, host, port, security, username, password, sender_address, sender_name, updated_at)
                VALUES (1, \(bind: settings.host), \(bind: settings.port), \(bind: settings.security.rawValue), \(bind: settings.username),
                  \(bind: sealed), \(bind: settings.senderAddress), \(bind: settings.senderName), \(bind: now))
                ON CONFLICT (id) DO UPDATE SET host = excluded.host, port = excluded.port, security = excluded.security,
                  username = excluded.username, password = excluded.password, sender_address = excluded.sender_address,
                  sender_name = excluded.sender_name, updated_at = excluded.updated_at
                """).run()
        }
    }

    /// Sends the message `compose` builds from the configured sender. Not configured, or refused by
    /// the server: `-1 FAILURE` with the reason (the server's reply verbatim) in `errdetail`.
    public func send(_ compose: (MailAddress) -> MailMessage) async throws {
        guard let settings = try await settings() else { throw APIError(.failure, detail: Self.notConfigured) }
        do {
            try await sender.send(compose(settings.sender), via: settings)
        } catch let error as SMTPError {
            throw APIError(.failure, detail: error.message)
        } catch let error as NIOSSLError {
            throw APIError(.failure, detail: "TLS could not be set up: \(error)")
        }
    }
}

extension EmailService {
    /// The hub's email: `SMTPClient` trusting `smtpCAFile` besides the system roots, greeting with
    /// the public URL's host.
    static func standard(database: Database, secrets: SecretBox, clock: any WallClock, configuration: AppConfiguration, logger: Logger) -> EmailService {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = configuration.smtpCAFile, !file.isEmpty { tls.additionalTrustRoots = [.file(file)] }
        let host = URLComponents(string: configuration.resolvedPublicURL)?.host ?? "localhost"
        let client = SMTPClient(tls: tls, heloName: SMTPClient.isIPLiteral(host) ? "[\(host)]" : host, clock: clock, logger: logger)
        return EmailService(database: database, secrets: secrets, clock: clock, sender: client)
    }
}

extension Switchboard {
    /// The system email of this hub.
    public var email: EmailService {
        .standard(database: database, secrets: secrets, clock: clock, configuration: configuration, logger: logger)
    }
}
