import SwitchboardCore
import Testing

/// The pure carrier rules: number formats, status fallbacks, Twilio and Telnyx tables and parsers.
@Suite("Carrier wire rules: numbers, Twilio, Telnyx")
struct CarrierWireTests {
    @Test func numbersBecomeE164AndDigits() {
        #expect(CarrierWire.e164("14102161183") == "+14102161183")
        #expect(CarrierWire.e164("4102161183") == "+14102161183")
        #expect(CarrierWire.e164("+14102161183") == "+14102161183")
        #expect(CarrierWire.e164("MyShop") == "MyShop")
        #expect(CarrierWire.e164("12345") == "12345")
        #expect(CarrierWire.digits("+14102161183") == "14102161183")
        #expect(CarrierWire.digits("14102161183") == "14102161183")
    }

    @Test func fallbackOutcomesFollowTheHTTPStatus() {
        #expect(CarrierWire.fallbackOutcome(status: nil, detail: "") == .retry(SendFailure(.requestFail, "no answer from the provider"), retryAfter: nil))
        #expect(CarrierWire.fallbackOutcome(status: 429, detail: "slow", retryAfter: 7) == .retry(SendFailure(.tooManyRequest, "slow"), retryAfter: 7))
        #expect(CarrierWire.fallbackOutcome(status: 401, detail: "x") == .failed(SendFailure(.authFail, "x")))
        #expect(CarrierWire.fallbackOutcome(status: 502, detail: "x") == .retry(SendFailure(.serviceError, "x"), retryAfter: nil))
        #expect(CarrierWire.fallbackOutcome(status: 400, detail: "x") == .failed(SendFailure(.sendFail, "x")))
        #expect(CarrierWire.connectivity(status: 200) == .connected)
        #expect(CarrierWire.connectivity(status: 401) == .unauthorized)
        #expect(CarrierWire.connectivity(status: 503) == .serviceUnavailable)
        #expect(CarrierWire.connectivity(status: nil) == .requestFailed)
    }

    @Test func twilioSignatureBaseSortsNamesAndValues() {
        let base = TwilioWire.signatureBase(url: "https://h.test/hook?x=1", params: [("To", "+1"), ("Body", "b"), ("MediaUrl", "z"), ("MediaUrl", "a"), ("From", "+2")])
        #expect(base == "https://h.test/hook?x=1BodybFrom+2MediaUrlaMediaUrlzTo+1")
        // Code-point order: upper case sorts before lower case, as Python's sorted() does.
        #expect(TwilioWire.signatureBase(url: "u", params: [("a", "1"), ("B", "2")]) == "uB2a1")
    }

    @Test func twilioURLVariantsAddAndDropThePort() {
        #expect(TwilioWire.signatureURLVariants("https://h.test/p?q=1") == ["https://h.test/p?q=1", "https://h.test:443/p?q=1"])
        #expect(TwilioWire.signatureURLVariants("http://h.test:8080/p") == ["http://h.test:8080/p", "http://h.test/p", "http://h.test:80/p"])
    }

    @Test(arguments: [
        (Int64(21211), 400, SendErrorKind.invalidPhoneNumber), (20003, 401, .authFail), (21606, 400, .invalidDIDNumber),
        (21617, 400, .messageTooLong), (20404, 404, .resourceNotFound), (99999, 400, .sendFail),
    ])
    func twilioErrorCodesMap(code: Int64, status: Int, kind: SendErrorKind) {
        let body: JSONValue = ["code": .int(code), "message": "m", "more_info": .string("https://www.twilio.com/docs/errors/\(code)"), "status": .int(Int64(status))]
        #expect(TwilioWire.sendOutcome(status: status, body: body, rawBody: "") == .failed(SendFailure(kind, "\(code): m")))
    }

    @Test func twilioThrottlingRetriesAndSuccessNeedsASid() {
        let throttled: JSONValue = ["code": 20429, "message": "Too Many Requests", "status": 429]
        #expect(TwilioWire.sendOutcome(status: 429, body: throttled, rawBody: "", retryAfter: 3) == .retry(SendFailure(.tooManyRequest, "20429: Too Many Requests"), retryAfter: 3))
        #expect(TwilioWire.sendOutcome(status: 201, body: ["sid": "SM1", "status": "queued"], rawBody: "") == .accepted(providerMessageID: "SM1"))
        #expect(TwilioWire.sendOutcome(status: 201, body: ["status": "queued"], rawBody: "") == .failed(SendFailure(.sendFail, "no sid in the answer")))
    }

