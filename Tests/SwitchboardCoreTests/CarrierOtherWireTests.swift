import SwitchboardCore
import Testing

/// The pure rules of the other carriers: answers, error shapes, callbacks and inbound fields.
@Suite("Carrier wire rules: Bandwidth, Flowroute, Skyetel, VoiceMeUp, Apidaze")
struct CarrierOtherWireTests {
    @Test func bandwidthSendAnswers() {
        #expect(BandwidthWire.sendOutcome(status: 202, body: ["id": "1589228074636lm4k2je7j7jklbn2"], rawBody: "") == .accepted(providerMessageID: "1589228074636lm4k2je7j7jklbn2"))
        let badTo: JSONValue = ["type": "request-validation", "description": "Your request could not be accepted",
                                "fieldErrors": [["fieldName": "to", "description": "'+1invalid' must be replaced with a valid E164 formatted telephone number"]]]
        guard case .failed(let failure) = BandwidthWire.sendOutcome(status: 400, body: badTo, rawBody: "") else { Issue.record("must fail"); return }
        #expect(failure.kind == .invalidPhoneNumber)
        #expect(failure.providerMessage.hasPrefix("request-validation: Your request could not be accepted: to:"))
        #expect(BandwidthWire.sendOutcome(status: 401, body: ["type": "unauthorized", "description": "Bad credentials"], rawBody: "")
            == .failed(SendFailure(.authFail, "unauthorized: Bad credentials")))
        #expect(BandwidthWire.sendOutcome(status: 429, body: ["type": "too-many-requests", "description": "slow"], rawBody: "")
            == .retry(SendFailure(.tooManyRequest, "too-many-requests: slow"), retryAfter: nil))
    }

    @Test func bandwidthCallbacksAreAnArrayOfEvents() throws {
        let body: JSONValue = [
            ["type": "message-received", "time": "2024-01-01T00:00:00.000Z", "to": "+15550001111", "description": "Incoming message received",
             "message": ["id": "in-1", "owner": "+15550001111", "from": "+15557654321", "to": ["+15550001111"], "text": "hi",
                         "time": "2024-01-01T00:00:00.000Z", "direction": "in", "media": ["https://messaging.bandwidth.com/m/a.jpg", "https://messaging.bandwidth.com/m/a.smil"]]],
            ["type": "message-delivered", "time": "2024-01-01T00:00:01Z", "to": "+15557654321", "message": ["id": "out-1", "text": ""]],
            ["type": "message-failed", "time": "2024-01-01T00:00:01Z", "to": "+15557654321", "errorCode": 4720, "description": "invalid destination",
             "message": ["id": "out-2", "text": ""]],
        ]
        let (messages, reports) = try BandwidthWire.callbacks(body)
        #expect(messages == [InboundMessage(providerMessageID: "in-1", from: "+15557654321", to: "+15550001111", text: "hi",
                                            media: [MediaReference(url: "https://messaging.bandwidth.com/m/a.jpg")], receivedAt: 1_704_067_200)])
        #expect(reports == [DeliveryReport(providerMessageID: "out-1", state: .delivered),
                            DeliveryReport(providerMessageID: "out-2", state: .failed(SendFailure(.invalidPhoneNumber, "4720: invalid destination")))])
        #expect(throws: InboundRejection.self) { try BandwidthWire.callbacks(["type": "message-received"]) }
    }

    @Test func flowrouteSendAnswersAndWebhooks() throws {
        #expect(FlowrouteWire.sendOutcome(status: 202, body: ["data": ["id": "mdr2-1", "type": "message"]], rawBody: "") == .accepted(providerMessageID: "mdr2-1"))
        #expect(FlowrouteWire.sendOutcome(status: 422, body: ["errors": [["status": 422, "title": "Unprocessable", "detail": "bad to"]]], rawBody: "")
            == .failed(SendFailure(.invalidParam, "Unprocessable: bad to")))
        #expect(FlowrouteWire.sendOutcome(status: 401, body: nil, rawBody: "Unauthorized") == .failed(SendFailure(.authFail, "Unauthorized")))
        let inbound: JSONValue = [
            "data": ["id": "mdr2-in", "type": "message", "attributes": [
                "body": "hi", "direction": "inbound", "from": "15557654321", "to": "15550001111", "is_mms": true, "timestamp": "2024-01-01T00:00:00.00Z",
            ]],
            "included": [["id": "x", "type": "media", "attributes": ["url": "https://mms.flowroute.com/a.png", "mime_type": "image/png", "file_size": 10]]],
        ]
        #expect(try FlowrouteWire.webhook(inbound).messages == [InboundMessage(
            providerMessageID: "mdr2-in", from: "+15557654321", to: "+15550001111", text: "hi",
            media: [MediaReference(url: "https://mms.flowroute.com/a.png", contentType: "image/png", size: 10)], receivedAt: 1_704_067_200)])
        let dlr: JSONValue = ["data": ["id": "mdr2-out", "type": "delivery_receipt", "attributes": [
            "level": 2, "status": "undeliverable", "status_code": 1208, "status_code_description": "Destination unreachable", "timestamp": "2024-01-01T00:00:00Z",
        ]]]
        #expect(try FlowrouteWire.webhook(dlr).reports == [DeliveryReport(providerMessageID: "mdr2-out", state: .failed(SendFailure(.sendFail, "1208: Destination unreachable")))])
        #expect(FlowrouteWire.state(status: "message buffered", code: "", description: "") == .sent)
        #expect(FlowrouteWire.state(status: "delivered", code: "", description: "") == .delivered)
        #expect(throws: InboundRejection.self) { try FlowrouteWire.webhook(["to": "1", "from": "2", "body": "legacy"]) }
    }

    @Test func skyetelAnswersAndInbound() throws {
        #expect(SkyetelWire.sendOutcome(status: 200, body: nil, rawBody: "", fallbackID: "f") == .accepted(providerMessageID: "f"))
        #expect(SkyetelWire.sendOutcome(status: 200, body: ["id": 77], rawBody: "", fallbackID: "f") == .accepted(providerMessageID: "77"))
        #expect(SkyetelWire.sendOutcome(status: 403, body: nil, rawBody: "Rate limit exceeded", fallbackID: "f")
            == .retry(SendFailure(.tooManyRequest, "Rate limit exceeded"), retryAfter: 300))
        #expect(SkyetelWire.sendOutcome(status: 403, body: nil, rawBody: "Forbidden", fallbackID: "f") == .failed(SendFailure(.authFail, "Forbidden")))
        let message = try SkyetelWire.inbound(["from": "15557654321", "to": "15550001111", "text": "hi"], id: "k", now: 5)
        #expect(message == InboundMessage(providerMessageID: "k", from: "+15557654321", to: "+15550001111", text: "hi", receivedAt: 5))
    }

    @Test func voiceMeUpAnswers() {
        let ok: JSONValue = ["response_details": ["response_status": "success", "response_messages": ["message": [
            ["code": "sms_queued", "_content": "Queued"], ["code": "queued_sms_hash", "_content": "abc123"],
        ]]]]
        #expect(VoiceMeUpWire.sendOutcome(status: 200, body: ok, rawBody: "") == .accepted(providerMessageID: "abc123"))
        let denied: JSONValue = ["response_details": ["response_status": "error", "response_messages": ["message": ["code": "invalid_auth_token", "_content": "Bad token"]]]]
        #expect(VoiceMeUpWire.sendOutcome(status: 200, body: denied, rawBody: "") == .failed(SendFailure(.authFail, "invalid_auth_token: Bad token")))
        let badNumber: JSONValue = ["response_details": ["response_status": "error", "response_messages": ["message": [["code": "invalid_destination_number", "_content": "No"]]]]]
        #expect(VoiceMeUpWire.sendOutcome(status: 200, body: badNumber, rawBody: "") == .failed(SendFailure(.invalidPhoneNumber, "invalid_destination_number: No")))
        #expect(VoiceMeUpWire.sendOutcome(status: 503, body: nil, rawBody: "down") == .retry(SendFailure(.serviceUnavailable, "down"), retryAfter: nil))
    }

    @Test func voiceMeUpInboundDropsTheMMSWrapper() throws {
        let fields: [String: JSONValue] = ["sms_hash": "h1", "source_number": "15557654321", "destination_number": "15550001111", "message": "hi",
                                           "attachment": "https://x.test/1.mms.html", "datetime_transmission": "2024-01-01 00:00:00"]
        let message = try VoiceMeUpWire.inbound(fields, now: 9)
        #expect(message == InboundMessage(providerMessageID: "h1", from: "+15557654321", to: "+15550001111", text: "hi", receivedAt: 1_704_067_200))
        #expect(throws: InboundRejection.self) { try VoiceMeUpWire.inbound(["source_number": "1", "destination_number": "2", "message": "x"], now: 0) }
    }

    @Test func apidazeBodiesAndAnswers() throws {
        #expect(ApidazeWire.body(text: "", mediaURLs: ["https://hub/f"], accompanyingMessage: "Sent by Yeastar") == "Sent by Yeastar\nhttps://hub/f")
        #expect(ApidazeWire.body(text: "hello", mediaURLs: [], accompanyingMessage: "Sent by Yeastar") == "hello")
        #expect(ApidazeWire.sendOutcome(status: 200, body: ["status": "ok", "id": "a1"], rawBody: "", fallbackID: "f") == .accepted(providerMessageID: "a1"))
        #expect(ApidazeWire.sendOutcome(status: 401, body: ["message": "Invalid credentials"], rawBody: "", fallbackID: "f") == .failed(SendFailure(.authFail, "Invalid credentials")))
        let message = try ApidazeWire.inbound(["caller_id_number": "15557654321", "destination_number": "15550001111", "text": "yo"], derivedID: "d", now: 3)
        #expect(message == InboundMessage(providerMessageID: "d", from: "+15557654321", to: "+15550001111", text: "yo", receivedAt: 3))
    }
}
