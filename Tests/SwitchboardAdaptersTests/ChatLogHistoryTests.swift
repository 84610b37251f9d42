import Foundation
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

@Suite("External chat logs: timeline, history and deletion")
struct ChatLogHistoryTests {
    typealias F = ChatLogFixture
    static let customer = GeneralChannelFixture.customer

    /// A real session: inbound to the queue, Bob picks it up and replies, transfers it to Ann, Ann closes it.
    static func liveSession(_ f: ChatLogFixture) async throws -> Int64 {
        let s = f.s
        try await s.inbound("Hi I need help, \"urgent\"")
        let session = try await s.latestSessionID()
        try await s.advance(by: 60)
        #expect(try await s.action("pickup", session, as: "2002").errcode == 0)
        #expect(try await s.send("Hi! How can I help you?", as: "2002", session: session).errcode == 0)
        let transfer = try await s.api.post("message_session/transfer", token: s.token, [
            "session_id": .int(session), "destination_type": "extension", "destination_id": .int(s.agents["2001"]!),
            "user_type": 1, "user_no": "2002",
        ])
        #expect(transfer.errcode == 0, "\(transfer.text)")
        try await s.advance(by: 60)
        #expect(try await s.action("close", session, as: "2001").errcode == 0)
        return session
    }

    @Test(arguments: TestEngines.available)
    func timelineAndHistoryShowWhoDidWhatAndWhen(engine: DatabaseEngine) async throws {
        try await F.with(engine) { f in
            let start = f.s.hub.clock.now()
            let session = try await Self.liveSession(f)
            let timeline = try await f.api.get("chat_log/timeline", token: f.token, ["id": String(session)])
            #expect(timeline.errcode == 0, "\(timeline.text)")
            let entries = timeline.json["list"]?.arrayValue ?? []
            #expect(entries.compactMap { $0["operation"]?.stringValue } == ["created", "picked_up", "transferred", "closed"])
            #expect(entries.compactMap { $0["description"]?.stringValue } == [
                "Received a message from \(Self.customer), and the session has been routed to Tech Support.",
                "Bob<2002> picked up the session from message queue Tech Support.",
                "Bob<2002> transferred the session to Ann<2001>.",
                "Ann<2001> closed the session.",
            ])
            #expect(entries.map { $0["time"] } == [.int(start), .int(start + 60), .int(start + 60), .int(start + 120)])

