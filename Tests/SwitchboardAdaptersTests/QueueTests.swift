import SQLKit
import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

@Suite("message_queue/*")
struct QueueTests {
    static func extensions(_ api: OpenAPIClient, token: String, count: Int) async throws {
        for index in 0..<count {
            let answer = try await api.post("extension/create", token: token, ["number": .string(String(2000 + index)), "caller_id_name": .string("Agent \(index)")])
            guard answer.errcode == 0 else { throw TestFailure(answer.text) }
        }
    }

    static func setLimit(_ hub: TestHub, _ key: String, _ value: Int) async throws {
        try await hub.hub.database.run { db in
            try await db.raw("INSERT INTO settings (key, value) VALUES (\(bind: key), \(bind: String(value)))").run()
        }
    }

    @Test(arguments: TestEngines.available)
    func referenceExamplesCreateUpdateGetAndList(engine: DatabaseEngine) async throws {
        try await ChannelFixture.run(engine, prepare: false) { hub, api, token in
            try await Self.extensions(api, token: token, count: 3)
            let created = try await api.post("message_queue/create", token: token,
                                             ["name": "docs-message-queue", "assignment_mode": "auto", "members": [["extension_id": 1], ["extension_id": 2]]])
            #expect(created.errcode == 0)
            let id = try #require(created.int("id"))
            let got = try await api.get("message_queue/get", token: token, ["id": String(id)])
            #expect(ChannelFixture.sorted(got.json["data"]) == ChannelFixture.sorted([
                "id": .int(id), "name": "docs-message-queue",
                "members": [["id": 1, "extension_id": 1, "ext_num": "2000", "caller_id_name": "Agent 0"],
                            ["id": 2, "extension_id": 2, "ext_num": "2001", "caller_id_name": "Agent 1"]],
                "assignment_mode": "auto",
            ]))
            // Full replacement: agent 1 kept, agent 2 dropped, extension 3 added.
            let update: JSONValue = ["id": .int(id), "assignment_mode": "manual", "members": [["id": 1, "extension_id": 1], ["extension_id": 3]]]
            #expect(try await api.post("message_queue/update", token: token, update).errcode == 0)
            let after = try await api.get("message_queue/get", token: token, ["id": String(id)]).json["data"]
            #expect(after?["members"]?.arrayValue?.map { [$0["id"], $0["extension_id"]] } == [[1, 1], [3, 3]])
            #expect(after?["assignment_mode"] == "manual")
            #expect(after?["name"] == "docs-message-queue")
            for mode in AssignmentMode.allCases {
                #expect(try await api.post("message_queue/update", token: token, ["id": .int(id), "assignment_mode": .string(mode.rawValue)]).errcode == 0)
            }
            let list = try await api.get("message_queue/list", token: token, ["page": "1", "page_size": "10"])
            #expect(list.int("total_number") == 1)
            #expect(list.json["list"]?.arrayValue?.first?["name"] == "docs-message-queue")
            let search = try await api.get("message_queue/search", token: token, ["page": "1", "page_size": "10", "search_value": "nothing"])
            #expect(search.int("total_number") == 0)
            let query = try await api.get("message_queue/query", token: token, ["ids": String(id)])
            #expect(query.json["list"]?.arrayValue?.count == 1)
        }
    }

    @Test(arguments: TestEngines.available)
    func badQueueRequestsNameTheFieldAndChangeNothing(engine: DatabaseEngine) async throws {
        try await ChannelFixture.run(engine, prepare: false) { hub, api, token in
            try await Self.extensions(api, token: token, count: 2)
            #expect(try await api.post("message_queue/create", token: token, ["name": "Q", "assignment_mode": "auto", "members": [["extension_id": 1]]]).errcode == 0)
            let before = try await ChannelFixture.snapshot(hub)
            let cases: [(String, JSONValue, Int64, String)] = [
                ("message_queue/create", ["assignment_mode": "auto", "members": []], 40002, "name"),
                ("message_queue/create", ["name": "R", "assignment_mode": "round_robin", "members": []], 40002, "assignment_mode"),
                ("message_queue/create", ["name": "R", "members": []], 40002, "assignment_mode"),
                ("message_queue/create", ["name": "R", "assignment_mode": "auto"], 40002, "members"),
                ("message_queue/create", ["name": "R", "assignment_mode": "auto", "members": [["extension_id": 9]]], 40002, "members[0].extension_id"),
                ("message_queue/create", ["name": "R", "assignment_mode": "auto", "members": [["extension_id": 1], ["extension_id": 1]]], 40002, "members[1].extension_id"),
                ("message_queue/create", ["name": "Q", "assignment_mode": "auto", "members": []], 40003, "name"),
                ("message_queue/update", ["id": 1, "members": [["id": 7, "extension_id": 2]]], 40002, "members[0].id"),
                ("message_queue/update", ["id": 1, "name": "", "members": []], 40002, "name"),
            ]
            for (path, body, code, field) in cases {
                let answer = try await api.post(path, token: token, body)
                try await ChannelFixture.expectRefused(answer, code: code, field: field, hub: hub, before: before, "\(path) \(body.serialized())")
            }
        }
    }

    @Test(arguments: TestEngines.available)
    func limitsOnQueuesAndAgentsAnswer60002(engine: DatabaseEngine) async throws {
        try await ChannelFixture.run(engine, prepare: false) { hub, api, token in
            try await Self.extensions(api, token: token, count: 3)
            try await Self.setLimit(hub, QueueLimits.maxQueuesSetting, 2)
            try await Self.setLimit(hub, QueueLimits.maxAgentsSetting, 2)
            let three: JSONValue = [["extension_id": 1], ["extension_id": 2], ["extension_id": 3]]
            let tooMany = try await api.post("message_queue/create", token: token, ["name": "A", "assignment_mode": "none", "members": three])
            #expect(tooMany.errcode == 60002)
            var ids: [Int64] = []
            for name in ["A", "B"] {
                let created = try await api.post("message_queue/create", token: token, ["name": .string(name), "assignment_mode": "none", "members": [["extension_id": 1], ["extension_id": 2]]])
                ids.append(try #require(created.int("id")))
            }
            let before = try await ChannelFixture.snapshot(hub)
            #expect(try await api.post("message_queue/create", token: token, ["name": "C", "assignment_mode": "none", "members": []]).errcode == 60002)
            #expect(try await api.post("message_queue/update", token: token, ["id": .int(ids[0]), "members": three]).errcode == 60002)
            #expect(try await ChannelFixture.snapshot(hub) == before)
        }
    }

    @Test(arguments: TestEngines.available)
    func queueThatIsADestinationCannotBeDeletedUnderEitherPath(engine: DatabaseEngine) async throws {
        try await ChannelFixture.run(engine) { hub, api, token in
            #expect(try await api.post("message_channel/create", token: token, ChannelSeeds.whatsApp).errcode == 0)
            let before = try await ChannelFixture.snapshot(hub)
            for path in ["message_queue/delete", "message_queues/delete"] {
                let answer = try await api.get(path, token: token, ["id": "1"])
                #expect(answer.errcode == 70091, "\(path)")
                #expect(answer.errmsg == "CONNECTION_RELATION_EXISTED")
            }
            #expect(try await ChannelFixture.snapshot(hub) == before)
            // Once the number routes elsewhere the queue can go, through either path.
            #expect(try await api.post("message_channel/update", token: token, ["id": 1, "dids": []]).errcode == 0)
            #expect(try await api.post("message_queue/create", token: token, ["name": "Other", "assignment_mode": "auto", "members": []]).errcode == 0)
            #expect(try await api.get("message_queues/delete", token: token, ["id": "1"]).errcode == 0)
            #expect(try await api.get("message_queue/delete", token: token, ["id": "2"]).errcode == 0)
            #expect(try await api.get("message_queue/get", token: token, ["id": "1"]).errcode == 60001)
            #expect(try await api.get("message_queue/delete", token: token, ["id": "1"]).errcode == 60001)
        }
    }
}
