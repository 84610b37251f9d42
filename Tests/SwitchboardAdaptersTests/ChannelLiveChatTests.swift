import Foundation
import Hummingbird
import NIOCore
import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

@Suite("Live Chat channels")
struct ChannelLiveChatTests {
    static let body: JSONValue = [
        "name": "LiveChat",
        "website_domain": "www.example.com",
        "communication_method": 1,
        "destination_type": "queue",
        "destination_id": 1,
        "message_type": 2,
        "auto_close_session": 1,
        "session_expired_time": 2,
        "session_expired_unit": "day",
        "theme_mode": "light",
        "theme_color": "#1A2B3C",
        "agent_info_display": "name_and_photo",
        "language": "en",
        "enable_pre_chat_form": 1,
        "pre_chat_form_title": "Hello",
        "pre_chat_fields": ["name", "email"],
        "enable_data_privacy": 1,
        "privacy_consent_text": "We store your data.",
        "require_explicit_consent": 1,
        "online_greeting_msg": "Hi!",
        "first_msg_auto_reply": "Got it.",
    ]

    @Test(arguments: TestEngines.available)
    func createGetUpdateEmbedAndList(engine: DatabaseEngine) async throws {
        try await ChannelFixture.run(engine) { hub, api, token in
            let first = try await api.post("message_channel/createlivechat", token: token, Self.body)
            #expect(first.errcode == 0, "\(first.text)")
            let second = try await api.post("message_channel/createlivechat", token: token, ChannelSeeds.with(Self.body, "name", "Second"))
            let got = try await api.get("message_channel/getlivechat", token: token, ["id": String(first.int("id") ?? 0)])
            let data = try #require(got.json["data"])
            for (key, value) in Self.body.objectValue!.members where key != "destination_id" {
                #expect(data[key] == value, "\(key)")
            }
            #expect(data["destination_id"] == "1")
            #expect(data["channel_number"] == "LC00000")
            #expect(data["type"] == "livechat" && data["channel"] == "livechat")
            #expect(data["max_concurrent_call"] == 5)
            #expect(data["offline_greeting_msg"] == "We are away, leave us a message!")
            let secondData = try await api.get("message_channel/getlivechat", token: token, ["id": String(second.int("id") ?? 0)]).json["data"]
            #expect(secondData?["channel_number"] == "LC00001")

            let update: JSONValue = ["id": .int(first.int("id")!), "max_concurrent_call": 10, "destination_type": "api", "theme_mode": "dark"]
            #expect(try await api.post("message_channel/updatelivechat", token: token, update).errcode == 0)
            let updated = try await api.get("message_channel/getlivechat", token: token, ["id": "1"]).json["data"]
            #expect(updated?["max_concurrent_call"] == 10)
            #expect(updated?["destination_type"] == "api" && updated?["destination_id"] == "")
            #expect(updated?["theme_mode"] == "dark" && updated?["theme_color"] == "#1A2B3C" && updated?["name"] == "LiveChat")

            let embed = try await api.get("message_channel/embedcode", token: token, ["id": "1"])
            #expect(embed.json["website_domain"] == "www.example.com")
            #expect(embed.json["embed_code"] == "<script src=\"https://hub.example.test/live_chat.v1.0.0.js?channelNumber=LC00000\"></script>")

            let list = try await api.get("message_channel/list", token: token, ["page": "1", "page_size": "10", "time_range": "today"])
            #expect(list.json["list"]?.arrayValue?.first?["number"] == ["LC00000"])
            #expect(list.json["list"]?.arrayValue?.first?["type"] == "livechat")
            // A Live Chat channel is not edited through message_channel/update, and getlivechat wants a Live Chat id.
            #expect(try await api.post("message_channel/update", token: token, ["id": 1, "name": "x"]).errcode == 40002)
            _ = try await api.post("message_channel/create", token: token, ChannelSeeds.facebook)
            #expect(try await api.get("message_channel/getlivechat", token: token, ["id": "3"]).errcode == 60001)
        }
    }

    @Test(arguments: TestEngines.available)
    func badLiveChatSettingsNameTheFieldAndChangeNothing(engine: DatabaseEngine) async throws {
        try await ChannelFixture.run(engine) { hub, api, token in
            #expect(try await api.post("message_channel/createlivechat", token: token, Self.body).errcode == 0)
            let before = try await ChannelFixture.snapshot(hub)
            let cases: [(String, JSONValue?, String)] = [
                ("name", .string(String(repeating: "n", count: 64)), "name"),
                ("name", nil, "name"),
                ("website_domain", nil, "website_domain"),
                ("website_domain", .string(String(repeating: "d", count: 1024)), "website_domain"),
                ("communication_method", 3, "communication_method"),
                ("destination_type", "ivr", "destination_type"),
                ("destination_id", 42, "destination_id"),
                ("max_concurrent_call", 11, "max_concurrent_call"),
                ("max_concurrent_call", 0, "max_concurrent_call"),
                ("message_type", 3, "message_type"),
                ("message_type", nil, "message_type"),
                ("theme_color", "#12345G", "theme_color"),
                ("theme_mode", "neon", "theme_mode"),
                ("agent_info_display", "photo", "agent_info_display"),
                ("pre_chat_fields", ["email", "age"], "pre_chat_fields"),
                ("pre_chat_fields", ["email"], "pre_chat_fields"),
                ("enable_webrtc_inbound_call", 1, "webrtc_trunk_id"),
                ("auto_close_session", 5, "auto_close_session"),
            ]
            for (key, value, field) in cases {
                let answer = try await api.post("message_channel/createlivechat", token: token, ChannelSeeds.with(Self.body, key, value))
                try await ChannelFixture.expectRefused(answer, code: 40002, field: field, hub: hub, before: before, "create \(key)=\(String(describing: value))")
                if let value {
                    let update = try await api.post("message_channel/updatelivechat", token: token, .object(JSONObject([(key: "id", value: 1), (key: key, value: value)])))
                    try await ChannelFixture.expectRefused(update, code: 40002, field: field, hub: hub, before: before, "update \(key)")
                }
            }
        }
    }

    @Test(arguments: TestEngines.available)
    func uploadPhotoStoresAnImageAndRefusesOtherFiles(engine: DatabaseEngine) async throws {
        try await ChannelFixture.run(engine, prepare: false) { hub, api, token in
            func upload(_ content: [UInt8]) async throws -> (errcode: Int64?, json: JSONValue) {
                var buffer = ByteBuffer(string: "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n")
                buffer.writeBytes(content)
                buffer.writeString("\r\n--XYZ--\r\n")
                let response = try await api.client.executeRequest(
                    uri: "/openapi/v1.0/message_channel/uploadphoto?access_token=\(token)", method: .post,
                    headers: [.userAgent: "OpenAPI", .contentType: "multipart/form-data; boundary=XYZ"], body: buffer)
                let json = (try? JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: response.body).utf8))) ?? .null
                return (json["errcode"].flatMap { if case .int(let code) = $0 { code } else { nil } }, json)
            }
            let good = try await upload([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10])
            #expect(good.errcode == 0, "\(good.json)")
            #expect(good.json["file"]?.stringValue?.hasPrefix("livechat-") == true)
            let bad = try await upload(Array("just text".utf8))
            #expect(bad.errcode == 40002 && bad.json["invalid_param_list"]?.arrayValue?.first?["field"] == "file" && bad.json["invalid_param_list"]?.arrayValue?.first?["validation_type"] == "invalid_value")
        }
    }
}
