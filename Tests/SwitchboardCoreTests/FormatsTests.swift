import SwitchboardCore
import Testing

@Suite("Formats")
struct FormatsTests {
    @Test(arguments: ["+15551234567", "+447911123456", "+12"])
    func acceptsE164(_ number: String) { #expect(Formats.isE164(number)) }

    @Test(arguments: ["15551234567", "+0123456", "+1555123456789012", "+1 555 123", "+", "+1", "+١٢٣٤"])
    func rejectsNonE164(_ number: String) { #expect(!Formats.isE164(number)) }

    @Test func senderIDsNeedALetterAndAtMostElevenCharacters() {
        #expect(Formats.isAlphanumericSenderID("ACME"))
        #expect(Formats.isAlphanumericSenderID("Shop24"))
        #expect(!Formats.isAlphanumericSenderID("12345"))
        #expect(!Formats.isAlphanumericSenderID("ABCDEFGHIJKL"))
        #expect(!Formats.isAlphanumericSenderID("AC ME"))
        #expect(!Formats.isAlphanumericSenderID(""))
    }

    @Test func base64IsStrict() {
        #expect(Formats.decodeBase64("bXlBUElLZXk0NTY=") == Array("myAPIKey456".utf8))
        #expect(Formats.decodeBase64("bXlTdXBlclNlY3JldDEyMw==") == Array("mySuperSecret123".utf8))
        #expect(Formats.decodeBase64("not base64!") == nil)
        #expect(Formats.decodeBase64("abc") == nil)
        #expect(Formats.decodeBase64("ab=c") == nil)
        #expect(Formats.decodeBase64("") == nil)
        for text in ["", "a", "ab", "abc", "hello world ✓"] where !text.isEmpty {
            #expect(Formats.decodeBase64(Formats.encodeBase64(Array(text.utf8))) == Array(text.utf8))
        }
    }

    @Test func providerURLsMustBeHTTPSExceptLoopback() {
        #expect(Formats.isProviderURL("https://api.example.com/message/send"))
        #expect(Formats.isProviderURL("http://127.0.0.1:9000/send"))
        #expect(Formats.isProviderURL("http://localhost/send"))
        #expect(!Formats.isProviderURL("http://api.example.com/send"))
        #expect(!Formats.isProviderURL("http://localhost.evil.com/send"))
        #expect(!Formats.isProviderURL("ftp://example.com"))
        #expect(!Formats.isProviderURL("https://"))
    }

    @Test func dialableNumbersAllowPunctuation() {
        #expect(Formats.isDialable("+1 (555) 123-4567"))
        #expect(Formats.isDialable("*88#"))
        #expect(!Formats.isDialable("call me"))
        #expect(!Formats.isDialable("+"))
    }
}

@Suite("Field reader")
struct FieldReaderTests {
    @Test func collectsEveryProblemWithNestedNames() throws {
        let body: JSONObject = [
            "name": .string(String(repeating: "x", count: 128)),
            "send_rate": "fast",
            "dids": [["did_number": "+15551234567"], ["destination_type": "queue"], "oops"],
        ]
        var reader = FieldReader(body)
        _ = reader.string("name", required: true, maxLength: 127)
        _ = reader.int("send_rate")
        _ = reader.requiredText("webhook_url_type")
        for var did in reader.objects("dids") ?? [] {
            _ = did.requiredText("did_number")
            reader.absorb(did)
        }
        #expect(reader.issues.map(\.field) == ["name", "send_rate", "webhook_url_type", "dids[2]", "dids[1].did_number"])
        #expect(reader.issues.map(\.validationType) == ["max_length", "type", "required", "type", "required"])
        #expect(throws: APIError.self) { try reader.finish() }
    }

    @Test func integersMayArriveAsStrings() {
        var reader = FieldReader(["a": "137", "b": 12, "c": "x", "ids": "3035, 3073"])
        #expect(reader.int("a") == 137)
        #expect(reader.int("b") == 12)
        #expect(reader.int("c") == nil)
        var ids = FieldReader(query: ["ids": "3035,3073"])
        #expect(ids.idList("ids") == [3035, 3073])
        #expect(reader.issues.map(\.field) == ["c"])
    }

    @Test func choicesMustBeValid() {
        var reader = FieldReader(["presence_status": "away", "bad": "nap"])
        #expect(reader.choice("presence_status", as: PresenceStatus.self) == .away)
        #expect(reader.choice("bad", as: PresenceStatus.self) == nil)
        #expect(reader.issues == [ParamIssue(field: "bad", validationType: "invalid_value")])
    }
}

@Suite("JSON values")
struct JSONValueTests {
    @Test func serializesInInsertionOrderAndEscapes() {
        let value: JSONValue = ["errcode": 0, "errmsg": "SUCCESS", "text": "a\"b\\c\n<script>", "list": [1, true, .null]]
        #expect(value.serialized() == #"{"errcode":0,"errmsg":"SUCCESS","text":"a\"b\\c\n\u003cscript>","list":[1,true,null]}"#)
    }

    @Test func apiErrorsRenderYeastarLists() {
        let error = APIError(.parameterError, invalidParams: [ParamIssue(field: "name", validationType: "required")])
        #expect(error.json.serialized() == #"{"errcode":40002,"errmsg":"PARAMETER ERROR","invalid_param_list":[{"field":"name","validation_type":"required"}]}"#)
        #expect(APIError.duplicate("number").json["duplicate_field_list"] == [["field": "number"]])
    }
}

@Suite("Login throttle")
struct LoginThrottleTests {
    @Test func blocksAfterFiveFailuresForTheCoolingPeriod() {
        let throttle = LoginThrottle(maxFailures: 5, blockSeconds: 600)
        var record: LoginThrottle.Record?
        for second in 0..<4 {
            record = throttle.recordingFailure(record, now: Int64(second))
            #expect(!throttle.isBlocked(record, now: Int64(second)))
        }
        record = throttle.recordingFailure(record, now: 10)
        #expect(throttle.isBlocked(record, now: 10))
        #expect(throttle.isBlocked(record, now: 609))
        #expect(!throttle.isBlocked(record, now: 610))
        let fresh = throttle.recordingFailure(record, now: 700)
        #expect(fresh.failures == 1 && !throttle.isBlocked(fresh, now: 700))
    }
}
