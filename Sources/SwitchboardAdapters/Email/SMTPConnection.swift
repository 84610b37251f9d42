import NIOCore
import NIOSSL
import Synchronization
import SwitchboardCore

/// Why sending an email failed, in words an admin can act on. Replies are quoted verbatim
/// (`AUTH PLAIN: 535 5.7.8 Authentication failed`); credentials never appear.
public struct SMTPError: Error, Sendable, CustomStringConvertible {
    public let message: String
    /// The server's reply, when the failure is one.
    public let reply: SMTPReply?

    public init(_ message: String, reply: SMTPReply? = nil) {
        self.message = message
        self.reply = reply
    }

    public var description: String { message }
}

/// One open SMTP dialogue over a NIO channel: writes command lines and reads whole replies, each
/// within `timeout` (the channel is closed when a reply is late). Used by `SMTPClient` only.
struct SMTPConnection {
    let channel: any Channel
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let timeout: TimeAmount
    private var buffer = ByteBuffer()
    private var parser = SMTPReplyParser()
    private let timedOut = TimeoutFlag()

    static let maxLineLength = 4096

    init(channel: any Channel, inbound: NIOAsyncChannelInboundStream<ByteBuffer>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, timeout: TimeAmount) {
        self.channel = channel
        self.inbound = inbound.makeAsyncIterator()
        self.outbound = outbound
        self.timeout = timeout
    }

    /// Sends `line` (CRLF added) and answers the server's reply. `shown` names the command in
    /// errors instead of the line itself (the AUTH payloads are secrets).
    mutating func command(_ line: String, shown: String? = nil) async throws -> SMTPReply {
        try await write(line + "\r\n", step: shown ?? line)
        return try await reply(after: shown ?? line)
    }

    /// Like `command`, but a reply outside `expected` is an error quoting it.
    mutating func expect(_ line: String, shown: String? = nil, _ expected: Set<Int>) async throws -> SMTPReply {
        let answer = try await command(line, shown: shown)
        guard expected.contains(answer.code) else { throw SMTPError("\(shown ?? line): \(answer)", reply: answer) }
        return answer
    }

    mutating func write(_ text: String, step: String) async throws {
        do {
            try await outbound.write(ByteBuffer(string: text))
        } catch {
            // A write fails once the channel is closed; why it closed (a TLS handshake failure, say)
            // is what finished the inbound side.
            var reason = "\(error)"
            if !channel.isActive {
                do {
                    while try await inbound.next() != nil {}
                } catch let cause {
                    reason = Self.describe(cause)
                }
            }
            throw SMTPError("the connection failed while sending \(step): \(reason)")
        }
    }

    /// The next whole reply; `step` names what it answers, for errors.
    mutating func reply(after step: String) async throws -> SMTPReply {
        let flag = timedOut
        let channel = self.channel
        let timer = channel.eventLoop.scheduleTask(in: timeout) {
            flag.set()
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        while true {
            while let line = try nextLine() {
                do {
                    if let reply = try parser.feed(line) { return reply }
                } catch {
                    throw SMTPError("\(error) (waiting for the reply to \(step))")
                }
            }
            let chunk: ByteBuffer?
            do {
                chunk = try await inbound.next()
            } catch {
                if timedOut.isSet { throw timeoutError(step) }
                throw SMTPError("the connection failed waiting for the reply to \(step): \(Self.describe(error))")
            }
            guard var chunk else {
                if timedOut.isSet { throw timeoutError(step) }
                throw SMTPError("the server closed the connection (waiting for the reply to \(step))")
            }
            buffer.writeBuffer(&chunk)
        }
    }

    private func timeoutError(_ step: String) -> SMTPError {
        let milliseconds = timeout.nanoseconds / 1_000_000
        return SMTPError("the server did not answer \(step) within \(milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms")")
    }

    /// One line of the buffer without its CRLF (a bare LF is accepted), or nil when incomplete.
    private mutating func nextLine() throws -> String? {
        guard let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maxLineLength { throw SMTPError("the server sent a line longer than \(Self.maxLineLength) bytes") }
            return nil
        }
        let length = end - buffer.readerIndex
        var line = buffer.readString(length: length) ?? ""
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        return line
    }

    /// Starts TLS on the open connection (after `STARTTLS` was accepted).
    func startTLS(_ context: NIOSSLContext, serverHostname: String?) async throws {
        let channel = self.channel
        try await channel.eventLoop.submit {
            let handler = try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
            try channel.pipeline.syncOperations.addHandler(handler, position: .first)
        }.get()
    }

    /// NIOSSL's errors read better with their case name.
    static func describe(_ error: any Error) -> String {
        if let ssl = error as? NIOSSLError { return "TLS failed: \(ssl)" }
        if let ssl = error as? BoringSSLError { return "TLS failed: \(ssl)" }
        return "\(error)"
    }
}

/// Set by the reply timer when it closes the connection, so the reader reports a timeout.
final class TimeoutFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
