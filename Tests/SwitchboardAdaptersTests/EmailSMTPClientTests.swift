import Foundation
import Logging
import NIOCore
import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// `SMTPClient` against a real SMTP server on loopback (`FakeSMTPServer`): plain, STARTTLS and
/// implicit TLS, AUTH PLAIN and LOGIN, refusals quoted verbatim, dot-stuffing, encoded subjects, timeouts.
@Suite("Email: SMTP client")
struct EmailSMTPClientTests {
    static let users = ["ann@example.com": "pässword 1"]
    static let message = MailMessage(
        from: MailAddress("ann@example.com", name: "Ann"), to: [MailAddress("web@example.org"), MailAddress("ops@example.org")],
        subject: "Hello", text: "Hi there.\n")

    static func settings(_ port: Int, security: EmailSecurity = .none, host: String = "127.0.0.1", password: String = "pässword 1") -> EmailSettings {
        EmailSettings(host: host, port: Int64(port), security: security, username: "ann@example.com", password: password, senderAddress: "ann@example.com")
    }

    static func client(_ certificate: TestCertificate? = nil, timeout: TimeAmount = .seconds(10), log: LogLines? = nil) throws -> SMTPClient {
        var logger = Logger(label: "smtp-test") { _ in log ?? LogLines() }
        logger.logLevel = .trace
        if let certificate { return SMTPClient(tls: try certificate.clientConfiguration(), timeout: timeout, clock: ManualClock(), logger: logger) }
        return SMTPClient(timeout: timeout, clock: ManualClock(), logger: logger)
    }

    static func withServer(_ options: FakeSMTPServer.Options, _ body: (FakeSMTPServer) async throws -> Void) async throws {
        let server = try await FakeSMTPServer.start(options)
        do {
            try await body(server)
            await server.stop()
        } catch {
            await server.stop()
            throw error
        }
    }

    static func expectFailure(_ send: () async throws -> Void, containing text: String) async {
        do {
            try await send()
            Issue.record("the send succeeded; expected an error containing \(text)")
        } catch {
            #expect("\(error)".contains(text), "\(error)")
            #expect(!"\(error)".contains("pässword"), "no password in errors")
        }
    }

    @Test(arguments: ["PLAIN", "LOGIN"])
    func sendsWithEachAuthMechanism(mechanism: String) async throws {
        var options = FakeSMTPServer.Options()
        options.users = Self.users
        options.mechanisms = [mechanism]
        options.requireAuth = true
        try await Self.withServer(options) { server in
            let log = LogLines()
            try await Self.client(log: log).send(Self.message, via: Self.settings(server.port))
            #expect(log.lines.contains { $0.contains("email sent") }, "\(log.lines)")
            #expect(!log.lines.contains { $0.contains("pässword") || $0.contains(SMTPText.base64("pässword 1")) }, "the password is never logged")
            let got = try #require(server.received.first)
            #expect(got.user == "ann@example.com" && !got.secure)
            #expect(got.from == "ann@example.com" && got.recipients == ["web@example.org", "ops@example.org"])
            #expect(got.mime.header("subject") == "Hello")
            #expect(got.mime.header("from") == "\"Ann\" <ann@example.com>")
            #expect(got.mime.header("to") == "<web@example.org>, <ops@example.org>")
            #expect(got.mime.header("date")?.hasSuffix("+0000") == true && got.mime.header("message-id")?.hasSuffix("@example.com>") == true)
            #expect(got.mime.body() == "Hi there.\r\n")
            #expect(server.transcript.first?.hasPrefix("EHLO ") == true && server.transcript.last == "QUIT")
        }
    }

    @Test func aWrongPasswordIsThe535Reply() async throws {
        var options = FakeSMTPServer.Options()
        options.users = Self.users
        try await Self.withServer(options) { server in
            await Self.expectFailure({ try await Self.client().send(Self.message, via: Self.settings(server.port, password: "wrong")) },
                                     containing: "AUTH PLAIN: 535 5.7.8 Authentication failed")
            #expect(server.received.isEmpty)
        }
    }

    @Test func linesStartingWithADotArriveUnchanged() async throws {
        try await Self.withServer(FakeSMTPServer.Options()) { server in
            var message = Self.message
            message.text = ".\n..leading dots\n.\nend"
            var settings = Self.settings(server.port)
            settings.username = ""
            try await Self.client().send(message, via: settings)
            #expect(server.received.first?.mime.body() == ".\r\n..leading dots\r\n.\r\nend")
            #expect(server.received.first?.user == nil, "no AUTH without a username")
        }
    }

