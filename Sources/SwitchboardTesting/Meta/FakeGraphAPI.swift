import Crypto
import Foundation
import Hummingbird
import Synchronization
import SwitchboardCore

/// Meta's Graph API as the WhatsApp and Messenger adapters use it, on a loopback port:
/// `POST /{version}/{phone_number_id}/messages` (Bearer token), `POST /{version}/me/messages`
/// (`access_token` query parameter, `appsecret_proof` checked when given), `GET /{version}/{phone_number_id}`
/// and `GET /{version}/me`. It rejects what Graph rejects — another version, a wrong token (190),
/// a wrong proof, a body that is not `application/json` or not a valid message (100) — answers
/// Graph's success and error JSON, and plays scripted failures.
public final class FakeGraphAPI: Sendable {
    /// One accepted send.
    public struct Sent: Sendable {
        /// `whatsapp` or `messenger`.
        public var product: String
        public var body: JSONValue
        public var id: String
    }

    /// A scripted Graph error for the next call: HTTP status and Graph's `error` members.
    public struct Failure: Sendable {
        public var status: Int
        public var code: Int64?
        public var subcode: Int64?
        public var message: String
        public var details: String?
        public var retryAfter: Int?

        public init(status: Int, code: Int64? = nil, subcode: Int64? = nil, message: String = "Scripted failure", details: String? = nil, retryAfter: Int? = nil) {
            self.status = status
            self.code = code
            self.subcode = subcode
            self.message = message
            self.details = details
            self.retryAfter = retryAfter
        }

        /// Lets one call through unchanged, so a later call in the script fails.
        public static let pass = Failure(status: 0)
    }

    public let whatsAppToken: String
    public let phoneNumberID: String
    public let pageToken: String
    public let pageID: String
    public let appSecret: String
    /// The WhatsApp Business Account whose `message_templates` edge the fake serves.
    public let businessAccountID = "3456787890"
    /// The account's templates, in Graph's order (see `FakeGraphAPI+Templates`).
    public let templates = Recorder<JSONValue>()
    /// The `after` cursor of each `message_templates` page request ("" for the first page).
    public let templatePageRequests = Recorder<String>()
    public let server: FakeServer
    public let sent = Recorder<Sent>()
    /// Failures for the next sends (either product), first in first out.
    public let sendFailures = Script<Failure>()
    /// Failures for the next credential checks.
    public let checkFailures = Script<Failure>()
    /// Inbound media held for download (see FakeGraphAPI+Media.swift).
    public let media = GraphMediaShelf()
    private let counter = Atomic<Int>(0)

    public var baseURL: String { server.baseURL }

    public static func start(
        whatsAppToken: String = "EAAwhatsappToken", phoneNumberID: String = "3546573434879", pageToken: String = "EAApageToken",
        pageID: String = "334079033132769", appSecret: String = "74t2appSecret"
    ) async throws -> FakeGraphAPI {
        let box = GraphFakeBox<FakeGraphAPI>()
        let router = Router()
        router.post(":version/:node/messages") { request, context in try await box.value!.handleSend(request, context: context) }
        router.get(":version/:node") { request, context in
            if let answer = box.value!.mediaNode(request, node: context.parameters.get("node") ?? "") { return answer }
            return try box.value!.handleNode(request, context: context)
        }
        router.get(":version/:node/message_templates") { request, context in try box.value!.handleTemplates(request, context: context) }
        router.get("whatsapp_business/attachments") { request, _ in box.value!.mediaDownload(request) }
        let fake = FakeGraphAPI(
            whatsAppToken: whatsAppToken, phoneNumberID: phoneNumberID, pageToken: pageToken, pageID: pageID, appSecret: appSecret,
            server: try await FakeServer.start(router))
        box.value = fake
        return fake
    }

    private init(whatsAppToken: String, phoneNumberID: String, pageToken: String, pageID: String, appSecret: String, server: FakeServer) {
        self.whatsAppToken = whatsAppToken
        self.phoneNumberID = phoneNumberID
        self.pageToken = pageToken
        self.pageID = pageID
        self.appSecret = appSecret
        self.server = server
    }

    public func stop() async { await server.stop() }

    /// Graph's error JSON.
    public static func errorBody(code: Int64, subcode: Int64? = nil, message: String, details: String? = nil, type: String = "OAuthException") -> String {
        var error: JSONObject = ["message": .string(message), "type": .string(type), "code": .int(code)]
        if let subcode { error["error_subcode"] = .int(subcode) }
        if let details { error["error_data"] = ["messaging_product": "whatsapp", "details": .string(details)] }
        error["fbtrace_id"] = "AbCdEfGhIjK"
        return JSONValue.object(["error": .object(error)]).serialized()
    }

