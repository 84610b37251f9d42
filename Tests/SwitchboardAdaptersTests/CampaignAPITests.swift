import Foundation
import HTTPTypes
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// `message_campaign/*` and `message/batchupload` as seed 002 documents them.
@Suite("Campaign API")
struct CampaignAPITests {
    /// Seed 002's first request example, word for word but for the ids.
    static func seedTextExample(channel: Int64, sender: Int64, extensionID: Int64) -> String {
        """
        { "name": "SummerSale202507", "channel_type": "sms", "omnichannel_id": \(channel), "sender": \(sender), "recipient_type": "input", "number_list": [ { "number": "+8613800001111" }, { "number": "+8613800002222" }, { "number": "+8613800003333" } ], "content_type": "text", "content": "Summer’s best deals are on now—up to 50% off! 🌞 Drop by and treat yourself to something special ✨.", "send_type": "scheduled", "send_time": 1753898766, "send_mode": "new_session", "assign_to_type": "extension", "assign_to_id": \(extensionID) }
        """
    }

    static let boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"

    static func multipart(_ files: [(name: String, type: String, content: String)], field: String = "files") -> String {
        var body = ""
        for file in files {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(file.name)\"\r\nContent-Type: \(file.type)\r\n\r\n\(file.content)\r\n"
        }
        return body + "--\(boundary)--\r\n"
    }

    static func upload(_ api: OpenAPIClient, token: String, _ body: String, path: String = "message/batchupload", query: [String: String] = [:]) async throws -> OpenAPIClient.Answer {
        try await api.call(.post, path, query: query, token: token, body: body,
                           headers: [.userAgent: "OpenAPI", .contentType: "multipart/form-data; boundary=\(boundary)"])
    }

    @Test(arguments: TestEngines.available)
    func theSeedExamplesAreAcceptedAndReadBack(engine: DatabaseEngine) async throws {
        try await CampaignFixture.with(engine) { c in
            let text = Self.seedTextExample(channel: c.f.channelID, sender: c.numberID, extensionID: c.f.extensionID)
            let created = try await c.api.call(.post, "message_campaign/create", token: c.token, body: text)
            #expect(created.errcode == 0 && created.errmsg == "SUCCESS", "\(created.text)")
            let id = try #require(created.int("id"))
            let detail = try await c.detail(id)
            #expect(detail["name"] == "SummerSale202507")
            #expect(detail["status"] == "scheduled")
            #expect(detail["send_type"] == "schedule" && detail["send_time"] == 1753898766)
            #expect(detail["content"] == "Summer’s best deals are on now—up to 50% off! 🌞 Drop by and treat yourself to something special ✨.")
            #expect(detail["number_list"]?.arrayValue?.compactMap { $0["number"]?.stringValue } == ["+8613800001111", "+8613800002222", "+8613800003333"])
            #expect(detail["assign_to_type"] == "extension" && detail["assign_to_id"] == .int(c.f.extensionID))
            #expect(detail["omnichannel_id"] == .int(c.f.channelID) && detail["sender"] == .int(c.numberID))
            #expect(detail["sender_number"] == .string(GeneralChannelFixture.did))

            // The file example: upload (the seed's multipart request), then a document campaign with the File_Info.
            let uploaded = try await Self.upload(c.api, token: c.token, Self.multipart([("/D:/projects/files/demo.jpeg", "image/jpeg", "JPEGDATA")]))
            #expect(uploaded.errcode == 0, "\(uploaded.text)")
            let file = try #require(uploaded.json["list"]?.arrayValue?.first)
            #expect(file["name"] == "demo.jpeg" && file["type"] == "image/jpeg" && file["size"] == 8)
            let fileID = try #require(file["id"]?.stringValue)
            #expect(file["uri"] == .string("https://hub.example.test/api/chat/\(fileID)"))
            let fileInfo = file.serialized().replacingOccurrences(of: "\"", with: "\\\"")
            let document = """
                { "name": "API-SMS-CAHNNEL-File", "channel_type": "sms", "omnichannel_id": \(c.f.channelID), "sender": \(c.numberID), "recipient_type": "input", "number_list": [ { "number": "+8613800001111" }, { "number": "+8613800002222" }, { "number": "+8613800003333" } ], "content_type": "document", "content": "\(fileInfo)", "send_type": "draft", "send_time": 1753898766, "send_mode": "new_session", "assign_to_type": "extension", "assign_to_id": \(c.f.extensionID) }
                """
            let second = try await c.api.call(.post, "message_campaign/create", token: c.token, body: document)
            let documentID = try #require(second.int("id"), "\(second.text)")
            let stored = try await c.detail(documentID)
            #expect(stored["status"] == "draft" && stored["content_type"] == "document")
            #expect(SocketLoop.decodeJSON(stored["content"]?.stringValue ?? "")?["id"] == .string(fileID))

            let list = try await c.api.get("message_campaign/list", token: c.token, ["page": "1", "page_size": "10"])
            #expect(list.int("total_number") == 2)
            let first = try #require(list.json["data"]?.arrayValue?.last)
            #expect(first["id"] == .int(id) && first["sender"] == .string(GeneralChannelFixture.did) && first["channel_name"] == "General SMS Channel")
            #expect(first["result_count"] == "0/3" && first["response_rate"] == "0%" && first["send_mode"] == "new_session")
            let found = try await c.api.get("message_campaign/search", token: c.token, ["page": "1", "page_size": "10", "search_value": "file"])
            #expect(found.int("total_number") == 1 && found.json["data"]?.arrayValue?.first?["id"] == .int(documentID))
            let query = try await c.api.get("message_campaign/query", token: c.token, ["ids": "\(id),\(documentID),99999"])
            #expect(query.json["list"]?.arrayValue?.count == 2)
        }
    }

