import Foundation
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// A hub with a General SMS channel whose provider is a local fake speaking seed 003's API.
struct GeneralChannelFixture: Sendable {
    static let secret = "mySuperSecret123"
    static let did = "+15550001111"
    static let customer = "+15557654321"

    let hub: TestHub
    let api: OpenAPIClient
    let token: String
    let fake: FakeGeneralProvider
    let channelID: Int64
    let extensionID: Int64
    let webhookPath: String

    static func with(
        _ engine: DatabaseEngine, verify: Bool = true, secret: String? = GeneralChannelFixture.secret,
        configure: @escaping (inout AppConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (GeneralChannelFixture) async throws -> Void
    ) async throws {
        let fake = try await FakeGeneralProvider.start()
        defer { Task { await fake.stop() } }
        try await TestHub.with(engine, configure: configure) { hub in
            try await hub.withClient { api in
                let token = try await api.token()
                let ext = try await api.post("extension/create", token: token, ["number": "1001", "first_name": "Leo", "last_name": "Ball"])
                let extensionID = try #require(ext.int("id"))
                var account: [JSONValue] = [
                    ["k": "api_key", "v": .string(Formats.encodeBase64(Array(fake.apiKey.utf8)))],
                    ["k": "api_send_url", "v": .string(fake.sendURL)],
                ]
                if let secret { account.append(["k": "api_secret", "v": .string(Formats.encodeBase64(Array(secret.utf8)))]) }
                if verify { account.append(["k": "api_verify_url", "v": .string(fake.verifyURL)]) }
                let created = try await api.post("message_channel/create", token: token, [
                    "name": "General SMS Channel", "webhook_url_type": "nat", "channel": "general", "account_data": .array(account),
                    "send_rate": 50,
                    "dids": [["did_number": .string(did), "destination_type": "extension", "destination_id": .string(String(extensionID)),
                              "members": [["type": "extension", "value": .string(String(extensionID))]]]],
                ])
                let channelID = try #require(created.int("id"), "\(created.text)")
                let detail = try await api.get("message_channel/get", token: token, ["id": String(channelID)])
                let webhookURL = try #require(detail.json["data"]?["webhook_url"]?.stringValue)
                let path = String(webhookURL.dropFirst("https://hub.example.test".count))
                try await body(GeneralChannelFixture(
                    hub: hub, api: api, token: token, fake: fake, channelID: channelID, extensionID: extensionID, webhookPath: path))
            }
        }
    }

    /// Posts an inbound webhook signed with `secret` (or unsigned when nil).
    func deliver(_ body: String, signedWith secret: String? = GeneralChannelFixture.secret) async throws -> OpenAPIClient.Answer {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let secret { headers[HTTPField.Name("X-Signature-256")!] = FakeGeneralProvider.signature(secret: secret, body: body) }
        return try await api.call(.post, webhookPath, body: body, headers: headers)
    }

    func scalar(_ sql: SQLQueryString) async throws -> Int64 {
        try await hub.hub.database.run { db in try await db.raw(sql).first()?.decode(column: "n", as: Int64.self) ?? -1 }
    }

    /// Queues an agent's text message to the customer in the open session.
    func queueReply(_ text: String) async throws -> Int64 {
        let channelID = self.channelID
        let now = hub.clock.now()
        return try await hub.hub.database.transaction { db in
            let session = try await db.raw("SELECT id FROM sessions WHERE channel_id = \(bind: channelID) AND closed_at IS NULL").first()?
                .decode(column: "id", as: Int64.self)
            return try await OutboundService.queue(
                db, channelID: channelID, sessionID: session, recipient: GeneralChannelFixture.customer,
                sender: .extension(number: "1001", name: "Leo Ball"), content: .init(text: text), now: now)
        }
    }
}

import HTTPTypes

@Suite("General SMS provider end to end")
struct GeneralProviderTests {
    @Test(arguments: TestEngines.available)
    func signedInboundIsStoredOnceAndRoutedToTheExtension(engine: DatabaseEngine) async throws {
        try await GeneralChannelFixture.with(engine) { f in
            let body = FakeGeneralProvider.inboundBody(id: "msg-1", from: GeneralChannelFixture.customer, to: GeneralChannelFixture.did, text: "Hello from PBX!")
            let first = try await f.deliver(body)
            #expect(first.status == .noContent)
            let replay = try await f.deliver(body)
            #expect(replay.status == .noContent)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM messages") == 1)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM sessions") == 1)
            #expect(try await f.scalar("SELECT owner_extension_id AS n FROM sessions") == f.extensionID)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM messages WHERE body = 'Hello from PBX!' AND sender_no = '+15557654321'") == 1)
            #expect(try await f.scalar("SELECT CAST(COALESCE(SUM(received), 0) AS BIGINT) AS n FROM channel_number_stats") == 1)
            let second = FakeGeneralProvider.inboundBody(id: "msg-2", from: GeneralChannelFixture.customer, to: GeneralChannelFixture.did, text: "again")
            #expect(try await f.deliver(second).status == .noContent)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM sessions") == 1)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM messages") == 2)
        }
    }

