import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// One bad request: the body, and the errcode and field it must be refused with.
struct BadChannelRequest: Sendable, CustomStringConvertible {
    let description: String
    let body: JSONValue
    let field: String
    var code: Int64 = 40002
}

@Suite("message_channel validation leaves storage unchanged")
struct ChannelValidationTests {
    static let sms = ChannelSeeds.generalSMS
    static let whatsApp = ChannelSeeds.whatsApp
    static let facebook = ChannelSeeds.facebook

    static func did(_ fields: JSONValue) -> JSONValue { [fields] }

    static let createCases: [BadChannelRequest] = [
        .init(description: "name missing", body: ChannelSeeds.with(sms, "name", nil), field: "name"),
        .init(description: "name of 128 characters", body: ChannelSeeds.with(sms, "name", .string(String(repeating: "n", count: 128))), field: "name"),
        .init(description: "webhook_url_type not fqdn/nat", body: ChannelSeeds.with(sms, "webhook_url_type", "wan"), field: "webhook_url_type"),
        .init(description: "webhook_url_type missing", body: ChannelSeeds.with(sms, "webhook_url_type", nil), field: "webhook_url_type"),
        .init(description: "unknown provider", body: ChannelSeeds.with(sms, "channel", "nexmo"), field: "channel"),
        .init(description: "livechat through create", body: ChannelSeeds.with(sms, "channel", "livechat"), field: "channel"),
        .init(description: "account_data missing", body: ChannelSeeds.with(sms, "account_data", nil), field: "account_data"),
        .init(description: "value not Base64", body: ChannelSeeds.with(sms, "account_data", [
            ["k": "api_key", "v": "not base64!"], ["k": "api_send_url", "v": "https://api.example.com/send"]]), field: "account_data[0].v"),
        .init(description: "key of another provider", body: ChannelSeeds.with(sms, "account_data", [
            ["k": "api_key", "v": "a2V5"], ["k": "api_send_url", "v": "https://api.example.com/send"], ["k": "auth_token", "v": "a2V5"]]),
              field: "account_data[2].k"),
        .init(description: "required key missing", body: ChannelSeeds.with(sms, "account_data", [["k": "api_key", "v": "a2V5"]]),
              field: "account_data.api_send_url"),
        .init(description: "send URL not https", body: ChannelSeeds.with(sms, "account_data", [
            ["k": "api_key", "v": "a2V5"], ["k": "api_send_url", "v": "http://api.example.com/send"]]), field: "account_data[1].v"),
        .init(description: "verify URL not a URL", body: ChannelSeeds.with(sms, "account_data", [
            ["k": "api_key", "v": "a2V5"], ["k": "api_send_url", "v": "https://a.example/s"], ["k": "api_verify_url", "v": "a2V5"]]),
              field: "account_data[2].v"),
        .init(description: "key given twice", body: ChannelSeeds.with(sms, "account_data", [
            ["k": "api_key", "v": "a2V5"], ["k": "api_key", "v": "a2V5"], ["k": "api_send_url", "v": "https://a.example/s"]]),
              field: "account_data[1].k"),
        .init(description: "send_rate 0", body: ChannelSeeds.with(sms, "send_rate", 0), field: "send_rate"),
        .init(description: "auto_close_session 2", body: ChannelSeeds.with(sms, "auto_close_session", 2), field: "auto_close_session"),
        .init(description: "session_expired_time 0", body: ChannelSeeds.with(sms, "session_expired_time", 0), field: "session_expired_time"),
        .init(description: "Apidaze without accompanying_msg", body: ChannelSeeds.with(ChannelSeeds.with(sms, "channel", "apidaze"),
              "account_data", [["k": "api_key", "v": "a2V5"], ["k": "api_secret", "v": "a2V5"]]), field: "accompanying_msg"),
        .init(description: "SMS number neither E.164 nor sender ID", body: ChannelSeeds.with(sms, "dids", did(
            ["did_number": "12345", "destination_type": "api"])), field: "dids[0].did_number"),
        .init(description: "sender ID of 12 characters", body: ChannelSeeds.with(sms, "dids", did(
            ["did_number": "ABCDEFGHIJKL", "destination_type": "api"])), field: "dids[0].did_number"),
        .init(description: "same number twice", body: ChannelSeeds.with(sms, "dids", [
            ["did_number": "+15550001", "destination_type": "api"], ["did_number": "+15550001", "destination_type": "api"]]),
              field: "dids[1].did_number"),
        .init(description: "destination_type unknown", body: ChannelSeeds.with(sms, "dids", did(
            ["did_number": "+15550001", "destination_type": "ivr"])), field: "dids[0].destination_type"),
        .init(description: "destination_id missing", body: ChannelSeeds.with(sms, "dids", did(
            ["did_number": "+15550001", "destination_type": "extension"])), field: "dids[0].destination_id"),
        .init(description: "destination extension does not exist", body: ChannelSeeds.with(sms, "dids", did(
            ["did_number": "+15550001", "destination_type": "extension", "destination_id": "99"])), field: "dids[0].destination_id"),
        .init(description: "destination queue does not exist", body: ChannelSeeds.with(sms, "dids", did(
            ["did_number": "+15550001", "destination_type": "queue", "destination_id": "2"])), field: "dids[0].destination_id"),
        .init(description: "member type unknown", body: ChannelSeeds.with(sms, "dids", did(
            ["did_number": "+15550001", "destination_type": "api", "members": [["type": "user", "value": "1"]]])),
              field: "dids[0].members[0].type"),
        .init(description: "member group does not exist", body: ChannelSeeds.with(sms, "dids", did(
            ["did_number": "+15550001", "destination_type": "api", "members": [["type": "extension", "value": "1"], ["type": "ext_group", "value": "7"]]])),
              field: "dids[0].members[1].value"),
        .init(description: "member organization does not exist", body: ChannelSeeds.with(sms, "dids", did(
            ["did_number": "+15550001", "destination_type": "api", "members": [["type": "organization", "value": "3"]]])),
              field: "dids[0].members[0].value"),
        .init(description: "phone_number_id of 32 characters", body: ChannelSeeds.with(whatsApp, "phone_number_id",
              .string(String(repeating: "1", count: 32))), field: "phone_number_id"),
        .init(description: "phone_number_id missing", body: ChannelSeeds.with(whatsApp, "phone_number_id", nil), field: "phone_number_id"),
        .init(description: "business_account_id not Base64", body: ChannelSeeds.with(whatsApp, "business_account_id", "12345"),
              field: "business_account_id"),
        .init(description: "business_account_id over 500", body: ChannelSeeds.with(whatsApp, "business_account_id",
              .string(String(repeating: "QUFB", count: 126))), field: "business_account_id"),
        .init(description: "WhatsApp key of SMS", body: ChannelSeeds.with(whatsApp, "account_data", [
            ["k": "access_token", "v": "a2V5"], ["k": "app_secret", "v": "a2V5"], ["k": "api_key", "v": "a2V5"]]), field: "account_data[2].k"),
        .init(description: "WhatsApp number as sender ID", body: ChannelSeeds.with(whatsApp, "dids", did(
            ["did_number": "Shop", "destination_type": "api"])), field: "dids[0].did_number"),
        .init(description: "Facebook app_secret not Base64", body: ChannelSeeds.with(facebook, "account_data", [
            ["k": "access_token", "v": "a2V5"], ["k": "app_secret", "v": "plain secret"], ["k": "page_name", "v": "p"]]),
              field: "account_data[1].v"),
        .init(description: "Facebook page_name missing", body: ChannelSeeds.with(facebook, "account_data", [
            ["k": "access_token", "v": "a2V5"], ["k": "app_secret", "v": "a2V5"]]), field: "account_data.page_name"),
        .init(description: "Facebook page id not numeric", body: ChannelSeeds.with(facebook, "dids", did(
            ["did_number": "my-page", "destination_type": "api"])), field: "dids[0].did_number"),
        .init(description: "Facebook number with members", body: ChannelSeeds.with(facebook, "dids", did(
            ["did_number": "123", "destination_type": "api", "members": [["type": "extension", "value": "1"]]])), field: "dids[0].members"),
    ]

