import SwitchboardCore
import Testing

@Suite("External chat log rules")
struct ChatLogRulesTests {
    static func session(creatorType: Int? = 2, owner: (String, String)? = nil, queue: String? = nil, closed: Bool = false) -> ChatLogSession {
        ChatLogSession(
            id: 7, createdAt: 1_726_000_000, lastActiveAt: 1_726_000_100, closedAt: closed ? 1_726_000_100 : nil, channelType: "facebook",
            channelNumber: "334079033132769", customer: "86153282118153", customerName: "Jim Lee", creatorType: creatorType,
            creatorNumber: creatorType == 1 ? "1002" : "86153282118153", creatorName: creatorType == 1 ? "Terrell Smith" : "Jim Lee",
            ownerName: owner?.0, ownerNumber: owner?.1, queueName: queue)
    }

    static func message(_ direction: String, senderType: Int, no: String = "", name: String = "", body: String = "x",
                        files: [(name: String, uri: String)] = [], template: String = "") -> ChatLogMessage {
        ChatLogMessage(id: 1, sessionID: 7, time: 0, direction: direction, senderType: senderType, senderNumber: no, senderName: name,
                       msgType: direction == "sys" ? 2 : 0, body: body, files: files, templateParam: template, deliveryStatus: 1)
    }

    @Test func filterReadsEveryCriterion() throws {
        var reader = FieldReader(query: [
            "start_time": "100", "end_time": "200", "sender": " Jim ", "recipient": "Queue", "channel_type": "livechat",
            "channel_number": "LC00000", "is_closed": "1", "session_id": "31",
        ])
        let filter = ChatLogFilter.read(&reader)
        try reader.finish()
        #expect(filter.startTime == 100 && filter.endTime == 200)
        #expect(filter.sender == "Jim" && filter.recipient == "Queue")
        #expect(filter.channelType == .livechat && filter.channelNumber == "LC00000")
        #expect(filter.closed == true && filter.sessionID == 31)

        var open = FieldReader(query: ["is_closed": "0"])
        #expect(ChatLogFilter.read(&open).closed == false)
        var none = FieldReader(query: [:])
        #expect(ChatLogFilter.read(&none) == ChatLogFilter())
    }

    @Test func filterCollectsEveryBadCriterion() {
        var reader = FieldReader(query: [
            "start_time": "-1", "end_time": "x", "channel_type": "fax", "is_closed": "5", "session_id": "0",
            "sender": String(repeating: "a", count: 128),
        ])
        _ = ChatLogFilter.read(&reader)
        #expect(Set(reader.issues.map(\.field)) == ["start_time", "end_time", "channel_type", "is_closed", "session_id", "sender"])
        var reversed = FieldReader(query: ["start_time": "200", "end_time": "100"])
        _ = ChatLogFilter.read(&reversed)
        #expect(reversed.issues == [ParamIssue(field: "end_time", validationType: "range")])
    }

    @Test func deleteIDsAreDistinctAndBounded() {
        var reader = FieldReader(query: ["ids": "3,5,3"])
        #expect(ChatLogIDs.read(&reader) == [3, 5])
        var many = FieldReader(query: ["ids": (1...1001).map(String.init).joined(separator: ",")])
        #expect(ChatLogIDs.read(&many) == nil)
        #expect(many.issues.map(\.validationType) == ["max_length"])
        var missing = FieldReader(query: [:])
        _ = ChatLogIDs.read(&missing)
        #expect(missing.issues.map(\.field) == ["ids"])
    }

    @Test func containsPatternEscapesWildcards() {
        #expect(ChatLogFilter.containsPattern("Ab") == "%ab%")
        #expect(ChatLogFilter.containsPattern("50%_x\\") == "%50\\%\\_x\\\\%")
    }

    @Test func labelsReadNameAndNumber() {
        #expect(ChatLogRules.label(name: "Leo Ball", number: "1000") == "Leo Ball<1000>")
        #expect(ChatLogRules.label(name: "", number: "+12 283") == "+12 283")
        #expect(ChatLogRules.label(name: "+1555", number: "+1555") == "+1555")
        #expect(ChatLogRules.label(name: "Website Visitor", number: "") == "Website Visitor")
    }

