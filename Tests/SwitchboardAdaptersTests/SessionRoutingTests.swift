import Foundation
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

@Suite("Session routing, queue modes, transfer and close")
struct SessionRoutingTests {
    @Test(arguments: TestEngines.available)
    func manualPickupSharesTheSessionUntilOneAgentPicksItUp(engine: DatabaseEngine) async throws {
        try await SessionFixture.with(engine, mode: .manual) { s in
            try await s.inbound("Hi I need help")
            let session = try await s.latestSessionID()
            #expect(try await s.owner(session) == 0)
            #expect(try await s.listed(as: "2001") == [session])
            #expect(try await s.listed(as: "2002") == [session])
            #expect(try await s.listed(as: "3001").isEmpty)
            #expect(try await s.listed(as: "1001").isEmpty)
            #expect(try await s.send("Hello from Ann", as: "2001", session: session).errcode == 0)
            #expect(try await s.owner(session) == 0, "manual mode: replying does not pick up")
            #expect(try await s.action("pickup", session, as: "2002").errcode == 0)
            #expect(try await s.owner(session) == s.agents["2002"])
            #expect(try await s.listed(as: "2001").isEmpty)
            #expect(try await s.send("Ann again", as: "2001", session: session).errcode == 10005)
            #expect(try await s.send("Bob here", as: "2002", session: session).errcode == 0)
            #expect(try await s.messageTypes(session) == [0, 0, 5, 0])
            let timeline = try await s.api.get("message_session/timeline", token: s.token, ["id": String(session)])
            let entries = timeline.json["list"]?.arrayValue ?? []
            #expect(entries.compactMap { $0["operation"]?.stringValue } == ["created", "picked_up"])
            #expect(entries.first?["description"]?.stringValue == "Received a message from \(GeneralChannelFixture.customer), and the session has been routed to Tech Support.")
            #expect(entries.last?["description"]?.stringValue == "Bob<2002> picked up the session from message queue Tech Support.")
        }
    }

    @Test(arguments: TestEngines.available)
    func autoPickupGivesTheSessionToTheFirstAgentWhoReplies(engine: DatabaseEngine) async throws {
        try await SessionFixture.with(engine, mode: .auto) { s in
            try await s.inbound("hello")
            let session = try await s.latestSessionID()
            #expect(try await s.listed(as: "2002") == [session])
            let reply = try await s.send("I'll take it", as: "2001", session: session)
            #expect(reply.errcode == 0, "\(reply.text)")
            #expect(try await s.owner(session) == s.agents["2001"])
            #expect(try await s.listed(as: "2002").isEmpty)
            #expect(try await s.action("pickup", session, as: "2002").errcode == 70084)
            #expect(try await s.send("me too", as: "2002", session: session).errcode == 10005)
            #expect(try await s.messageTypes(session) == [0, 5, 0])
            // Follow-up messages reach only the owner.
            try await s.inbound("thanks")
            #expect(try await s.listed(as: "2001") == [session])
            #expect(try await s.listed(as: "2002").isEmpty)
        }
    }

    @Test func autoPickupAlsoAllowsPickUp() async throws {
        try await SessionFixture.with(.sqlite, mode: .auto) { s in
            try await s.inbound("hello")
            let session = try await s.latestSessionID()
            #expect(try await s.action("pickup", session, as: "2002").errcode == 0)
            #expect(try await s.owner(session) == s.agents["2002"])
        }
    }

    @Test(arguments: TestEngines.available)
    func disablePickupLetsEveryAgentReplyAndNobodyPickUp(engine: DatabaseEngine) async throws {
        try await SessionFixture.with(engine, mode: AssignmentMode.none) { s in
            try await s.inbound("hello")
            let session = try await s.latestSessionID()
            #expect(try await s.send("from Ann", as: "2001", session: session).errcode == 0)
            #expect(try await s.send("from Bob", as: "2002", session: session).errcode == 0)
            #expect(try await s.action("pickup", session, as: "2001").errcode == 70084)
            #expect(try await s.owner(session) == 0)
            #expect(try await s.listed(as: "2001") == [session])
            #expect(try await s.listed(as: "2002") == [session])
            #expect(try await s.send("stranger", as: "3001", session: session).errcode == 10005)
        }
    }

