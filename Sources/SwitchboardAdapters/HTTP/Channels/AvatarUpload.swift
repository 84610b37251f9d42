import Foundation
import Hummingbird
import NIOCore
import SwitchboardCore

/// `POST message_channel/uploadphoto`: a `multipart/form-data` body whose part `file` is a PNG or JPEG
/// image; it is stored under the data directory and answered with its name (`livechat-<uuid>`), which
/// a Live Chat channel's `avatar` then carries.
struct AvatarUpload {
    static let maxBytes = 10 << 20
    let directory: String

    func upload(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        guard let contentType = request.headers[.contentType], let boundary = Self.boundary(of: contentType) else {
            throw APIError.invalid("file", "required")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maxBytes + 64 * 1024)
        } catch {
            throw APIError(.fileSizeExceeded)
        }
        guard let bytes = Self.part(named: "file", in: Array(body.readableBytesView), boundary: boundary) else {
            throw APIError.invalid("file", "required")
        }
        guard bytes.count <= Self.maxBytes else { throw APIError(.fileSizeExceeded) }
        guard Self.isImage(bytes) else { throw APIError.invalid("file", "invalid_value") }
        let name = "livechat-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: directory + "/" + name, contents: Data(bytes)) else {
            throw APIError(.internalServerError)
        }
        return .success(["file": .string(name)])
    }

    /// PNG or JPEG, judged by the first bytes.
    static func isImage(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) || bytes.starts(with: [0xFF, 0xD8, 0xFF])
    }

    static func boundary(of contentType: String) -> String? {
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

    /// The content of the form part named `name`, or nil.
    static func part(named name: String, in body: [UInt8], boundary: String) -> [UInt8]? {
        let delimiter = Array("--\(boundary)".utf8)
        let headerEnd = Array("\r\n\r\n".utf8)
        var cursor = 0
        while let start = find(delimiter, in: body, from: cursor) {
            let partStart = start + delimiter.count
            guard let headersEnd = find(headerEnd, in: body, from: partStart),
                let next = find(Array("\r\n--\(boundary)".utf8), in: body, from: headersEnd + 4)
            else { return nil }
            let headers = String(decoding: body[partStart..<headersEnd], as: UTF8.self).lowercased()
            if headers.contains("name=\"\(name)\"") { return Array(body[(headersEnd + 4)..<next]) }
            cursor = next + 2
        }
        return nil
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0], haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