    @Test func forgedOrMissingSignaturesAndMalformedBodiesStoreNothing() async throws {
        try await GeneralChannelFixture.with(.sqlite) { f in
            let body = FakeGeneralProvider.inboundBody(id: "msg-1", from: GeneralChannelFixture.customer, to: GeneralChannelFixture.did, text: "hi")
            #expect(try await f.deliver(body, signedWith: "wrong-secret").status == .badRequest)
            #expect(try await f.deliver(body, signedWith: nil).status == .badRequest)
            let upper = FakeGeneralProvider.signature(secret: GeneralChannelFixture.secret, body: body).uppercased()
            let uppercase = try await f.api.call(
                .post, f.webhookPath, body: body, headers: [.contentType: "application/json", HTTPField.Name("X-Signature-256")!: upper])
            #expect(uppercase.status == .badRequest)
            let malformed = #"{"data":{"event_type":"message.received","payload":{"id":"x"}}}"#
            #expect(try await f.deliver(malformed).status == .badRequest)
            #expect(try await f.deliver("not json").status == .badRequest)
            let unknownNumber = FakeGeneralProvider.inboundBody(id: "msg-9", from: GeneralChannelFixture.customer, to: "+15559999999", text: "hi")
            #expect(try await f.deliver(unknownNumber).status == .badRequest)
            let unknownHook = try await f.api.call(.post, "/api/v1.0/webhook/general/0000", body: body, headers: [.contentType: "application/json"])
            #expect(unknownHook.status == .notFound)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM messages") == 0)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM sessions") == 0)
        }
    }

    @Test func withoutASecretUnsignedWebhooksAreAccepted() async throws {
        try await GeneralChannelFixture.with(.sqlite, secret: nil) { f in
            let body = FakeGeneralProvider.inboundBody(id: "m", from: GeneralChannelFixture.customer, to: GeneralChannelFixture.did, text: "hi")
            let answer = try await f.deliver(body, signedWith: nil)
            #expect(answer.status == .noContent)
            let count = try await f.scalar("SELECT COUNT(*) AS n FROM messages")
            #expect(count == 1)
        }
    }

    @Test(arguments: TestEngines.available)
    func outboundGoesThroughTheOutboxToTheProvider(engine: DatabaseEngine) async throws {
        try await GeneralChannelFixture.with(engine) { f in
            _ = try await f.deliver(FakeGeneralProvider.inboundBody(id: "in-1", from: GeneralChannelFixture.customer, to: GeneralChannelFixture.did, text: "hi"))
            let messageID = try await f.queueReply("Hello, World!")
            #expect(try await f.scalar("SELECT delivery_status AS n FROM messages WHERE id = \(bind: messageID)") == 0)
            let sentNow = try await f.hub.hub.dispatcher.drainOnce()
            #expect(sentNow == 1)
            #expect(f.fake.sent.all.map(\.text) == ["Hello, World!"])
            #expect(f.fake.sent.all.first?.from == GeneralChannelFixture.did && f.fake.sent.all.first?.to == GeneralChannelFixture.customer)
            #expect(try await f.scalar("SELECT delivery_status AS n FROM messages WHERE id = \(bind: messageID)") == 1)
            let providerID = try await f.hub.hub.database.run { db in
                try await db.raw("SELECT provider_message_id FROM messages WHERE id = \(bind: messageID)").first()?.decode(column: "provider_message_id", as: String.self)
            }
            #expect(providerID == f.fake.sent.all.first?.id)
            let sentAgain = try await f.hub.hub.dispatcher.drainOnce()
            #expect(sentAgain == 0)
            #expect(try await f.scalar("SELECT CAST(COALESCE(SUM(sent), 0) AS BIGINT) AS n FROM channel_number_stats") == 1)
            #expect(try await f.scalar("SELECT CAST(COALESCE(SUM(delivered), 0) AS BIGINT) AS n FROM channel_number_stats") == 1)
        }
    }

