import Foundation
import Hummingbird
import SwitchboardCore

/// Skyetel's SMS API on a loopback port: `POST /v1/out?from={11 digits}` (HTTP Basic `sid:secret`,
/// `application/json`, 11-digit `to`, `text` ≤ 1024, optional `media`). Skyetel's answer shape is
/// not documented ([U]); this answers 200 with an empty JSON object, and errors as plain text.
public final class FakeSkyetel: Sendable {
    public let sid: String
    public let secret: String
    public let core = FakeCarrierCore()
    public var sent: Recorder<FakeCarrierSend> { core.sent }
    public var failures: Script<FakeCarrierAnswer> { core.failures }
    public var baseURL: String { core.baseURL }

    public static func start(sid: String = "skyetel-sid", secret: String = "skyetel-secret") async throws -> FakeSkyetel {
        let fake = FakeSkyetel(sid: sid, secret: secret)
        let router = Router()
        router.post("v1/out") { request, _ in try await fake.handleSend(request) }
        try await fake.core.start(router)
        return fake
    }

    private init(sid: String, secret: String) {
        self.sid = sid
        self.secret = secret
    }

    public func stop() async { await core.stop() }

    /// A plain-text error answer.
    public static func error(_ text: String, status: Int) -> FakeCarrierAnswer {
        FakeCarrierAnswer(status: status, body: text, contentType: "text/plain")
    }

    func handleSend(_ request: Request) async throws -> Response {
        guard request.headers[.authorization] == FakeCarrierCore.basic(sid, secret) else {
            return core.refuse(Self.error("Unauthorized", status: 401), "bad credentials")
        }
        guard let from = request.uri.queryParameters["from"].map(String.init), FakeCarrierCore.isElevenDigits(from) else {
            return core.refuse(Self.error("Invalid from number", status: 400), "bad from")
        }
        guard FakeCarrierCore.hasContentType(request, "application/json"),
            let body = try? JSONDecoder().decode(JSONValue.self, from: Data(try await FakeCarrierCore.body(request)))
        else { return core.refuse(Self.error("Content-Type must be application/json", status: 400), "not JSON") }
        guard let to = body["to"]?.stringValue, FakeCarrierCore.isElevenDigits(to) else { return core.refuse(Self.error("Invalid to number", status: 400), "bad to") }
        guard let text = body["text"]?.stringValue, text.count <= 1024 else { return core.refuse(Self.error("Invalid text", status: 400), "bad text") }
        if let failure = failures.next() { return failure.response }
        let media = body["media"]?.arrayValue?.compactMap(\.stringValue) ?? []
        sent.append(FakeCarrierSend(from: from, to: to, text: text, mediaURLs: media, id: ""))
        return FakeCarrierCore.json(200, [:])
    }

    /// An inbound message as Skyetel forwards it: JSON "matching the send fields".
    public static func received(from: String, to: String, text: String, media: [String] = []) -> String {
        var body: JSONObject = ["from": .string(from), "to": .string(to), "text": .string(text)]
        if !media.isEmpty { body["media"] = .array(media.map(JSONValue.string)) }
        return JSONValue.object(body).serialized()
    }
}
