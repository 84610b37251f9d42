import SQLKit
import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

@Suite("message_channel/update and delete")
struct ChannelUpdateTests {
    /// A general SMS channel (id 1) with two numbers: +12125551234 (id 1) and +442079460857 (id 2).
    static func prepareTwoNumbers(_ api: OpenAPIClient, token: String, hub: TestHub) async throws {
        try await ChannelFixture.prepare(api, token: token)
        let organization = try await hub.hub.database.run { db in
            try await db.raw("INSERT INTO organizations (name, created_at) VALUES ('Sales', 0) RETURNING id").first()!
                .decode(column: "id", as: Int64.self)
        }
        #expect(organization == 1)
        let body = ChannelSeeds.with(ChannelSeeds.generalSMS, "dids", [
            ["did_number": "+12125551234", "destination_type": "extension", "destination_id": "1"],
            ["did_number": "+442079460857", "destination_type": "queue", "destination_id": "1"],
        ])
        let created = try await api.post("message_channel/create", token: token, body)
        guard created.int("id") == 1 else { throw TestFailure(created.text) }
    }

    @Test(arguments: TestEngines.available)
    func seedUpdateExampleKeepsNumbersByIDAndTheirStatistics(engine: DatabaseEngine) async throws {
        try await ChannelFixture.run(engine, prepare: false) { hub, api, token in
            try await Self.prepareTwoNumbers(api, token: token, hub: hub)
            try await hub.hub.database.run { db in
                try await db.raw("INSERT INTO channel_number_stats (number_id, day, shard, sent) VALUES (1, 0, 3, 9)").run()
            }
            // Seed 001, with its ids (267, 5, 3, 137, organization 3) replaced by ones that exist.
            let update: JSONValue = [
                "id": 1,
                "dids": [
                    ["id": 1, "did_number": "+12125551234", "destination_type": "api",
                     "members": [["type": "organization", "value": "1"], ["type": "extension", "value": "1"]]],
                    ["id": 2, "did_number": "+442079460857", "destination_type": "extension", "destination_id": "1",
                     "members": [["type": "extension", "value": "1"]]],
                ],
            ]
            let answer = try await api.post("message_channel/update", token: token, update)
            #expect(answer.errcode == 0, "\(answer.text)")
            let got = try await api.get("message_channel/get", token: token, ["id": "1"])
            ChannelFixture.expectReadsBack(ChannelSeeds.with(update, "id", nil), got.json["data"], provider: .general)
            // Fields left out keep their values.
            #expect(got.json["data"]?["name"] == "Docs-General SMS Channel")
            #expect(got.json["data"]?["send_rate"] == 2)
            let list = try await api.get("message_channel/list", token: token, ["page": "1", "page_size": "5", "time_range": "all"])
            #expect(list.json["list"]?.arrayValue?.first?["sent"] == 9)
        }
    }

    @Test(arguments: TestEngines.available)
    func didsAreAFullReplacement(engine: DatabaseEngine) async throws {
        try await ChannelFixture.run(engine, prepare: false) { hub, api, token in
            try await Self.prepareTwoNumbers(api, token: token, hub: hub)
            // Keep id 2 but give it id 1's number, drop id 1, add a new number.
            let update: JSONValue = ["id": 1, "dids": [
                ["id": 2, "did_number": "+12125551234", "destination_type": "api"],
                ["did_number": "+33123456789", "destination_type": "queue", "destination_id": "1"],
            ]]
            #expect(try await api.post("message_channel/update", token: token, update).errcode == 0)
            let dids = try await api.get("message_channel/get", token: token, ["id": "1"]).json["data"]?["dids"]?.arrayValue ?? []
            #expect(dids.map { $0["id"] } == [2, 3])
            #expect(dids.map { $0["did_number"] } == ["+12125551234", "+33123456789"])
            // An update without dids keeps them; an empty list removes them all.
            #expect(try await api.post("message_channel/update", token: token, ["id": 1, "name": "Renamed"]).errcode == 0)
            #expect(try await api.get("message_channel/get", token: token, ["id": "1"]).json["data"]?["dids"]?.arrayValue?.count == 2)
            #expect(try await api.post("message_channel/update", token: token, ["id": 1, "dids": []]).errcode == 0)
            #expect(try await api.get("message_channel/get", token: token, ["id": "1"]).json["data"]?["dids"] == [])
        }
    }

