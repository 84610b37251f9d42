import NIOCore
import NIOPosix
import NIOSSL
import SwitchboardCore

/// A real SMTP server on a loopback port for the duration of a test — the mail server at the
/// network edge. It speaks RFC 5321 (EHLO/HELO, MAIL, RCPT, DATA with dot-stuffing, RSET, NOOP,
/// QUIT), AUTH PLAIN and LOGIN against `users`, STARTTLS or implicit TLS with a self-signed
/// certificate made at test time, and records every accepted message.
public final class FakeSMTPServer: Sendable {
    /// How the server behaves.
    public struct Options: Sendable {
        /// Accepted logins; AUTH is offered when not empty.
        public var users: [String: String] = [:]
        /// The mechanisms offered in EHLO.
        public var mechanisms = ["PLAIN", "LOGIN"]
        /// Refuse MAIL before a successful AUTH (`530`).
        public var requireAuth = false
        /// Offer STARTTLS (needs `certificate`).
        public var startTLS = false
        /// TLS from the first byte, like port 465 (needs `certificate`).
        public var implicitTLS = false
        public var certificate: TestCertificate?
        /// Recipients refused with `550 5.1.1`.
        public var rejectedRecipients: Set<String> = []
        /// Accept connections but never greet (for timeouts).
        public var silent = false

        public init() {}
    }

    /// One message the server accepted.
    public struct Message: Sendable {
        public let from: String
        public let recipients: [String]
        /// The DATA payload with dot-stuffing undone (CRLF line ends).
        public let data: String
        /// Whether it arrived over TLS.
        public let secure: Bool
        /// The authenticated user, if any.
        public let user: String?

        public var mime: MIMEPart { MIMEPart(data) }
    }

    public let port: Int
    private let channel: any Channel
    private let messages: Recorder<Message>
    private let commands: Recorder<String>

    /// Starts on 127.0.0.1 on a free port.
    public static func start(_ options: Options = Options()) async throws -> FakeSMTPServer {
        let tls = try options.certificate.map { certificate in
            try NIOSSLContext(configuration: .makeServerConfiguration(
                certificateChain: [.certificate(certificate.nioCertificate())], privateKey: .privateKey(certificate.nioKey())))
        }
        let messages = Recorder<Message>(), commands = Recorder<String>()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if options.implicitTLS, let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.addHandler(
                        FakeSMTPSession(options: options, tls: tls, messages: messages, commands: commands))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return FakeSMTPServer(port: channel.localAddress?.port ?? 0, channel: channel, messages: messages, commands: commands)
    }

    private init(port: Int, channel: any Channel, messages: Recorder<Message>, commands: Recorder<String>) {
        self.port = port
        self.channel = channel
        self.messages = messages
        self.commands = commands
    }

    /// The accepted messages so far.
    public var received: [Message] { messages.all }
    /// Every command line received so far (AUTH payloads included, for assertions about them).
    public var transcript: [String] { commands.all }

    public func stop() async {
        try? await channel.close()
    }
}
