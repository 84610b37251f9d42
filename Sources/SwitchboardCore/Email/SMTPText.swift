/// One SMTP reply (RFC 5321 §4.2): a three-digit code and its text lines (`250-a`, `250 b`).
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    public var lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    public var isPositive: Bool { (200..<400).contains(code) }

    /// The reply as the server wrote it, lines joined by a space: `535 5.7.8 Authentication failed`.
    public var description: String { "\(code) " + lines.joined(separator: " ") }

    /// EHLO keywords after the greeting line, upper-cased: `["AUTH PLAIN LOGIN", "STARTTLS", …]`.
    public var extensions: [String] { lines.dropFirst().map { $0.uppercased() } }

    /// The mechanisms of the `AUTH` extension (also the old `AUTH=` spelling).
    public var authMechanisms: Set<String> {
        var found = Set<String>()
        for line in extensions where line.hasPrefix("AUTH ") || line.hasPrefix("AUTH=") {
            found.formUnion(line.dropFirst(5).split(separator: " ").map(String.init))
        }
        return found
    }
}

/// Assembles replies from the lines a server sends; a malformed line is an error.
public struct SMTPReplyParser: Sendable {
    private var code: Int?
    private var lines: [String] = []

    public init() {}

    public struct Malformed: Error, CustomStringConvertible {
        public let line: String
        public var description: String { "the server sent a line that is not an SMTP reply: \(line.prefix(80))" }
    }

    /// Feeds one line (without CRLF); answers the reply once its last line (`code SP text`) arrives.
    public mutating func feed(_ line: String) throws -> SMTPReply? {
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, bytes[0...2].allSatisfy({ (48...57).contains($0) }), let value = Int(String(decoding: bytes[0...2], as: UTF8.self)),
            bytes.count == 3 || bytes[3] == 32 || bytes[3] == 45, code == nil || code == value
        else { throw Malformed(line: line) }
        code = value
        lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        guard bytes.count == 3 || bytes[3] == 32 else { return nil }
        defer { code = nil; lines = [] }
        return SMTPReply(code: value, lines: lines)
    }
}

/// The text transformations of the SMTP dialogue.
public enum SMTPText {
    /// Every line end (CR, LF or CRLF) as CRLF.
    public static func crlf(_ text: String) -> String {
        var out = "", previousCR = false
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar == "\r" {
                out += "\r\n"
                previousCR = true
                continue
            }
            if scalar == "\n" {
                if !previousCR { out += "\r\n" }
            } else {
                out.unicodeScalars.append(scalar)
            }
            previousCR = false
        }
        return out
    }

    /// The `DATA` payload (RFC 5321 §4.5.2): CRLF line ends, a `.` doubled at the start of every
    /// line, and the terminating `CRLF.CRLF`.
    public static func dataPayload(_ message: String) -> String {
        var body = crlf(message)
        if !body.hasSuffix("\r\n") { body += "\r\n" }
        let stuffed = body.split(separator: "\r\n", omittingEmptySubsequences: false).dropLast()
            .map { $0.hasPrefix(".") ? "." + $0 : String($0) }
        return stuffed.joined(separator: "\r\n") + "\r\n.\r\n"
    }

    /// The undoing of `dataPayload` by a receiver: lines up to the lone `.` with the leading dot removed.
    public static func unstuff(_ lines: [String]) -> String {
        lines.map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 }.joined(separator: "\r\n") + "\r\n"
    }

    /// The `AUTH PLAIN` initial response (RFC 4616): Base64 of `\0user\0password`.
    public static func plainCredentials(username: String, password: String) -> String {
        Formats.encodeBase64([0] + Array(username.utf8) + [0] + Array(password.utf8))
    }

    /// Base64 of UTF-8 text (the `AUTH LOGIN` answers).
    public static func base64(_ text: String) -> String { Formats.encodeBase64(Array(text.utf8)) }
}
