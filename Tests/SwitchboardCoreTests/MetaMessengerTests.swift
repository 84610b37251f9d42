import Foundation
import SwitchboardCore
import SwitchboardTesting
import Testing

@Suite("Messenger Platform rules")
struct MetaMessengerTests {
    static let page = "334079033132769"
    static let psid = "6783451234567890"

    static func events(_ text: String) throws -> (messages: [InboundMessage], reports: [DeliveryReport]) {
        try MessengerPlatform.webhookEvents((try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null)
    }

    @Test func customerMessagesComeFromThePSIDToThePage() throws {
        let body = MetaWebhooks.messengerMessage(
            mid: "m_1", psid: Self.psid, pageID: Self.page, text: "Hi ✨", attachments: [("image", "https://scontent.xx.fbcdn.net/a.jpg")])
        #expect(try Self.events(body).messages == [InboundMessage(
            providerMessageID: "m_1", from: Self.psid, to: Self.page, text: "Hi ✨",
            media: [MediaReference(url: "https://scontent.xx.fbcdn.net/a.jpg", contentType: "image/*")], receivedAt: 1_753_898_766)])
    }

    @Test func echoesAreIgnoredAndDeliveriesReportByMid() throws {
        #expect(try Self.events(MetaWebhooks.messengerEcho(mid: "m_2", psid: Self.psid, pageID: Self.page, text: "from us")).messages.isEmpty)
        let delivery = try Self.events(MetaWebhooks.messengerDelivery(mids: ["m_a", "m_b"], psid: Self.psid, pageID: Self.page))
        #expect(delivery.messages.isEmpty)
        #expect(delivery.reports == [
            DeliveryReport(providerMessageID: "m_a", state: .delivered), DeliveryReport(providerMessageID: "m_b", state: .delivered),
        ])
        let read = MetaWebhooks.messenger(pageID: Self.page, events: [["sender": ["id": "1"], "recipient": ["id": "2"], "read": ["watermark": 1]]])
        #expect(try Self.events(read).reports.isEmpty)
    }

    @Test func malformedBodiesAreRefused() {
        #expect(throws: InboundRejection.self) { try Self.events(#"{"object":"whatsapp_business_account","entry":[]}"#) }
        #expect(throws: InboundRejection.self) { try Self.events(#"{"object":"page"}"#) }
        let noMid = MetaWebhooks.messenger(pageID: Self.page, events: [["sender": ["id": "1"], "recipient": ["id": "2"], "message": ["text": "x"]]])
        #expect(throws: InboundRejection.self) { try Self.events(noMid) }
    }

    @Test(arguments: [
        (Int64(10), Int64?(2018278), false, SendErrorKind.exceedsTimeLimit), (10, nil, false, .authFail), (613, nil, true, .tooManyRequest),
        (4, nil, true, .tooManyRequest), (190, nil, false, .authFail), (100, 2018001, false, .invalidPhoneNumber), (100, nil, false, .invalidParam),
        (551, 1545041, false, .sendFail), (1200, nil, true, .serviceError), (2, nil, true, .serviceError),
    ])
    func sendErrorsMap(code: Int64, subcode: Int64?, retried: Bool, kind: SendErrorKind) {
        var error: JSONObject = ["message": "Msg", "type": "OAuthException", "code": .int(code)]
        if let subcode { error["error_subcode"] = .int(subcode) }
        let outcome = MessengerPlatform.sendOutcome(status: 400, body: ["error": .object(error)], rawBody: "")
        let failure = SendFailure(kind, "\(code): Msg")
        #expect(outcome == (retried ? .retry(failure, retryAfter: nil) : .failed(failure)))
    }

    @Test func theWindowTextAloneMarksCode10AsOutsideTheWindow() {
        let body: JSONValue = ["error": ["message": "(#10) This message is sent outside of allowed window.", "code": 10]]
        guard case .failed(let failure) = MessengerPlatform.sendOutcome(status: 400, body: body, rawBody: "") else {
            Issue.record("must fail")
            return
        }
        #expect(failure.kind == .exceedsTimeLimit)
    }

    @Test func successNeedsAMessageID() {
        #expect(MessengerPlatform.sendOutcome(status: 200, body: ["recipient_id": "1", "message_id": "m_9"], rawBody: "") == .accepted(providerMessageID: "m_9"))
        #expect(MessengerPlatform.sendOutcome(status: 200, body: ["recipient_id": "1"], rawBody: "x") == .failed(SendFailure(.sendFail, "x")))
    }

    @Test func bodiesAreShapedLikeTheSendAPIs() throws {
        let reply = try MessengerPlatform.messageBodies(to: Self.psid, text: "Hello", mediaLinks: ["https://h/a.png", "https://h/b.pdf"], tag: nil)
        #expect(reply == [
            ["recipient": ["id": .string(Self.psid)], "messaging_type": "RESPONSE", "message": ["text": "Hello"]],
            ["recipient": ["id": .string(Self.psid)], "messaging_type": "RESPONSE",
             "message": ["attachment": ["type": "image", "payload": ["url": "https://h/a.png", "is_reusable": false]]]],
            ["recipient": ["id": .string(Self.psid)], "messaging_type": "RESPONSE",
             "message": ["attachment": ["type": "file", "payload": ["url": "https://h/b.pdf", "is_reusable": false]]]],
        ])
        let tagged = try MessengerPlatform.messageBodies(to: Self.psid, text: "Later", mediaLinks: [], tag: "HUMAN_AGENT")
        #expect(tagged == [["recipient": ["id": .string(Self.psid)], "messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT", "message": ["text": "Later"]]])
        #expect(throws: SendFailure(.messageTooLong, "Messenger takes at most 2000 characters of text")) {
            try MessengerPlatform.messageBodies(to: Self.psid, text: String(repeating: "a", count: 2001), mediaLinks: [], tag: nil)
        }
        #expect(throws: SendFailure.self) { try MessengerPlatform.messageBodies(to: Self.psid, text: "", mediaLinks: [], tag: nil) }
    }
}
