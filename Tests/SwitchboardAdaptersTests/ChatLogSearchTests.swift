import Foundation
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

@Suite("External chat logs: search")
struct ChatLogSearchTests {
    typealias F = ChatLogFixture

    /// A: SMS from Jim Lee to the queue, closed. B: WhatsApp owned by Ann. C: Messenger that Leo
    /// Ball started with Zoë. D: Live Chat on the platform, closed. Plus a direct campaign message.
    struct Seeded {
        var a: Int64, b: Int64, c: Int64, d: Int64
    }

    static func seed(_ f: ChatLogFixture) async throws -> Seeded {
        let t0 = F.t0
        let a = try await f.seed(customer: "+15551230001", customerName: "Jim Lee", queue: true, closed: true, created: t0, lastActive: t0 + 100,
                                 messages: [.inbound("hi", from: "+15551230001", name: "Jim Lee")]).session
        let b = try await f.seed(type: "whatsapp", did: "+15550002222", customer: "+15551230002", owner: "2001", created: t0 + 1000, lastActive: t0 + 5000,
                                 messages: [.inbound("hello", from: "+15551230002")]).session
        let c = try await f.seed(type: "facebook", did: "334079033132769", customer: "6543", customerName: "Zoë 😀",
                                 creator: .agent(number: "1001", name: "Leo Ball"), owner: "1001", created: t0 + 2500, lastActive: t0 + 3000,
                                 messages: [.reply("Hi Zoë", agent: "1001", name: "Leo Ball")]).session
        let d = try await f.seed(type: "livechat", did: "LC00000", customer: "visitor-1", customerName: "Website Visitor", closed: true,
                                 created: t0 + 1500, lastActive: t0 + 2000, messages: [.inbound("chat", from: "visitor-1", name: "Website Visitor")]).session
        try await f.directCampaignMessage("Spring sale")
        return Seeded(a: a, b: b, c: c, d: d)
    }

    @Test(arguments: TestEngines.available)
    func everyCriterionFiltersAndRowsReadAsTheSeedShows(engine: DatabaseEngine) async throws {
        try await F.with(engine) { f in
            let x = try await Self.seed(f)
            let all = try await f.search()
            #expect(all.answer.errcode == 0, "\(all.answer.text)")
            #expect(all.ids == [x.b, x.c, x.d, x.a], "newest activity first")
            #expect(all.answer.int("total_number") == 4)

            var rows: [Int64: JSONValue] = [:]
            for row in all.answer.json["list"]?.arrayValue ?? [] {
                if case .int(let id)? = row["session_id"] { rows[id] = row }
            }
            #expect(rows[x.a]?["sender"] == "Jim Lee<+15551230001>")
            #expect(rows[x.a]?["recipient"] == "Tech Support")
            #expect(rows[x.a]?["channel_type_name"] == "SMS")
            #expect(rows[x.a]?["channel_number"] == .string(GeneralChannelFixture.did))
            #expect(rows[x.a]?["session_status"] == "Closed")
            #expect(rows[x.a]?["is_closed"] == 1)
            #expect(rows[x.a]?["created_at"] == .int(F.t0))
            #expect(rows[x.a]?["last_active_at"] == .int(F.t0 + 100))
            #expect(rows[x.b]?["sender"] == "+15551230002")
            #expect(rows[x.b]?["recipient"] == "Ann<2001>")
            #expect(rows[x.b]?["session_status"] == "Not Closed")
            #expect(rows[x.c]?["sender"] == "Leo Ball<1001>")
            #expect(rows[x.c]?["recipient"] == "Zoë 😀<6543>")
            #expect(rows[x.c]?["channel_type_name"] == "Facebook Messenger")
            #expect(rows[x.d]?["sender"] == "Website Visitor<visitor-1>")
            #expect(rows[x.d]?["recipient"] == .string(ChatLogRules.platformName))
            #expect(rows[x.d]?["channel_type_name"] == "Live Chat")

            // Time: sessions active in the range (created before its end, last active after its start).
            #expect(try await f.search(["start_time": String(F.t0 + 2000), "end_time": String(F.t0 + 2600)]).ids == [x.b, x.c, x.d])
            #expect(try await f.search(["start_time": String(F.t0 + 2001)]).ids == [x.b, x.c])
            #expect(try await f.search(["end_time": String(F.t0 + 999)]).ids == [x.a])
            // Sender and recipient: any part, any case, as shown.
            #expect(try await f.search(["sender": "jim"]).ids == [x.a])
            #expect(try await f.search(["sender": "Leo Ball<1001>"]).ids == [x.c])
            #expect(try await f.search(["sender": "+1555123"]).ids == [x.b, x.a])
            #expect(try await f.search(["sender": "%"]).ids == [], "LIKE wildcards are matched literally")
            #expect(try await f.search(["recipient": "tech support"]).ids == [x.a])
            #expect(try await f.search(["recipient": "ann"]).ids == [x.b])
            #expect(try await f.search(["recipient": "Zo"]).ids == [x.c])
            #expect(try await f.search(["recipient": "third-party"]).ids == [x.d])
            // Channel type, channel number, status, session ID.
            #expect(try await f.search(["channel_type": "whatsapp"]).ids == [x.b])
            #expect(try await f.search(["channel_number": "LC00000"]).ids == [x.d])
            #expect(try await f.search(["is_closed": "1"]).ids == [x.d, x.a])
            #expect(try await f.search(["is_closed": "0"]).ids == [x.b, x.c])
            #expect(try await f.search(["is_closed": "2"]).ids.count == 4)
            #expect(try await f.search(["session_id": String(x.c)]).ids == [x.c])
            // Criteria combine.
            #expect(try await f.search(["is_closed": "1", "channel_type": "sms", "sender": "lee"]).ids == [x.a])
            #expect(try await f.search(["is_closed": "0", "channel_type": "sms"]).ids == [])
            // Paging.
            let second = try await f.search(["page": "2", "page_size": "3"])
            #expect(second.ids == [x.a])
            #expect(second.answer.int("total_number") == 4)
            let filteredTotal = try await f.search(["is_closed": "1", "page_size": "1"])
            #expect(filteredTotal.ids == [x.d])
            #expect(filteredTotal.answer.int("total_number") == 2)
        }
    }

    @Test func badCriteriaAreRejectedTogether() async throws {
        try await F.with(.sqlite) { f in
            let answer = try await f.search([
                "channel_type": "fax", "start_time": "200", "end_time": "100", "is_closed": "3", "session_id": "x", "page_size": "5000",
            ]).answer
            #expect(answer.errcode == 40002)
            #expect(Set(answer.invalidFields) == ["channel_type", "end_time", "is_closed", "session_id", "page_size"])
            let empty = try await f.search(["channel_type": "", "sender": "", "start_time": ""])
            #expect(empty.answer.errcode == 0, "empty criteria mean all")
        }
    }
}
