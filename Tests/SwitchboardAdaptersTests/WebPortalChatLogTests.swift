import Foundation
import HTTPTypes
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// The chat log through the portal bridge (`/portal/api/chat_log/*`): the admin cookie and the
/// CSRF token guard it like every portal call, answers are the OpenAPI's own, and the download
/// streams its ZIP through the bridge.
@Suite("Web: chat logs through the portal bridge")
struct WebPortalChatLogTests {
    typealias F = ChatLogFixture

    /// `GET /portal/api/chat_log/download` as raw bytes.
    static func download(_ api: OpenAPIClient, _ query: String, cookie: String, csrf: String?) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: Data) {
        var headers: HTTPFields = [.cookie: cookie]
        if let csrf { headers[PortalAPIMiddleware.csrfHeader] = csrf }
        let response = try await api.client.executeRequest(uri: "/portal/api/chat_log/download?" + query, method: .get, headers: headers, body: nil)
        return (response.status, response.headers, Data(response.body.readableBytesView))
    }

    @Test(arguments: TestEngines.available)
    func searchHistoryDeletionsAndTheDownloadWorkWithTheAdminCookie(engine: DatabaseEngine) async throws {
        try await F.with(engine) { f in
            let t0 = F.t0
            var withFile = ChatLogFixture.Message.reply("Your invoice", agent: "2001", name: "Ann")
            withFile.files = #"[{"id":"","name":"invoice.pdf","uri":"https://hub.example.test/api/chat/abc","type":"application/pdf","size":10}]"#
            let a = try await f.seed(customer: "+15551230001", customerName: "Jim Lee", queue: true, closed: true, created: t0, lastActive: t0 + 100,
                                     messages: [.inbound("hi", from: "+15551230001", name: "Jim Lee"), withFile, .system("The session has been closed.")])
            let b = try await f.seed(type: "whatsapp", did: "+15550002222", customer: "+15551230002", owner: "2001", created: t0 + 1000, lastActive: t0 + 5000,
                                     messages: [.inbound("hello", from: "+15551230002")])
            let admin = try await WebPortalBridgeTests.signIn(f.api)
            func bridge(_ path: String, _ query: [String: String], csrf: String? = nil) async throws -> OpenAPIClient.Answer {
                try await WebPortalBridgeTests.bridge(f.api, .get, path, query: query, cookie: admin.cookie, csrf: csrf ?? admin.csrf)
            }

            // Guarded like every portal call: no token, nothing read or deleted.
            let noToken = try await WebPortalBridgeTests.bridge(f.api, .get, "chat_log/delete_sessions", query: ["ids": "\(b.session)"], cookie: admin.cookie, csrf: nil)
            #expect(noToken.errcode == 10005)
            let noCookie = try await WebPortalBridgeTests.bridge(f.api, .get, "chat_log/search", cookie: nil, csrf: admin.csrf)
            #expect(noCookie.errcode == 10004)
            #expect(try await f.count("SELECT COUNT(*) AS n FROM sessions") == 2)

            // The same answers as the OpenAPI, errors included.
            let viaBridge = try await bridge("chat_log/search", ["is_closed": "1"])
            let viaOpenAPI = try await f.search(["is_closed": "1"]).answer
            #expect(viaBridge.errcode == 0 && viaBridge.json == viaOpenAPI.json, "\(viaBridge.text)")
            #expect(viaBridge.int("total_number") == 1)
            let bad = try await bridge("chat_log/search", ["start_time": "200", "end_time": "100", "session_id": "x"])
            #expect(bad.errcode == 40002 && Set(bad.invalidFields) == ["end_time", "session_id"], "\(bad.text)")

            // The history names each file with its link (the page turns it into a link).
            let history = try await bridge("chat_log/history", ["id": "\(a.session)"])
            let invoice = history.json["list"]?.arrayValue?.first { $0["msg_id"] == .int(a.messages[1]) }
            #expect(invoice?["files"] == [["name": "invoice.pdf", "uri": "https://hub.example.test/api/chat/abc"]], "\(history.text)")
            #expect(invoice?["message_content"] == "Your invoice\ninvoice.pdf (https://hub.example.test/api/chat/abc)")
            #expect(invoice?["delivery_status"] == 1)

            // A system message among the ids: refused, nothing deleted; the rest then goes.
            let refused = try await bridge("chat_log/delete_messages", ["ids": "\(a.messages[0]),\(a.messages[2])"])
            #expect(refused.errcode == 70084, "\(refused.text)")
            #expect(try await f.count("SELECT COUNT(*) AS n FROM messages") == 4)
            #expect(try await bridge("chat_log/delete_messages", ["ids": "\(a.messages[0])"]).errcode == 0)
            #expect(try await f.count("SELECT COUNT(*) AS n FROM messages") == 3)

            // The download comes through the bridge as the file itself.
            let zip = try await Self.download(f.api, "is_closed=1&time_zone=Europe/Paris", cookie: admin.cookie, csrf: admin.csrf)
            #expect(zip.status == .ok)
            #expect(zip.headers[.contentType] == "application/zip")
            #expect(zip.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"chat_logs_") == true)
            let files = try ChatLogDownloadTests.entries(zip.body)
            let sessions = try ChatLogDownloadTests.parse(try #require(files["Session_Record.csv"]))
            #expect(sessions.rows.map { $0[0] } == ["\(a.session)"])
            #expect(sessions.rows.first?[1] == ChatLogRules.formatTime(t0, offset: 7200), "times in the asked zone (CEST)")
            let messages = try ChatLogDownloadTests.parse(try #require(files["Chat_Data_Record.csv"]))
            #expect(messages.rows.count == 2)
            let refusedZip = try await Self.download(f.api, "", cookie: admin.cookie, csrf: nil)
            #expect(refusedZip.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(String(decoding: refusedZip.body, as: UTF8.self).contains("\"errcode\":10005"))
            let badZone = try await Self.download(f.api, "time_zone=Mars/Base", cookie: admin.cookie, csrf: admin.csrf)
            #expect(String(decoding: badZone.body, as: UTF8.self).contains("time_zone"))

            // Deleting sessions through the bridge.
            #expect(try await bridge("chat_log/delete_sessions", ["ids": "\(a.session),\(b.session)"]).errcode == 0)
            #expect(try await f.count("SELECT COUNT(*) AS n FROM sessions") == 0)
            #expect(try await f.count("SELECT COUNT(*) AS n FROM messages") == 0)
        }
    }

    @Test func thePageOffersEveryFilterWithLabels() async throws {
        try await F.with(.sqlite) { f in
            let admin = try await WebPortalBridgeTests.signIn(f.api)
            let page = try await f.api.call(.get, "/portal/chat-logs", headers: [.cookie: admin.cookie])
            #expect(page.status == .ok)
            for name in ["start_time", "end_time", "sender", "recipient", "channel_type", "channel_number", "is_closed", "session_id"] {
                let id = try #require(Self.inputID(named: name, in: page.text), "no \(name) field")
                #expect(page.text.contains("<label for=\"\(id)\""), "\(name) has no label")
            }
            #expect(page.text.contains("<option value=\"\(GeneralChannelFixture.did)\">"), "the channel's number is suggested")
            #expect(page.text.contains("<option value=\"facebook\">Facebook Messenger</option>"))
            #expect(page.text.contains("/assets/portal-chatlogs.js") && !page.text.contains("Not here yet"))
            let script = try await f.api.call(.get, "/assets/portal-chatlogs.js")
            #expect(script.status == .ok && script.text.contains("chat_log/search"))
        }
    }

    /// The `id` of the control with `name="…"`.
    static func inputID(named name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\"") else { return nil }
        let before = html[..<range.lowerBound]
        guard let start = before.range(of: "id=\"", options: .backwards) else { return nil }
        return String(before[start.upperBound...].prefix { $0 != "\"" })
    }
}
