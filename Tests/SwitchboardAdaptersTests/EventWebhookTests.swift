import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// A webhook receiver on a loopback port: records every request and answers scripted statuses (200 by default).
struct WebhookReceiver: Sendable {
    /// One request as it arrived.
    struct Received: Sendable {
        var method: String
        var uri: String
        var headers: HTTPFields
        var body: String

        func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }
        var query: [String: String] {
            var result: [String: String] = [:]
            for item in URLComponents(string: uri)?.queryItems ?? [] { result[item.name] = item.value ?? "" }
            return result
        }
    }

    let received: Recorder<Received>
    let statuses: Script<Int>
    let server: FakeServer
    var url: String { server.baseURL + "/hook" }

    static func start() async throws -> WebhookReceiver {
        let received = Recorder<Received>(), statuses = Script<Int>()
        let router = Router(context: BasicRequestContext.self)
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            received.append(Received(method: request.method.rawValue, uri: request.uri.description, headers: request.headers, body: String(buffer: body)))
            return Response(status: .init(code: statuses.next() ?? 200))
        }
        router.post("hook", use: handler)
        router.get("hook", use: handler)
        return WebhookReceiver(received: received, statuses: statuses, server: try await FakeServer.start(router))
    }

    func waitFor(count: Int) async throws -> [Received] {
        try await SocketProbe.waitUntil(timeout: .seconds(40), "\(count) webhook requests (have \(received.count))") { received.count >= count }
        return received.all
    }
}

/// Base64 HMAC-SHA256, computed independently of the hub.
func hmacBase64(secret: String, _ text: String) -> String {
    Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(secret.utf8)))).base64EncodedString()
}

/// Waits until the (single) delivery row was recorded after `attempts` attempts with `status`.
func waitForDelivery(_ hub: TestHub, attempts: Int, status: String) async throws {
    try await SocketProbe.waitUntil(timeout: .seconds(40), "delivery attempt \(attempts) recorded as \(status)") {
        try await hub.hub.database.run { db in
            try await db.raw("SELECT COUNT(*) AS n FROM event_deliveries WHERE attempts = \(bind: attempts) AND status = \(bind: status)")
                .first()?.decode(column: "n", as: Int.self)
        } == 1
    }
}

