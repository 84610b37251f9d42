import Crypto
import Foundation
import Hummingbird
import Synchronization
import SwitchboardCore

/// Media the Graph fake holds for inbound WhatsApp messages: `GET /{version}/{media-id}` (Bearer)
/// answers `{"messaging_product","url","mime_type","sha256","file_size","id"}` with a download URL
/// on this server, which itself needs the same Bearer token — as Meta's lookaside URLs do.
public final class GraphMediaShelf: Sendable {
    struct File: Sendable {
        var contentType: String
        var bytes: [UInt8]
    }

    private let files = Mutex<[String: File]>([:])
    /// Downloads refused for a missing or wrong token.
    public let refusedDownloads = Recorder<String>()

    init() {}

    func put(_ id: String, contentType: String, bytes: [UInt8]) {
        files.withLock { $0[id] = File(contentType: contentType, bytes: bytes) }
    }

    func file(_ id: String) -> File? { files.withLock { $0[id] } }
}

extension FakeGraphAPI {
    /// Holds a file under a new media id (what a customer's image would be); returns the id.
    public func hostMedia(contentType: String, bytes: [UInt8]) -> String {
        let id = String(Int.random(in: 1_000_000_000_000...9_999_999_999_999))
        media.put(id, contentType: contentType, bytes: bytes)
        return id
    }

    /// The media node's answer, or nil when `node` is not a held media id.
    func mediaNode(_ request: Request, node: String) -> Response? {
        guard let file = media.file(node) else { return nil }
        guard request.headers[.authorization] == "Bearer \(whatsAppToken)" else {
            return Self.answer(.unauthorized, Self.errorBody(code: 190, message: "Invalid OAuth access token - Cannot parse access token"))
        }
        let sha = SHA256.hash(data: file.bytes).map { String(format: "%02x", $0) }.joined()
        return Self.answer(.ok, JSONValue.object([
            "messaging_product": "whatsapp", "url": .string("\(baseURL)/whatsapp_business/attachments/?mid=\(node)"),
            "mime_type": .string(file.contentType), "sha256": .string(sha), "file_size": .int(Int64(file.bytes.count)),
            "id": .string(node),
        ]).serialized())
    }

    /// The download behind a media node's `url`.
    func mediaDownload(_ request: Request) -> Response {
        let id = request.uri.queryParameters["mid"].map(String.init) ?? ""
        guard request.headers[.authorization] == "Bearer \(whatsAppToken)" else {
            media.refusedDownloads.append(id)
            return Response(status: .unauthorized)
        }
        guard let file = media.file(id) else { return Response(status: .notFound) }
        return Response(status: .ok, headers: [.contentType: file.contentType], body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }
}
