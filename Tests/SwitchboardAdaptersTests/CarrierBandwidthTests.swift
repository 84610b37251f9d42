import Foundation
import HTTPTypes
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// Bandwidth end to end: callback arrays (optionally with Basic auth), 202 sends, failure callbacks, error bodies.
@Suite("Bandwidth adapter against its fake")
struct CarrierBandwidthTests {
    static func with(_ engine: DatabaseEngine = .sqlite, _ body: @escaping @Sendable (CarrierFixture, FakeBandwidth) async throws -> Void) async throws {
        let fake = try await FakeBandwidth.start()
        defer { Task { await fake.stop() } }
        try await CarrierFixture.with(engine, provider: "bandwidth", baseURL: fake.baseURL, credentials: [
            ("application_id", fake.applicationID), ("account_id", fake.accountID), ("username", fake.username), ("password", fake.password),
        ]) { f in try await body(f, fake) }
    }

    static func deliver(_ f: CarrierFixture, _ body: String, authorization: String? = nil) async throws -> OpenAPIClient.Answer {
        var headers: HTTPFields = [:]
        if let authorization { headers[.authorization] = authorization }
        return try await f.post(body, contentType: "application/json; charset=utf-8", headers: headers)
    }

    @Test(arguments: TestEngines.available)
    func inboundReplySendAndDeliveryCallbacks(engine: DatabaseEngine) async throws {
        try await Self.with(engine) { f, fake in
            let received = fake.received(id: "16fde3e1-inbound", from: CarrierFixture.customer, to: CarrierFixture.did, text: "Hello")
            let auth = FakeBandwidth.callbackAuthorization(user: fake.username, password: fake.password)
            #expect(try await Self.deliver(f, received, authorization: auth).status == .ok)
            #expect(try await Self.deliver(f, received).status == .ok)
            #expect(try await f.inboundCount() == 1)

            let messageID = try await f.sendReply("Hi", fileURIs: ["https://hub.example.test/api/chat/file/abc.png"])
            let sent = try #require(fake.sent.all.first)
            #expect(sent.from == CarrierFixture.did && sent.to == CarrierFixture.customer && sent.text == "Hi")
            #expect(sent.mediaURLs == ["https://hub.example.test/api/chat/file/abc.png"] && sent.extras["tag"] == String(messageID))
            #expect(try await f.outcome(messageID).providerID == sent.id)

            let failed = fake.status("message-failed", id: sent.id, from: CarrierFixture.did, to: CarrierFixture.customer, errorCode: 4720, description: "invalid destination")
            #expect(try await Self.deliver(f, failed).status == .ok)
            let outcome = try await f.outcome(messageID)
            #expect(outcome.status == 2 && outcome.error == "invalid_phone_number" && outcome.errorMessage == "4720: invalid destination")
        }
    }

    @Test func wrongCallbackCredentialsOrBodiesStoreNothing() async throws {
        try await Self.with { f, fake async throws in
            let received = fake.received(id: "in-x", from: CarrierFixture.customer, to: CarrierFixture.did, text: "hi")
            let forged = FakeBandwidth.callbackAuthorization(user: fake.username, password: "guess")
            #expect(try await Self.deliver(f, received, authorization: forged).status == .unauthorized)
            #expect(try await Self.deliver(f, #"{"type":"message-received"}"#).status == .badRequest)
            #expect(try await f.inboundCount() == 0)
        }
    }

    @Test(arguments: [
        (FakeBandwidth.error("request-validation", "Your request could not be accepted", field: "to", fieldDescription: "bad", status: 400), "invalid_phone_number"),
        (FakeBandwidth.error("request-validation", "Your request could not be accepted", field: "from", fieldDescription: "bad", status: 400), "invalid_did_number"),
        (FakeBandwidth.error("unauthorized", "Authentication Failed", status: 401), "auth_fail"),
        (FakeBandwidth.error("forbidden", "Access is denied", status: 403), "auth_fail"),
    ])
    func errorShapesMapToSendErrors(answer: FakeCarrierAnswer, expected: String) async throws {
        try await Self.with { f, fake in
            let outcome = try await f.replyOutcome(after: answer, on: fake.failures)
            #expect(outcome.status == 2 && outcome.error == expected)
        }
    }

    @Test func throttlingIsRetried() async throws {
        try await Self.with { f, fake in
            try await f.expectThrottledReplyWaits(after: FakeBandwidth.error("too-many-requests", "Too many requests", status: 429), on: fake.failures)
        }
    }
}
