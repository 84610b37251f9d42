import Foundation
import HTTPTypes
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// The Live Chat widget's API over HTTP: origins, pre-chat form, greetings, the inbound path,
/// replies and the closed message, the visitor ending the chat, limits and office hours.
@Suite("Web: live chat widget API")
struct WebLiveChatAPITests {
    static let site = "https://shop.example.com"

    struct Fixture: Sendable {
        let hub: TestHub
        let api: OpenAPIClient
        let token: String
        let extensionID: Int64
        let channelID: Int64

        func widget(_ method: HTTPRequest.Method, _ path: String, _ body: JSONValue? = nil, visitor: String? = nil,
                    origin: String? = WebLiveChatAPITests.site, query: [String: String] = [:]) async throws -> OpenAPIClient.Answer {
            var headers: HTTPFields = [.contentType: "application/json"]
            if let origin { headers[.origin] = origin }
            if let visitor { headers[HTTPField.Name("X-Visitor-Token")!] = visitor }
            var q = query
            q["channelNumber"] = "LC00000"
            return try await api.call(method, "/api/livechat/" + path, query: q, body: body?.serialized(), headers: headers)
        }

        /// A new visitor's token.
        func visitor(_ name: String = "Alice") async throws -> String {
            let answer = try await widget(.post, "start", ["name": .string(name), "email": "v@example.com"])
            return try #require(answer.json["token"]?.stringValue, "\(answer.text)")
        }

        /// The visitor's messages (no waiting), as (from, text, msg_type).
        func seen(_ visitor: String) async throws -> [(String, String, Int64)] {
            let answer = try await widget(.get, "messages", visitor: visitor, query: ["after": "0", "wait": "0"])
            return (answer.json["list"]?.arrayValue ?? []).map { item in
                var type: Int64 = -1
                if case .int(let n)? = item["msg_type"] { type = n }
                return (item["from"]?.stringValue ?? "", item["text"]?.stringValue ?? "", type)
            }
        }

        func scalar(_ sql: SQLQueryString) async throws -> Int64 {
            try await hub.hub.database.run { db in try await db.raw(sql).first()?.decode(column: "n", as: Int64.self) ?? -1 }
        }

        func agentCookie() async throws -> String {
            let answer = try await api.call(.post, "/api/inbox/login", body: JSONValue.object(["extension": "1001", "password": "pw-123456"]).serialized())
            return String(try #require(answer.headers[.setCookie]).split(separator: ";")[0])
        }

        func inbox(_ path: String, _ body: JSONValue, cookie: String) async throws -> OpenAPIClient.Answer {
            try await api.call(.post, "/api/inbox/" + path, body: body.serialized(), headers: [.contentType: "application/json", .cookie: cookie])
        }
    }

    static func with(_ engine: DatabaseEngine, _ body: @escaping @Sendable (Fixture) async throws -> Void) async throws {
        try await TestHub.with(engine) { hub in
            try await hub.withClient { api in
                let token = try await api.token()
                let ext = try await api.post("extension/create", token: token, ["number": "1001", "first_name": "Leo", "user_password": "pw-123456"])
                let extensionID = try #require(ext.int("id"))
                let created = try await api.post("message_channel/createlivechat", token: token, [
                    "name": "Shop chat", "website_domain": "shop.example.com", "destination_type": "extension",
                    "destination_id": .string(String(extensionID)), "communication_method": 1, "message_type": 2,
                    "theme_mode": "light", "theme_color": "#336699", "enable_pre_chat_form": 1, "pre_chat_fields": ["name", "email"],
                    "first_msg_auto_reply": "Auto hello",
                ])
                let channelID = try #require(created.int("id"), "\(created.text)")
                try await body(Fixture(hub: hub, api: api, token: token, extensionID: extensionID, channelID: channelID))
            }
        }
    }

