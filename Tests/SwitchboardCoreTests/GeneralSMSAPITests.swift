import SwitchboardCore
import Testing

@Suite("General SMS API rules (seed 003)")
struct GeneralSMSAPITests {
    static func errorBody(_ code: String) -> JSONValue {
        ["errors": [["code": .string(code), "title": "T", "detail": "D"]]]
    }

    @Test func successNeedsStatus200AndADataID() {
        let ok = GeneralSMSAPI.sendOutcome(status: 200, body: ["data": ["id": "b301ed3f"]], rawBody: "")
        #expect(ok == .accepted(providerMessageID: "b301ed3f"))
        guard case .failed(let failure) = GeneralSMSAPI.sendOutcome(status: 200, body: ["data": [:]], rawBody: "{}") else {
            Issue.record("200 without data.id must fail")
            return
        }
        #expect(failure.kind == .sendFail && failure.kind.prompt == "Failed to send")
    }

    @Test(arguments: [
        ("10001", SendErrorKind.invalidPhoneNumber, "Invalid Phone Number"),
        ("10002", .invalidParam, "Invalid Parameter"),
        ("10003", .unsupportedMediaType, "This type of message is not supported due to the restriction of the recipient platform."),
        ("10004", .authFail, "Authentication Failed"),
        ("10005", .authFail, "Authentication Failed"),
        ("10007", .serviceUnavailable, "Recipient Platform Service Unavailable"),
        ("10008", .exceedsSizeLimit, "The file size exceeds the limit of the recipient's platform."),
    ])
    func errorCodesMapToPrompts(code: String, kind: SendErrorKind, prompt: String) {
        let outcome = GeneralSMSAPI.sendOutcome(status: 400, body: Self.errorBody(code), rawBody: "")
        #expect(outcome == .failed(SendFailure(kind, "\(code): T: D")))
        #expect(kind.prompt == prompt)
    }

    @Test func throttlingAndServerErrorsAreRetried() {
        guard case .retry(let throttled, _) = GeneralSMSAPI.sendOutcome(status: 400, body: Self.errorBody("10006"), rawBody: "") else {
            Issue.record("10006 must be retried")
            return
        }
        #expect(throttled.kind.prompt == "Too frequent operations. Please try again later.")
        guard case .retry = GeneralSMSAPI.sendOutcome(status: 503, body: nil, rawBody: "") else {
            Issue.record("503 must be retried")
            return
        }
        guard case .retry(let network, _) = GeneralSMSAPI.sendOutcome(status: nil, body: nil, rawBody: "") else {
            Issue.record("no answer must be retried")
            return
        }
        #expect(network.kind == .requestFail)
    }

    @Test func statusCodesWinWhereTheSeedSaysSo() {
        #expect(GeneralSMSAPI.sendOutcome(status: 401, body: nil, rawBody: "") == .failed(SendFailure(.authFail, "")))
        #expect(GeneralSMSAPI.sendOutcome(status: 403, body: nil, rawBody: "") == .failed(SendFailure(.serviceUnavailable, "")))
        guard case .failed(let notFound) = GeneralSMSAPI.sendOutcome(status: 404, body: nil, rawBody: "") else {
            Issue.record("404 must fail")
            return
        }
        #expect(notFound.kind.prompt == "Failed to send")
        #expect(GeneralSMSAPI.sendOutcome(status: 400, body: nil, rawBody: "oops") == .failed(SendFailure(.sendFail, "oops")))
    }

    @Test func connectivityFollowsTheSeedTable() {
        #expect(GeneralSMSAPI.connectivity(status: 200, rawBody: "abc", challenge: "abc") == .connected)
        #expect(GeneralSMSAPI.connectivity(status: 200, rawBody: "abd", challenge: "abc") == .unauthorized)
        for status in [401, 403, 404] {
            #expect(GeneralSMSAPI.connectivity(status: status, rawBody: "{}", challenge: "abc") == .unauthorized)
        }
        #expect(GeneralSMSAPI.connectivity(status: 500, rawBody: "", challenge: "abc") == .serviceUnavailable)
        #expect(GeneralSMSAPI.connectivity(status: 502, rawBody: #"{"errors":[]}"#, challenge: "abc") == .unknown)
        #expect(GeneralSMSAPI.connectivity(status: 502, rawBody: "<html>", challenge: "abc") == .requestFailed)
        #expect(GeneralSMSAPI.connectivity(status: 418, rawBody: nil, challenge: "abc") == .requestFailed)
        #expect(GeneralSMSAPI.connectivity(status: nil, rawBody: nil, challenge: "abc") == .requestFailed)
        #expect(ChannelConnectivity.connected.status == "status_connect_succ")
        #expect(ChannelConnectivity.serviceUnavailable.reason == "Services of the recipient platform are unavailable")
    }

