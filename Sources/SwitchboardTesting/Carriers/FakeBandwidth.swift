import Foundation
import Hummingbird
import SwitchboardCore

/// Bandwidth's Messaging API v2 on a loopback port: `POST /api/v2/users/{accountId}/messages`
/// (HTTP Basic, `application/json`, `applicationId`, `to` as an array of E.164, `from`, `text`
/// ≤ 2048 or `media`) answering 202 with the message or Bandwidth's
/// `{"type","description","fieldErrors"}`. It builds callbacks (always a JSON array) and the
/// Basic header Bandwidth sends with them; lists messages (`GET …/messages`) and serves inbound
/// media under `/api/v2/users/{accountId}/media/…`, both only with the API credentials.
public final class FakeBandwidth: Sendable {
    public let accountID: String
    public let applicationID: String
    public let username: String
    public let password: String
    public let core = FakeCarrierCore()
    public var sent: Recorder<FakeCarrierSend> { core.sent }
    public var failures: Script<FakeCarrierAnswer> { core.failures }
    public var baseURL: String { core.baseURL }

    public static func start(
        accountID: String = "9900000", applicationID: String = "93de2206-9669-4e07-948d-329f4b722ee2",
        username: String = "api-user", password: String = "api-password-1"
    ) async throws -> FakeBandwidth {
        let fake = FakeBandwidth(accountID: accountID, applicationID: applicationID, username: username, password: password)
        let router = Router()
        router.post("api/v2/users/:account/messages") { request, context in try await fake.handleSend(request, context: context) }
        router.get("api/v2/users/:account/messages") { request, context in fake.handleList(request, context: context) }
        router.get("api/v2/users/:account/media/**") { request, context in
            fake.core.mediaResponse(
                request, authorized: fake.authorized(request, context: context),
                refusal: Self.error("unauthorized", "Authentication Failed", status: 401))
        }
        try await fake.core.start(router)
        return fake
    }

    private init(accountID: String, applicationID: String, username: String, password: String) {
        self.accountID = accountID
        self.applicationID = applicationID
        self.username = username
        self.password = password
    }

    public func stop() async { await core.stop() }

    /// Bandwidth's error body; `field` adds one `fieldErrors` entry.
    public static func error(_ type: String, _ description: String, field: String? = nil, fieldDescription: String = "", status: Int) -> FakeCarrierAnswer {
        var body: JSONObject = ["type": .string(type), "description": .string(description)]
        if let field { body["fieldErrors"] = [["fieldName": .string(field), "description": .string(fieldDescription)]] }
        return FakeCarrierAnswer(status: status, body: JSONValue.object(body).serialized())
    }

    func authorized(_ request: Request, context: BasicRequestContext) -> Bool {
        request.headers[.authorization] == FakeCarrierCore.basic(username, password) && context.parameters.get("account") == accountID
    }

    /// `GET …/messages` (message list): what the connectivity check calls.
    func handleList(_ request: Request, context: BasicRequestContext) -> Response {
        guard request.headers[.authorization] == FakeCarrierCore.basic(username, password) else {
            return core.refuse(Self.error("unauthorized", "Authentication Failed", status: 401), "bad credentials")
        }
        guard context.parameters.get("account") == accountID else {
            return core.refuse(Self.error("forbidden", "Access is denied", status: 403), "other account")
        }
        if let failure = failures.next() { return failure.response }
        return FakeCarrierCore.json(200, ["totalCount": 0, "pageInfo": [:], "messages": []])
    }

    func handleSend(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard request.headers[.authorization] == FakeCarrierCore.basic(username, password) else {
            return core.refuse(Self.error("unauthorized", "Authentication Failed", status: 401), "bad credentials")
        }
        guard context.parameters.get("account") == accountID else {
            return core.refuse(Self.error("forbidden", "Access is denied", status: 403), "other account")
        }
        guard FakeCarrierCore.hasContentType(request, "application/json") else {
            return core.refuse(Self.error("unsupported-media-type", "Content-Type must be application/json", status: 415), "not JSON")
        }
        guard let body = try? JSONDecoder().decode(JSONValue.self, from: Data(try await FakeCarrierCore.body(request))) else {
            return core.refuse(Self.error("request-validation", "Your request could not be accepted", status: 400), "not JSON")
        }
        func invalid(_ field: String, _ why: String) -> Response {
            core.refuse(Self.error("request-validation", "Your request could not be accepted", field: field, fieldDescription: why, status: 400), field)
        }
        guard body["applicationId"]?.stringValue == applicationID else { return invalid("applicationId", "'applicationId' must be a valid application") }
        guard let to = body["to"]?.arrayValue?.compactMap(\.stringValue), !to.isEmpty, to.allSatisfy(Formats.isE164) else {
            return invalid("to", "'to' must be an array of E164 formatted telephone numbers")
        }
        guard let from = body["from"]?.stringValue, Formats.isE164(from) else { return invalid("from", "'from' must be a valid E164 formatted telephone number") }
        let text = body["text"]?.stringValue ?? ""
        let media = body["media"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard !text.isEmpty || !media.isEmpty else { return invalid("text", "'text' or 'media' is required") }
        guard text.count <= 2048 else { return invalid("text", "'text' length must be at most 2048") }
        if let failure = failures.next() { return failure.response }
        let id = String(Int64(Date().timeIntervalSince1970 * 1000)) + FakeCarrierCore.newID("").prefix(14)
        sent.append(FakeCarrierSend(from: from, to: to[0], text: text, mediaURLs: media, id: id, extras: ["tag": body["tag"]?.stringValue ?? ""]))
        return FakeCarrierCore.json(202, [
            "id": .string(id), "owner": .string(from), "applicationId": .string(applicationID), "time": "2024-01-01T00:00:00.000Z",
            "segmentCount": 1, "direction": "out", "to": .array(to.map(JSONValue.string)), "from": .string(from),
            "media": .array(media.map(JSONValue.string)), "text": .string(text), "tag": body["tag"] ?? "", "priority": "default",
        ])
    }

    /// A `message-received` callback (one event in the array).
    public func received(id: String, from: String, to: String, text: String, media: [String] = []) -> String {
        ([[
            "type": "message-received", "time": "2024-01-01T00:00:00.000Z", "description": "Incoming message received", "to": .string(to),
            "message": [
                "id": .string(id), "owner": .string(to), "applicationId": .string(applicationID), "time": "2024-01-01T00:00:00.000Z",
                "segmentCount": 1, "direction": "in", "to": [.string(to)], "from": .string(from), "text": .string(text),
                "media": .array(media.map(JSONValue.string)),
            ],
        ]] as JSONValue).serialized()
    }

    /// A status callback (`message-delivered`, `message-failed` with `errorCode`, …) on one of ours.
    public func status(_ type: String, id: String, from: String, to: String, errorCode: Int64? = nil, description: String = "") -> String {
        var event: JSONObject = [
            "type": .string(type), "time": "2024-01-01T00:00:01.000Z", "description": .string(description), "to": .string(to),
            "message": [
                "id": .string(id), "owner": .string(from), "applicationId": .string(applicationID), "time": "2024-01-01T00:00:00.000Z",
                "segmentCount": 1, "direction": "out", "to": [.string(to)], "from": .string(from), "text": "",
            ],
        ]
        if let errorCode { event["errorCode"] = .int(errorCode) }
        return JSONValue.array([.object(event)]).serialized()
    }

    /// The `Authorization` Bandwidth sends with callbacks when the application has callback credentials.
    public static func callbackAuthorization(user: String, password: String) -> String {
        FakeCarrierCore.basic(user, password)
    }
}
