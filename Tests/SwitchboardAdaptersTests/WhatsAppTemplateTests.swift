import Foundation
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// WhatsApp templates synced from the fake Graph API (paged), listed as seed 002 shows them, and
/// seed 002's WhatsApp template campaign posted verbatim, checked against the template and sent.
@Suite("WhatsApp templates and template campaigns")
struct WhatsAppTemplateTests {
    /// The fake account: the seed's template, 120 utility templates, one pending and one catalog template.
    static func fill(_ fake: FakeGraphAPI) {
        fake.templates.append(FakeGraphAPI.seedTemplate)
        for index in 0..<120 {
            fake.templates.append(["id": .string("9\(index)"), "name": .string("utility_\(index)"), "language": index % 2 == 0 ? "en_US" : "es",
                                   "status": "APPROVED", "category": "UTILITY", "parameter_format": "POSITIONAL",
                                   "components": [["type": "BODY", "text": "Order {{1}} is ready"]]])
        }
        fake.templates.append(["id": "7001", "name": "waiting", "language": "en", "status": "PENDING", "category": "UTILITY", "components": []])
        fake.templates.append(["id": "7002", "name": "catalog", "language": "en", "status": "APPROVED", "category": "MARKETING",
                               "components": [["type": "BUTTONS", "buttons": [["type": "CATALOG", "text": "View"]]]]])
    }

