import Foundation
import HTTPTypes
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

@Suite("Messenger provider end to end")
struct MessengerProviderTests {
    typealias F = MetaChannelFixture

    @Test func handshakeAnswersTheChallengeOnlyForTheVerifyToken() async throws {
        try await F.messenger(.sqlite) { f in
            let good = try await f.handshake(token: f.verifyToken, challenge: "CHALLENGE_ACCEPTED")
            #expect(good.status == .ok && good.text == "CHALLENGE_ACCEPTED")
            #expect(try await f.handshake(token: "qm3rprg52wzk1ah").status == .forbidden)
        }
    }

    @Test(arguments: TestEngines.available)
    func signedInboundIsStoredOnceRoutedAndEchoesAreIgnored(engine: DatabaseEngine) async throws {
        try await F.messenger(engine) { f in
            let body = MetaWebhooks.messengerMessage(
                mid: "m_1457764197618:41d102a3e1ae206a38", psid: F.psid, pageID: f.fake.pageID, text: "Bonjour ✨",
                attachments: [("image", "https://scontent.xx.fbcdn.net/v/photo.jpg")])
            #expect(try await f.deliver(body).status == .ok)
            #expect(try await f.deliver(body).status == .ok)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM messages") == 1)
            #expect(try await f.scalar("SELECT owner_extension_id AS n FROM sessions") == f.extensionID)
            #expect(try await f.scalar("""
                SELECT COUNT(*) AS n FROM messages WHERE body = 'Bonjour ✨' AND sender_no = \(bind: F.psid) AND recipient = \(bind: f.fake.pageID)
                """) == 1)
            let files = try await f.text("SELECT files FROM messages", "files")
            #expect(files?.contains("https://scontent.xx.fbcdn.net/v/photo.jpg") == true)
            let echo = MetaWebhooks.messengerEcho(mid: "m_echo", psid: F.psid, pageID: f.fake.pageID, text: "an agent's reply")
            #expect(try await f.deliver(echo).status == .ok)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM messages") == 1)
            #expect(try await f.scalar("SELECT CAST(COALESCE(SUM(received), 0) AS BIGINT) AS n FROM channel_number_stats") == 1)
        }
    }

    @Test func forgedSignaturesAndOtherPagesStoreNothing() async throws {
        try await F.messenger(.sqlite) { f in
            let body = MetaWebhooks.messengerMessage(mid: "m_1", psid: F.psid, pageID: f.fake.pageID, text: "hi")
            let forged = try await f.deliver(body, secret: "forged")
            #expect(forged.status == .forbidden)
            #expect(try await f.deliver(body, unsigned: true).status == .forbidden)
            let otherPage = MetaWebhooks.messengerMessage(mid: "m_2", psid: F.psid, pageID: "999", text: "hi")
            #expect(try await f.deliver(otherPage).status == .badRequest)
            #expect(try await f.deliver(#"{"object":"whatsapp_business_account","entry":[]}"#).status == .badRequest)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM messages") == 0)
        }
    }

    @Test(arguments: TestEngines.available)
    func repliesGoToTheSendAPIWithTheMessagingType(engine: DatabaseEngine) async throws {
        try await F.messenger(engine) { f in
            _ = try await f.deliver(MetaWebhooks.messengerMessage(mid: "m_in", psid: F.psid, pageID: f.fake.pageID, text: "hi"))
            let reply = try await f.queueReply("Hello!")
            let tagged = try await f.queueReply("After hours", tag: "HUMAN_AGENT")
            let file = try await f.queueReply("", files: ["https://hub.example.test/api/chat/k/brochure.pdf"])
            try await f.hub.hub.dispatcher.drainOnce()
            let sent = f.fake.sent.all
            #expect(sent.map(\.product) == ["messenger", "messenger", "messenger"])
            let expected: [JSONValue] = [
                ["recipient": ["id": .string(F.psid)], "messaging_type": "RESPONSE", "message": ["text": "Hello!"]],
                ["recipient": ["id": .string(F.psid)], "messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT", "message": ["text": "After hours"]],
                ["recipient": ["id": .string(F.psid)], "messaging_type": "RESPONSE", "message": [
                    "attachment": ["type": "file", "payload": ["url": "https://hub.example.test/api/chat/k/brochure.pdf", "is_reusable": false]],
                ]],
            ]
            // The dispatcher may send the three concurrently: match each message to its call by body.
            #expect(sent.count == 3)
            for (messageID, body) in zip([reply, tagged, file], expected) {
                let call = sent.first { ChannelFixture.sorted($0.body) == ChannelFixture.sorted(body) }
                #expect(call != nil, "\(body.serialized())")
                let outcome = try await f.outcome(messageID)
                #expect(outcome.status == 1 && outcome.providerID == call?.id)
            }
            let delivery = MetaWebhooks.messengerDelivery(mids: sent.map(\.id) + ["m_unknown"], psid: F.psid, pageID: f.fake.pageID)
            #expect(try await f.deliver(delivery).status == .ok)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM messages WHERE direction = 'out' AND delivery_status = 1") == 3)
        }
    }

    @Test func graphErrorsAreMappedToSendErrors() async throws {
        try await F.messenger(.sqlite, configure: WhatsAppProviderTests.slowRetry) { f in
            _ = try await f.deliver(MetaWebhooks.messengerMessage(mid: "m_in", psid: F.psid, pageID: f.fake.pageID, text: "hi"))
            try await f.expectFailures([
                (.init(status: 400, code: 10, subcode: 2018278, message: "(#10) This message is sent outside of allowed window."), "exceeds_time_limit"),
                (.init(status: 400, code: 190, subcode: 460, message: "Error validating access token"), "auth_fail"),
                (.init(status: 400, code: 551, subcode: 1545041, message: "This person isn't available right now."), "send_fail"),
                (.init(status: 400, code: 100, subcode: 2018001, message: "No matching user found"), "invalid_phone_number"),
            ])
            let tooLong = try await f.queueReply(String(repeating: "a", count: 2001))
            try await f.hub.hub.dispatcher.drainOnce()
            #expect(try await f.outcome(tooLong).error == "msg_exceed")
            try await f.expectRetries([
                (.init(status: 400, code: 613, message: "(#613) Calls to this api have exceeded the rate limit."), "too_many_request"),
                (.init(status: 400, code: 4), "too_many_request"), (.init(status: 400, code: 1200), "service_error"),
            ])
            #expect(f.fake.sent.count == 0)
        }
    }

    @Test func aLaterPartFailingFailsTheMessageWithoutResendingTheFirst() async throws {
        try await F.messenger(.sqlite) { f in
            _ = try await f.deliver(MetaWebhooks.messengerMessage(mid: "m_in", psid: F.psid, pageID: f.fake.pageID, text: "hi"))
            let id = try await f.queueReply("text first", files: ["https://hub.example.test/api/chat/k/a.png"])
            // The text part goes out; the attachment fails with a retryable error.
            f.fake.sendFailures.push(.pass)
            f.fake.sendFailures.push(.init(status: 400, code: 613, message: "rate"))
            try await f.hub.hub.dispatcher.drainOnce()
            let outcome = try await f.outcome(id)
            #expect(outcome.status == 2 && outcome.error == "too_many_request")
            #expect(outcome.errorMessage == "part 2 of 2 failed after earlier parts were sent: 613: rate")
            #expect(outcome.providerID == "")
            #expect(f.fake.sent.all.map { $0.body["message"]?["text"] } == ["text first"])
            #expect(try await f.hub.hub.dispatcher.drainOnce() == 0)
            #expect(f.fake.sent.count == 1)
        }
    }

    @Test func connectivityChecksThePageWithTheToken() async throws {
        try await F.messenger(.sqlite) { f in
            let checker = ConnectivityChecker(channels: f.hub.hub.channelStore, providers: f.hub.hub.providers, http: f.hub.hub.http, logger: f.hub.hub.logger)
            func reason() async throws -> String? {
                try await f.api.get("message_channel/get", token: f.token, ["id": String(f.channelID)]).json["data"]?["reason"]?.stringValue
            }
            await checker.checkAll()
            let connected = try await reason()
            #expect(connected == "")
            f.fake.checkFailures.push(.init(status: 400, code: 190, message: "Error validating access token"))
            await checker.checkAll()
            #expect(try await reason() == "Unauthorized")
            f.fake.checkFailures.push(.init(status: 503))
            await checker.checkAll()
            #expect(try await reason() == "Services of the recipient platform are unavailable")
        }
    }
}
