import Foundation
import Hummingbird
import SwitchboardAdapters
import SwitchboardCore

/// Apidaze's SMS API on a loopback port: `POST /{api_key}/sms/send?api_secret={secret}`,
/// form-encoded `from`, `to` (digits) and `body`. The answer's shape is not documented ([U]):
/// this answers 200 `{"status":"ok","id":…}` and errors as `{"status":"error","message":…}`.
public final class FakeApidaze: Sendable {
    public let apiKey: String
    public let apiSecret: String
    public let core = FakeCarrierCore()
    public var sent: Recorder<FakeCarrierSend> { core.sent }
    public var failures: Script<FakeCarrierAnswer> { core.failures }
    public var baseURL: String { core.baseURL }

    public static func start(apiKey: String = "apidaze-key", apiSecret: String = "apidaze-secret") async throws -> FakeApidaze {
        let fake = FakeApidaze(apiKey: apiKey, apiSecret: apiSecret)
        let router = Router()
        router.post(":key/sms/send") { request, context in try await fake.handleSend(request, context: context) }
        try await fake.core.start(router)
        return fake
    }

    private init(apiKey: String, apiSecret: String) {
        self.apiKey = apiKey
        self.apiSecret = apiSecret
    }

    public func stop() async { await core.stop() }

    /// The error JSON this fake answers with.
    public static func error(_ message: String, status: Int) -> FakeCarrierAnswer {
        FakeCarrierAnswer(status: status, body: (["status": "error", "message": .string(message)] as JSONValue).serialized())
    }

    func handleSend(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard context.parameters.get("key") == apiKey, request.uri.queryParameters["api_secret"].map(String.init) == apiSecret else {
            return core.refuse(Self.error("Invalid credentials", status: 401), "bad credentials")
        }
        guard FakeCarrierCore.hasContentType(request, "application/x-www-form-urlencoded") else {
            return core.refuse(Self.error("Form data expected", status: 400), "not a form")
        }
        let form = formDecode(String(decoding: try await FakeCarrierCore.body(request), as: UTF8.self))
        func field(_ key: String) -> String? { form.first { $0.0 == key }?.1 }
        guard let from = field("from"), FakeCarrierCore.isElevenDigits(from), let to = field("to"), FakeCarrierCore.isElevenDigits(to) else {
            return core.refuse(Self.error("Invalid number", status: 400), "bad numbers")
        }
        guard let body = field("body"), !body.isEmpty else { return core.refuse(Self.error("Body is required", status: 400), "no body") }
        if let failure = failures.next() { return failure.response }
        let id = FakeCarrierCore.newID("")
        sent.append(FakeCarrierSend(from: from, to: to, text: body, id: id))
        return FakeCarrierCore.json(200, ["status": "ok", "id": .string(id)])
    }

    /// An inbound message with the field names integrations look for ([S]).
    public static func received(uuid: String, from: String, to: String, text: String) -> String {
        (["uuid": .string(uuid), "caller_id_number": .string(from), "destination_number": .string(to), "text": .string(text)] as JSONValue).serialized()
    }
}