    static let seedInbound: JSONValue = [
        "data": [
            "event_type": "message.received", "id": "b301ed3f-1490-491f-995f-6e64e69674d4",
            "payload": [
                "id": "84cca175-9755-4859-b67f-4730d7f58aa3",
                "from": ["phone_number": "+8618012121222"],
                "to": [["phone_number": "+8618012121223"]],
                "media": [["content_type": .null, "sha256": .null, "url": "https://example.com/a.png"]],
                "received_at": "2019-12-09T20:16:07.503+00:00", "record_type": "message", "text": "Hello from PBX!",
            ],
            "record_type": "event",
        ]
    ]

    @Test func readsTheSeedsInboundExample() throws {
        let message = try GeneralSMSAPI.inboundMessage(Self.seedInbound)
        #expect(message.providerMessageID == "84cca175-9755-4859-b67f-4730d7f58aa3")
        #expect(message.from == "+8618012121222" && message.to == "+8618012121223")
        #expect(message.text == "Hello from PBX!")
        #expect(message.media == [MediaReference(url: "https://example.com/a.png")])
        #expect(message.receivedAt == 1_575_922_567)
    }

    @Test(arguments: ["event_type", "id", "from", "to", "text+media", "received_at", "record_type"])
    func rejectsBodiesMissingARequiredField(_ field: String) {
        guard case .object(var root) = Self.seedInbound, case .object(var data)? = root["data"], case .object(var payload)? = data["payload"] else {
            Issue.record("fixture shape")
            return
        }
        switch field {
        case "event_type": data["event_type"] = "message.sent"
        case "text+media": payload["text"] = nil; payload["media"] = nil
        case "id": payload["id"] = .string(String(repeating: "x", count: 256))
        default: payload[field] = nil
        }
        data["payload"] = .object(payload)
        root["data"] = .object(data)
        #expect(throws: InboundRejection.self) { try GeneralSMSAPI.inboundMessage(.object(root)) }
    }

    @Test func iso8601Times() {
        #expect(ISO8601.parse("2019-12-09T20:16:07.588+08:00") == 1_575_893_767)
        #expect(ISO8601.parse("1970-01-01T00:00:00Z") == 0)
        #expect(ISO8601.parse("2024-02-29T12:00:00-0130") == 1_709_213_400)
        #expect(ISO8601.parse("2019-13-09T20:16:07Z") == nil)
        #expect(ISO8601.parse("yesterday") == nil)
    }
}

@Suite("Send pacing and retries")
struct PacingTests {
    @Test func slotsAreEvenlySpacedAndNeverMoreThanTheRatePerSecond() {
        var nextFree: Int64 = 0
        var slots: [Int64] = []
        for _ in 0..<200 {
            let reservation = SendPacer.reserve(nextFree: nextFree, now: 5_000_000, rate: 80)
            slots.append(reservation.slot)
            nextFree = reservation.nextFree
        }
        #expect(slots.first == 5_000_000)
        #expect(zip(slots, slots.dropFirst()).allSatisfy { $1 - $0 == 12_500 })
        for start in slots {
            #expect(slots.filter { $0 >= start && $0 < start + 1_000_000 }.count <= 80)
        }
        #expect(SendPacer.reserve(nextFree: 1_000, now: 9_000_000, rate: 1).slot == 9_000_000)
    }

    @Test func backoffGrowsIsCappedJitteredAndEnds() {
        let policy = RetryPolicy(maxAttempts: 4, baseSeconds: 2, capSeconds: 5, jitter: 0.2)
        #expect(policy.delay(afterAttempt: 1, unit: 0.5) == 2)
        #expect(policy.delay(afterAttempt: 2, unit: 0.5) == 4)
        #expect(policy.delay(afterAttempt: 3, unit: 0.5) == 5)
        #expect(policy.delay(afterAttempt: 1, unit: 0) == 1.6)
        #expect(policy.delay(afterAttempt: 1, retryAfter: 30, unit: 0.5) == 30)
        #expect(policy.delay(afterAttempt: 4, unit: 0.5) == nil)
    }
}
