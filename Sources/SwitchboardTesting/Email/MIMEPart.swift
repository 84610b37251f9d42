import Foundation
import SwitchboardCore

/// A received email read back the way a mail client would: unfolded headers, RFC 2047 words
/// decoded, Base64 bodies decoded, `multipart/*` split into parts.
public struct MIMEPart: Sendable {
    /// Header names (lower-cased) and raw values, in order.
    public let headers: [(String, String)]
    /// The body as sent (still transfer-encoded).
    public let rawBody: String

    public init(_ text: String) {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        let split = normalized.range(of: "\n\n")
        let head = split.map { String(normalized[..<$0.lowerBound]) } ?? normalized
        rawBody = split.map { String(normalized[$0.upperBound...]) } ?? ""
        var fields: [(String, String)] = []
        for line in head.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), !fields.isEmpty {
                fields[fields.count - 1].1 += String(line)
            } else if let colon = line.firstIndex(of: ":") {
                fields.append((line[..<colon].lowercased(), String(line[line.index(after: colon)...]).trimmed))
            }
        }
        headers = fields
    }

    /// The raw value of header `name`.
    public func header(_ name: String) -> String? {
        headers.first { $0.0 == name.lowercased() }?.1
    }

    /// Header `name` with `=?UTF-8?B?…?=` words decoded (white space between adjacent words dropped).
    public func decodedHeader(_ name: String) -> String? {
        guard let raw = header(name) else { return nil }
        var out = "", pendingSpace = "", lastWasWord = false
        for token in raw.split(separator: " ", omittingEmptySubsequences: false) {
            let word = String(token).trimmed
            if word.hasPrefix("=?"), word.hasSuffix("?="), word.uppercased().hasPrefix("=?UTF-8?B?") {
                let payload = String(word.dropFirst(10).dropLast(2))
                if !lastWasWord { out += pendingSpace }
                out += String(decoding: Formats.decodeBase64(payload) ?? [], as: UTF8.self)
                lastWasWord = true
            } else {
                out += pendingSpace + word
                lastWasWord = false
            }
            pendingSpace = " "
        }
        return out.trimmed
    }

    /// `text/plain` of `text/html; charset=…` → `text/plain`.
    public var contentType: String {
        (header("content-type") ?? "text/plain").split(separator: ";").first.map { String($0).trimmed.lowercased() } ?? "text/plain"
    }

    /// The sub-parts of a multipart body.
    public var parts: [MIMEPart] {
        guard contentType.hasPrefix("multipart/"), let type = header("content-type"), let start = type.range(of: "boundary=\"") else { return [] }
        let boundary = String(type[start.upperBound...].prefix { $0 != "\"" })
        let pieces = rawBody.components(separatedBy: "--" + boundary)
        return pieces.dropFirst().filter { !$0.hasPrefix("--") }.map { MIMEPart(String($0.drop { $0 == "\n" })) }
    }

    /// The decoded body of this part (Base64 undone), or of its first part of `type`.
    public func body(_ type: String = "text/plain") -> String? {
        if contentType.hasPrefix("multipart/") { return parts.lazy.compactMap { $0.body(type) }.first }
        guard contentType == type else { return nil }
        switch header("content-transfer-encoding")?.lowercased() {
        case "base64":
            let joined = rawBody.split(separator: "\n").joined()
            return String(decoding: Formats.decodeBase64(joined) ?? [], as: UTF8.self)
        case "quoted-printable": return Self.quotedPrintable(rawBody)
        default: return rawBody
        }
    }
}

extension MIMEPart {
    /// Undoes quoted-printable: soft breaks (`=` at a line end) joined, `=XX` decoded, hard breaks as
    /// CRLF. The body's last line end (before a boundary or the end) is not part of the text.
    static func quotedPrintable(_ body: String) -> String {
        var text = body
        if text.hasSuffix("\n") { text.removeLast() }
        var bytes: [UInt8] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() {
            var chars = Array(line.utf8)
            let soft = chars.last == UInt8(ascii: "=")
            if soft { chars.removeLast() }
            var index = 0
            while index < chars.count {
                if chars[index] == UInt8(ascii: "="), index + 2 < chars.count,
                    let value = UInt8(String(decoding: chars[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                    bytes.append(value)
                    index += 3
                } else {
                    bytes.append(chars[index])
                    index += 1
                }
            }
            if !soft && number < lines.count - 1 { bytes += [13, 10] }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespaces) }
}
