import Crypto
import Foundation
import HTTPTypes
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// Telnyx end to end: Ed25519-signed webhooks (300 s window), JSON sends, finalized events, error codes.
@Suite("Telnyx adapter against its fake")
struct CarrierTelnyxTests {
    static func with(_ engine: DatabaseEngine = .sqlite, _ body: @escaping @Sendable (CarrierFixture, FakeTelnyx) async throws -> Void) async throws {
        let fake = try await FakeTelnyx.start()
        defer { Task { await fake.stop() } }
        try await CarrierFixture.with(
            engine, provider: "telnyx", baseURL: fake.baseURL, credentials: [("api_key", fake.apiKey), ("public_key", fake.publicKeyBase64)]
        ) { f in try await body(f, fake) }
    }

    /// Posts `body` with Telnyx's signature headers (`signature` overrides the real one).
    static func deliver(_ f: CarrierFixture, _ fake: FakeTelnyx, _ body: String, at timestamp: Int64? = nil, signature: String? = nil) async throws -> OpenAPIClient.Answer {
        let signed = try fake.signatureHeaders(body: body, timestamp: timestamp ?? Int64(Date().timeIntervalSince1970))
        return try await f.post(body, contentType: "application/json", headers: [
            HTTPField.Name("telnyx-signature-ed25519")!: signature ?? signed.signature, HTTPField.Name("telnyx-timestamp")!: signed.timestamp,
        ])
    }

    @Test(arguments: TestEngines.available)
    func inboundReplySendAndFinalizedWebhook(engine: DatabaseEngine) async throws {
        try await Self.with(engine) { f, fake in
            let received = FakeTelnyx.received(id: "b0c7e8cb-6227-4c74-9f32-c7f80c30934b", from: CarrierFixture.customer, to: CarrierFixture.did, text: "Hello")
            #expect(try await Self.deliver(f, fake, received).status == .ok)
            #expect(try await Self.deliver(f, fake, received).status == .ok)
            #expect(try await f.inboundCount() == 1)

            let messageID = try await f.sendReply("Hi")
            let sent = try #require(fake.sent.all.first)
            #expect(sent.from == CarrierFixture.did && sent.to == CarrierFixture.customer && sent.text == "Hi")
            #expect(try await f.outcome(messageID).providerID == sent.id)

            let finalized = FakeTelnyx.finalized(id: sent.id, to: CarrierFixture.customer, status: "delivery_failed", errorCode: "10002", errorTitle: "Invalid phone number")
            #expect(try await Self.deliver(f, fake, finalized).status == .ok)
            let failed = try await f.outcome(messageID)
            #expect(failed.status == 2 && failed.error == "invalid_phone_number" && failed.errorMessage == "10002: Invalid phone number")
        }
    }

    @Test func forgedStaleOrUnsignedWebhooksStoreNothing() async throws {
        try await Self.with { f, fake in
            let body = FakeTelnyx.received(id: "m-forged", from: CarrierFixture.customer, to: CarrierFixture.did, text: "hi")
            let other = Curve25519.Signing.PrivateKey()
            let now = Int64(Date().timeIntervalSince1970)
            let forged = Data(try other.signature(for: Array("\(now)|\(body)".utf8))).base64EncodedString()
            #expect(try await Self.deliver(f, fake, body, at: now, signature: forged).status == .forbidden)
            #expect(try await Self.deliver(f, fake, body, at: now - 400).status == .forbidden)
            #expect(try await Self.deliver(f, fake, body, at: now + 400).status == .forbidden)
            #expect(try await f.post(body, contentType: "application/json").status == .forbidden)
            // A signature for one body does not cover another.
            let signed = try fake.signatureHeaders(body: body)
            let changed = body.replacingOccurrences(of: "\"hi\"", with: "\"ho\"")
            let answer = try await f.post(changed, contentType: "application/json", headers: [
                HTTPField.Name("telnyx-signature-ed25519")!: signed.signature, HTTPField.Name("telnyx-timestamp")!: signed.timestamp,
            ])
            #expect(answer.status == .forbidden)
            #expect(try await f.inboundCount() == 0)
            #expect(try await Self.deliver(f, fake, body, at: now - 250).status == .ok)
        }
    }

    @Test(arguments: [
        ("10002", 422, "invalid_phone_number"), ("10009", 401, "auth_fail"), ("10001", 422, "invalid_did_number"),
        ("10015", 400, "invalid_param"), ("10005", 404, "resource_not_found"),
    ])
    func errorShapesMapToSendErrors(code: String, status: Int, expected: String) async throws {
        try await Self.with { f, fake in
            let outcome = try await f.replyOutcome(after: FakeTelnyx.error(code, "Scripted", "detail", status: status), on: fake.failures)
            #expect(outcome.status == 2 && outcome.error == expected && outcome.errorMessage == "\(code): Scripted: detail")
        }
    }

    @Test func throttlingIsRetried() async throws {
        try await Self.with { f, fake in
            try await f.expectThrottledReplyWaits(after: FakeTelnyx.error("10011", "Too many requests", "slow down", status: 429), on: fake.failures)
        }
    }
}