    @Test(arguments: TestEngines.available)
    func badRequestsNameEveryProblemAndStoreNothing(engine: DatabaseEngine) async throws {
        try await CampaignFixture.with(engine) { c in
            var body = c.body("Bad", numbers: ["+12025550101"]).objectValue!
            body["omnichannel_id"] = 9999
            body["assign_to_id"] = 9999
            let wrong = try await c.api.post("message_campaign/create", token: c.token, .object(body))
            #expect(wrong.errcode == 40002 && Set(wrong.invalidFields) == ["omnichannel_id", "sender", "assign_to_id"], "\(wrong.text)")
            body = c.body("Bad", numbers: ["12025550101"]).objectValue!
            body["content"] = nil
            let invalid = try await c.api.post("message_campaign/create", token: c.token, .object(body))
            #expect(invalid.errcode == 40002 && Set(invalid.invalidFields) == ["number_list[0].number", "content"], "\(invalid.text)")
            body = c.body("Doc", numbers: ["+12025550101"]).objectValue!
            body["content_type"] = "document"
            body["content"] = #"{"id":"d8b23d56d9974cdb90d6c2d6927861b9","name":"demo.jpeg","uri":"x","type":"image/jpeg","size":88555}"#
            let missingFile = try await c.api.post("message_campaign/create", token: c.token, .object(body))
            #expect(missingFile.errcode == 40002 && missingFile.invalidFields == ["content"])
            body = c.body("Book", numbers: []).objectValue!
            body["recipient_type"] = "phonebook"
            body["recipient_id"] = 4242
            body["recipient_num_type"] = "mobile_number"
            let noBook = try await c.api.post("message_campaign/create", token: c.token, .object(body))
            #expect(noBook.errcode == 70093)
            #expect(try await c.scalar("SELECT COUNT(*) AS n FROM campaigns") == 0)
            #expect(try await c.scalar("SELECT COUNT(*) AS n FROM campaign_recipients") == 0)
        }
    }

    @Test(arguments: TestEngines.available)
    func draftsAreEditedDuplicatedAndDeleted(engine: DatabaseEngine) async throws {
        try await CampaignFixture.with(engine) { c in
            let id = try await c.create(c.body("Draft", numbers: ["+12025550101", "+12025550102"], sendType: "draft"))
            let edited = try await c.api.post("message_campaign/update", token: c.token, [
                "id": .int(id), "name": "Renamed", "number_list": [["number": "+12025550103"]], "send_type": "schedule", "send_time": 4_000_000_000,
            ])
            #expect(edited.errcode == 0, "\(edited.text)")
            let detail = try await c.detail(id)
            #expect(detail["name"] == "Renamed" && detail["status"] == "scheduled")
            #expect(detail["number_list"]?.arrayValue?.compactMap { $0["number"]?.stringValue } == ["+12025550103"])
            let bad = try await c.api.post("message_campaign/update", token: c.token, ["id": .int(id), "content": ""])
            #expect(bad.errcode == 40002 && bad.invalidFields == ["content"])
            #expect(try await c.detail(id)["name"] == "Renamed")

            let copy = try await c.api.get("message_campaign/duplicate", token: c.token, ["id": String(id)])
            let copyID = try #require(copy.int("id"), "\(copy.text)")
            let copied = try await c.detail(copyID)
            #expect(copied["name"] == "Renamed_copy" && copied["status"] == "draft")
            #expect(copied["number_list"]?.arrayValue?.count == 1)

            #expect(try await c.api.get("message_campaign/delete", token: c.token, ["id": String(id)]).errcode == 0)
            #expect(try await c.api.get("message_campaign/get", token: c.token, ["id": String(id)]).errcode == 60001)
            #expect(try await c.api.get("message_campaign/retry", token: c.token, ["id": String(copyID)]).errcode == 70084)
            #expect(try await c.scalar("SELECT COUNT(*) AS n FROM campaign_recipients") == 1)
        }
    }

