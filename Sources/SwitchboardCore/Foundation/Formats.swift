/// Format rules shared by every edge: phone numbers, sender ids, Base64 values, provider URLs.
public enum Formats {
    /// `+` then 2–15 digits, the first not 0 (ITU-T E.164).
    public static func isE164(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 3, scalars.count <= 16, scalars[0] == "+" else { return false }
        guard scalars[1] != "0" else { return false }
        return scalars.dropFirst().allSatisfy { $0.properties.numericType == .decimal && $0.isASCII }
    }

    /// An alphanumeric SMS sender id: 1–11 ASCII letters and digits with at least one letter.
    public static func isAlphanumericSenderID(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard (1...11).contains(scalars.count) else { return false }
        guard scalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }) else { return false }
        return scalars.contains { $0.properties.isAlphabetic }
    }

    /// A phone number as a person types it: optional `+`, digits, and `( ) . - * #` or spaces.
    public static func isDialable(_ text: String) -> Bool {
        let allowed = Set("0123456789()-.*# ")
        var body = Substring(text)
        if body.first == "+" { body = body.dropFirst() }
        return !body.isEmpty && body.allSatisfy { allowed.contains($0) } && body.contains(where: \.isNumber)
    }

    /// Strict standard Base64 (RFC 4648 §4) with padding; decodes to the bytes or nil.
    public static func decodeBase64(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count % 4 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): c - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): c - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"): 62
            case UInt8(ascii: "/"): 63
            default: nil
            }
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count / 4 * 3)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<index + 4]
            let isLast = index + 4 == bytes.count
            let padding = chunk.reversed().prefix(while: { $0 == UInt8(ascii: "=") }).count
            guard padding <= 2, padding == 0 || isLast else { return nil }
            var quad: [UInt8] = []
            for c in chunk.prefix(4 - padding) {
                guard let v = value(c) else { return nil }
                quad.append(v)
            }
            let n = quad.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (18 - 6 * UInt32($1.offset)) }
            output.append(UInt8(n >> 16 & 0xFF))
            if padding < 2 { output.append(UInt8(n >> 8 & 0xFF)) }
            if padding < 1 { output.append(UInt8(n & 0xFF)) }
            index += 4
        }
        return output
    }

    public static func encodeBase64(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let remaining = min(3, bytes.count - index)
            var n = UInt32(bytes[index]) << 16
            if remaining > 1 { n |= UInt32(bytes[index + 1]) << 8 }
            if remaining > 2 { n |= UInt32(bytes[index + 2]) }
            out.append(table[Int(n >> 18 & 63)])
            out.append(table[Int(n >> 12 & 63)])
            out.append(remaining > 1 ? table[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(remaining > 2 ? table[Int(n & 63)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A provider endpoint we may call: `https://host…`, or `http://` only to a loopback host
    /// (so local test providers work without TLS).
    public static func isProviderURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            rest = lower.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            rest = lower.dropFirst(7)
            let host = hostPart(rest)
            return host == "localhost" || host.hasPrefix("127.") || host == "[::1]"
        } else {
            return false
        }
        return !hostPart(rest).isEmpty && !text.contains(" ")
    }

    private static func hostPart(_ rest: Substring) -> String {
        let authority = rest.prefix(while: { $0 != "/" && $0 != "?" && $0 != "#" })
        if authority.hasPrefix("[") {
            return String(authority.prefix(while: { $0 != "]" })) + "]"
        }
        return String(authority.prefix(while: { $0 != ":" }))
    }
}
