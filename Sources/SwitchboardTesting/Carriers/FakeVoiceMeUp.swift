import Foundation
import Hummingbird
import SwitchboardAdapters
import SwitchboardCore

/// VoiceMeUp's `queue_sms` on a loopback port: `POST /api/v1.1/json/queue_sms`, form-encoded, with
/// `username` and `auth_token` as form fields, digits-only `source_number`/`destination_number`,
/// `message` and at most one `attachment`; it answers `response_details` JSON with a
/// `queued_sms_hash` entry, or `response_status: error` ([S] shapes from roomkit).
public final class FakeVoiceMeUp: Sendable {
    public let username: String
    public let authToken: String
    public let core = FakeCarrierCore()
    public var sent: Recorder<FakeCarrierSend> { core.sent }
    public var failures: Script<FakeCarrierAnswer> { core.failures }
    public var baseURL: String { core.baseURL }

    public static func start(username: String = "vmu-user", authToken: String = "vmu-token-1") async throws -> FakeVoiceMeUp {
        let fake = FakeVoiceMeUp(username: username, authToken: authToken)
        let router = Router()
        router.post("api/v1.1/json/queue_sms") { request, _ in try await fake.handleSend(request) }
        try await fake.core.start(router)
        return fake
    }

    private init(username: String, authToken: String) {
        self.username = username
        self.authToken = authToken
    }

    public func stop() async { await core.stop() }

    /// VoiceMeUp's answer: `response_status` and the `{code, _content}` entries.
    public static func answer(_ status: String, _ entries: [(String, String)], http: Int = 200) -> FakeCarrierAnswer {
        let messages = JSONValue.array(entries.map { ["code": .string($0.0), "_content": .string($0.1)] })
        return FakeCarrierAnswer(status: http, body: (["response_details": [
            "response_status": .string(status), "response_messages": ["message": messages],
        ]] as JSONValue).serialized())
    }

    func handleSend(_ request: Request) async throws -> Response {
        guard FakeCarrierCore.hasContentType(request, "application/x-www-form-urlencoded") else {
            return core.refuse(Self.answer("error", [("invalid_request", "Form data expected")]), "not a form")
        }
        let form = formDecode(String(decoding: try await FakeCarrierCore.body(request), as: UTF8.self))
        func field(_ key: String) -> String? { form.first { $0.0 == key }?.1 }
        guard field("username") == username, field("auth_token") == authToken else {
            return core.refuse(Self.answer("error", [("invalid_auth_token", "Invalid username or auth token")]), "bad credentials")
        }
        guard let source = field("source_number"), FakeCarrierCore.isElevenDigits(source) else {
            return core.refuse(Self.answer("error", [("invalid_source_number", "Invalid source number")]), "bad source")
        }
        guard let destination = field("destination_number"), FakeCarrierCore.isElevenDigits(destination) else {
            return core.refuse(Self.answer("error", [("invalid_destination_number", "Invalid destination number")]), "bad destination")
        }
        let message = field("message") ?? ""
        let attachments = form.filter { $0.0 == "attachment" }.map(\.1)
        guard !message.isEmpty || attachments.count == 1, attachments.count <= 1 else {
            return core.refuse(Self.answer("error", [("invalid_message", "A message or one attachment is required")]), "bad content")
        }
        if let failure = failures.next() { return failure.response }
        let hash = FakeCarrierCore.newID("")
        sent.append(FakeCarrierSend(from: source, to: destination, text: message, mediaURLs: attachments, id: hash))
        return Self.answer("success", [("sms_queued", "SMS queued for delivery"), ("queued_sms_hash", hash)]).response
    }

    /// An inbound callback's fields, as VoiceMeUp posts them.
    public static func received(hash: String, from: String, to: String, message: String, attachment: String? = nil) -> [(String, String)] {
        var form = [
            ("sms_hash", hash), ("source_number", from), ("destination_number", to), ("message", message),
            ("direction", "inbound"), ("datetime_transmission", "2024-01-01 00:00:00"),
        ]
        if let attachment { form += [("attachment", attachment), ("attachment_mime_type", "image/jpeg")] }
        return form
    }
}