@Suite("Event webhooks")
struct EventWebhookTests {
    @Test(arguments: TestEngines.available)
    func webhooksAreManagedWithGeneratedSecretsAndAtMostFive(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            try await hub.withClient { api in
                let token = try await api.token()
                let bad = try await api.post("event_webhook/create", token: token, ["url": "ftp://x.example", "method": "PUT"])
                #expect(bad.errcode == 40002 && Set(bad.invalidFields) == ["url", "method"])
                var ids: [Int64] = []
                var secrets: [String] = []
                for index in 0..<5 {
                    let created = try await api.post("event_webhook/create", token: token, ["url": .string("https://crm.example.com/\(index)")])
                    ids.append(try #require(created.int("id"), "\(created.text)"))
                    secrets.append(try #require(created.json["secret"]?.stringValue))
                }
                #expect(secrets.allSatisfy { $0.count == 32 && $0.allSatisfy { $0.isLetter || $0.isNumber } } && Set(secrets).count == 5)
                let sixth = try await api.post("event_webhook/create", token: token, ["url": "https://crm.example.com/6"])
                #expect(sixth.errcode == 60002)

                let list = try await api.get("event_webhook/list", token: token)
                #expect(list.int("total_number") == 5)
                let firstItem = try #require(list.json["data"]?.arrayValue?.first)
                #expect(firstItem["secret"] == nil && firstItem["method"] == "POST" && firstItem["event_list"] == [])

                let updated = try await api.post("event_webhook/update", token: token, [
                    "id": .int(ids[0]), "method": "GET", "event_list": [30031, 39003], "enabled": 0, "reset_secret": 1,
                ])
                let newSecret = try #require(updated.json["secret"]?.stringValue)
                #expect(newSecret != secrets[0] && newSecret.count == 32)
                let got = try await api.get("event_webhook/get", token: token, ["id": String(ids[0])])
                let data = try #require(got.json["data"])
                #expect(data["secret"] == .string(newSecret) && data["method"] == "GET" && data["enabled"] == 0)
                #expect(data["event_list"] == [30031, 39003] && data["pending_count"] == 0 && data["failed_count"] == 0)
                #expect(try await api.get("event_webhook/get", token: token, ["id": String(ids[1])]).json["data"]?["secret"] == .string(secrets[1]))

                #expect(try await api.get("event_webhook/delete", token: token, ["id": String(ids[4])]).errcode == 0)
                #expect(try await api.get("event_webhook/delete", token: token, ["id": String(ids[4])]).errcode == 60001)
                #expect(try await api.post("event_webhook/create", token: token, ["url": "http://10.1.2.3:8080/events"]).errcode == 0)
                #expect(try await api.get("event_webhook/list", token: nil).errcode == 10004)
            }
        }
    }

    @Test(arguments: TestEngines.available)
    func eventsArriveSignedWithAnEventIdAndAreRetriedAfterAFailure(engine: DatabaseEngine) async throws {
        let receiver = try await WebhookReceiver.start()
        try await TestHub.with(engine) { hub in
            try await hub.withLiveServer { live in
                let token = try await live.api.token()
                let created = try await live.api.post("event_webhook/create", token: token, ["url": .string(receiver.url), "event_list": [30032]])
                let secret = try #require(created.json["secret"]?.stringValue)
                receiver.statuses.push(500)
                try await hub.appendEvent(.messageCreated)  // not selected
                let payload: JSONValue = ["session_id": 3, "msg_id": 11, "delivery_status": 2, "send_error": "send_fail"]
                let seq = try await hub.appendEvent(.messageSendingResult, payload: payload)

                let first = try await receiver.waitFor(count: 1)[0]
                #expect(first.method == "POST" && first.header("X-Event-Id") == String(seq))
                #expect(first.header("X-Signature") == hmacBase64(secret: secret, first.body))
                let envelope = frameJSON(first.body)
                #expect(envelope["type"] == 30032 && envelope["sn"] == .string(hub.hub.realtime.serial))
                #expect(envelope["msg"]?.stringValue == payload.serialized(), "msg is the stored payload, as a JSON string")

                try await waitForDelivery(hub, attempts: 1, status: "pending")
                hub.clock.advance(by: 1000)  // past any backoff of the first retry
                let retried = try await receiver.waitFor(count: 2)[1]
                #expect(retried.header("X-Event-Id") == first.header("X-Event-Id"), "a receiver de-duplicates on the event id")
                #expect(retried.body == first.body && retried.header("X-Signature") == first.header("X-Signature"))
                try await waitForDelivery(hub, attempts: 2, status: "done")
                #expect(receiver.received.count == 2)
            }
        }
        await receiver.server.stop()
    }

    @Test func getWebhooksCarryTheEnvelopeInTheQueryAndSignTheMsg() async throws {
        let receiver = try await WebhookReceiver.start()
        try await TestHub.with(.sqlite) { hub in
            try await hub.withLiveServer { live in
                let token = try await live.api.token()
                let created = try await live.api.post("event_webhook/create", token: token, ["url": .string(receiver.url + "?src=sb"), "method": "GET"])
                let secret = try #require(created.json["secret"]?.stringValue)
                let seq = try await hub.appendEvent(.readReceipt, payload: ["data": ["session_id": 23, "read_msg_id": 142, "user_id": 0, "read_time": 1]])
                let request = try await receiver.waitFor(count: 1)[0]
                let query = request.query
                #expect(request.method == "GET" && request.body.isEmpty && request.header("X-Event-Id") == String(seq))
                #expect(query["src"] == "sb" && query["type"] == "30038" && query["sn"] == hub.hub.realtime.serial)
                let msg = try #require(query["msg"])
                #expect(frameJSON(msg)["data"]?["read_msg_id"] == 142)
                #expect(request.header("X-Signature") == hmacBase64(secret: secret, msg))
            }
        }
        await receiver.server.stop()
    }

    @Test func aDeliveryGivesUpAfterTheLastAttemptAndIsRecorded() async throws {
        let receiver = try await WebhookReceiver.start()
        try await TestHub.with(.sqlite) { hub in
            try await hub.withLiveServer { live in
                let token = try await live.api.token()
                let created = try await live.api.post("event_webhook/create", token: token, ["url": .string(receiver.url)])
                let id = String(try #require(created.int("id")))
                let attempts = RealtimeOptions().webhookRetry.maxAttempts
                receiver.statuses.push(503, times: attempts)
                try await hub.appendEvent(.newMessage)
                for attempt in 1..<attempts {
                    try await waitForDelivery(hub, attempts: attempt, status: "pending")
                    hub.clock.advance(by: 10_000)
                }
                try await waitForDelivery(hub, attempts: attempts, status: "failed")
                let fresh = try await live.api.token()  // the clock moved past the first token's life
                let got = try await live.api.get("event_webhook/get", token: fresh, ["id": id])
                #expect(got.json["data"]?["failed_count"] == 1 && got.json["data"]?["pending_count"] == 0, "\(got.text)")
                #expect(Set(receiver.received.all.map { $0.header("X-Event-Id") }).count == 1)
                #expect(receiver.received.count == attempts)
            }
        }
        await receiver.server.stop()
    }

    @Test func theTestEndpointSendsASignedTestEvent() async throws {
        let receiver = try await WebhookReceiver.start()
        try await TestHub.with(.sqlite) { hub in
            try await hub.withClient { api in
                let token = try await api.token()
                let created = try await api.post("event_webhook/create", token: token, ["url": .string(receiver.url)])
                let id = try #require(created.int("id"))
                let secret = try #require(created.json["secret"]?.stringValue)
                let answer = try await api.post("event_webhook/test", token: token, ["id": .int(id)])
                #expect(answer.errcode == 0 && answer.int("status") == 200)
                let request = try #require(receiver.received.all.first)
                #expect(frameJSON(request.body)["type"] == 39999)
                #expect(request.header("X-Signature") == hmacBase64(secret: secret, request.body))
                receiver.statuses.push(404)
                #expect(try await api.post("event_webhook/test", token: token, ["id": .int(id)]).errcode == -1)
            }
        }
        await receiver.server.stop()
    }
}