    @Test func sessionSenderAndRecipientFollowWhoStartedIt() {
        let toQueue = Self.session(queue: "QueueA", closed: true)
        #expect(toQueue.sender == "Jim Lee<86153282118153>")
        #expect(toQueue.recipient == "QueueA")
        #expect(Self.session(owner: ("Terrell Smith", "1002"), queue: "QueueA").recipient == "Terrell Smith<1002>", "the owner before the queue")
        #expect(Self.session().recipient == ChatLogRules.platformName)
        let started = Self.session(creatorType: 1, owner: ("Terrell Smith", "1002"))
        #expect(started.sender == "Terrell Smith<1002>")
        #expect(started.recipient == "Jim Lee<86153282118153>")
        #expect(Self.session(creatorType: nil).sender == "Jim Lee<86153282118153>", "no timeline: the customer's")
        let row = ChatLogRules.sessionRow(toQueue)
        #expect(row == ["7", "2024/09/10 20:26:40", "2024/09/10 20:28:20", "Jim Lee<86153282118153>", "QueueA", "Facebook Messenger",
                        "334079033132769", "Closed"])
        #expect(row.count == ChatLogRules.sessionColumns.count)
        #expect(ChatLogRules.sessionRow(toQueue, offset: { _ in 8 * 3600 })[1] == "2024/09/11 04:26:40")
    }

    @Test func messagesReadAsTheSeedsHistory() {
        let session = Self.session(owner: ("Leo Ball", "3000"))
        let system = Self.message("sys", senderType: 1, no: "3000", name: "Leo Ball", body: "The session has been closed.")
        #expect(system.isSystem)
        #expect(ChatLogRules.messageRow(system, in: session) == ["7", "1970/01/01 00:00:00", "PBX System", "", "", "The session has been closed."])
        let reply = Self.message("out", senderType: 1, no: "3000", name: "Leo Ball", body: "Hi! How can I help you?")
        #expect(!reply.isSystem)
        #expect([reply.sender(in: session), reply.recipient(in: session), reply.typeLabel] == ["Leo Ball<3000>", "Jim Lee<86153282118153>", "Outbound"])
        let inbound = Self.message("in", senderType: 4, no: "86153282118153", body: "Hi I need help")
        #expect([inbound.sender(in: session), inbound.recipient(in: session), inbound.typeLabel] == ["86153282118153", "Leo Ball<3000>", "Inbound"])
        let hubSent = Self.message("out", senderType: 0, name: "PBX System", body: "Chat closed")
        #expect(hubSent.isSystem, "what the hub sends itself cannot be deleted either")
        #expect(hubSent.sender(in: session) == "PBX System")
        let api = Self.message("out", senderType: 9, no: "api", name: "API")
        #expect(api.sender(in: session) == "API" && !api.isSystem)
        let rich = Self.message("out", senderType: 1, body: "See", files: [(name: "a.pdf", uri: "https://h/api/chat/1"), (name: "b.png", uri: "")],
                                template: "{\"template_name\":\"hello\"}")
        #expect(rich.content == "See\na.pdf (https://h/api/chat/1)\nb.png\n[WhatsApp template] {\"template_name\":\"hello\"}")
        #expect(ChatLogRules.messageColumns == ["Session ID", "Time", "Sender", "Recipient", "Message Type", "Message Content"])
    }

    @Test func timesAreFormattedAsTheSeedShowsThem() {
        #expect(ChatLogRules.formatTime(0) == "1970/01/01 00:00:00")
        #expect(ChatLogRules.formatTime(951_782_400) == "2000/02/29 00:00:00")
        #expect(ChatLogRules.formatTime(1_726_845_518) == "2024/09/20 15:18:38")
        #expect(ChatLogRules.formatTime(-1) == "1969/12/31 23:59:59")
        #expect(ChatLogRules.formatTime(1_726_845_518, offset: -4 * 3600) == "2024/09/20 11:18:38")
        #expect(ChatLogRules.channelTypeName("livechat") == "Live Chat")
        #expect(ChatLogRules.statusName(closed: false) == "Not Closed")
    }
}