    @Test func providerErrorsMarkTheMessageFailedWithTheSeedsReason() async throws {
        try await GeneralChannelFixture.with(.sqlite) { f in
            _ = try await f.deliver(FakeGeneralProvider.inboundBody(id: "in-1", from: GeneralChannelFixture.customer, to: GeneralChannelFixture.did, text: "hi"))
            f.fake.sendFailures.push(.init(status: 400, code: "10001"))
            let messageID = try await f.queueReply("to a bad number")
            try await f.hub.hub.dispatcher.drainOnce()
            let row = try await f.hub.hub.database.run { db in
                try await db.raw("SELECT delivery_status, send_error, send_error_msg FROM messages WHERE id = \(bind: messageID)").first()!
            }
            #expect(try row.decode(column: "delivery_status", as: Int.self) == 2)
            #expect(try row.decode(column: "send_error", as: String.self) == "invalid_phone_number")
            #expect(try row.decode(column: "send_error_msg", as: String.self) == "10001: Scripted failure: code 10001")
            #expect(try await f.scalar("SELECT CAST(COALESCE(SUM(failed), 0) AS BIGINT) AS n FROM channel_number_stats") == 1)
            #expect(f.fake.sent.count == 0)
        }
    }

    @Test func throttlingIsRetriedWithBackoffThenSent() async throws {
        try await GeneralChannelFixture.with(.sqlite, configure: { $0.outboxRetry = RetryPolicy(maxAttempts: 3, baseSeconds: 0.05, capSeconds: 0.1, jitter: 0) }) { f in
            _ = try await f.deliver(FakeGeneralProvider.inboundBody(id: "in-1", from: GeneralChannelFixture.customer, to: GeneralChannelFixture.did, text: "hi"))
            f.fake.sendFailures.push(.init(status: 429, code: "10006"))
            let messageID = try await f.queueReply("retry me")
            try await f.hub.hub.dispatcher.drainOnce()
            #expect(try await f.scalar("SELECT delivery_status AS n FROM messages WHERE id = \(bind: messageID)") == 0)
            #expect(try await f.scalar("SELECT attempts AS n FROM outbox WHERE message_id = \(bind: messageID)") == 1)
            // Step the dispatcher until the backoff has passed and the retry went out.
            var rounds = 0
            while try await f.scalar("SELECT delivery_status AS n FROM messages WHERE id = \(bind: messageID)") == 0 && rounds < 200 {
                try await f.hub.hub.dispatcher.drainOnce()
                try await Task.sleep(for: .milliseconds(10))
                rounds += 1
            }
            #expect(try await f.scalar("SELECT delivery_status AS n FROM messages WHERE id = \(bind: messageID)") == 1)
            #expect(try await f.scalar("SELECT attempts AS n FROM outbox WHERE message_id = \(bind: messageID)") == 2)
            #expect(f.fake.sent.count == 1)
        }
    }

    @Test func connectivityChecksFollowTheSeedsStatusTable() async throws {
        try await GeneralChannelFixture.with(.sqlite) { f in
            let checker = ConnectivityChecker(channels: f.hub.hub.channelStore, providers: f.hub.hub.providers, http: f.hub.hub.http, logger: f.hub.hub.logger)
            func expectStatus(_ status: String, _ reason: String) async throws {
                let answer = try await f.api.get("message_channel/list", token: f.token, ["page": "1", "page_size": "10", "time_range": "all"])
                let item = answer.json["list"]?.arrayValue?.first
                #expect(item?["status"]?.stringValue == status)
                #expect(item?["reason"]?.stringValue == reason)
            }
            await checker.checkAll()
            try await expectStatus("status_connect_succ", "")
            f.fake.verifyFailures.push(.init(status: 500))
            await checker.checkAll()
            try await expectStatus("status_connect_fail", "Services of the recipient platform are unavailable")
            f.fake.verifyFailures.push(.init(status: 403))
            await checker.checkAll()
            try await expectStatus("status_connect_fail", "Unauthorized")
            f.fake.verifyFailures.push(.init(status: 418, code: "10007"))
            await checker.checkAll()
            try await expectStatus("status_connect_fail", "Unknown")
            await f.fake.stop()
            await checker.checkAll()
            try await expectStatus("status_connect_fail", "Request Failed")
        }
    }
}
