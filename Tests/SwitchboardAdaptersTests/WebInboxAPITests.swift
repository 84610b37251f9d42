import Foundation
import HTTPTypes
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// The inbox page's own endpoints: who am I, whom can I transfer to and send from, file uploads.
@Suite("Web: inbox endpoints")
struct WebInboxAPITests {
    @Test(arguments: TestEngines.available)
    func meDirectoryAndUploadsServeTheSignedInAgent(engine: DatabaseEngine) async throws {
        try await SessionFixture.with(engine, mode: .manual, passwords: true) { s in
            let anonymous = try await s.api.call(.get, "/api/inbox/me")
            #expect(anonymous.errcode == 10004)
            let login = try await s.api.call(.post, "/api/inbox/login", body: JSONValue.object(["extension": "2001", "password": .string(SessionFixture.password)]).serialized())
            let cookie = String(try #require(login.headers[.setCookie]).split(separator: ";")[0])
            let headers: HTTPFields = [.cookie: cookie, .contentType: "application/json"]

            let me = try await s.api.call(.get, "/api/inbox/me", headers: headers)
            #expect(me.json["extension"] == "2001" && me.json["name"] == "Ann" && me.json["presence_status"] == "available")

            let directory = try await s.api.call(.get, "/api/inbox/directory", headers: headers)
            let colleagues = directory.json["colleagues"]?.arrayValue?.compactMap { $0["number"]?.stringValue } ?? []
            #expect(colleagues == ["1001", "2002", "3001"])  // everyone but the agent
            #expect(directory.json["queues"]?.arrayValue?.first?["name"] == "Tech Support")
            #expect(directory.json["numbers"]?.arrayValue?.isEmpty == true)  // 2001 may not start sessions on the number

            var uploadHeaders = headers
            uploadHeaders[.contentType] = "text/plain"
            let upload = try await s.api.call(.post, "/api/inbox/upload", query: ["name": "notes.txt"], body: "hello", headers: uploadHeaders)
            let file = try #require(upload.json["file"], "\(upload.text)")
            #expect(file["type"] == "text/plain" && file["size"] == 5 && file["uri"]?.stringValue?.hasPrefix("https://hub.example.test/api/chat/") == true)

            try await s.inbound("hello queue")
            let session = try await s.latestSessionID()
            let sent = try await s.api.call(.post, "/api/inbox/message/send", body: JSONValue.object([
                "session_id": .int(session), "msg_body": "see attached", "files": [file],
            ]).serialized(), headers: headers)
            #expect(sent.errcode == 0, "\(sent.text)")
            let stored = try await s.hub.hub.database.run { db in
                try await db.raw("SELECT files FROM messages WHERE direction = 'out'").first()?.decode(column: "files", as: String.self)
            }
            #expect(stored?.contains(file["uri"]?.stringValue ?? "-") == true)
        }
    }
}