            let history = try await f.api.get("chat_log/history", token: f.token, ["id": String(session)])
            #expect(history.errcode == 0, "\(history.text)")
            #expect(history.int("total_number") == 5)
            let rows = history.json["list"]?.arrayValue ?? []
            let columns = rows.map { row in
                ["sender", "recipient", "message_type", "message_content"].map { row[$0]?.stringValue ?? "?" }
            }
            #expect(columns == [
                ["PBX System", "", "", "The session has been closed."],
                ["PBX System", "", "", "Bob transferred the session to Ann<2001>."],
                ["Bob<2002>", Self.customer, "Outbound", "Hi! How can I help you?"],
                ["PBX System", "", "", "Bob picked up the session from message queue Tech Support."],
                [Self.customer, "Ann<2001>", "Inbound", "Hi I need help, \"urgent\""],
            ])
            #expect(rows.map { $0["is_system"] } == [1, 1, 0, 1, 0])
            #expect(history.json["session"]?["session_status"] == "Closed")
            let paged = try await f.api.get("chat_log/history", token: f.token, ["id": String(session), "page": "2", "page_size": "2"])
            #expect(paged.json["list"]?.arrayValue?.compactMap { $0["message_type"]?.stringValue } == ["Outbound", ""])

            for path in ["chat_log/timeline", "chat_log/history"] {
                #expect(try await f.api.get(path, token: f.token, ["id": "999999"]).errcode == 60001)
                #expect(try await f.api.get(path, token: f.token, [:]).invalidFields == ["id"])
            }
        }
    }

    @Test(arguments: TestEngines.available)
    func deletingMessagesKeepsSystemMessagesAndIsAllOrNothing(engine: DatabaseEngine) async throws {
        try await F.with(engine) { f in
            let session = try await Self.liveSession(f)
            let ids = try await f.s.hub.hub.database.run { db in
                try await db.raw("SELECT id, direction FROM messages WHERE session_id = \(bind: session) ORDER BY id").all()
                    .map { (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "direction", as: String.self)) }
            }
            let inbound = ids.first { $0.1 == "in" }!.0
            let reply = ids.first { $0.1 == "out" }!.0
            let system = ids.first { $0.1 == "sys" }!.0
            let refused = try await f.api.get("chat_log/delete_messages", token: f.token, ["ids": "\(inbound),\(system)"])
            #expect(refused.errcode == 70084)
            #expect(refused.json["errdetail"] == "messages sent by the system cannot be deleted")
            #expect(refused.json["invalid_param_list"]?.arrayValue?.first?["value"] == .string(String(system)))
            #expect(try await f.count("SELECT COUNT(*) AS n FROM messages WHERE session_id = \(bind: session)") == 5, "nothing deleted")
            let missing = try await f.api.get("chat_log/delete_messages", token: f.token, ["ids": "\(inbound),999999"])
            #expect(missing.errcode == 60001)
            #expect(try await f.count("SELECT COUNT(*) AS n FROM messages WHERE session_id = \(bind: session)") == 5)
            #expect(try await f.api.get("chat_log/delete_messages", token: f.token, ["ids": "a,b"]).invalidFields == ["ids"])

            let deleted = try await f.api.get("chat_log/delete_messages", token: f.token, ["ids": "\(inbound),\(reply)"])
            #expect(deleted.errcode == 0, "\(deleted.text)")
            let history = try await f.api.get("chat_log/history", token: f.token, ["id": String(session)])
            #expect(history.int("total_number") == 3)
            #expect(history.json["list"]?.arrayValue?.allSatisfy { $0["is_system"] == 1 } == true)
            // A message without a session (a direct campaign message) is not a chat log message.
            let direct = try await f.directCampaignMessage("Spring sale")
            #expect(try await f.api.get("chat_log/delete_messages", token: f.token, ["ids": String(direct)]).errcode == 60001)
        }
    }

    @Test(arguments: TestEngines.available)
    func deletingSessionsRemovesTheirMessagesAndAgentsNoLongerSeeThem(engine: DatabaseEngine) async throws {
        try await F.with(engine) { f in
            let s = f.s
            try await s.inbound("first customer")
            let first = try await s.latestSessionID()
            try await s.inbound("second customer", from: "+15557654322")
            let second = try await s.latestSessionID()
            try await s.inbound("third customer", from: "+15557654323")
            let third = try await s.latestSessionID()
            #expect(try await s.listed(as: "2001").count == 3)

            let partial = try await f.api.get("chat_log/delete_sessions", token: f.token, ["ids": "\(first),999999"])
            #expect(partial.errcode == 60001)
            #expect(partial.json["invalid_param_list"]?.arrayValue?.first?["value"] == "999999")
            #expect(try await f.count("SELECT COUNT(*) AS n FROM sessions") == 3, "nothing deleted")

            let one = try await f.api.get("chat_log/delete_sessions", token: f.token, ["ids": String(third)])
            #expect(one.errcode == 0, "\(one.text)")
            let many = try await f.api.get("chat_log/delete_sessions", token: f.token, ["ids": "\(first),\(second)"])
            #expect(many.errcode == 0, "\(many.text)")
            #expect(try await f.search().ids == [])
            #expect(try await f.count("SELECT COUNT(*) AS n FROM messages") == 0)
            #expect(try await f.count("SELECT COUNT(*) AS n FROM session_operations") == 0)
            #expect(try await s.listed(as: "2001").isEmpty)
            #expect(try await s.listed(as: "2002").isEmpty)
            let get = try await f.api.get("message_session/get", token: f.token, ["id": String(first), "user_type": "1", "user_no": "2001"])
            #expect(get.errcode == 60001)
            // Agents' open clients are told.
            #expect(try await f.count("SELECT COUNT(*) AS n FROM events WHERE type = 39011 AND payload LIKE '%\"deleted\":1%'") == 3)
            #expect(try await f.api.get("chat_log/delete_sessions", token: f.token, ["ids": String(first)]).errcode == 60001)
        }
    }
}