    @Test(arguments: TestEngines.available)
    func templatesAreSyncedPageByPageAndListedAsTheSeedShows(engine: DatabaseEngine) async throws {
        try await MetaChannelFixture.whatsApp(engine) { m in
            Self.fill(m.fake)
            let refreshed = try await m.api.post("message_channel/whatsapp_template/refresh", token: m.token, ["omnichannel_id": .int(m.channelID)])
            #expect(refreshed.errcode == 0 && refreshed.int("total_number") == 121, "\(refreshed.text)")
            #expect(m.fake.templatePageRequests.count == 2)

            let found = try await m.api.get("message_channel/whatsapp_template", token: m.token, ["omnichannel_id": String(m.channelID), "search_value": "discount"])
            #expect(found.int("total_number") == 1)
            let item = try #require(found.json["data"]?.arrayValue?.first)
            #expect(Set(item.objectValue?.keys ?? []) == ["id", "template_id", "name", "parameter_format", "language", "category", "sub_category", "components_data", "omnichannel_id"])
            #expect(item["template_id"] == "1293546285747227" && item["name"] == "discount_campaign" && item["parameter_format"] == "NAMED")
            #expect(item["language"] == "en" && item["category"] == "MARKETING" && item["sub_category"] == "CUSTOM" && item["omnichannel_id"] == .int(m.channelID))
            #expect(SocketLoop.decodeJSON(item["components_data"]?.stringValue ?? "") == FakeGraphAPI.seedTemplate["components"])

            let utility = try await m.api.get("message_channel/whatsapp_template", token: m.token, [
                "omnichannel_id": String(m.channelID), "category": "UTILITY", "language": "es,fr", "page": "2", "page_size": "50"])
            #expect(utility.int("total_number") == 60 && utility.json["data"]?.arrayValue?.count == 10)
            let marketing = try await m.api.get("message_channel/whatsapp_template", token: m.token, ["omnichannel_id": String(m.channelID), "category": "MARKETING,AUTHENTICATION"])
            #expect(marketing.int("total_number") == 1)

            // A refresh keeps ids of templates still there and drops the ones gone.
            let id = try #require(item["id"])
            let again = try await m.api.post("message_channel/whatsapp_template/refresh", token: m.token, ["omnichannel_id": .int(m.channelID)])
            #expect(again.int("total_number") == 121)
            let reread = try await m.api.get("message_channel/whatsapp_template", token: m.token, ["omnichannel_id": String(m.channelID), "search_value": "discount"])
            #expect(reread.json["data"]?.arrayValue?.first?["id"] == id)
            #expect(try await m.api.get("message_channel/whatsapp_template", token: m.token, ["omnichannel_id": "999"]).errcode == 40002)

            // Once synced, message/send checks its template message too, and stores nothing when it is wrong.
            let param = MetaWebhooks.seedTemplateParam.replacingOccurrences(of: #",{"type":"TEXT","text":"SmartMal","parameter_name":"companyname"}"#, with: "")
            let send = try await m.api.post("message/send", token: m.token, [
                "sender_type": 9, "sender_no": "api", "channel": "whatsapp", "did_number": .string(MetaChannelFixture.whatsAppNumber),
                "to": "+16315551181", "msg_kind": 1, "whatsapp_msg_param": .string(param),
            ])
            #expect(send.errcode == 40002 && send.invalidFields == ["whatsapp_msg_param"], "\(send.text)")
            #expect(try await m.hub.hub.database.run { db in
                try await db.raw("SELECT COUNT(*) AS n FROM messages").first()!.decode(column: "n", as: Int.self)
            } == 0)
        }
    }

    @Test(arguments: TestEngines.available)
    func theSeedTemplateCampaignIsCheckedAgainstTheTemplateAndSent(engine: DatabaseEngine) async throws {
        try await MetaChannelFixture.whatsApp(engine) { m in
            Self.fill(m.fake)
            _ = try await m.api.post("message_channel/whatsapp_template/refresh", token: m.token, ["omnichannel_id": .int(m.channelID)])
            let templateID = try #require(try await m.api.get("message_channel/whatsapp_template", token: m.token, [
                "omnichannel_id": String(m.channelID), "search_value": "discount"]).json["data"]?.arrayValue?.first?["id"])
            let boundary = CampaignAPITests.multipart([("demo.jpeg", "image/jpeg", "JPEGDATA")])
            let upload = try await CampaignAPITests.upload(m.api, token: m.token, boundary)
            let fileID = try #require(upload.json["list"]?.arrayValue?.first?["id"]?.stringValue)
            var contacts: [JSONValue] = []
            for (index, number) in ["+12025550101", "+12025550102"].enumerated() {
                let contact = try await m.api.post("company_contact/create", token: m.token, ["first_name": .string("VIP_Customer_\(index)"), "business_number": .string(number)])
                contacts.append(.int(try #require(contact.int("id"), "\(contact.text)")))
            }
            let book = try await m.api.post("phonebook/create", token: m.token, ["name": "VIP_Contacts_Phonebook", "contact_ids": .array(contacts)])
            let bookID = try #require(book.int("id"), "\(book.text)")
            let sender = try await m.hub.hub.database.run { db in
                try await db.raw("SELECT id FROM channel_numbers").first()!.decode(column: "id", as: Int64.self)
            }
            // Seed 002's request, word for word but for the ids.
            var example = #"""
                { "name": "Exclusive Discount Alert", "channel_type": "whatsapp", "omnichannel_id": 1, "sender": 1, "recipient_type": "phonebook", "recipient_id":28, "recipient_num_type":"business_number", "content_type": "template", "msg_param":"{\"id\":1773,\"template_id\":\"1293546285747227\",\"name\":\"discount_campaign\",\"language\":{\"code\":\"en\"},\"parameter_format\":\"NAMED\",\"components\":[{\"type\":\"HEADER\",\"parameters\":[{\"type\":\"IMAGE\",\"file_list\":[{\"id\":\"d8b23d56d9974cdb90d6c2d6927861b9\",\"name\":\"demo.jpeg\",\"uri\":\"20250725/d8b23d56d9974cdb90d6c2d6927861b9\",\"type\":\"image/jpeg\",\"size\":88555}]}]},{\"type\":\"BODY\",\"parameters\":[{\"type\":\"TEXT\",\"text\":\"VIP\",\"parameter_name\":\"customertier\"},{\"type\":\"TEXT\",\"text\":\"discount\",\"parameter_name\":\"offertype\"},{\"type\":\"TEXT\",\"text\":\"20% off for all products\",\"parameter_name\":\"offerdetails\"},{\"type\":\"TEXT\",\"text\":\"July 31, 2025\",\"parameter_name\":\"expirydate\"},{\"type\":\"TEXT\",\"text\":\"SmartMal\",\"parameter_name\":\"companyname\"}]},{\"type\":\"BUTTONS\",\"parameters\":[{\"type\":\"FLOW\",\"text\":\"\"},{\"type\":\"URL\",\"text\":\"\"},{\"type\":\"VOICE_CALL\",\"text\":\"\"}]}]}", "send_type": "draft", "send_time": 1753898766, "send_mode": "new_session", "assign_to_type": "extension", "assign_to_id": 2 }
                """#
            example = example.replacingOccurrences(of: #""omnichannel_id": 1, "sender": 1"#, with: #""omnichannel_id": \#(m.channelID), "sender": \#(sender)"#)
                .replacingOccurrences(of: #""recipient_id":28"#, with: #""recipient_id":\#(bookID)"#)
                .replacingOccurrences(of: #"{\"id\":1773,"#, with: #"{\"id\":\#(templateID.serialized()),"#)
                .replacingOccurrences(of: "d8b23d56d9974cdb90d6c2d6927861b9", with: fileID)
                .replacingOccurrences(of: #""assign_to_id": 2 }"#, with: #""assign_to_id": \#(m.extensionID) }"#)
            let created = try await m.api.call(.post, "message_campaign/create", token: m.token, body: example)
            let id = try #require(created.int("id"), "\(created.text)")
            let detail = try #require(try await m.api.get("message_campaign/get", token: m.token, ["id": String(id)]).json["data"])
            #expect(detail["status"] == "draft" && detail["content_type"] == "template" && detail["recipient_name"] == "VIP_Contacts_Phonebook")
            #expect(detail["number_list"]?.arrayValue?.compactMap { $0["number"]?.stringValue } == ["+12025550101", "+12025550102"])
            #expect(SocketLoop.decodeJSON(detail["msg_param"]?.stringValue ?? "")?["name"] == "discount_campaign")

            // A placeholder left out is a 40002 that names it; nothing changes.
            let missing = example.replacingOccurrences(of: #",{\"type\":\"TEXT\",\"text\":\"SmartMal\",\"parameter_name\":\"companyname\"}"#, with: "")
            let refused = try await m.api.call(.post, "message_campaign/create", token: m.token, body: missing)
            #expect(refused.errcode == 40002)
            #expect(refused.json["invalid_param_list"]?.arrayValue?.first?["value"] == "the body needs values for {{companyname}}", "\(refused.text)")

            // Header files must be live uploads of an allowed image type.
            let bmp = try await CampaignAPITests.upload(m.api, token: m.token, CampaignAPITests.multipart([("demo.bmp", "image/bmp", "BM")]))
            let bmpID = try #require(bmp.json["list"]?.arrayValue?.first?["id"]?.stringValue)
            for (file, value) in [(bmpID, "the header image must be png, gif, jpg, jpeg or webp"),
                                  ("0123456789abcdef0123456789abcdef", "the header file 0123456789abcdef0123456789abcdef is not an uploaded file")] {
                let wrong = try await m.api.call(.post, "message_campaign/create", token: m.token, body: example.replacingOccurrences(of: fileID, with: file))
                #expect(wrong.errcode == 40002 && wrong.json["invalid_param_list"]?.arrayValue?.first?["value"] == .string(value), "\(wrong.text)")
            }

            // Sent: draft → immediately, through the outbox to the fake Graph API, with our link for the header image.
            let sent = try await m.api.post("message_campaign/update", token: m.token, ["id": .int(id), "send_type": "immediately"])
            #expect(sent.errcode == 0, "\(sent.text)")
            let deadline = ContinuousClock.now + .seconds(180)
            while try await m.api.get("message_campaign/get", token: m.token, ["id": String(id)]).json["data"]?["status"] != "completed" {
                guard ContinuousClock.now < deadline else { throw TestFailure("the template campaign did not complete") }
                try await m.hub.hub.campaigns.tick()
                try await m.hub.hub.dispatcher.drainOnce()
            }
            #expect(m.fake.sent.count == 2)
            let body = try #require(m.fake.sent.all.first?.body)
            #expect(body["type"] == "template" && body["template"]?["name"] == "discount_campaign")
            let header = body["template"]?["components"]?.arrayValue?.first
            #expect(header?["parameters"]?.arrayValue?.first?["image"]?["link"] == .string("https://hub.example.test/api/chat/\(fileID)"))
            #expect(try await m.hub.hub.database.run { db in
                try await db.raw("SELECT COUNT(*) AS n FROM sessions WHERE origin = 'campaign'").first()!.decode(column: "n", as: Int.self)
            } == 2)
        }
    }
}
