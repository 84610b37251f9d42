import Foundation
import HTTPTypes
import Hummingbird
import SwitchboardAdapters
import SwitchboardCore
import Synchronization

/// One request a carrier fake accepted as a send: what a test checks the adapter sent.
public struct FakeCarrierSend: Sendable, Equatable {
    public var from: String
    public var to: String
    public var text: String
    public var mediaURLs: [String]
    /// The id the fake answered with.
    public var id: String
    /// Provider-specific extras (Twilio `StatusCallback`, Bandwidth `applicationId`, …).
    public var extras: [String: String]

    public init(from: String, to: String, text: String, mediaURLs: [String] = [], id: String, extras: [String: String] = [:]) {
        self.from = from
        self.to = to
        self.text = text
        self.mediaURLs = mediaURLs
        self.id = id
        self.extras = extras
    }
}

/// A scripted answer a carrier fake gives instead of its normal one: the provider's real error
/// shape, built by the fake's `…Error` helpers.
public struct FakeCarrierAnswer: Sendable {
    public var status: Int
    public var body: String
    public var contentType: String
    public var headers: [String: String]

    public init(status: Int, body: String, contentType: String = "application/json", headers: [String: String] = [:]) {
        self.status = status
        self.body = body
        self.contentType = contentType
        self.headers = headers
    }

    var response: Response {
        var fields: HTTPFields = [.contentType: contentType]
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        return Response(status: HTTPResponse.Status(code: status), headers: fields, body: .init(byteBuffer: .init(string: body)))
    }
}

/// What every carrier fake shares: the recorder of accepted sends, the script of failures, the
/// running server, and small request helpers.
public final class FakeCarrierCore: Sendable {
    public let sent = Recorder<FakeCarrierSend>()
    public let failures = Script<FakeCarrierAnswer>()
    /// Requests refused for auth, content type or shape (the fake's own checks), as `status: reason`.
    public let refusals = Recorder<String>()
    let server = Mutex<FakeServer?>(nil)

    init() {}

    /// Starts `router` and remembers the server.
    func start(_ router: Router<BasicRequestContext>) async throws {
        let running = try await FakeServer.start(router)
        server.withLock { $0 = running }
    }

    public var baseURL: String { server.withLock { $0?.baseURL ?? "" } }

    public func stop() async {
        let running = server.withLock { $0 }
        await running?.stop()
    }

    /// Media files the fake serves (by URL path) to downloads its provider authorises.
    let media = Mutex<[String: (contentType: String, bytes: [UInt8])]>([:])
    /// Downloads of media that were refused (no or wrong credentials).
    public let refusedDownloads = Recorder<String>()

    /// Puts a file on the fake's media server at `path`; returns its full URL.
    public func hostMedia(path: String, contentType: String, bytes: [UInt8]) -> String {
        media.withLock { $0[path] = (contentType, bytes) }
        return baseURL + path
    }

    /// Serves a hosted file when `authorized`; otherwise `refusal` (the provider's 401).
    func mediaResponse(_ request: Request, authorized: Bool, refusal: FakeCarrierAnswer) -> Response {
        guard authorized else {
            refusedDownloads.append(request.uri.path)
            return refusal.response
        }
        guard let file = media.withLock({ $0[request.uri.path] }) else { return FakeCarrierCore.json(404, ["message": "not found"]) }
        return Response(status: .ok, headers: [.contentType: file.contentType], body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }

    /// A refusal in the provider's error shape, recorded for the test to see.
    func refuse(_ answer: FakeCarrierAnswer, _ reason: String) -> Response {
        refusals.append("\(answer.status): \(reason)")
        return answer.response
    }

    static func body(_ request: Request) async throws -> [UInt8] {
        var request = request
        return Array((try await request.collectBody(upTo: 1 << 20)).readableBytesView)
    }

    static func basic(_ user: String, _ password: String) -> String {
        "Basic " + Formats.encodeBase64(Array("\(user):\(password)".utf8))
    }

    static func json(_ status: Int, _ value: JSONValue) -> Response {
        FakeCarrierAnswer(status: status, body: value.serialized()).response
    }

    static func hasContentType(_ request: Request, _ prefix: String) -> Bool {
        request.headers[.contentType]?.lowercased().hasPrefix(prefix) == true
    }

    /// 11 digits, no `+` (what digits-only carriers require).
    static func isElevenDigits(_ text: String) -> Bool {
        text.count == 11 && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    static func newID(_ prefix: String) -> String {
        prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }
}

