import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import SwitchboardCore

/// Sends one email through an outgoing mail server. The hub's only implementation is `SMTPClient`.
public protocol MailSender: Sendable {
    func send(_ message: MailMessage, via settings: EmailSettings) async throws
}

/// A small SMTP client (RFC 5321) on swift-nio: plain, STARTTLS (RFC 3207) or implicit TLS
/// (RFC 8314, port 465); EHLO; AUTH PLAIN or LOGIN when a username is set; MAIL FROM / RCPT TO /
/// DATA with dot-stuffing; every reply checked, each within `timeout`. Failures are `SMTPError`s
/// quoting the server's reply. The password is never logged nor put in an error.
public struct SMTPClient: MailSender {
    /// How TLS is verified; the default trusts the system's roots and checks the host name.
    public var tls: TLSConfiguration
    public var timeout: TimeAmount
    /// The name this client gives in EHLO.
    public var heloName: String
    public var clock: any WallClock
    public var logger: Logger

    public init(
        tls: TLSConfiguration = .makeClientConfiguration(), timeout: TimeAmount = .seconds(30), heloName: String = "localhost",
        clock: any WallClock, logger: Logger = Logger(label: "smtp")
    ) {
        self.tls = tls
        self.timeout = timeout
        self.heloName = heloName
        self.clock = clock
        self.logger = logger
    }

    public func send(_ message: MailMessage, via settings: EmailSettings) async throws {
        let tlsContext = settings.security == .none ? nil : try NIOSSLContext(configuration: tls)
        let hostname = Self.isIPLiteral(settings.host) ? nil : settings.host
        let host = settings.host.trimmingCharacters(in: ["[", "]"])
        let implicitTLS = settings.security == .ssl ? tlsContext : nil
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(timeout)
                .connect(host: host, port: Int(settings.port)) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let implicitTLS {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: implicitTLS, serverHostname: hostname))
                        }
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw SMTPError("cannot connect to \(settings.host):\(settings.port): \(SMTPConnection.describe(error))")
        }
        try await channel.executeThenClose { inbound, outbound in
            var connection = SMTPConnection(channel: channel.channel, inbound: inbound, outbound: outbound, timeout: timeout)
            try await dialogue(&connection, message: message, settings: settings, tlsContext: tlsContext, hostname: hostname)
        }
        logger.info("email sent", metadata: ["to": "\(message.to.map(\.address))", "subject": "\(message.subject)", "server": "\(settings.host):\(settings.port)"])
    }

    private func dialogue(
        _ connection: inout SMTPConnection, message: MailMessage, settings: EmailSettings, tlsContext: NIOSSLContext?, hostname: String?
    ) async throws {
        let greeting = try await connection.reply(after: "the connection (greeting)")
        guard greeting.code == 220 else { throw SMTPError("greeting: \(greeting)", reply: greeting) }
        var hello = try await connection.expect("EHLO \(heloName)", [250])
        if settings.security == .starttls, let tlsContext {
            guard hello.extensions.contains("STARTTLS") else {
                throw SMTPError("the server does not offer STARTTLS (choose None or SSL/TLS as the security)")
            }
            _ = try await connection.expect("STARTTLS", [220])
            try await connection.startTLS(tlsContext, serverHostname: hostname)
            hello = try await connection.expect("EHLO \(heloName)", [250])
        }
        if !settings.username.isEmpty { try await authenticate(&connection, hello: hello, settings: settings) }
        _ = try await connection.expect("MAIL FROM:<\(message.from.address)>", [250])
        for recipient in message.to {
            _ = try await connection.expect("RCPT TO:<\(recipient.address)>", [250, 251])
        }
        _ = try await connection.expect("DATA", [354])
        let domain = message.from.address.split(separator: "@").last.map(String.init) ?? "switchboard"
        let rendered = message.rendered(
            date: clock.now(), messageID: "<\(RandomToken.alphanumeric(24))@\(domain)>", boundary: "=_sb_" + RandomToken.alphanumeric(24))
        try await connection.write(SMTPText.dataPayload(rendered), step: "the message")
        let accepted = try await connection.reply(after: "the message")
        guard accepted.code == 250 else { throw SMTPError("the message was refused: \(accepted)", reply: accepted) }
        _ = try? await connection.command("QUIT")
    }

    /// AUTH PLAIN when offered, else AUTH LOGIN; anything but 235 is an error quoting the reply.
    private func authenticate(_ connection: inout SMTPConnection, hello: SMTPReply, settings: EmailSettings) async throws {
        let offered = hello.authMechanisms
        if offered.contains("PLAIN") {
            let credentials = SMTPText.plainCredentials(username: settings.username, password: settings.password)
            _ = try await connection.expect("AUTH PLAIN " + credentials, shown: "AUTH PLAIN", [235])
        } else if offered.contains("LOGIN") {
            _ = try await connection.expect("AUTH LOGIN", [334])
            _ = try await connection.expect(SMTPText.base64(settings.username), shown: "AUTH LOGIN (username)", [334])
            _ = try await connection.expect(SMTPText.base64(settings.password), shown: "AUTH LOGIN", [235])
        } else {
            let listed = offered.isEmpty ? "none" : offered.sorted().joined(separator: ", ")
            throw SMTPError("the server offers neither AUTH PLAIN nor AUTH LOGIN (offered: \(listed))\(settings.security == .none ? "; it may require STARTTLS or SSL/TLS first" : "")")
        }
    }

    static func isIPLiteral(_ host: String) -> Bool {
        host.contains(":") || host.hasPrefix("[") || host.allSatisfy { $0 == "." || $0.isNumber }
    }
}
