import Foundation
import HTTPTypes
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// Flowroute v2.1, and SIPTRUNK which the same adapter serves (see `SIPTrunkProvider`).
@Suite("Flowroute and SIPTRUNK adapters against the Flowroute fake")
struct CarrierFlowrouteTests {
    static func with(
        _ engine: DatabaseEngine = .sqlite, provider: String = "flowroute",
        _ body: @escaping @Sendable (CarrierFixture, FakeFlowroute) async throws -> Void
    ) async throws {
        let fake = try await FakeFlowroute.start()
        defer { Task { await fake.stop() } }
        try await CarrierFixture.with(
            engine, provider: provider, baseURL: fake.baseURL, credentials: [("access_key", fake.accessKey), ("secret_key", fake.secretKey)]
        ) { f in try await body(f, fake) }
    }

    static func mainFlow(_ f: CarrierFixture, _ fake: FakeFlowroute) async throws {
        let received = FakeFlowroute.received(id: "mdr2-in-1", from: CarrierFixture.customerDigits, to: CarrierFixture.didDigits, body: "Hello")
        #expect(try await f.post(received, contentType: "application/vnd.api+json").status == .ok)
        #expect(try await f.post(received, contentType: "application/vnd.api+json").status == .ok)
        #expect(try await f.inboundCount() == 1)
        #expect(try await f.scalar("SELECT COUNT(*) AS n FROM messages WHERE sender_no = '+15557654321' AND recipient = '+15550001111'") == 1)

        let messageID = try await f.sendReply("Hi")
        let sent = try #require(fake.sent.all.first)
        #expect(sent.from == CarrierFixture.didDigits && sent.to == CarrierFixture.customerDigits && sent.text == "Hi")
        #expect(try await f.outcome(messageID).providerID == sent.id)

        let receipt = FakeFlowroute.receipt(id: sent.id, status: "undeliverable", code: 1208, description: "Destination unreachable")
        #expect(try await f.post(receipt, contentType: "application/vnd.api+json").status == .ok)
        let outcome = try await f.outcome(messageID)
        #expect(outcome.status == 2 && outcome.error == "send_fail" && outcome.errorMessage == "1208: Destination unreachable")
    }

    @Test(arguments: TestEngines.available)
    func flowrouteInboundReplySendAndReceipt(engine: DatabaseEngine) async throws {
        try await Self.with(engine) { f, fake in try await Self.mainFlow(f, fake) }
    }

    @Test func siptrunkSpeaksTheSameAPIAtItsOwnBase() async throws {
        try await Self.with(provider: "siptrunk") { f, fake in try await Self.mainFlow(f, fake) }
    }

    @Test func mmsSendsMediaAndMalformedWebhooksStoreNothing() async throws {
        try await Self.with { f, fake in
            try await f.sendReply("", fileURIs: ["https://hub.example.test/api/chat/file/a.png"])
            let sent = try #require(fake.sent.all.first)
            #expect(sent.mediaURLs == ["https://hub.example.test/api/chat/file/a.png"] && sent.extras["is_mms"] == "true")
            let legacy = #"{"to":"15550001111","from":"15557654321","body":"v2.0 format","id":"mdr1-x"}"#
            #expect(try await f.post(legacy, contentType: "application/json").status == .badRequest)
            #expect(try await f.post("not json", contentType: "application/json").status == .badRequest)
            #expect(try await f.inboundCount() == 0)
        }
    }

    @Test(arguments: [
        (FakeFlowroute.error("Unauthorized", "Authentication credentials were not provided or are invalid.", status: 401), "auth_fail"),
        (FakeFlowroute.error("Unprocessable Entity", "'to' is not a valid number", status: 422), "invalid_param"),
        (FakeFlowroute.error("Not Found", "The resource was not found", status: 404), "resource_not_found"),
    ])
    func errorShapesMapToSendErrors(answer: FakeCarrierAnswer, expected: String) async throws {
        try await Self.with { f, fake in
            let outcome = try await f.replyOutcome(after: answer, on: fake.failures)
            #expect(outcome.status == 2 && outcome.error == expected)
        }
    }

    @Test func throttlingIsRetried() async throws {
        try await Self.with { f, fake in
            try await f.expectThrottledReplyWaits(after: FakeFlowroute.error("Too Many Requests", "slow down", status: 429), on: fake.failures)
        }
    }
}