    @Test(arguments: TestEngines.available)
    func onlyTheChannelsWebsiteMayUseTheWidget(engine: DatabaseEngine) async throws {
        try await Self.with(engine) { f in
            for origin in [nil, "https://evil.example.net", "https://shop.example.com.evil.net"] as [String?] {
                let answer = try await f.widget(.get, "config", origin: origin)
                #expect(answer.status == .forbidden && answer.headers[.accessControlAllowOrigin] == nil)
            }
            let ok = try await f.widget(.get, "config")
            #expect(ok.errcode == 0 && ok.headers[.accessControlAllowOrigin] == Self.site)
            let preflight = try await f.widget(.options, "send")
            #expect(preflight.status == .noContent && preflight.headers[HTTPField.Name("Access-Control-Allow-Headers")!]?.contains("X-Visitor-Token") == true)
            let script = try await f.api.call(.get, "/live_chat.v1.0.0.js", query: ["channelNumber": "LC00000"])
            #expect(script.status == .ok && script.headers[.contentType]?.hasPrefix("text/javascript") == true && script.text.contains("/api/livechat/"))
        }
    }

    @Test(arguments: TestEngines.available)
    func greetingFollowsPresenceSignInAndOfficeHours(engine: DatabaseEngine) async throws {
        try await Self.with(engine) { f in
            let greeting = { try await f.widget(.get, "config").json["greeting"]?.stringValue }
            #expect(try await greeting() == "We are away, leave us a message!")  // the agent is not signed in
            let cookie = try await f.agentCookie()
            #expect(try await greeting() == "Hello! How can we help you?")
            #expect(try await f.inbox("presence", ["presence_status": "lunch_break"], cookie: cookie).errcode == 0)
            #expect(try await greeting() == "We are away, leave us a message!")
            let bad = try await f.inbox("presence", ["presence_status": "asleep"], cookie: cookie)
            #expect(bad.invalidFields == ["presence_status"])
            #expect(try await f.inbox("presence", ["presence_status": "available"], cookie: cookie).errcode == 0)
            // The test clock stands on 2026-01-01: a holiday makes it offline.
            let hours = try await f.api.post("message_channel/livechat_hours", token: f.token, [
                "id": .int(f.channelID), "hours": [["day": "thu", "start": "00:00", "end": "24:00"]], "holidays": ["2026-01-01"],
            ])
            #expect(hours.errcode == 0, "\(hours.text)")
            #expect(try await greeting() == "We are away, leave us a message!")
            let wrong = try await f.api.post("message_channel/livechat_hours", token: f.token, ["id": .int(f.channelID), "holidays": ["soon"]])
            #expect(wrong.invalidFields == ["holidays[0]"])
            let stored = try await f.api.get("message_channel/livechat_hours", token: f.token, ["id": String(f.channelID)])
            #expect(stored.json["data"]?["holidays"] == ["2026-01-01"])
        }
    }

    @Test(arguments: TestEngines.available)
    func visitorMessagesTakeTheInboundPathAndRepliesReachTheVisitor(engine: DatabaseEngine) async throws {
        try await Self.with(engine) { f in
            let missing = try await f.widget(.post, "start", ["name": "Al"])
            #expect(missing.invalidFields == ["email"])
            let start = try await f.widget(.post, "start", ["name": "Alice", "email": "alice@example.com"])
            let visitor = try #require(start.json["token"]?.stringValue)
            #expect(try await f.widget(.post, "send", ["text": "hi"], visitor: "forged").errcode == 10004)
            #expect(try await f.widget(.post, "send", ["text": "Where is my parcel?"], visitor: visitor).errcode == 0)
            #expect(try await f.scalar("SELECT owner_extension_id AS n FROM sessions WHERE channel_type = 'livechat'") == f.extensionID)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM events WHERE type = 39001") == 1)
            try await f.hub.hub.dispatcher.drainOnce()
            #expect(try await f.seen(visitor).map(\.1) == ["Where is my parcel?", "Auto hello"])
            #expect(try await f.widget(.post, "send", ["text": "hello?"], visitor: visitor).errcode == 0)
            try await f.hub.hub.dispatcher.drainOnce()
            #expect(try await f.seen(visitor).map(\.1) == ["Where is my parcel?", "Auto hello", "hello?"])  // one auto-response

            let cookie = try await f.agentCookie()
            let session = try await f.scalar("SELECT id AS n FROM sessions WHERE channel_type = 'livechat'")
            #expect(try await f.inbox("message/send", ["session_id": .int(session), "msg_body": "On its way!"], cookie: cookie).errcode == 0)
            try await f.hub.hub.dispatcher.drainOnce()
            #expect(try await f.seen(visitor).last?.1 == "On its way!")
            // Agents cannot start a Live Chat session.
            let startByAgent = try await f.inbox("message/send", ["channel": "livechat", "did_number": "LC00000", "to": "visitor-x", "msg_body": "hi"], cookie: cookie)
            #expect(startByAgent.errcode != 0)

            #expect(try await f.inbox("message_session/close", ["session_id": .int(session)], cookie: cookie).errcode == 0)
            try await f.hub.hub.dispatcher.drainOnce()
            let closing = try await f.seen(visitor).suffix(2).map { "\($0.0)|\($0.2)" }
            #expect(closing == ["system|2", "agent|0"])
            #expect(try await f.seen(visitor).last?.1 == "This chat session has ended. Please feel free to contact us if you have any further questions.")
            // The visitor writing again opens a new session.
            #expect(try await f.widget(.post, "send", ["text": "one more thing"], visitor: visitor).errcode == 0)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM sessions WHERE channel_type = 'livechat'") == 2)
        }
    }

