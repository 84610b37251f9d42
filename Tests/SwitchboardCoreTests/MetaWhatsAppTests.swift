import Foundation
import SwitchboardCore
import SwitchboardTesting
import Testing

@Suite("WhatsApp Cloud API rules")
struct MetaWhatsAppTests {
    static func json(_ text: String) -> JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null
    }

    static func events(_ text: String, phoneNumberID: String = "3546573434879") throws -> (messages: [InboundMessage], reports: [DeliveryReport]) {
        try WhatsAppCloudAPI.webhookEvents(json(text), phoneNumberID: phoneNumberID)
    }

    @Test func textMessagesBecomeInboundMessagesFromThePlusWaID() throws {
        let body = MetaWebhooks.whatsAppText(id: "wamid.ABC", waID: "16315551181", text: "Héllo 👋 / there")
        let (messages, reports) = try Self.events(body)
        #expect(reports.isEmpty)
        #expect(messages == [InboundMessage(
            providerMessageID: "wamid.ABC", from: "+16315551181", to: "+15559871234", text: "Héllo 👋 / there", receivedAt: 1_753_898_766,
            senderName: "Kerry Fisher")])
    }

    @Test func mediaKeepsTheMediaIDAndMimeType() throws {
        let body = MetaWebhooks.whatsAppMessage(id: "wamid.IMG", waID: "16315551181", message: [
            "type": "image", "image": ["caption": "the invoice", "mime_type": "image/jpeg", "sha256": "abc", "id": "1479537139650973"],
        ])
        let message = try #require(try Self.events(body).messages.first)
        #expect(message.text == "the invoice")
        #expect(message.media == [MediaReference(url: "whatsapp-media:1479537139650973", contentType: "image/jpeg")])
        #expect(WhatsAppCloudAPI.mediaID(fromURL: message.media[0].url) == "1479537139650973")
        for type in ["document", "audio", "video", "sticker"] {
            var part: JSONObject = ["type": .string(type)]
            part[type] = ["mime_type": "application/octet-stream", "id": "77"]
            let other = MetaWebhooks.whatsAppMessage(id: "wamid.\(type)", waID: "1", message: part)
            #expect(try Self.events(other).messages.first?.media.first?.url == "whatsapp-media:77")
        }
    }

    @Test func locationInteractiveButtonAndContactsBecomeText() throws {
        let cases: [(JSONObject, String)] = [
            (["type": "location", "location": ["latitude": .double(37.48), "longitude": .double(-122.14), "name": "Office", "address": "1 Hacker Way"]],
             "Location: Office 1 Hacker Way (37.48,-122.14)"),
            (["type": "interactive", "interactive": ["type": "button_reply", "button_reply": ["id": "b1", "title": "Yes"]]], "Yes"),
            (["type": "interactive", "interactive": ["type": "list_reply", "list_reply": ["id": "l1", "title": "Red", "description": "the red one"]]],
             "Red\nthe red one"),
            (["type": "button", "button": ["payload": "P", "text": "Stop promotions"]], "Stop promotions"),
            (["type": "contacts", "contacts": [["name": ["formatted_name": "Ann Lee"], "phones": [["phone": "+1 555 0100"]]]]], "Contact: Ann Lee +1 555 0100"),
        ]
        for (message, text) in cases {
            let body = MetaWebhooks.whatsAppMessage(id: "wamid.X", waID: "1555", message: message)
            #expect(try Self.events(body).messages.map(\.text) == [text])
        }
    }

    @Test func reactionsUnsupportedAndOtherNumbersAreSkipped() throws {
        let reaction = MetaWebhooks.whatsAppMessage(id: "wamid.R", waID: "1555", message: ["type": "reaction", "reaction": ["message_id": "wamid.A", "emoji": "👍"]])
        #expect(try Self.events(reaction).messages.isEmpty)
        let unsupported = MetaWebhooks.whatsAppMessage(id: "wamid.U", waID: "1555", message: ["type": "unsupported", "errors": [["code": 131051]]])
        #expect(try Self.events(unsupported).messages.isEmpty)
        let otherNumber = MetaWebhooks.whatsAppText(id: "wamid.O", waID: "1555", text: "hi", phoneNumberID: "999")
        #expect(try Self.events(otherNumber).messages.isEmpty)
        #expect(try Self.events(otherNumber, phoneNumberID: "").messages.count == 1)
    }

    @Test func malformedBodiesAreRefused() {
        #expect(throws: InboundRejection.self) { try Self.events(#"{"object":"page","entry":[]}"#) }
        #expect(throws: InboundRejection.self) { try Self.events(#"{"object":"whatsapp_business_account"}"#) }
        let noID = #"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"metadata":{"display_phone_number":"1555","phone_number_id":"3546573434879"},"messages":[{"from":"1","type":"text","text":{"body":"x"}}]}}]}]}"#
        #expect(throws: InboundRejection.self) { try Self.events(noID) }
    }

    @Test(arguments: [
        ("sent", DeliveryReport.State.sent), ("delivered", .delivered), ("read", .read),
    ])
    func statusesBecomeReports(status: String, state: DeliveryReport.State) throws {
        let body = MetaWebhooks.whatsAppStatus(id: "wamid.OUT", status: status, recipient: "16315551181")
        #expect(try Self.events(body).reports == [DeliveryReport(providerMessageID: "wamid.OUT", state: state)])
    }

    @Test(arguments: [
        (Int64(131047), SendErrorKind.exceedsTimeLimit), (132001, .templateNotExist), (131026, .invalidPhoneNumber),
        (131000, .unknownError), (130429, .tooManyRequest), (131051, .unsupportedMediaType), (190, .authFail), (424242, .sendFail),
    ])
    func failedStatusesCarryTheErrorKind(code: Int64, kind: SendErrorKind) throws {
        let body = MetaWebhooks.whatsAppStatus(id: "wamid.OUT", status: "failed", recipient: "1", errorCode: code, errorTitle: "Title")
        let report = try #require(try Self.events(body).reports.first)
        #expect(report.state == .failed(SendFailure(kind, "\(code): Title: Title (details)")))
    }

    @Test(arguments: [
        (Int64(130429), true, SendErrorKind.tooManyRequest), (131056, true, .tooManyRequest), (4, true, .tooManyRequest),
        (80007, true, .tooManyRequest), (131000, true, .unknownError), (131016, true, .serviceUnavailable),
        (131047, false, .exceedsTimeLimit), (132001, false, .templateNotExist), (132000, false, .invalidParam),
        (131026, false, .invalidPhoneNumber), (131048, false, .tooManyRequest), (133010, false, .invalidDIDNumber), (190, false, .authFail),
    ])
    func sendErrorsMap(code: Int64, retried: Bool, kind: SendErrorKind) {
        let body: JSONValue = ["error": ["message": "Msg", "type": "OAuthException", "code": .int(code), "fbtrace_id": "x"]]
        let outcome = WhatsAppCloudAPI.sendOutcome(status: 400, body: body, rawBody: "")
        let failure = SendFailure(kind, "\(code): Msg")
        #expect(outcome == (retried ? .retry(failure, retryAfter: nil) : .failed(failure)))
    }

    @Test func successNeedsMessagesZeroID() {
        let ok: JSONValue = ["messaging_product": "whatsapp", "contacts": [["input": "1", "wa_id": "1"]], "messages": [["id": "wamid.Z"]]]
        #expect(WhatsAppCloudAPI.sendOutcome(status: 200, body: ok, rawBody: "") == .accepted(providerMessageID: "wamid.Z"))
        #expect(WhatsAppCloudAPI.sendOutcome(status: 200, body: ["messages": []], rawBody: "{}") == .failed(SendFailure(.sendFail, "{}")))
    }

    @Test func bodiesAreShapedLikeTheCloudAPIs() throws {
        let text = try WhatsAppCloudAPI.messageBodies(to: "+16315551181", text: "Hi", mediaLinks: [])
        #expect(text == [[
            "messaging_product": "whatsapp", "recipient_type": "individual", "to": "16315551181", "type": "text",
            "text": ["preview_url": false, "body": "Hi"],
        ]])
        let media = try WhatsAppCloudAPI.messageBodies(
            to: "+1", text: "see", mediaLinks: ["https://h/api/chat/a/photo.png", "https://h/api/chat/b/report.pdf"])
        #expect(media.map { $0["type"] } == ["image", "document"])
        #expect(media[0]["image"] == ["link": "https://h/api/chat/a/photo.png", "caption": "see"])
        #expect(media[1]["document"] == ["link": "https://h/api/chat/b/report.pdf", "filename": "report.pdf"])
        let audio = try WhatsAppCloudAPI.messageBodies(to: "+1", text: "listen", mediaLinks: ["https://h/v.ogg"])
        #expect(audio.map { $0["type"] } == ["text", "audio"])
        let long = String(repeating: "x", count: 1025)
        #expect(try WhatsAppCloudAPI.messageBodies(to: "+1", text: long, mediaLinks: ["https://h/p.jpg"]).map { $0["type"] } == ["text", "image"])
    }

    @Test func overlongAndEmptyTextIsRefusedBeforeSending() {
        #expect(throws: SendFailure(.messageTooLong, "WhatsApp takes at most 4096 characters of text")) {
            try WhatsAppCloudAPI.messageBodies(to: "+1", text: String(repeating: "a", count: 4097), mediaLinks: [])
        }
        #expect(throws: SendFailure.self) { try WhatsAppCloudAPI.messageBodies(to: "+1", text: "", mediaLinks: []) }
        #expect((try? WhatsAppCloudAPI.messageBodies(to: "+1", text: String(repeating: "a", count: 4096), mediaLinks: []))?.count == 1)
    }
}
