import Foundation
import SwitchboardCore
import Testing

/// The pure rules of realtime delivery: the WebSocket text protocol, idleness, resume points,
/// audiences, webhook fields and the 30031 payload.
struct EventRulesTests {
    func decode(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test func parsesTheWebSocketCommands() {
        #expect(RealtimeCommand.parse("heartbeat", decodeJSON: decode) == .heartbeat)
        #expect(RealtimeCommand.parse(" heartbeat\n", decodeJSON: decode) == .heartbeat)
        #expect(RealtimeCommand.parse(#"{"topic_list":[30031,30032,30031]}"#, decodeJSON: decode) == .subscribe([30031, 30032]))
        #expect(RealtimeCommand.parse(#"{"topic_list":[]}"#, decodeJSON: decode) == .subscribe([]))
        guard case .invalid(let syntax) = RealtimeCommand.parse("hello", decodeJSON: decode) else { Issue.record(); return }
        #expect(syntax.code == .parameterSyntaxError)
        guard case .invalid(let missing) = RealtimeCommand.parse(#"{"topics":[1]}"#, decodeJSON: decode) else { Issue.record(); return }
        #expect(missing.code == .parameterError && missing.invalidParams.map(\.field) == ["topic_list"])
        guard case .invalid(let wrong) = RealtimeCommand.parse(#"{"topic_list":["x"]}"#, decodeJSON: decode) else { Issue.record(); return }
        #expect(wrong.code == .parameterError)
        #expect(RealtimeCommand.subscribed == #"{"errcode":0,"errmsg":"SUCCESS"}"#)
    }

    @Test func idleAfterSixtySecondsWithoutClientTraffic() {
        let policy = IdlePolicy()
        #expect(!policy.isIdle(lastActivity: 1000, now: 1059))
        #expect(policy.isIdle(lastActivity: 1000, now: 1060))
    }

    @Test func resumePoints() {
        #expect(ResumePoint.resolve(lastSeq: nil, head: 40) == ResumePoint(after: 40, reset: false))
        #expect(ResumePoint.resolve(lastSeq: 12, head: 40) == ResumePoint(after: 12, reset: false))
        #expect(ResumePoint.resolve(lastSeq: 40, head: 40) == ResumePoint(after: 40, reset: false))
        #expect(ResumePoint.resolve(lastSeq: 99, head: 40) == ResumePoint(after: 40, reset: true))
        // Retention pruned through seq 20: a client at 19 may have missed pruned events; at 20 it has not.
        #expect(ResumePoint.resolve(lastSeq: 19, head: 40, prunedThrough: 20) == ResumePoint(after: 40, reset: true))
        #expect(ResumePoint.resolve(lastSeq: 20, head: 40, prunedThrough: 20) == ResumePoint(after: 20, reset: false))
    }

    @Test func audiences() {
        #expect(EventAudience.encode([1, 4]) == ",1,4,")
        #expect(EventAudience.encode([]) == "")
        #expect(EventAudience.allows("", agent: 7))
        #expect(EventAudience.allows(",1,4,", agent: 4))
        #expect(!EventAudience.allows(",1,14,", agent: 4))
    }

    @Test func webhookSelections() {
        #expect(EventSelection.matches("", type: 30031))
        #expect(EventSelection.matches("", type: 30030))
        #expect(!EventSelection.matches("", type: 39003))
        #expect(EventSelection.matches(",39003,", type: 39003))
        #expect(!EventSelection.matches(",30032,", type: 30031))
        #expect(EventSelection.decode(EventSelection.encode([30031, 39001])) == [30031, 39001])
    }

    @Test func webhookFields() throws {
        var reader = FieldReader(["url": "https://crm.example.com/hook?x=1", "method": "get", "event_list": [30031, 30031, 30032], "enabled": 0])
        let fields = EventWebhookFields.read(&reader, creating: true)
        try reader.finish()
        #expect(fields == EventWebhookFields(url: "https://crm.example.com/hook?x=1", method: .get, events: [30031, 30032], enabled: false))

        var bad = FieldReader(["url": "ftp://example.com", "method": "PUT", "event_list": [12345]])
        _ = EventWebhookFields.read(&bad, creating: true)
        #expect(Set(bad.issues.map(\.field)) == ["url", "method", "event_list"])

        var missing = FieldReader([:])
        _ = EventWebhookFields.read(&missing, creating: true)
        #expect(missing.issues.map(\.field) == ["url"])
        #expect(EventWebhookFields.isReceiverURL("http://10.0.0.5:8080/events"))
        #expect(EventWebhookFields.isReceiverURL("https://user@[::1]:8443/"))
        #expect(!EventWebhookFields.isReceiverURL("https:///nohost"))
        #expect(!EventWebhookFields.isReceiverURL("https://exa mple.com/"))
    }

    @Test func envelopeCarriesMsgAsAJSONString() throws {
        let text = EventEnvelope.render(type: 30032, serial: "3631B0816581", message: ["session_id": 3, "msg_id": 9])
        #expect(text == #"{"type":30032,"sn":"3631B0816581","msg":"{\"session_id\":3,\"msg_id\":9}"}"#)
    }

    @Test func newMessageNotificationAddsSessionChannelAndCustomer() {
        let record: JSONObject = ["session_id": 3, "msg_id": 9, "msg_body": "hi"]
        let session = NotificationSession(
            channelID: 2, channelType: "sms", channelName: "Main", didNumber: "+15550001111", customer: "+15557654321",
            customerName: "", customerType: 2)
        let payload = NewMessageNotification.payload(record: record, session: session)
        #expect(payload["msg_body"] == "hi")
        #expect(payload["channel_id"] == 2)
        #expect(payload["channel_type"] == "sms")
        #expect(payload["channel_name"] == "Main")
        #expect(payload["did_number"] == "+15550001111")
        #expect(payload["customer"] == ["user_id": 0, "user_no": "+15557654321", "user_type": 2, "avatar": "", "username": "+15557654321"])
        #expect(NewMessageNotification.payload(record: record, session: nil) == record)
    }
}
