import Foundation
import HTTPTypes
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

@Suite("WhatsApp Cloud API provider end to end")
struct WhatsAppProviderTests {
    typealias F = MetaChannelFixture
    /// Retries far in the future, so a retried send stays visibly pending.
    static func slowRetry(_ configuration: inout AppConfiguration) {
        configuration.outboxRetry = RetryPolicy(maxAttempts: 3, baseSeconds: 3600, capSeconds: 3600, jitter: 0)
    }

    @Test func handshakeAnswersTheChallengeOnlyForTheVerifyToken() async throws {
        try await F.whatsApp(.sqlite) { f in
            let good = try await f.handshake(token: f.verifyToken)
            #expect(good.status == .ok)
            #expect(good.text == "1158201444")
            #expect(try await f.handshake(token: f.verifyToken + "x").status == .forbidden)
            #expect(try await f.handshake(token: "").status == .forbidden)
            #expect(try await f.handshake(token: f.verifyToken, mode: "unsubscribe").status == .forbidden)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM messages") == 0)
        }
    }

    @Test(arguments: TestEngines.available)
    func signedInboundIsStoredOnceAndRoutedToTheQueue(engine: DatabaseEngine) async throws {
        try await F.whatsApp(engine) { f in
            let body = MetaWebhooks.whatsAppText(id: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=", waID: F.waID, text: "Héllo 👋")
            #expect(try await f.deliver(body).status == .ok)
            #expect(try await f.deliver(body).status == .ok)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM messages") == 1)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM sessions") == 1)
            #expect(try await f.scalar("SELECT queue_id AS n FROM sessions") == f.queueID)
            #expect(try await f.scalar("""
                SELECT COUNT(*) AS n FROM messages WHERE body = 'Héllo 👋' AND sender_no = '+16315551181' AND sender_name = 'Kerry Fisher'
                  AND recipient = '+15559871234'
                """) == 1)
            #expect(try await f.scalar("SELECT CAST(COALESCE(SUM(received), 0) AS BIGINT) AS n FROM channel_number_stats") == 1)
            let image = MetaWebhooks.whatsAppMessage(id: "wamid.IMG", waID: F.waID, message: [
                "type": "image", "image": ["caption": "receipt", "mime_type": "image/jpeg", "sha256": "h", "id": "1479537139650973"],
            ])
            #expect(try await f.deliver(image).status == .ok)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM sessions") == 1)
            let files = try #require(try await f.text("SELECT files FROM messages WHERE body = 'receipt'", "files"))
            #expect(files.contains("whatsapp-media:1479537139650973") && files.contains("image/jpeg"))
        }
    }

    @Test func forgedSignaturesAndMalformedBodiesStoreNothing() async throws {
        try await F.whatsApp(.sqlite) { f in
            let body = MetaWebhooks.whatsAppText(id: "wamid.1", waID: F.waID, text: "hi")
            #expect(try await f.deliver(body, secret: "not-the-app-secret").status == .forbidden)
            #expect(try await f.deliver(body, unsigned: true).status == .forbidden)
            let signedOther = MetaWebhooks.signature(appSecret: f.fake.appSecret, body: body + " ")
            let tampered = try await f.api.call(
                .post, f.webhookPath, body: body, headers: [.contentType: "application/json", HTTPField.Name("X-Hub-Signature-256")!: signedOther])
            #expect(tampered.status == .forbidden)
            let upper = "sha256=" + MetaWebhooks.signature(appSecret: f.fake.appSecret, body: body).dropFirst(7).uppercased()
            let uppercase = try await f.api.call(
                .post, f.webhookPath, body: body, headers: [.contentType: "application/json", HTTPField.Name("X-Hub-Signature-256")!: upper])
            #expect(uppercase.status == .forbidden)
            #expect(try await f.deliver("not json").status == .badRequest)
            #expect(try await f.deliver(#"{"object":"page","entry":[]}"#).status == .badRequest)
            let otherNumber = MetaWebhooks.whatsAppMessage(
                id: "wamid.2", waID: F.waID, message: ["type": "text", "text": ["body": "x"]], displayPhoneNumber: "15550000000")
            #expect(try await f.deliver(otherNumber).status == .badRequest)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM messages") == 0)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM sessions") == 0)
        }
    }

    @Test(arguments: TestEngines.available)
    func textRepliesGoThroughTheOutboxToGraph(engine: DatabaseEngine) async throws {
        try await F.whatsApp(engine) { f in
            _ = try await f.deliver(MetaWebhooks.whatsAppText(id: "wamid.in", waID: F.waID, text: "hi"))
            let messageID = try await f.queueReply("Hello, World!")
            #expect(try await f.hub.hub.dispatcher.drainOnce() == 1)
            let sent = try #require(f.fake.sent.all.first)
            #expect(sent.product == "whatsapp")
            #expect(ChannelFixture.sorted(sent.body) == ChannelFixture.sorted([
                "messaging_product": "whatsapp", "recipient_type": "individual", "to": "16315551181", "type": "text",
                "text": ["preview_url": false, "body": "Hello, World!"],
            ]))
            let outcome = try await f.outcome(messageID)
            #expect(outcome.status == 1 && outcome.providerID == sent.id)
            #expect(try await f.hub.hub.dispatcher.drainOnce() == 0)
        }
    }

    @Test(arguments: TestEngines.available)
    func statusWebhooksUpdateTheMessage(engine: DatabaseEngine) async throws {
        try await F.whatsApp(engine) { f in
            _ = try await f.deliver(MetaWebhooks.whatsAppText(id: "wamid.in", waID: F.waID, text: "hi"))
            let delivered = try await f.queueReply("one")
            let failed = try await f.queueReply("two")
            try await f.hub.hub.dispatcher.drainOnce()
            // The dispatcher may send the two concurrently: find each one's wamid by its text.
            let sent = f.fake.sent.all
            #expect(sent.count == 2)
            let ids = try ["one", "two"].map { text in try #require(sent.first { $0.body["text"]?["body"]?.stringValue == text }?.id) }
            for status in ["sent", "delivered", "read"] {
                #expect(try await f.deliver(MetaWebhooks.whatsAppStatus(id: ids[0], status: status, recipient: F.waID)).status == .ok)
            }
            #expect(try await f.outcome(delivered).status == 1)
            let failure = MetaWebhooks.whatsAppStatus(id: ids[1], status: "failed", recipient: F.waID, errorCode: 131047, errorTitle: "Re-engagement message")
            #expect(try await f.deliver(failure).status == .ok)
            #expect(try await f.deliver(failure).status == .ok)
            let outcome = try await f.outcome(failed)
            #expect(outcome.status == 2 && outcome.error == "exceeds_time_limit")
            #expect(outcome.errorMessage == "131047: Re-engagement message: Re-engagement message (details)")
            #expect(try await f.scalar("SELECT CAST(COALESCE(SUM(failed), 0) AS BIGINT) AS n FROM channel_number_stats") == 1)
            #expect(try await f.deliver(MetaWebhooks.whatsAppStatus(id: "wamid.unknown", status: "delivered", recipient: F.waID)).status == .ok)
        }
    }

    /// Reference §8.4: 30038 when the customer reads a message the platform sent through the API —
    /// once, however often WhatsApp repeats the read status; an agent's message raises none.
    @Test(arguments: TestEngines.available)
    func readStatusesRaiseOneReadReceiptForPlatformMessages(engine: DatabaseEngine) async throws {
        try await F.whatsApp(engine) { f in
            _ = try await f.deliver(MetaWebhooks.whatsAppText(id: "wamid.in", waID: F.waID, text: "hi"))
            let platform = try await f.queueReply("from the platform", sender: .api)
            let agent = try await f.queueReply("from an agent")
            try await f.hub.hub.dispatcher.drainOnce()
            let sent = f.fake.sent.all
            let ids = try ["from the platform", "from an agent"].map { text in
                try #require(sent.first { $0.body["text"]?["body"]?.stringValue == text }?.id)
            }
            for id in ids + ids {
                #expect(try await f.deliver(MetaWebhooks.whatsAppStatus(id: id, status: "read", recipient: F.waID)).status == .ok)
            }
            let receipts = try await f.hub.hub.database.run { db in
                try await db.raw("SELECT payload FROM events WHERE type = 30038").all().map { try $0.decode(column: "payload", as: String.self) }
            }
            #expect(receipts.count == 1)
            let data = try #require(receipts.first.flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }?["data"])
            #expect(data["read_msg_id"] == .int(platform))
            #expect(data["user_id"] == .int(0))
            #expect(data["session_id"] != nil && data["session_id"] != .int(0))
            #expect(data["read_time"] == .int(f.hub.clock.now()))
            let platformStatus = try await f.outcome(platform).status
            let agentStatus = try await f.outcome(agent).status
            #expect(platformStatus == 1 && agentStatus == 1)
        }
    }

    /// Inbound media: the media id is looked up on Graph and the file downloaded with the token.
    @Test func inboundMediaIsFetchedThroughTheMediaNodeWithTheToken() async throws {
        try await F.whatsApp(.sqlite) { f in
            let mediaID = f.fake.hostMedia(contentType: "image/jpeg", bytes: Array("JPEG-BYTES".utf8))
            let image = MetaWebhooks.whatsAppMessage(id: "wamid.IMG2", waID: F.waID, message: [
                "type": "image", "image": ["caption": "receipt", "mime_type": "image/jpeg", "sha256": "h", "id": .string(mediaID)],
            ])
            #expect(try await f.deliver(image).status == .ok)
            _ = try await f.hub.hub.mediaFetcher.fetchDue()
            let files = try #require(try await f.text("SELECT files FROM messages WHERE direction = 'in'", "files"))
            let entry = try #require(try JSONDecoder().decode(JSONValue.self, from: Data(files.utf8)).arrayValue?.first)
            #expect(entry["uri"]?.stringValue?.hasPrefix("https://hub.example.test/api/chat/") == true)
            #expect(entry["type"] == "image/jpeg" && entry["size"] == .int(10) && entry["name"] == .string("whatsapp-\(mediaID).jpeg"))
            #expect(f.fake.media.refusedDownloads.count == 0)
        }
    }

    @Test func mediaAndTemplateSendsAreShapedLikeGraph() async throws {
        try await F.whatsApp(.sqlite) { f in
            _ = try await f.deliver(MetaWebhooks.whatsAppText(id: "wamid.in", waID: F.waID, text: "hi"))
            let media = try await f.queueReply("see attached", files: ["https://hub.example.test/api/chat/k1/photo.png", "https://hub.example.test/api/chat/k2/invoice.pdf"])
            try await f.hub.hub.dispatcher.drainOnce()
            let sent = f.fake.sent.all
            #expect(sent.map { $0.body["type"] } == ["image", "document"])
            #expect(ChannelFixture.sorted(sent.first?.body["image"]) == ["caption": "see attached", "link": "https://hub.example.test/api/chat/k1/photo.png"])
            #expect(ChannelFixture.sorted(sent.last?.body["document"]) == ["filename": "invoice.pdf", "link": "https://hub.example.test/api/chat/k2/invoice.pdf"])
            #expect(try await f.outcome(media).providerID == sent.first?.id)
            let template = try await f.queueReply("", files: ["https://hub.example.test/api/chat/k3/demo.jpeg"], template: MetaWebhooks.seedTemplateParam)
            try await f.hub.hub.dispatcher.drainOnce()
            let templateBody = try #require(f.fake.sent.all.last?.body)
            #expect(templateBody["type"] == "template" && templateBody["to"] == "16315551181")
            #expect(templateBody["template"]?["name"] == "discount_campaign" && templateBody["template"]?["language"] == ["code": "en"])
            #expect(templateBody["template"]?["components"]?.arrayValue?.map { $0["type"] } == ["header", "body"])
            #expect(try await f.outcome(template).status == 1)
        }
    }

    @Test func graphErrorsAreMappedToSendErrors() async throws {
        try await F.whatsApp(.sqlite, configure: Self.slowRetry) { f in
            _ = try await f.deliver(MetaWebhooks.whatsAppText(id: "wamid.in", waID: F.waID, text: "hi"))
            try await f.expectFailures([
                (.init(status: 400, code: 131047, message: "(#131047) Re-engagement message"), "exceeds_time_limit"),
                (.init(status: 401, code: 190, message: "Invalid OAuth access token"), "auth_fail"),
                (.init(status: 404, code: 132001, message: "(#132001) Template name does not exist in the translation"), "template_not_exist"),
                (.init(status: 400, code: 131026, message: "(#131026) Message undeliverable"), "invalid_phone_number"),
                (.init(status: 400, code: 100, message: "(#100) Invalid parameter"), "invalid_param"),
            ])
            let tooLong = try await f.queueReply(String(repeating: "a", count: 4097))
            try await f.hub.hub.dispatcher.drainOnce()
            #expect(try await f.outcome(tooLong).error == "msg_exceed")
            try await f.expectRetries([
                (.init(status: 429, code: 130429, retryAfter: 1), "too_many_request"), (.init(status: 400, code: 4), "too_many_request"),
                (.init(status: 400, code: 131056), "too_many_request"), (.init(status: 400, code: 131000), "unknown_error"),
                (.init(status: 503), "service_error"),
            ])
            #expect(f.fake.sent.count == 0)
        }
    }

    @Test func connectivityChecksTheNumberWithTheToken() async throws {
        try await F.whatsApp(.sqlite) { f in
            let checker = ConnectivityChecker(channels: f.hub.hub.channelStore, providers: f.hub.hub.providers, http: f.hub.hub.http, logger: f.hub.hub.logger)
            func expectReason(_ status: String, _ reason: String) async throws {
                let answer = try await f.api.get("message_channel/get", token: f.token, ["id": String(f.channelID)])
                #expect(answer.json["data"]?["status"]?.stringValue == status)
                #expect(answer.json["data"]?["reason"]?.stringValue == reason)
            }
            await checker.checkAll()
            try await expectReason("status_connect_succ", "")
            f.fake.checkFailures.push(.init(status: 401, code: 190, message: "Error validating access token"))
            await checker.checkAll()
            try await expectReason("status_connect_fail", "Unauthorized")
            f.fake.checkFailures.push(.init(status: 500, code: 2, message: "Service temporarily unavailable"))
            await checker.checkAll()
            try await expectReason("status_connect_fail", "Services of the recipient platform are unavailable")
            await f.fake.stop()
            await checker.checkAll()
            try await expectReason("status_connect_fail", "Request Failed")
        }
    }
}