    static func answer(_ status: HTTPResponse.Status, _ text: String, retryAfter: Int? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=UTF-8"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: .init(string: text)))
    }

    static func invalid(_ message: String, subcode: Int64? = nil) -> Response {
        answer(.badRequest, errorBody(code: 100, subcode: subcode, message: "(#100) \(message)"))
    }

    static func scripted(_ failure: Failure) -> Response {
        let body = failure.code.map { errorBody(code: $0, subcode: failure.subcode, message: failure.message, details: failure.details) } ?? ""
        return answer(HTTPResponse.Status(code: failure.status), body, retryAfter: failure.retryAfter)
    }

    /// The product a call is for, or Graph's refusal of its credentials.
    private enum Authorization {
        case product(String)
        case refused(Response)
    }

    /// Which product a call is for and whether its version and credentials hold; an error answer otherwise.
    private func authorize(_ request: Request, context: BasicRequestContext) throws -> Authorization {
        let version = try context.parameters.require("version")
        let node = try context.parameters.require("node")
        guard version == MetaGraph.version else { return .refused(Self.invalid("Unknown path components: /\(version)")) }
        let query = request.uri.queryParameters
        if node == "me" || node == pageID {
            guard query["access_token"].map(String.init) == pageToken else {
                return .refused(Self.answer(.badRequest, Self.errorBody(code: 190, message: "Invalid OAuth access token - Cannot parse access token")))
            }
            if let proof = query["appsecret_proof"].map(String.init) {
                let expected = HMAC<SHA256>.authenticationCode(for: Array(pageToken.utf8), using: SymmetricKey(data: Array(appSecret.utf8)))
                    .map { String(format: "%02x", $0) }.joined()
                guard proof == expected else { return .refused(Self.invalid("Invalid appsecret_proof provided in the API argument")) }
            }
            return .product("messenger")
        }
        guard request.headers[.authorization] == "Bearer \(whatsAppToken)" else {
            return .refused(Self.answer(.unauthorized, Self.errorBody(code: 190, message: "Invalid OAuth access token - Cannot parse access token")))
        }
        guard node == phoneNumberID else {
            return .refused(Self.invalid("Unsupported post request. Object with ID '\(node)' does not exist", subcode: 33))
        }
        return .product("whatsapp")
    }

    func handleSend(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let product: String
        switch try authorize(request, context: context) {
        case .product(let name): product = name
        case .refused(let response): return response
        }
        guard request.headers[.contentType]?.hasPrefix("application/json") == true else {
            return Self.invalid("The parameter messaging_product is required.")
        }
        if let failure = sendFailures.next(), failure.status != 0 { return Self.scripted(failure) }
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        guard let body = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView)) else {
            return Self.invalid("Invalid JSON for postbody")
        }
        let problem = product == "whatsapp" ? FakeGraphAPI.whatsAppProblem(body) : FakeGraphAPI.messengerProblem(body)
        if let problem { return Self.invalid(problem) }
        let number = counter.add(1, ordering: .relaxed).newValue
        if product == "whatsapp" {
            let id = "wamid.HBgL\(number)"
            sent.append(Sent(product: product, body: body, id: id))
            let to = body["to"] ?? ""
            return Self.answer(.ok, JSONValue.object([
                "messaging_product": "whatsapp", "contacts": [["input": to, "wa_id": to]], "messages": [["id": .string(id)]],
            ]).serialized())
        }
        let id = "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_\(number)"
        sent.append(Sent(product: product, body: body, id: id))
        return Self.answer(.ok, JSONValue.object(["recipient_id": body["recipient"]?["id"] ?? "", "message_id": .string(id)]).serialized())
    }

    func handleNode(_ request: Request, context: BasicRequestContext) throws -> Response {
        let product: String
        switch try authorize(request, context: context) {
        case .product(let name): product = name
        case .refused(let response): return response
        }
        if let failure = checkFailures.next(), failure.status != 0 { return Self.scripted(failure) }
        if product == "whatsapp" {
            return Self.answer(.ok, JSONValue.object([
                "verified_name": "Yeastar Messaging", "code_verification_status": "VERIFIED", "display_phone_number": "+1 555-987-1234",
                "quality_rating": "GREEN", "id": .string(phoneNumberID),
            ]).serialized())
        }
        return Self.answer(.ok, JSONValue.object(["name": "Yeastar", "id": .string(pageID)]).serialized())
    }
}

/// Lets a route closure reach a fake created after its router.
final class GraphFakeBox<Value: Sendable>: @unchecked Sendable {
    var value: Value?
}
