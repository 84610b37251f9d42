import NIOCore
import NIOSSL
import SwitchboardCore

/// One connection of `FakeSMTPServer`: a line-at-a-time SMTP state machine on the event loop.
final class FakeSMTPSession: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case command
        case authLoginUser
        case authLoginPassword(String)
        case authPlain
        case data([String])
    }

    private let options: FakeSMTPServer.Options
    private let tls: NIOSSLContext?
    private let messages: Recorder<FakeSMTPServer.Message>
    private let commands: Recorder<String>
    private var buffer = ByteBuffer()
    private var state = State.command
    private var secure: Bool
    private var user: String?
    /// EHLO/HELO seen since the connection (or the TLS upgrade) began: real servers refuse mail commands before it.
    private var greeted = false
    private var from: String?
    private var recipients: [String] = []

    init(options: FakeSMTPServer.Options, tls: NIOSSLContext?, messages: Recorder<FakeSMTPServer.Message>, commands: Recorder<String>) {
        self.options = options
        self.tls = tls
        self.messages = messages
        self.commands = commands
        self.secure = options.implicitTLS
    }

    func channelActive(context: ChannelHandlerContext) {
        if !options.silent { send(context, "220 fake.smtp.test ESMTP ready") }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var chunk = unwrapInboundIn(data)
        buffer.writeBuffer(&chunk)
        while let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            var line = buffer.readString(length: end - buffer.readerIndex) ?? ""
            buffer.moveReaderIndex(forwardBy: 1)
            if line.hasSuffix("\r") { line.removeLast() }
            handle(line, context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func send(_ context: ChannelHandlerContext, _ lines: String...) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: lines.map { $0 + "\r\n" }.joined())), promise: nil)
    }

    private func handle(_ line: String, context: ChannelHandlerContext) {
        switch state {
        case .data(var lines):
            if line == "." {
                let message = FakeSMTPServer.Message(from: from ?? "", recipients: recipients, data: SMTPText.unstuff(lines), secure: secure, user: user)
                messages.append(message)
                from = nil
                recipients = []
                state = .command
                send(context, "250 2.0.0 OK queued as \(messages.count)")
            } else {
                lines.append(line)
                state = .data(lines)
            }
            return
        case .authLoginUser:
            commands.append(line)
            state = .authLoginPassword(decode(line))
            send(context, "334 UGFzc3dvcmQ6")
            return
        case .authLoginPassword(let name):
            commands.append(line)
            state = .command
            finishAuth(context, name: name, password: decode(line))
            return
        case .authPlain:
            commands.append(line)
            state = .command
            plain(context, line)
            return
        case .command:
            commands.append(line)
        }
        let parts = line.split(separator: " ", maxSplits: 1)
        let verb = parts.first.map { $0.uppercased() } ?? ""
        let argument = parts.count > 1 ? String(parts[1]) : ""
        if ["STARTTLS", "AUTH", "MAIL", "RCPT", "DATA"].contains(verb) && !greeted {
            return send(context, "503 5.5.1 Error: send HELO/EHLO first")
        }
        // Like Postfix with smtpd_tls_auth_only: where STARTTLS is offered, AUTH only over TLS.
        let authAllowed = !options.users.isEmpty && !options.mechanisms.isEmpty && (secure || !options.startTLS)
        switch verb {
        case "EHLO":
            greeted = true
            var lines = ["250-fake.smtp.test greets \(argument)", "250-8BITMIME"]
            if authAllowed { lines.append("250-AUTH " + options.mechanisms.joined(separator: " ")) }
            if options.startTLS && !secure { lines.append("250-STARTTLS") }
            lines.append("250 SIZE 10240000")
            send(context, lines.joined(separator: "\r\n"))
        case "HELO":
            greeted = true
            send(context, "250 fake.smtp.test")
        case "STARTTLS":
            guard options.startTLS, !secure, let tls else { return send(context, "502 5.5.1 STARTTLS not offered") }
            send(context, "220 2.0.0 Ready to start TLS")
            // The reply above is already written in clear; everything after it goes through TLS.
            try? context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
            secure = true
            user = nil
            greeted = false  // RFC 3207: the client starts over with EHLO
        case "AUTH":
            let words = argument.split(separator: " ").map(String.init)
            let mechanism = words.first?.uppercased() ?? ""
            if options.startTLS && !secure { return send(context, "538 5.7.11 Encryption required for requested authentication mechanism") }
            guard authAllowed, options.mechanisms.contains(mechanism) else { return send(context, "504 5.5.4 Unrecognized authentication type") }
            if mechanism == "PLAIN" {
                if words.count > 1 { plain(context, words[1]) } else { state = .authPlain; send(context, "334 ") }
            } else {
                state = .authLoginUser
                send(context, "334 VXNlcm5hbWU6")
            }
        case "MAIL":
            if options.requireAuth && user == nil { return send(context, "530 5.7.0 Authentication required") }
            guard let address = Self.path(argument, "FROM:") else { return send(context, "501 5.5.4 Syntax: MAIL FROM:<address>") }
            from = address
            recipients = []
            send(context, "250 2.1.0 Ok")
        case "RCPT":
            guard from != nil else { return send(context, "503 5.5.1 Need MAIL command") }
            guard let address = Self.path(argument, "TO:") else { return send(context, "501 5.5.4 Syntax: RCPT TO:<address>") }
            if options.rejectedRecipients.contains(address) { return send(context, "550 5.1.1 <\(address)>: Recipient address rejected: User unknown") }
            recipients.append(address)
            send(context, "250 2.1.5 Ok")
        case "DATA":
            guard !recipients.isEmpty else { return send(context, "503 5.5.1 Need RCPT command") }
            state = .data([])
            send(context, "354 End data with <CR><LF>.<CR><LF>")
        case "RSET":
            from = nil
            recipients = []
            send(context, "250 2.0.0 Ok")
        case "NOOP": send(context, "250 2.0.0 Ok")
        case "QUIT":
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "221 2.0.0 Bye\r\n"))).whenComplete { _ in bound.value.close(promise: nil) }
        default: send(context, "502 5.5.2 Error: command not recognized")
        }
    }

    private func plain(_ context: ChannelHandlerContext, _ payload: String) {
        let parts = (Formats.decodeBase64(payload) ?? []).split(separator: 0, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return send(context, "501 5.5.2 Cannot decode AUTH PLAIN") }
        finishAuth(context, name: String(decoding: parts[1], as: UTF8.self), password: String(decoding: parts[2], as: UTF8.self))
    }

    private func finishAuth(_ context: ChannelHandlerContext, name: String, password: String) {
        guard let expected = options.users[name], expected == password else { return send(context, "535 5.7.8 Authentication failed") }
        user = name
        send(context, "235 2.7.0 Authentication successful")
    }

    private func decode(_ line: String) -> String {
        String(decoding: Formats.decodeBase64(line) ?? [], as: UTF8.self)
    }

    /// `FROM:<a@b>` (parameters after it ignored) → `a@b`.
    static func path(_ argument: String, _ prefix: String) -> String? {
        guard argument.uppercased().hasPrefix(prefix) else { return nil }
        let rest = argument.dropFirst(prefix.count).drop { $0 == " " }
        guard rest.hasPrefix("<"), let close = rest.firstIndex(of: ">") else { return nil }
        return String(rest[rest.index(after: rest.startIndex)..<close])
    }
}