    @Test(arguments: TestEngines.available)
    func everyBadCreateIsRefusedNamingTheFieldAndStoresNothing(engine: DatabaseEngine) async throws {
        try await ChannelFixture.run(engine) { hub, api, token in
            _ = try await api.post("message_channel/create", token: token, ChannelSeeds.facebook)
            let before = try await ChannelFixture.snapshot(hub)
            for bad in Self.createCases {
                let answer = try await api.post("message_channel/create", token: token, bad.body)
                try await ChannelFixture.expectRefused(answer, code: bad.code, field: bad.field, hub: hub, before: before, bad.description)
            }
        }
    }

    @Test(arguments: TestEngines.available)
    func numberOfAnotherChannelIsDuplicateAndStoresNothing(engine: DatabaseEngine) async throws {
        try await ChannelFixture.run(engine) { hub, api, token in
            #expect(try await api.post("message_channel/create", token: token, ChannelSeeds.generalSMS).errcode == 0)
            let before = try await ChannelFixture.snapshot(hub)
            let taken = ChannelSeeds.with(ChannelSeeds.whatsApp, "dids", [
                ["did_number": "+15550009", "destination_type": "api"], ["did_number": "+1234567890", "destination_type": "api"]])
            let answer = try await api.post("message_channel/create", token: token, taken)
            #expect(answer.json["duplicate_field_list"] == [["field": "dids[1].did_number"]])
            try await ChannelFixture.expectRefused(answer, code: 40003, field: "dids[1].did_number", hub: hub, before: before, "taken number")
        }
    }

    @Test(arguments: TestEngines.available)
    func loopbackProviderURLsAndSenderIDsAreAccepted(engine: DatabaseEngine) async throws {
        try await ChannelFixture.run(engine) { hub, api, token in
            var body = ChannelSeeds.with(ChannelSeeds.generalSMS, "account_data", [
                ["k": "api_key", "v": "a2V5"], ["k": "api_send_url", "v": "http://127.0.0.1:8089/send"],
                ["k": "api_verify_url", "v": "http://localhost:8089/verify"]])
            body = ChannelSeeds.with(body, "dids", [["did_number": "Switchboard", "destination_type": "api"]])
            let answer = try await api.post("message_channel/create", token: token, body)
            #expect(answer.errcode == 0, "\(answer.text)")
        }
    }
}