    @Test func aNonASCIISubjectAndNameAreEncodedWords() async throws {
        try await Self.withServer(FakeSMTPServer.Options()) { server in
            var message = Self.message
            message.subject = "Grüße – 你好, live chat installation ✓"
            message.from = MailAddress("ann@example.com", name: "Zoë Müller")
            message.html = "<p>Grüße</p>"
            var settings = Self.settings(server.port)
            settings.username = ""
            try await Self.client().send(message, via: settings)
            let mime = try #require(server.received.first?.mime)
            #expect(mime.header("subject")?.hasPrefix("=?UTF-8?B?") == true)
            #expect(mime.decodedHeader("subject") == message.subject)
            #expect(mime.decodedHeader("from") == "Zoë Müller <ann@example.com>")
            #expect(mime.body("text/html") == "<p>Grüße</p>" && mime.body() == "Hi there.\r\n")
        }
    }

    @Test func startTLSUpgradesBeforeAuthenticating() async throws {
        let certificate = try TestCertificate.make()
        var options = FakeSMTPServer.Options()
        options.users = Self.users
        options.startTLS = true
        options.certificate = certificate
        try await Self.withServer(options) { server in
            try await Self.client(certificate).send(Self.message, via: Self.settings(server.port, security: .starttls, host: "localhost"))
            let got = try #require(server.received.first)
            #expect(got.secure && got.user == "ann@example.com")
            #expect(server.transcript.filter { $0.hasPrefix("EHLO") }.count == 2 && server.transcript.contains("STARTTLS"))
            // The AUTH line came after STARTTLS, inside TLS.
            let auth = try #require(server.transcript.firstIndex { $0.hasPrefix("AUTH") })
            #expect(auth > (server.transcript.firstIndex(of: "STARTTLS") ?? Int.max))

            // A certificate the client does not trust is refused.
            await Self.expectFailure({ try await Self.client().send(Self.message, via: Self.settings(server.port, security: .starttls, host: "localhost")) },
                                     containing: "TLS")
            #expect(server.received.count == 1)
        }
    }

    @Test func startTLSThatIsNotOfferedIsAnError() async throws {
        try await Self.withServer(FakeSMTPServer.Options()) { server in
            await Self.expectFailure({ try await Self.client(try TestCertificate.make()).send(Self.message, via: Self.settings(server.port, security: .starttls)) },
                                     containing: "does not offer STARTTLS")
            #expect(server.received.isEmpty)
        }
    }

    @Test func implicitTLSFromTheFirstByte() async throws {
        let certificate = try TestCertificate.make()
        var options = FakeSMTPServer.Options()
        options.users = Self.users
        options.implicitTLS = true
        options.certificate = certificate
        try await Self.withServer(options) { server in
            try await Self.client(certificate).send(Self.message, via: Self.settings(server.port, security: .ssl, host: "localhost"))
            #expect(server.received.first?.secure == true && server.received.first?.user == "ann@example.com")
        }
    }

    @Test func aRefusedRecipientIsQuoted() async throws {
        var options = FakeSMTPServer.Options()
        options.rejectedRecipients = ["ops@example.org"]
        try await Self.withServer(options) { server in
            var settings = Self.settings(server.port)
            settings.username = ""
            await Self.expectFailure({ try await Self.client().send(Self.message, via: settings) },
                                     containing: "RCPT TO:<ops@example.org>: 550 5.1.1")
            #expect(server.received.isEmpty)
        }
    }

    @Test func aSilentServerTimesOut() async throws {
        var options = FakeSMTPServer.Options()
        options.silent = true
        try await Self.withServer(options) { server in
            let started = ContinuousClock.now
            await Self.expectFailure({ try await Self.client(timeout: .milliseconds(300)).send(Self.message, via: Self.settings(server.port)) },
                                     containing: "the server did not answer the connection (greeting) within 300 ms")
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test func nothingListeningIsAConnectionError() async throws {
        let server = try await FakeSMTPServer.start()
        let port = server.port
        await server.stop()
        await Self.expectFailure({ try await Self.client().send(Self.message, via: Self.settings(port)) }, containing: "cannot connect to 127.0.0.1:\(port)")
    }
}

/// A log handler that keeps every line (message and metadata) for assertions.
struct LogLines: LogHandler, Sendable {
    private let store = Recorder<String>()
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    var lines: [String] { store.all }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        store.append("\(level) \(message) \(self.metadata.merging(metadata ?? [:]) { $1 })")
    }
}
