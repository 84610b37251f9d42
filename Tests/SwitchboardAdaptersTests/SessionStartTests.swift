import Foundation
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

@Suite("Starting sessions and Meta's 24-hour windows")
struct SessionStartTests {
    static let whatsappDID = "+15550002222"
    static let facebookPage = "1234567890"
    static let template = #"{"id":1,"template_id":"t1","name":"hello","language":{"code":"en"},"components":[]}"#

    /// Creates a WhatsApp and a Facebook channel routed to extension 1001 (members: 1001).
    static func metaChannels(_ s: SessionFixture) async throws -> (whatsapp: Int64, facebook: Int64) {
        let owner = JSONValue.string(String(s.agents["1001"]!))
        let secret = JSONValue.string(Formats.encodeBase64(Array("secret".utf8)))
        let whatsapp = try await s.api.post("message_channel/create", token: s.token, [
            "name": "WhatsApp", "webhook_url_type": "nat", "channel": "whatsapp",
            "account_data": [["k": "access_token", "v": secret], ["k": "app_secret", "v": secret]],
            "phone_number_id": "1111", "business_account_id": .string(Formats.encodeBase64(Array("2222".utf8))),
            "dids": [["did_number": .string(whatsappDID), "destination_type": "extension", "destination_id": owner,
                      "members": [["type": "extension", "value": owner]]]],
        ])
        let facebook = try await s.api.post("message_channel/create", token: s.token, [
            "name": "Facebook", "webhook_url_type": "nat", "channel": "facebook",
            "account_data": [["k": "access_token", "v": secret], ["k": "app_secret", "v": secret], ["k": "page_name", "v": "Shop"]],
            "dids": [["did_number": .string(facebookPage), "destination_type": "extension", "destination_id": owner]],
        ])
        return (try #require(whatsapp.int("id"), "\(whatsapp.text)"), try #require(facebook.int("id"), "\(facebook.text)"))
    }

    static func inbound(_ s: SessionFixture, channelID: Int64, provider: String, from: String, to: String) async throws {
        let message = InboundMessage(providerMessageID: UUID().uuidString, from: from, to: to, text: "hi", receivedAt: s.hub.clock.now())
        try await s.hub.hub.inbound.store([message], account: ChannelAccount(channelID: channelID, provider: provider, type: provider, credentials: [:]))
    }

    static func start(_ s: SessionFixture, as sender: JSONObject, channel: String, did: String, to: String, extra: JSONObject = ["msg_body": "hello"]) async throws -> OpenAPIClient.Answer {
        var body: JSONObject = ["channel": .string(channel), "did_number": .string(did), "to": .string(to)]
        for member in sender.members + extra.members { body[member.key] = member.value }
        return try await s.api.post("message/send", token: s.token, .object(body))
    }

    @Test(arguments: TestEngines.available)
    func membersStartSMSSessionsAndTheOpenSessionIsReused(engine: DatabaseEngine) async throws {
        try await SessionFixture.with(engine) { s in
            let leo: JSONObject = ["sender_type": 1, "sender_no": "1001"]
            let first = try await Self.start(s, as: leo, channel: "general", did: GeneralChannelFixture.did, to: "+1 (555) 060-0001")
            #expect(first.errcode == 0, "\(first.text)")
            let session = try #require(first.int("session_id"))
            #expect(first.int("msg_id") != nil)
            let second = try await Self.start(s, as: leo, channel: "general", did: GeneralChannelFixture.did, to: "+15550600001")
            #expect(second.int("session_id") == session)
            #expect(try await s.owner(session) == s.agents["1001"])
            #expect(try await s.hub.hub.dispatcher.drainOnce() == 2)
            #expect(s.f.fake.sent.all.map(\.to) == ["+15550600001", "+15550600001"])
            let stranger = try await Self.start(s, as: ["sender_type": 1, "sender_no": "3001"], channel: "general", did: GeneralChannelFixture.did, to: "+15550600002")
            #expect(stranger.errcode == 10005)
            // Membership through an extension group.
            let did = GeneralChannelFixture.did, zed = s.agents["3001"]!
            try await s.hub.hub.database.run { db in
                let group = try await insertReturningID(db, "INSERT INTO extension_groups (name, created_at) VALUES ('Sales', 0)")
                try await db.raw("INSERT INTO extension_group_members (group_id, extension_id) VALUES (\(bind: group), \(bind: zed))").run()
                try await db.raw("""
                    INSERT INTO channel_number_members (number_id, member_type, member_id, position)
                    SELECT id, 'ext_group', \(bind: group), 9 FROM channel_numbers WHERE did_number = \(bind: did)
                    """).run()
            }
            let viaGroup = try await Self.start(s, as: ["sender_type": 1, "sender_no": "3001"], channel: "general", did: GeneralChannelFixture.did, to: "+15550600002")
            #expect(viaGroup.errcode == 0, "\(viaGroup.text)")
            let platform = try await Self.start(s, as: ["sender_type": 9, "sender_no": "api"], channel: "general", did: GeneralChannelFixture.did, to: "+15550600003")
            #expect(platform.errcode == 0)
            #expect(try await s.f.scalar("SELECT COUNT(*) AS n FROM sessions WHERE destination_type = 'api'") == 1)
            let bad = try await s.api.post("message/send", token: s.token, ["sender_type": 1, "sender_no": "1001", "channel": "general"])
            #expect(bad.errcode == 40002 && Set(bad.invalidFields) == ["did_number", "to", "msg_body"])
            let unknownNumber = try await Self.start(s, as: leo, channel: "general", did: "+15559999999", to: "+15550600001")
            #expect(unknownNumber.errcode == 40002 && unknownNumber.invalidFields == ["did_number"])
        }
    }

    @Test(arguments: TestEngines.available)
    func whatsAppFreeTextNeedsTheCustomerServiceWindow(engine: DatabaseEngine) async throws {
        try await SessionFixture.with(engine) { s in
            let (whatsapp, _) = try await Self.metaChannels(s)
            let leo: JSONObject = ["sender_type": 1, "sender_no": "1001"]
            let customer = "+15550700001"
            let freeText = try await Self.start(s, as: leo, channel: "whatsapp", did: Self.whatsappDID, to: customer)
            #expect(freeText.errcode == 70084)
            let template = try await Self.start(s, as: leo, channel: "whatsapp", did: Self.whatsappDID, to: customer,
                                                extra: ["msg_kind": 1, "whatsapp_msg_param": .string(Self.template)])
            #expect(template.errcode == 0, "\(template.text)")
            let session = try #require(template.int("session_id"))
            func expire() async throws -> JSONValue? {
                try await s.api.get("message_session/get", token: s.token, ["id": String(session)]).json["list"]?["expire"]
            }
            #expect(try await expire() == 0)
            try await Self.inbound(s, channelID: whatsapp, provider: "whatsapp", from: customer, to: Self.whatsappDID)
            #expect(try await expire() == 86_400)
            try await s.advance(by: 3600)
            #expect(try await expire() == 82_800)
            #expect(try await s.send("inside the window", as: "1001", session: session).errcode == 0)
            try await s.advance(by: 82_800)
            #expect(try await expire() == 0)
            #expect(try await s.send("outside the window", as: "1001", session: session).errcode == 70084)
            let late = try await s.api.post("message/send", token: s.token, [
                "sender_type": 1, "sender_no": "1001", "session_id": .int(session), "msg_kind": 1, "whatsapp_msg_param": .string(Self.template),
            ])
            #expect(late.errcode == 0)
            let badParam = try await s.api.post("message/send", token: s.token, [
                "sender_type": 1, "sender_no": "1001", "session_id": .int(session), "msg_kind": 1, "whatsapp_msg_param": "not json",
            ])
            #expect(badParam.errcode == 40002 && badParam.invalidFields == ["whatsapp_msg_param"])
        }
    }

    @Test func facebookNeedsATagOutsideTheWindowAndCannotBeStartedByAgents() async throws {
        try await SessionFixture.with(.sqlite) { s in
            let (_, facebook) = try await Self.metaChannels(s)
            let psid = "6543210987"
            let start = try await Self.start(s, as: ["sender_type": 1, "sender_no": "1001"], channel: "facebook", did: Self.facebookPage, to: psid)
            #expect(start.errcode == 70132)
            try await Self.inbound(s, channelID: facebook, provider: "facebook", from: psid, to: Self.facebookPage)
            let session = try await s.latestSessionID()
            #expect(try await s.send("quick answer", as: "1001", session: session).errcode == 0)
            try await s.advance(by: 25 * 3600)
            let untagged = try await s.send("late answer", as: "1001", session: session)
            #expect(untagged.errcode == 40002 && untagged.invalidFields == ["tag"])
            func tagged(_ tag: String) async throws -> Int64? {
                try await s.api.post("message/send", token: s.token, [
                    "sender_type": 1, "sender_no": "1001", "session_id": .int(session), "msg_body": "tagged", "tag": .string(tag),
                ]).errcode
            }
            #expect(try await tagged("HUMAN_AGENT") == 0)
            try await s.advance(by: 7 * 86_400)
            #expect(try await tagged("HUMAN_AGENT") == 40002)
            #expect(try await tagged("ACCOUNT_UPDATE") == 0)
            let detail = try await s.api.get("message_session/get", token: s.token, ["id": String(session)])
            #expect(detail.json["list"]?["page_name"] == "Shop" && detail.json["list"]?["channel_type"] == "facebook")
        }
    }
}
