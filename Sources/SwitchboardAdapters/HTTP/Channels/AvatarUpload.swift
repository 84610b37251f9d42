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
        guard let contentType = request.headers[.contentType], let boundary = MultipartForm.boundary(of: contentType) else {
            throw APIError.invalid("file", "required")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maxBytes + 64 * 1024)
        } catch {
            throw APIError(.fileSizeExceeded)
        }
        guard let bytes = MultipartForm(Array(body.readableBytesView), boundary: boundary)?.parts(named: "file").first.map({ Array($0.body) })
        else {
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
}