    /// Twenty-five visitors write their first message at the same moment: twenty get a session,
    /// five the friendly refusal — never twenty-one.
    @Test(arguments: TestEngines.available)
    func concurrentFirstMessagesNeverOpenMoreThanTwentySessions(engine: DatabaseEngine) async throws {
        try await Self.with(engine) { f in
            var visitors: [String] = []
            for index in 0..<25 { visitors.append(try await f.visitor("V\(index)")) }
            let answers = try await withThrowingTaskGroup(of: Int64.self) { group in
                for visitor in visitors { group.addTask { try await f.widget(.post, "send", ["text": "hi"], visitor: visitor).errcode ?? -1 } }
                return try await group.reduce(into: [Int64]()) { $0.append($1) }
            }
            #expect(answers.filter { $0 == 0 }.count == LiveChatLimits.maxActiveSessions, "\(answers)")
            #expect(answers.filter { $0 == 60002 }.count == 5, "\(answers)")
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM sessions WHERE closed_at IS NULL") == 20)
        }
    }

    @Test(arguments: TestEngines.available)
    func visitorsEndChatsAndTwentyAreOpenAtMost(engine: DatabaseEngine) async throws {
        try await Self.with(engine) { f in
            let first = try await f.visitor()
            #expect(try await f.widget(.post, "send", ["text": "hi"], visitor: first).errcode == 0)
            #expect(try await f.widget(.post, "end", [:], visitor: first).errcode == 0)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM messages WHERE msg_type = 7 AND body = 'The session has been closed by visitor.'") == 1)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM sessions WHERE closed_at IS NOT NULL AND close_type = 7") == 1)

            for index in 0..<LiveChatLimits.maxActiveSessions {
                let visitor = try await f.visitor("V\(index)")
                #expect(try await f.widget(.post, "send", ["text": "hi"], visitor: visitor).errcode == 0)
            }
            let late = try await f.visitor("Late")
            let refused = try await f.widget(.post, "send", ["text": "hi"], visitor: late)
            #expect(refused.errcode == 60002 && refused.json["errdetail"]?.stringValue == LiveChatLimits.busyMessage)
            #expect(try await f.scalar("SELECT COUNT(*) AS n FROM sessions WHERE closed_at IS NULL") == 20)

            // Images: png/jpg/jpeg up to 10 MB.
            let png = try await f.api.call(.post, "/api/livechat/upload", query: ["channelNumber": "LC00000", "name": "a.png"], body: "PNGDATA",
                                           headers: [.origin: Self.site, HTTPField.Name("X-Visitor-Token")!: late, .contentType: "image/png"])
            #expect(png.errcode == 0 && png.json["file"]?["type"] == "image/png", "\(png.text)")
            let gif = try await f.api.call(.post, "/api/livechat/upload", query: ["channelNumber": "LC00000", "name": "a.gif"], body: "GIF",
                                           headers: [.origin: Self.site, HTTPField.Name("X-Visitor-Token")!: late, .contentType: "image/gif"])
            #expect(gif.invalidFields == ["file"])
        }
    }
}
