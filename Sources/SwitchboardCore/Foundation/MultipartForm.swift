/// A `multipart/form-data` body split into its parts (RFC 7578): each part's form name, file name,
/// content type and bytes. Malformed bodies give `nil` rather than a partial list.
public struct MultipartForm: Sendable {
    public struct Part: Sendable {
        public var name: String
        public var fileName: String?
        public var contentType: String
        public var body: ArraySlice<UInt8>
    }

    public let parts: [Part]

    public func parts(named name: String) -> [Part] { parts.filter { $0.name == name } }

    /// The boundary of a `multipart/form-data` content type, or nil for any other type.
    public static func boundary(of contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = String(parameter).trimmingSpaces.split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                var value = String(pair[1])
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    public init?(_ body: [UInt8], boundary: String) {
        let delimiter = Array("--\(boundary)".utf8)
        let separator = Array("\r\n--\(boundary)".utf8)
        guard var cursor = Self.find(delimiter, in: body, from: 0) else { return nil }
        cursor += delimiter.count
        var parts: [Part] = []
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if body[cursor...].starts(with: [0x2D, 0x2D]) { break }
            guard body[cursor...].starts(with: [0x0D, 0x0A]) else { return nil }
            let headersStart = cursor + 2
            guard let headersEnd = Self.find([0x0D, 0x0A, 0x0D, 0x0A], in: body, from: headersStart),
                let end = Self.find(separator, in: body, from: headersEnd + 4)
            else { return nil }
            let headers = String(decoding: body[headersStart..<headersEnd], as: UTF8.self)
            guard let part = Self.part(headers: headers, body: body[(headersEnd + 4)..<end]) else { return nil }
            parts.append(part)
            cursor = end + separator.count
            guard cursor < body.count else { return nil }
        }
        self.parts = parts
    }

    static func part(headers: String, body: ArraySlice<UInt8>) -> Part? {
        var name: String?
        var fileName: String?
        var contentType = ""
        for line in headers.split(separator: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let key = pair[0].trimmingSpacesSub.lowercased()
            let value = String(pair[1]).trimmingSpaces
            if key == "content-type" { contentType = value }
            if key == "content-disposition" {
                name = parameter("name", in: value)
                fileName = parameter("filename", in: value)
            }
        }
        guard let name else { return nil }
        return Part(name: name, fileName: fileName, contentType: contentType, body: body)
    }

    /// A `key="value"` (or unquoted) parameter of a header value.
    static func parameter(_ key: String, in value: String) -> String? {
        for piece in value.split(separator: ";").dropFirst() {
            let pair = String(piece).trimmingSpaces.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].lowercased() == key else { continue }
            var text = String(pair[1])
            if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
            return text
        }
        return nil
    }

    /// The first index of `needle` in `haystack` at or after `start`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        let last = haystack.count - needle.count
        guard start <= last else { return nil }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                var index = start
                while index <= last {
                    if hay[index] == first {
                        var match = true
                        var offset = 1
                        while offset < pin.count {
                            if hay[index + offset] != pin[offset] { match = false; break }
                            offset += 1
                        }
                        if match { return index }
                    }
                    index += 1
                }
                return nil
            }
        }
    }
}

extension Substring {
    fileprivate var trimmingSpacesSub: String { String(self).trimmingSpaces }
}
