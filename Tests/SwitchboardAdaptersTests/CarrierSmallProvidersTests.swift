import Foundation
import HTTPTypes
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// Skyetel, VoiceMeUp and Apidaze: loosely documented carriers without webhook signatures.
@Suite("Skyetel, VoiceMeUp and Apidaze adapters against their fakes")
struct CarrierSmallProvidersTests {
    @Test(arguments: TestEngines.available)
    func skyetelInboundReplayAndSend(engine: DatabaseEngine) async throws {
        let fake = try await FakeSkyetel.start()
        defer { Task { await fake.stop() } }
        try await CarrierFixture.with(engine, provider: "skyetel", baseURL: fake.baseURL, credentials: [("sid_key", fake.sid), ("secret_key", fake.secret)]) { f in
            let body = FakeSkyetel.received(from: CarrierFixture.customerDigits, to: CarrierFixture.didDigits, text: "Hello")
            #expect(try await f.post(body, contentType: "application/json").status == .ok)
            #expect(try await f.post(body, contentType: "application/json").status == .ok)
            #expect(try await f.inboundCount() == 1)
            let messageID = try await f.sendReply("Hi", fileURIs: ["https://hub.example.test/api/chat/file/a.png"])
            #expect(fake.sent.all == [FakeCarrierSend(
                from: CarrierFixture.didDigits, to: CarrierFixture.customerDigits, text: "Hi", mediaURLs: ["https://hub.example.test/api/chat/file/a.png"], id: "")])
            #expect(try await f.outcome(messageID).status == 1)
            fake.failures.push(FakeSkyetel.error("Rate limit exceeded, try again in 5 minutes", status: 403))
            let throttled = try await f.sendReply("later")
            #expect(try await f.outcome(throttled).status == 0)
            #expect(try await f.replyOutcome(after: FakeSkyetel.error("Unauthorized", status: 401), on: fake.failures).error == "auth_fail")
            #expect(try await f.post(#"{"text":"no numbers"}"#, contentType: "application/json").status == .badRequest)
        }
    }

    @Test(arguments: TestEngines.available)
    func voiceMeUpInboundReplayAndSend(engine: DatabaseEngine) async throws {
        let fake = try await FakeVoiceMeUp.start()
        defer { Task { await fake.stop() } }
        try await CarrierFixture.with(engine, provider: "voicemeup", baseURL: fake.baseURL, credentials: [("username", fake.username), ("auth_token", fake.authToken)]) { f in
            let form = FakeVoiceMeUp.received(hash: "a1b2c3", from: CarrierFixture.customerDigits, to: CarrierFixture.didDigits, message: "Hello")
            #expect(try await f.post(formEncode(form), contentType: "application/x-www-form-urlencoded").status == .ok)
            #expect(try await f.post(formEncode(form), contentType: "application/x-www-form-urlencoded").status == .ok)
            #expect(try await f.inboundCount() == 1)
            let files = ["https://hub.example.test/api/chat/file/a.png", "https://hub.example.test/api/chat/file/b.png"]
            let messageID = try await f.sendReply("Hi", fileURIs: files)
            #expect(fake.sent.all.map(\.text) == ["Hi", ""] && fake.sent.all.map(\.mediaURLs) == [[files[0]], [files[1]]])
            #expect(fake.sent.all.allSatisfy { $0.from == CarrierFixture.didDigits && $0.to == CarrierFixture.customerDigits })
            #expect(try await f.outcome(messageID).providerID == fake.sent.all[0].id)
            let failed = try await f.replyOutcome(after: FakeVoiceMeUp.answer("error", [("invalid_destination_number", "Invalid destination number")]), on: fake.failures)
            #expect(failed.status == 2 && failed.error == "invalid_phone_number" && failed.errorMessage == "invalid_destination_number: Invalid destination number")
        }
    }

    @Test func voiceMeUpWrongTokenIsAnAuthFailure() async throws {
        let fake = try await FakeVoiceMeUp.start()
        defer { Task { await fake.stop() } }
        try await CarrierFixture.with(.sqlite, provider: "voicemeup", baseURL: fake.baseURL, credentials: [("username", fake.username), ("auth_token", "stale")]) { f async throws in
            #expect(try await f.outcome(try await f.sendReply("x")).error == "auth_fail")
            #expect(fake.core.refusals.count == 1)
        }
    }

    @Test(arguments: TestEngines.available)
    func apidazeInboundReplayAndSendWithAccompanyingText(engine: DatabaseEngine) async throws {
        let fake = try await FakeApidaze.start()
        defer { Task { await fake.stop() } }
        try await CarrierFixture.with(
            engine, provider: "apidaze", baseURL: fake.baseURL, credentials: [("api_key", fake.apiKey), ("api_secret", fake.apiSecret)],
            accompanyingMessage: "Sent by Yeastar"
        ) { f in
            let body = FakeApidaze.received(uuid: "u-1", from: CarrierFixture.customerDigits, to: CarrierFixture.didDigits, text: "Hello")
            #expect(try await f.post(body, contentType: "application/json").status == .ok)
            #expect(try await f.post(body, contentType: "application/json").status == .ok)
            #expect(try await f.inboundCount() == 1)
            let messageID = try await f.sendReply("", fileURIs: ["https://hub.example.test/api/chat/file/a.png"])
            let sent = try #require(fake.sent.all.first)
            #expect(sent.text == "Sent by Yeastar\nhttps://hub.example.test/api/chat/file/a.png")
            #expect(sent.from == CarrierFixture.didDigits && sent.to == CarrierFixture.customerDigits)
            #expect(try await f.outcome(messageID).providerID == sent.id)
            #expect(try await f.replyOutcome(after: FakeApidaze.error("Invalid credentials", status: 401), on: fake.failures).error == "auth_fail")
            fake.failures.push(FakeApidaze.error("Too many requests", status: 429))
            #expect(try await f.outcome(try await f.sendReply("later")).status == 0)
        }
    }
}