    @Test(arguments: TestEngines.available)
    func transfersMoveTheSessionWithItsHistory(engine: DatabaseEngine) async throws {
        try await SessionFixture.with(engine, mode: .manual) { s in
            try await s.inbound("Hi I need help")
            let session = try await s.latestSessionID()
            #expect(try await s.action("pickup", session, as: "2001").errcode == 0)
            let toExtension = try await s.api.post("message_session/transfer", token: s.token, [
                "session_id": .int(session), "destination_type": "extension", "destination_id": .int(s.agents["1001"]!),
                "user_type": 1, "user_no": "2001",
            ])
            #expect(toExtension.errcode == 0, "\(toExtension.text)")
            #expect(try await s.owner(session) == s.agents["1001"])
            #expect(try await s.listed(as: "2001").isEmpty)
            #expect(try await s.listed(as: "1001") == [session])
            // The reference's own shape: no user fields, the OpenAPI client acts.
            let toPlatform = try await s.api.post("message_session/transfer", token: s.token, ["session_id": .int(session), "destination_type": "api"])
            #expect(toPlatform.errcode == 0, "\(toPlatform.text)")
            #expect(try await s.listed(as: "1001").isEmpty)
            let platformList = try await s.api.get("message_session/list", token: s.token, ["page_size": "10", "user_type": "9", "user_no": "api"])
            #expect(platformList.json["list"]?.arrayValue?.count == 1)
            let back = try await s.api.post("message_session/transfer", token: s.token, [
                "session_id": .int(session), "destination_type": "queue", "destination_id": .int(s.queueID!),
            ])
            #expect(back.errcode == 0)
            #expect(try await s.listed(as: "2002") == [session])
            let again = try await s.api.post("message_session/transfer", token: s.token, [
                "session_id": .int(session), "destination_type": "queue", "destination_id": .int(s.queueID!),
            ])
            #expect(again.errcode == 70084)
            let missing = try await s.api.post("message_session/transfer", token: s.token, [
                "session_id": .int(session), "destination_type": "extension", "destination_id": 999_999,
            ])
            #expect(missing.errcode == 40002 && missing.invalidFields == ["destination_id"])
            #expect(try await s.messageTypes(session) == [0, 5, 1, 1, 6])
            let history = try await s.api.get("message/get", token: s.token, ["id": String(session), "page_size": "10"])
            let records = history.json["data"]?["records"]?.arrayValue ?? []
            #expect(records.last?["msg_body"]?.stringValue == "Hi I need help")
            let param = records.first?["param"]?.stringValue ?? ""
            #expect(param.contains("\"to_name\":\"Tech Support\""))
            let timeline = try await s.api.get("message_session/timeline", token: s.token, ["id": String(session)])
            #expect(timeline.json["list"]?.arrayValue?.compactMap { $0["operation"]?.stringValue }
                == ["created", "picked_up", "transferred", "transferred", "transferred"])
        }
    }

    @Test(arguments: TestEngines.available)
    func closingStopsSendingAndTheNextMessageOpensANewSession(engine: DatabaseEngine) async throws {
        try await SessionFixture.with(engine) { s in
            try await s.inbound("first")
            let first = try await s.latestSessionID()
            #expect(try await s.owner(first) == s.agents["1001"])
            #expect(try await s.action("close", first, as: "1001").errcode == 0)
            #expect(try await s.action("close", first, as: "1001").errcode == 70084)
            #expect(try await s.send("too late", as: "1001", session: first).errcode == 70084)
            let detail = try await s.api.get("message_session/get", token: s.token, ["id": String(first)])
            #expect(detail.json["list"]?["is_close"] == 1 && detail.json["list"]?["close_type"] == 2)
            #expect(try await s.messageTypes(first) == [0, 2])
            try await s.inbound("second")
            let second = try await s.latestSessionID()
            #expect(second != first)
            #expect(try await s.messageTypes(second) == [0])
            #expect(try await s.listed(as: "1001", ["is_closed": "1"]) == [first])
            #expect(try await s.listed(as: "1001", ["is_closed": "0"]) == [second])
        }
    }

    @Test(arguments: TestEngines.available)
    func idleSessionsCloseAutomaticallyAfterTheChannelTimeout(engine: DatabaseEngine) async throws {
        try await SessionFixture.with(engine) { s in
            let update = try await s.api.post("message_channel/update", token: s.token, [
                "id": .int(s.f.channelID), "auto_close_session": 1, "session_expired_time": 1,
            ])
            #expect(update.errcode == 0, "\(update.text)")
            let closer = AutoCloser(database: s.hub.hub.database, clock: s.hub.clock, logger: s.hub.hub.logger)
            try await s.inbound("hello")
            let session = try await s.latestSessionID()
            s.hub.clock.advance(by: 86_399)
            #expect(try await closer.closeExpired() == 0)
            try await s.inbound("still here")  // activity restarts the timeout
            s.hub.clock.advance(by: 86_399)
            #expect(try await closer.closeExpired() == 0)
            s.hub.clock.advance(by: 1)
            #expect(try await closer.closeExpired() == 1)
            #expect(try await closer.closeExpired() == 0)
            #expect(try await s.messageTypes(session) == [0, 0, 3])
            #expect(try await s.f.scalar("SELECT close_type AS n FROM sessions WHERE id = \(bind: session)") == 3)
            #expect(try await s.f.scalar("SELECT COUNT(*) AS n FROM session_operations WHERE session_id = \(bind: session) AND operation = 'closed'") == 1)
        }
    }

    @Test func channelsWithoutAutoCloseKeepSessionsOpen() async throws {
        try await SessionFixture.with(.sqlite) { s in
            let closer = AutoCloser(database: s.hub.hub.database, clock: s.hub.clock, logger: s.hub.hub.logger)
            try await s.inbound("hello")
            s.hub.clock.advance(by: 30 * 86_400)
            #expect(try await closer.closeExpired() == 0)
        }
    }

    @Test func liveChatSessionsCloseInTheChannelUnitAndTellTheVisitor() async throws {
        try await SessionFixture.with(.sqlite) { s in
            let created = try await s.api.post("message_channel/createlivechat", token: s.token, [
                "name": "LiveChat", "website_domain": "www.example.com", "communication_method": 1, "destination_type": "extension",
                "destination_id": .int(s.agents["1001"]!), "message_type": 1, "auto_close_session": 1, "session_expired_time": 30,
                "session_expired_unit": "minute", "theme_mode": "light", "theme_color": "#1A2B3C",
            ])
            let channelID = try #require(created.int("id"), "\(created.text)")
            // The visitor side is not part of this issue: open the visitor's session as the widget will.
            let owner = s.agents["1001"]!, now = s.hub.clock.now()
            let session = try await s.hub.hub.database.transaction { db in
                try await SessionStore.openSession(
                    db, account: ChannelAccount(channelID: channelID, provider: "livechat", type: "livechat", credentials: [:]),
                    numberID: nil, did: "LC00000", customer: "visitor-1", customerName: "Website Visitor",
                    route: SessionRoute(destinationType: "extension", destinationID: owner), now: now).id
            }
            let closer = AutoCloser(database: s.hub.hub.database, clock: s.hub.clock, logger: s.hub.hub.logger)
            s.hub.clock.advance(by: 29 * 60)
            #expect(try await closer.closeExpired() == 0)
            s.hub.clock.advance(by: 60)
            #expect(try await closer.closeExpired() == 1)
            #expect(try await s.messageTypes(session) == [3, 0])
            let farewell = "This chat session has ended. Please feel free to contact us if you have any further questions."
            #expect(try await s.f.scalar("""
                SELECT COUNT(*) AS n FROM messages m JOIN outbox o ON o.message_id = m.id
                WHERE m.session_id = \(bind: session) AND m.direction = 'out' AND m.recipient = 'visitor-1' AND m.body = \(bind: farewell)
                """) == 1)
        }
    }
}