    @Test(arguments: TestEngines.available)
    func aCSVImportFillsTheRecipientsAndReportsRejectedLines(engine: DatabaseEngine) async throws {
        try await CampaignFixture.with(engine) { c in
            let id = try await c.create(c.body("Import", numbers: ["+12025550199"], sendType: "draft"))
            let csv = "Number,Name\n+12025550101,Ann\n12025550102,Bob\n+12025550103,Cy\n+12025550101,Again\n"
            let answer = try await Self.upload(c.api, token: c.token, Self.multipart([("contacts.csv", "text/csv", csv)], field: "file"),
                                               path: "message_campaign/import", query: ["id": String(id)])
            #expect(answer.errcode == 0, "\(answer.text)")
            #expect(answer.int("total_number") == 2)
            #expect(answer.json["rejected_list"] == [["line": 3, "value": "12025550102", "reason": "invalid_format"],
                                                      ["line": 5, "value": "+12025550101", "reason": "duplicate"]])
            let numbers = try await c.detail(id)["number_list"]?.arrayValue?.compactMap { $0["number"]?.stringValue }
            #expect(numbers == ["+12025550101", "+12025550103"])
            let longName = String(repeating: "n", count: 127) + ".csv"
            let tooLong = try await Self.upload(c.api, token: c.token, Self.multipart([(longName, "text/csv", csv)], field: "file"), path: "message_campaign/import")
            #expect(tooLong.errcode == 40002 && tooLong.invalidFields == ["file"])
            let noColumn = try await Self.upload(c.api, token: c.token, Self.multipart([("a.csv", "text/csv", "Phone\n+12025550101\n")], field: "file"), path: "message_campaign/import")
            #expect(noColumn.errcode == 40002)
        }
    }
}

extension CampaignAPITests {
    @Test(arguments: TestEngines.available)
    func theThousandCampaignLimitAndSendingCampaignsAreGuarded(engine: DatabaseEngine) async throws {
        try await CampaignFixture.with(engine) { c in
            let id = try await c.create(c.body("Running", numbers: ["+12025550101"]))
            try await c.hub.hub.campaigns.tick()
            #expect(try await c.status(id) == "executing")
            let edit = try await c.api.post("message_campaign/update", token: c.token, ["id": .int(id), "name": "Changed"])
            #expect(edit.errcode == 70084)
            #expect(try await c.api.get("message_campaign/delete", token: c.token, ["id": String(id)]).errcode == 70084)
            #expect(try await c.api.get("message_campaign/retry", token: c.token, ["id": String(id)]).errcode == 70084)
            let channelID = c.f.channelID, numberID = c.numberID
            try await c.hub.hub.database.run { db in
                for index in 0..<999 {
                    try await db.raw("""
                        INSERT INTO campaigns (name, status, channel_type, channel_id, sender_id, recipient_type, content_type, send_type, send_mode, created_at, updated_at)
                        VALUES (\(bind: "filler \(index)"), 'draft', 'sms', \(bind: channelID), \(bind: numberID), 'input', 'text', 'draft', 'direct', 0, 0)
                        """).run()
                }
            }
            let over = try await c.api.post("message_campaign/create", token: c.token, c.body("One too many", numbers: ["+12025550102"]))
            #expect(over.errcode == 60002 && over.errmsg == "MAX LIMITATION EXCEEDED")
            #expect(try await c.api.get("message_campaign/duplicate", token: c.token, ["id": String(id)]).errcode == 60002)
            #expect(try await c.scalar("SELECT COUNT(*) AS n FROM campaigns") == 1000)
        }
    }
}
