import Foundation
import Hummingbird
import HTTPTypes
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Synchronization
import Testing

@Suite("Agent sign-in for the web inbox, contacts and voice escalation")
struct SessionInboxTests {
    static func login(_ s: SessionFixture, _ number: String, _ password: String) async throws -> OpenAPIClient.Answer {
        try await s.api.call(.post, "/api/inbox/login", body: (["extension": .string(number), "password": .string(password)] as JSONValue).serialized())
    }

    static func cookieHeaders(_ cookie: String) -> HTTPFields {
        [.contentType: "application/json", .cookie: cookie]
    }

    @Test(arguments: TestEngines.available)
    func signedInAgentsUseTheSameEndpointsAsThemselves(engine: DatabaseEngine) async throws {
        try await SessionFixture.with(engine, mode: .manual, passwords: true) { s in
            try await s.inbound("hello queue")
            let session = try await s.latestSessionID()
            let wrong = try await Self.login(s, "2001", "not-the-password")
            #expect(wrong.errcode == -1 && wrong.headers[.setCookie] == nil)
            let answer = try await Self.login(s, "2001", SessionFixture.password)
            #expect(answer.errcode == 0, "\(answer.text)")
            let setCookie = try #require(answer.headers[.setCookie])
            for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] { #expect(setCookie.contains(attribute)) }
            let cookie = String(setCookie.split(separator: ";")[0])
            let token = String(cookie.dropFirst("sb_inbox=".count))
            #expect(try await s.f.scalar("SELECT COUNT(*) AS n FROM inbox_sessions WHERE token_hash = \(bind: RandomToken.sha256Hex(token))") == 1)
            #expect(try await s.f.scalar("SELECT COUNT(*) AS n FROM inbox_sessions WHERE token_hash = \(bind: token)") == 0)

            // `user_no` is forced to the signed-in agent whatever the request says.
            let list = try await s.api.call(.get, "/api/inbox/message_session/list", query: ["page_size": "10", "user_type": "1", "user_no": "3001"], headers: Self.cookieHeaders(cookie))
            #expect(list.errcode == 0, "\(list.text)")
            #expect(list.json["list"]?.arrayValue?.count == 1)
            let pickup = try await s.api.call(.post, "/api/inbox/message_session/pickup", body: #"{"session_id":\#(session)}"#, headers: Self.cookieHeaders(cookie))
            #expect(pickup.errcode == 0, "\(pickup.text)")
            #expect(try await s.owner(session) == s.agents["2001"])
            let send = try await s.api.call(
                .post, "/api/inbox/message/send", body: #"{"session_id":\#(session),"sender_type":1,"sender_no":"2002","msg_body":"hi"}"#,
                headers: Self.cookieHeaders(cookie))
            #expect(send.errcode == 0, "\(send.text)")
            #expect(try await s.f.scalar("SELECT COUNT(*) AS n FROM messages WHERE sender_no = '2001' AND body = 'hi'") == 1)
            let read = try await s.api.call(.get, "/api/inbox/message/get", query: ["page_size": "5", "id": String(session)], headers: Self.cookieHeaders(cookie))
            #expect(read.json["data"]?["records"]?.arrayValue?.count == 3)

            #expect(try await s.api.call(.get, "/api/inbox/message_session/list", query: ["page_size": "10"]).errcode == 10004)
            #expect(try await s.api.call(.get, "/api/inbox/message_session/list", query: ["page_size": "10"], headers: Self.cookieHeaders("sb_inbox=forged")).errcode == 10004)
            let logout = try await s.api.call(.post, "/api/inbox/logout", headers: Self.cookieHeaders(cookie))
            #expect(logout.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await s.api.call(.get, "/api/inbox/message_session/list", query: ["page_size": "10"], headers: Self.cookieHeaders(cookie)).errcode == 10004)
        }
    }

    @Test func unreadCountsFollowWhatTheAgentRead() async throws {
        try await SessionFixture.with(.sqlite) { s in
            try await s.inbound("one")
            try await s.inbound("two")
            let session = try await s.latestSessionID()
            func unread() async throws -> JSONValue? {
                try await s.api.get("message_session/list", token: s.token, ["page_size": "5", "user_type": "1", "user_no": "1001"]).json["list"]?.arrayValue?.first?["unread_count"]
            }
            #expect(try await unread() == 2)
            _ = try await s.api.get("message/get", token: s.token, ["id": String(session), "page_size": "5", "user_type": "1", "user_no": "1001"])
            #expect(try await unread() == 0)
            try await s.inbound("three")
            #expect(try await unread() == 1)
        }
    }

    @Test func customersAreAddedToNewOrExistingContacts() async throws {
        try await SessionFixture.with(.sqlite) { s in
            try await s.inbound("hello")
            let session = try await s.latestSessionID()
            let created = try await s.api.post("message_session/add_contact", token: s.token, [
                "session_id": .int(session), "user_type": 1, "user_no": "1001", "first_name": "Jim", "company": "ACME",
            ])
            let contactID = try #require(created.int("id"), "\(created.text)")
            let contact = try await s.api.get("company_contact/get", token: s.token, ["id": String(contactID)])
            #expect(contact.json["data"]?["mobile_number"] == .string(GeneralChannelFixture.customer))
            #expect(contact.json["data"]?["first_name"] == "Jim")
            let existing = try await s.api.post("company_contact/create", token: s.token, ["first_name": "Ann", "mobile_number": "+15551112222"])
            let existingID = try #require(existing.int("id"))
            let merged = try await s.api.post("message_session/add_contact", token: s.token, ["session_id": .int(session), "contact_id": .int(existingID)])
            #expect(merged.errcode == 0 && merged.int("id") == existingID)
            let after = try await s.api.get("company_contact/get", token: s.token, ["id": String(existingID)])
            #expect(after.json["data"]?["mobile_number"] == "+15551112222")
            #expect(after.json["data"]?["mobile_number2"] == .string(GeneralChannelFixture.customer))
            let stranger = try await s.api.post("message_session/add_contact", token: s.token, [
                "session_id": .int(session), "user_type": 1, "user_no": "3001", "first_name": "X",
            ])
            #expect(stranger.errcode == 10005)
            #expect(try await s.api.post("message_session/add_contact", token: s.token, ["session_id": .int(session), "contact_id": 999_999]).errcode == 70128)
        }
    }

    @Test func voiceEscalationCallsTheHookOrOffersATelLink() async throws {
        let calls = Mutex<[String]>([])
        let router = Router()
        router.post("dial") { request, _ -> HTTPResponse.Status in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 16)
            calls.withLock { $0.append(String(buffer: body)) }
            return .ok
        }
        let hook = try await FakeServer.start(router)
        defer { Task { await hook.stop() } }
        try await SessionFixture.with(.sqlite) { s in
            try await s.inbound("please call me")
            let session = try await s.latestSessionID()
            let call: JSONValue = ["session_id": .int(session), "user_type": 1, "user_no": "1001"]
            let tel = try await s.api.post("message_session/call", token: s.token, call)
            #expect(tel.json["method"] == "tel" && tel.json["tel_uri"] == .string("tel:" + GeneralChannelFixture.customer))
            #expect(try await s.api.post("message_session/call_settings", token: s.token, ["click_to_call_url": "ftp://x"]).errcode == 40002)
            let set = try await s.api.post("message_session/call_settings", token: s.token, ["click_to_call_url": .string(hook.baseURL + "/dial")])
            #expect(set.errcode == 0)
            let hooked = try await s.api.post("message_session/call", token: s.token, call)
            #expect(hooked.errcode == 0 && hooked.json["method"] == "hook", "\(hooked.text)")
            #expect(calls.withLock { $0 } == [#"{"extension":"1001","customer":"\#(GeneralChannelFixture.customer)"}"#])
            #expect(try await s.api.post("message_session/call", token: s.token, ["session_id": .int(session), "user_type": 1, "user_no": "3001"]).errcode == 10005)
        }
    }
}
