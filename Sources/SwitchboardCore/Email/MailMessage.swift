/// An email address with an optional display name (`"Sales" <sales@example.com>`).
public struct MailAddress: Sendable, Equatable {
    public var address: String
    public var name: String

    public init(_ address: String, name: String = "") {
        self.address = address
        self.name = name
    }

    /// A plain `local@domain.tld` address: one `@`, a dotted domain, no spaces, controls, angle
    /// brackets, commas or quotes (nothing that could break out of an SMTP command or a header).
    public static func isValid(_ text: String) -> Bool {
        guard text.utf8.count <= 254 else { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64 else { return false }
        let domain = parts[1]
        guard domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains("..") else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x20 && scalar.value != 0x7F && !"<>()[],;:\\\"".unicodeScalars.contains(scalar)
        }
    }

    /// The address as a `From`/`To` header value: the name quoted (ASCII) or encoded (RFC 2047).
    public var headerValue: String {
        guard !name.isEmpty else { return "<\(address)>" }
        return "\(MIMEText.phrase(name)) <\(address)>"
    }
}

/// One email to send: UTF-8 text, optionally with an HTML alternative.
public struct MailMessage: Sendable, Equatable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var subject: String
    public var text: String
    public var html: String?

    public init(from: MailAddress, to: [MailAddress], subject: String, text: String, html: String? = nil) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
    }

    /// The message in RFC 5322 form (CRLF line ends, 7-bit: headers encoded per RFC 2047, bodies
    /// in quoted-printable) — what goes between `DATA` and the final dot, before dot-stuffing.
    /// `date` is Unix seconds; `messageID` is `<unique@domain>`; `boundary` separates the parts.
    public func rendered(date: Int64, messageID: String, boundary: String) -> String {
        var lines = [
            "Date: " + MIMEText.date(date),
            "Message-ID: " + messageID,
            "From: " + from.headerValue,
            "To: " + to.map(\.headerValue).joined(separator: ", "),
            "Subject: " + MIMEText.unstructured(subject),
            "MIME-Version: 1.0",
        ]
        if let html {
            lines.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
            lines.append("")
            lines.append("This is a multi-part message in MIME format.")
            for (type, body) in [("text/plain", text), ("text/html", html)] {
                lines.append("--" + boundary)
                lines.append(contentsOf: Self.part(type, body))
            }
            lines.append("--" + boundary + "--")
        } else {
            lines.append(contentsOf: Self.part("text/plain", text))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    private static func part(_ type: String, _ body: String) -> [String] {
        ["Content-Type: \(type); charset=UTF-8", "Content-Transfer-Encoding: quoted-printable", ""] + MIMEText.quotedPrintableLines(body)
    }
}

/// RFC 5322 / RFC 2047 / RFC 2045 text helpers.
public enum MIMEText {
    /// An unstructured header value (Subject): as is when printable ASCII, otherwise UTF-8
    /// encoded-words (`=?UTF-8?B?…?=`), each at most 75 characters, never splitting a character.
    public static func unstructured(_ value: String) -> String {
        let clean = value.replacingControls()
        if clean.unicodeScalars.allSatisfy({ $0.isASCII }) { return clean }
        return encodedWords(clean).joined(separator: "\r\n ")
    }

    /// A display name: a quoted string when ASCII, encoded-words otherwise.
    public static func phrase(_ value: String) -> String {
        let clean = value.replacingControls()
        guard clean.unicodeScalars.allSatisfy({ $0.isASCII }) else { return encodedWords(clean).joined(separator: " ") }
        var quoted = "\""
        for character in clean {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\""
    }

    /// `=?UTF-8?B?…?=` words of at most 75 characters (45 bytes of UTF-8 each before Base64).
    public static func encodedWords(_ value: String) -> [String] {
        var words: [String] = [], chunk: [UInt8] = []
        for character in value {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45, !chunk.isEmpty {
                words.append("=?UTF-8?B?" + Formats.encodeBase64(chunk) + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?" + Formats.encodeBase64(chunk) + "?=") }
        return words
    }

    /// The body in quoted-printable (RFC 2045 §6.7): the text's own lines kept (so a line may
    /// start with a dot, which SMTP then stuffs), UTF-8 and `=` as `=XX`, trailing blanks encoded,
    /// lines over 76 characters broken with a soft `=`.
    public static func quotedPrintableLines(_ body: String) -> [String] {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [String] = []
        for line in SMTPText.crlf(body).split(separator: "\r\n", omittingEmptySubsequences: false) {
            let bytes = Array(line.utf8)
            var current: [UInt8] = []
            for (index, byte) in bytes.enumerated() {
                let last = index == bytes.count - 1
                let literal = (byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !last)
                let token = literal ? [byte] : [61, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
                if current.count + token.count > (last ? 76 : 75) {
                    out.append(String(decoding: current + [61], as: UTF8.self))
                    current = []
                }
                current += token
            }
            out.append(String(decoding: current, as: UTF8.self))
        }
        return out
    }

    /// `Sun, 22 Nov 2026 22:53:40 +0000` for Unix seconds (UTC).
    public static func date(_ seconds: Int64) -> String {
        let days = TimeRange.floorDiv(seconds, 86400)
        let rest = seconds - days * 86400
        let (year, month, day) = TimeRange.civil(fromDays: days)
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][Int(((days % 7) + 7) % 7)]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(weekday), \(two(day)) \(months[Int(month) - 1]) \(year) \(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60)) +0000"
    }
}

extension String {
    /// CR, LF and other controls replaced by spaces (header values stay on their line).
    func replacingControls() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }
}