    @Test(arguments: TestEngines.available)
    func badUpdatesAreRefusedAndChangeNothing(engine: DatabaseEngine) async throws {
        try await ChannelFixture.run(engine, prepare: false) { hub, api, token in
            try await Self.prepareTwoNumbers(api, token: token, hub: hub)
            #expect(try await api.post("message_channel/create", token: token, ChannelSeeds.whatsApp).errcode == 0)
            let before = try await ChannelFixture.snapshot(hub)
            let cases: [BadChannelRequest] = [
                .init(description: "unknown number id", body: ["id": 1, "dids": [["id": 99, "did_number": "+15550001", "destination_type": "api"]]],
                      field: "dids[0].id"),
                .init(description: "number id of another channel", body: ["id": 2, "dids": [["id": 1, "did_number": "+15550001", "destination_type": "api"]]],
                      field: "dids[0].id"),
                .init(description: "name too long", body: ["id": 1, "name": .string(String(repeating: "x", count: 128)), "dids": []], field: "name"),
                .init(description: "credential set incomplete", body: ["id": 1, "account_data": [["k": "api_key", "v": "a2V5"]], "dids": []],
                      field: "account_data.api_send_url"),
                .init(description: "provider change", body: ["id": 1, "channel": "twilio"], field: "channel"),
                .init(description: "bad number among good", body: ["id": 1, "name": "New", "dids": [
                    ["id": 1, "did_number": "+12125551234", "destination_type": "api"], ["did_number": "bad number", "destination_type": "api"]]],
                      field: "dids[1].did_number"),
                .init(description: "WhatsApp phone_number_id too long", body: ["id": 2, "phone_number_id": .string(String(repeating: "9", count: 32))],
                      field: "phone_number_id"),
                .init(description: "number held by the WhatsApp channel", body: ["id": 1, "dids": [["did_number": "+15567778888", "destination_type": "api"]]],
                      field: "dids[0].did_number", code: 40003),
            ]
            for bad in cases {
                let answer = try await api.post("message_channel/update", token: token, bad.body)
                try await ChannelFixture.expectRefused(answer, code: bad.code, field: bad.field, hub: hub, before: before, bad.description)
            }
            #expect(try await api.post("message_channel/update", token: token, ["id": 9, "name": "x"]).errcode == 60001)
        }
    }

    @Test(arguments: TestEngines.available)
    func accountDataReplacesTheCredentialSet(engine: DatabaseEngine) async throws {
        try await ChannelFixture.run(engine) { hub, api, token in
            #expect(try await api.post("message_channel/create", token: token, ChannelSeeds.generalSMS).errcode == 0)
            let pairs: JSONValue = [["k": "api_key", "v": "bmV3LWtleS12YWx1ZQ=="], ["k": "api_send_url", "v": "https://new.example/send"]]
            #expect(try await api.post("message_channel/update", token: token, ["id": 1, "account_data": pairs]).errcode == 0)
            let data = try await api.get("message_channel/get", token: token, ["id": "1"]).json["data"]
            #expect(ChannelFixture.sorted(data?["account_data"]) == ChannelFixture.sorted([["k": "api_key", "v": .string(maskSecret("bmV3LWtleS12YWx1ZQ=="))],
                                              ["k": "api_send_url", "v": "https://new.example/send"]]))
        }
    }

    @Test(arguments: TestEngines.available)
    func directoryObjectsUsedByChannelsOrQueuesCannotBeDeleted(engine: DatabaseEngine) async throws {
        try await ChannelFixture.run(engine) { hub, api, token in
            try await hub.hub.database.run { db in
                try await db.raw("INSERT INTO extension_groups (name, created_at) VALUES ('G', 0)").run()
                try await db.raw("INSERT INTO organizations (name, created_at) VALUES ('O', 0)").run()
            }
            let body = ChannelSeeds.with(ChannelSeeds.generalSMS, "dids", [
                ["did_number": "+15550001", "destination_type": "api",
                 "members": [["type": "ext_group", "value": "1"], ["type": "organization", "value": "1"], ["type": "extension", "value": "2"]]],
            ])
            #expect(try await api.post("message_channel/create", token: token, body).errcode == 0)
            let before = try await ChannelFixture.snapshot(hub)
            // Extension 1 is a queue agent; extension 2 a number member.
            for id in ["1", "2"] {
                #expect(try await api.get("extension/delete", token: token, ["id": id]).errcode == 70091)
            }
            for path in ["extensiongroup/delete", "organization/delete"] {
                let answer = try await api.get(path, token: token, ["id": "1"])
                #expect(answer.errcode == 70091, "\(path): \(answer.text)")
            }
            #expect(try await ChannelFixture.snapshot(hub) == before)
            #expect(try await api.get("message_channel/delete", token: token, ["id": "1"]).errcode == 0)
            #expect(try await api.get("message_channel/get", token: token, ["id": "1"]).errcode == 60001)
            #expect(try await api.get("extension/delete", token: token, ["id": "2"]).errcode == 0)
            #expect(try await api.get("extensiongroup/delete", token: token, ["id": "1"]).errcode == 0)
            #expect(try await api.get("message_channel/delete", token: token, ["id": "1"]).errcode == 60001)
        }
    }
}
