import Foundation
import HTTPTypes
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// Twilio end to end: signed forms in, form-encoded sends out, status callbacks, error codes.
@Suite("Twilio adapter against its fake")
struct CarrierTwilioTests {
    static func with(
        _ engine: DatabaseEngine = .sqlite, authToken: String? = nil,
        _ body: @escaping @Sendable (CarrierFixture, FakeTwilio) async throws -> Void
    ) async throws {
        let fake = try await FakeTwilio.start()
        defer { Task { await fake.stop() } }
        try await CarrierFixture.with(
            engine, provider: "twilio", baseURL: fake.baseURL,
            credentials: [("account_sid", fake.accountSID), ("auth_token", authToken ?? fake.authToken)]
        ) { f in try await body(f, fake) }
    }

    /// Posts `form` to the channel's webhook URL, signed for that URL with `token` (nil: unsigned).
    static func deliver(_ f: CarrierFixture, _ fake: FakeTwilio, _ form: [(String, String)], token: String?) async throws -> OpenAPIClient.Answer {
        var headers: HTTPFields = [:]
        if let token { headers[HTTPField.Name("X-Twilio-Signature")!] = fake.sign(url: f.webhookURL, form: form, token: token) }
        return try await f.post(formEncode(form), contentType: "application/x-www-form-urlencoded", headers: headers)
    }

    @Test(arguments: TestEngines.available)
    func inboundReplySendAndStatusCallback(engine: DatabaseEngine) async throws {
        try await Self.with(engine) { f, fake in
            let incoming = fake.incoming(sid: "SM" + String(repeating: "1", count: 32), from: CarrierFixture.customer, to: CarrierFixture.did, body: "Hello & é")
            #expect(try await Self.deliver(f, fake, incoming, token: fake.authToken).status == .noContent)
            #expect(try await Self.deliver(f, fake, incoming, token: fake.authToken).status == .noContent)
            #expect(try await f.inboundCount() == 1)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM messages WHERE body = 'Hello & é' AND sender_no = '+15557654321'") == 1)

            let messageID = try await f.sendReply("Hi there")
            let sent = try #require(fake.sent.all.first)
            #expect(sent.from == CarrierFixture.did && sent.to == CarrierFixture.customer && sent.text == "Hi there")
            #expect(sent.extras["StatusCallback"] == f.webhookURL)
            let stored = try await f.outcome(messageID)
            #expect(stored.status == 1 && stored.providerID == sent.id)

            let callback = fake.statusCallback(sid: sent.id, status: "undelivered", errorCode: "30006", from: CarrierFixture.did, to: CarrierFixture.customer)
            #expect(try await Self.deliver(f, fake, callback, token: fake.authToken).status == .noContent)
            let failed = try await f.outcome(messageID)
            #expect(failed.status == 2 && failed.error == "invalid_phone_number" && failed.errorMessage == "30006: undelivered")
        }
    }

    @Test func forgedOrMissingSignaturesStoreNothing() async throws {
        try await Self.with { f, fake in
            let incoming = fake.incoming(sid: "SM" + String(repeating: "2", count: 32), from: CarrierFixture.customer, to: CarrierFixture.did, body: "hi")
            #expect(try await Self.deliver(f, fake, incoming, token: "not-the-token").status == .forbidden)
            #expect(try await Self.deliver(f, fake, incoming, token: nil).status == .forbidden)
            // A valid signature over other parameters does not cover a changed body.
            let signature = fake.sign(url: f.webhookURL, form: incoming)
            let tampered = incoming.map { $0.0 == "Body" ? ("Body", "send money") : $0 }
            let answer = try await f.post(formEncode(tampered), contentType: "application/x-www-form-urlencoded",
                                          headers: [HTTPField.Name("X-Twilio-Signature")!: signature])
            #expect(answer.status == .forbidden)
            #expect(try await f.inboundCount() == 0)
        }
    }

    @Test func signatureMatchesTheOfficialSDKAndAcceptsPortVariants() throws {
        // Computed once with twilio-python 9.13.0: RequestValidator("12345").compute_signature(url, params).
        let url = "https://hub.example.test/api/v1.0/webhook/twilio/abc?x=1"
        let params = [("MessageSid", "SM123"), ("From", "+15557654321"), ("To", "+15550001111"), ("Body", "Hello é & more"),
                      ("NumMedia", "0"), ("b", "2"), ("a", "1")]
        #expect(TwilioProvider.signature(token: "12345", url: url, params: params) == "5xBrYjtgI6cdOvWRVsV+376cE9o=")
        #expect(TwilioProvider.signature(token: "12345", url: "https://hub.example.test:443/api/v1.0/webhook/twilio/abc?x=1", params: params)
            == "5esv0ArIxtlJ7e1VA87o5mDsmLU=")
        let request = WebhookRequest(
            method: .post, url: url, headers: [HTTPField.Name("X-Twilio-Signature")!: "5esv0ArIxtlJ7e1VA87o5mDsmLU="],
            query: ["x": "1"], body: Array(formEncode(params).utf8))
        #expect(TwilioProvider.isValid(request, form: params, token: "12345"))
        #expect(!TwilioProvider.isValid(request, form: params, token: "54321"))
    }

    @Test(arguments: [
        (Int64(21211), 400, "invalid_phone_number"), (20003, 401, "auth_fail"), (21606, 400, "invalid_did_number"),
        (21617, 400, "msg_exceed"), (30007, 400, "send_fail"), (63016, 400, "exceeds_time_limit"),
    ])
    func errorShapesMapToSendErrors(code: Int64, status: Int, expected: String) async throws {
        try await Self.with { f, fake in
            let outcome = try await f.replyOutcome(after: FakeTwilio.error(code, "scripted \(code)", status: status), on: fake.failures)
            #expect(outcome.status == 2 && outcome.error == expected && outcome.errorMessage == "\(code): scripted \(code)")
        }
    }

    @Test func throttlingIsRetriedAndWrongCredentialsFail() async throws {
        try await Self.with { f, fake in
            try await f.expectThrottledReplyWaits(after: FakeTwilio.error(20429, "Too Many Requests", status: 429), on: fake.failures)
        }
        try await Self.with(authToken: "wrong-token") { f, fake in
            let outcome = try await f.outcome(try await f.sendReply("x"))
            #expect(outcome.status == 2 && outcome.error == "auth_fail")
            #expect(fake.core.refusals.all == ["401: bad credentials"])
        }
    }

    @Test func connectivityFetchesTheAccount() async throws {
        try await Self.with { f, fake in
            let checker = ConnectivityChecker(channels: f.hub.hub.channelStore, providers: f.hub.hub.providers, http: f.hub.hub.http, logger: f.hub.hub.logger)
            await checker.checkAll()
            var item = try await f.api.get("message_channel/list", token: f.token, ["page": "1", "page_size": "10", "time_range": "all"]).json["list"]?.arrayValue?.first
            #expect(item?["status"]?.stringValue == "status_connect_succ")
            fake.failures.push(FakeTwilio.error(20003, "Authenticate", status: 401))
            await checker.checkAll()
            item = try await f.api.get("message_channel/list", token: f.token, ["page": "1", "page_size": "10", "time_range": "all"]).json["list"]?.arrayValue?.first
            #expect(item?["reason"]?.stringValue == "Unauthorized")
        }
    }
}