    @Test func twilioStatusCallbacksBecomeReports() {
        #expect(TwilioWire.report([("MessageSid", "SM1"), ("MessageStatus", "delivered")]) == DeliveryReport(providerMessageID: "SM1", state: .delivered))
        #expect(TwilioWire.report([("MessageSid", "SM1"), ("MessageStatus", "sending")]) == nil)
        let failed = TwilioWire.report([("MessageSid", "SM1"), ("MessageStatus", "undelivered"), ("ErrorCode", "30006")])
        #expect(failed == DeliveryReport(providerMessageID: "SM1", state: .failed(SendFailure(.invalidPhoneNumber, "30006: undelivered"))))
        #expect(TwilioWire.isStatusCallback([("MessageStatus", "sent")]))
        #expect(!TwilioWire.isStatusCallback([("SmsStatus", "received"), ("MessageSid", "SM1")]))
    }

    @Test func twilioInboundReadsMedia() throws {
        let form = [("MessageSid", "MM1"), ("From", "+15557654321"), ("To", "+15550001111"), ("Body", ""), ("NumMedia", "1"),
                    ("MediaUrl0", "https://api.twilio.com/m/1"), ("MediaContentType0", "image/png")]
        let message = try TwilioWire.inbound(form, now: 42)
        #expect(message == InboundMessage(providerMessageID: "MM1", from: "+15557654321", to: "+15550001111", text: "",
                                          media: [MediaReference(url: "https://api.twilio.com/m/1", contentType: "image/png")], receivedAt: 42))
        #expect(throws: InboundRejection.self) { try TwilioWire.inbound([("MessageSid", "SM1"), ("From", "+1"), ("To", "+2")], now: 0) }
    }

    @Test func telnyxSignsTimestampBarBodyWithinFiveMinutes() {
        #expect(TelnyxWire.signedPayload(timestamp: "1700000000", body: Array("{}".utf8)) == Array("1700000000|{}".utf8))
        #expect(TelnyxWire.isFresh(timestamp: "1700000000", now: 1_700_000_300))
        #expect(!TelnyxWire.isFresh(timestamp: "1700000000", now: 1_700_000_301))
        #expect(!TelnyxWire.isFresh(timestamp: "1700000301", now: 1_700_000_000))
        #expect(!TelnyxWire.isFresh(timestamp: "soon", now: 0))
    }

    @Test(arguments: [
        ("10002", 422, SendErrorKind.invalidPhoneNumber), ("10009", 401, .authFail), ("10004", 422, .invalidParam),
        ("10001", 422, .invalidDIDNumber), ("10005", 404, .resourceNotFound), ("40300", 422, .sendFail),
    ])
    func telnyxErrorCodesMap(code: String, status: Int, kind: SendErrorKind) {
        let body: JSONValue = ["errors": [["code": .string(code), "title": "T", "detail": "D"]]]
        #expect(TelnyxWire.sendOutcome(status: status, body: body, rawBody: "") == .failed(SendFailure(kind, "\(code): T: D")))
    }

    @Test func telnyxThrottlingRetries() {
        let body: JSONValue = ["errors": [["code": "10011", "title": "Too many requests", "detail": "slow down"]]]
        #expect(TelnyxWire.sendOutcome(status: 429, body: body, rawBody: "") == .retry(SendFailure(.tooManyRequest, "10011: Too many requests: slow down"), retryAfter: nil))
        #expect(TelnyxWire.sendOutcome(status: 200, body: ["data": ["id": "u-1"]], rawBody: "") == .accepted(providerMessageID: "u-1"))
    }

    @Test func telnyxEventsParse() throws {
        let received: JSONValue = ["data": [
            "event_type": "message.received", "occurred_at": "2024-01-01T00:00:00.000+00:00",
            "payload": ["id": "m-1", "from": ["phone_number": "+15557654321"], "to": [["phone_number": "+15550001111", "status": "webhook_delivered"]],
                        "text": "hi", "media": []],
        ]]
        let inbound = try TelnyxWire.events(received)
        #expect(inbound.messages == [InboundMessage(providerMessageID: "m-1", from: "+15557654321", to: "+15550001111", text: "hi", receivedAt: 1_704_067_200)])
        let finalized: JSONValue = ["data": ["event_type": "message.finalized", "payload": [
            "id": "o-1", "to": [["phone_number": "+1", "status": "delivery_failed"]], "errors": [["code": "40002", "title": "Blocked as spam"]],
        ]]]
        #expect(try TelnyxWire.events(finalized).reports == [DeliveryReport(providerMessageID: "o-1", state: .failed(SendFailure(.sendFail, "40002: Blocked as spam")))])
        let sending: JSONValue = ["data": ["event_type": "message.sent", "payload": ["id": "o-1", "to": [["status": "queued"]]]]]
        #expect(try TelnyxWire.events(sending).reports.isEmpty)
        #expect(try TelnyxWire.events(["data": ["event_type": "number_order.complete", "payload": [:]]]).messages.isEmpty)
        #expect(throws: InboundRejection.self) { try TelnyxWire.events(["data": ["event_type": "message.received", "payload": ["id": "x"]]]) }
    }
}
