import SQLKit
import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// The request examples of seeds 000/001 with ids that exist in a fresh hub prepared by `ChannelFixture.prepare`.
enum ChannelSeeds {
    static let generalSMS: JSONValue = [
        "name": "Docs-General SMS Channel",
        "webhook_url_type": "nat",
        "channel": "general",
        "account_data": [
            ["k": "api_secret", "v": "bXlTdXBlclNlY3JldDEyMw=="],
            ["k": "api_key", "v": "bXlBUElLZXk0NTY="],
            ["k": "api_verify_url", "v": "https://api.example.com/auth/verify"],
            ["k": "api_send_url", "v": "https://api.example.com/message/send"],
        ],
        "send_rate": 2,
        "auto_close_session": 1,
        "session_expired_time": 5,
        "dids": [
            ["did_number": "+1234567890", "destination_type": "extension", "destination_id": "1",
             "members": [["type": "extension", "value": "1"]]],
        ],
    ]

    static let whatsApp: JSONValue = [
        "name": "Docs-WhatsApp Channel",
        "webhook_url_type": "fqdn",
        "channel": "whatsapp",
        "account_data": [["k": "access_token", "v": "bXlTdXBlclNlY3JldDEyMw=="], ["k": "app_secret", "v": "bXlBUElLZXk0NTY="]],
        "phone_number_id": "3546573434879",
        "business_account_id": "MzQ1Njc4Nzg5MA==",
        "dids": [["did_number": "+15567778888", "destination_type": "queue", "destination_id": "1"]],
        "auto_close_session": 1,
        "session_expired_time": 5,
    ]

    static let facebook: JSONValue = [
        "name": "Docs-Facebook Channel",
        "webhook_url_type": "fqdn",
        "channel": "facebook",
        "account_data": [
            ["k": "access_token", "v": "bXlTdXBlclNlY3JldDEyMw=="], ["k": "app_secret", "v": "bXlBUElLZXk0NTY="],
            ["k": "page_name", "v": "test-facebook-page"],
        ],
        "dids": [["did_number": "12345678901234", "destination_type": "queue", "destination_id": "1"]],
        "auto_close_session": 1,
        "session_expired_time": 5,
    ]

    /// `object` with `key` set to `value` (nil removes it).
    static func with(_ object: JSONValue, _ key: String, _ value: JSONValue?) -> JSONValue {
        var members = object.objectValue ?? [:]
        members[key] = value
        return .object(members)
    }
}

/// Builds what the channel tests need: extension 1001 (id 1), extension 1002 (id 2), queue id 1.
enum ChannelFixture {
    static func prepare(_ api: OpenAPIClient, token: String) async throws {
        for (number, name) in [("1001", "Ann"), ("1002", "Bob")] {
            let created = try await api.post("extension/create", token: token, ["number": .string(number), "first_name": .string(name)])
            guard created.errcode == 0 else { throw TestFailure("extension/create: \(created.text)") }
        }
        let queue = try await api.post("message_queue/create", token: token,
                                       ["name": "Support", "assignment_mode": "auto", "members": [["extension_id": 1]]])
        guard queue.int("id") == 1 else { throw TestFailure("message_queue/create: \(queue.text)") }
    }

    /// Runs `body` on a fresh hub with an access token, after `prepare` when asked.
    static func run(
        _ engine: DatabaseEngine, configure: (inout AppConfiguration) -> Void = { _ in }, prepare: Bool = true,
        _ body: @escaping @Sendable (TestHub, OpenAPIClient, String) async throws -> Void
    ) async throws {
        try await TestHub.with(engine, configure: configure) { hub in
            try await hub.withClient { api in
                let token = try await api.token()
                if prepare { try await Self.prepare(api, token: token) }
                try await body(hub, api, token)
            }
        }
    }

    /// Expects `answer` to be `code` naming `field` (in `invalid_param_list` or `duplicate_field_list`),
    /// and the tables to read as `before`.
    static func expectRefused(_ answer: OpenAPIClient.Answer, code: Int64, field: String, hub: TestHub, before: [String], _ label: String) async throws {
        #expect(answer.errcode == code, "\(label): \(answer.text)")
        let fields = answer.invalidFields + (answer.json["duplicate_field_list"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? [])
        #expect(fields.contains(field), "\(label): \(answer.text)")
        #expect(try await snapshot(hub) == before, "\(label) changed storage")
    }

    /// Every row of the channel and queue tables, as text, to prove a failed request changed nothing.
    static func snapshot(_ hub: TestHub) async throws -> [String] {
        try await hub.hub.database.run { db in
            var lines: [String] = []
            for table in ["message_channels", "channel_numbers", "channel_number_members", "message_queues", "message_queue_members"] {
                for row in try await db.raw("SELECT * FROM \(unsafeRaw: table)").all() {
                    let values = row.allColumns.sorted().map { column -> String in
                        if (try? row.decodeNil(column: column)) == true { return "\(column)=null" }
                        if let text = try? row.decode(column: column, as: String.self) { return "\(column)=\(text)" }
                        if let number = try? row.decode(column: column, as: Int64.self) { return "\(column)=\(number)" }
                        return "\(column)=?"
                    }
                    lines.append(table + ": " + values.joined(separator: ","))
                }
            }
            return lines.sorted()
        }
    }

    /// `value` with every object's keys sorted: answers are decoded without their key order.
    static func sorted(_ value: JSONValue?) -> JSONValue? {
        switch value {
        case .object(let object)?:
            return .object(JSONObject(object.members.sorted { $0.key < $1.key }.map { (key: $0.key, value: sorted($0.value)!) }))
        case .array(let items)?: return .array(items.map { sorted($0)! })
        default: return value
        }
    }

    /// Expects `got` (a `get` answer's `data`) to carry every field of `sent`, with secrets masked.
    static func expectReadsBack(_ sent: JSONValue, _ got: JSONValue?, provider: ChannelProvider) {
        guard let sent = sent.objectValue, let got = got?.objectValue else {
            Issue.record("no data")
            return
        }
        for (key, value) in sent.members {
            switch key {
            case "account_data":
                let expected: [JSONValue] = (value.arrayValue ?? []).map { pair in
                    let k = pair["k"]?.stringValue ?? "", v = pair["v"]?.stringValue ?? ""
                    let masked = provider.authKey(named: k)?.kind == .base64Secret ? maskSecret(v) : v
                    return ["k": .string(k), "v": .string(masked)]
                }
                #expect(sorted(got[key]) == sorted(.array(expected)))
                for pair in value.arrayValue ?? [] where provider.authKey(named: pair["k"]?.stringValue ?? "")?.kind == .base64Secret {
                    #expect(!got[key]!.serialized().contains(pair["v"]!.stringValue!), "secret \(pair) leaked")
                }
            case "dids":
                let gotDids = got[key]?.arrayValue ?? []
                #expect(gotDids.count == value.arrayValue?.count)
                for (sentDid, gotDid) in zip(value.arrayValue ?? [], gotDids) {
                    for (didKey, didValue) in sentDid.objectValue?.members ?? [] {
                        #expect(sorted(gotDid[didKey]) == sorted(didValue), "dids.\(didKey)")
                    }
                }
            default:
                #expect(sorted(got[key]) == sorted(value), "\(key)")
            }
        }
    }
}

@Suite("message_channel/create and read back")
struct ChannelCreateTests {
    @Test(arguments: TestEngines.available)
    func seedExamplesAreAcceptedAndReadBackWithSecretsMasked(engine: DatabaseEngine) async throws {
        try await ChannelFixture.run(engine, configure: { $0.fqdnURL = "https://pbx.fqdn.test/" }) { _, api, token in
            for (body, provider) in [(ChannelSeeds.generalSMS, ChannelProvider.general), (ChannelSeeds.whatsApp, .whatsapp), (ChannelSeeds.facebook, .facebook)] {
                let created = try await api.post("message_channel/create", token: token, body)
                #expect(created.errcode == 0, "\(created.text)")
                let id = try #require(created.int("id"))
                let got = try await api.get("message_channel/get", token: token, ["id": String(id)])
                #expect(got.errcode == 0)
                ChannelFixture.expectReadsBack(body, got.json["data"], provider: provider)
                let data = try #require(got.json["data"])
                #expect(data["type"] == .string(provider.type.rawValue))
                #expect(data["status"] == "status_connect_succ")
                #expect(data["reason"] == "")
                let gid = try #require(data["webhook_gid"]?.stringValue)
                #expect(gid.count == 32)
                let base = body["webhook_url_type"] == "fqdn" ? "https://pbx.fqdn.test" : "https://hub.example.test"
                #expect(data["webhook_url"] == .string("\(base)/api/v1.0/webhook/\(provider.rawValue)/\(gid)"))
                if provider.type == .sms {
                    #expect(data["verify_token"] == nil)
                } else {
                    #expect(data["verify_token"]?.stringValue?.count == 32)
                }
            }
            let query = try await api.get("message_channel/query", token: token, ["ids": "1,3"])
            #expect(query.json["list"]?.arrayValue?.compactMap { $0["id"] } == [1, 3])
        }
    }

    @Test(arguments: TestEngines.available)
    func credentialsAreSealedAtRestAndNeverReturned(engine: DatabaseEngine) async throws {
        try await ChannelFixture.run(engine) { hub, api, token in
            let created = try await api.post("message_channel/create", token: token, ChannelSeeds.generalSMS)
            let id = try #require(created.int("id"))
            let raw = try await hub.hub.database.run { db in
                try await db.raw("SELECT credentials FROM message_channels WHERE id = \(bind: id)").first()!
                    .decode(column: "credentials", as: String.self)
            }
            #expect(raw.hasPrefix("v1:"))
            for secret in ["bXlTdXBlclNlY3JldDEyMw==", "bXlBUElLZXk0NTY=", "api_key", "api.example.com"] {
                #expect(!raw.contains(secret))
            }
            #expect(try hub.hub.secrets.open(raw).contains("bXlBUElLZXk0NTY="))
            for (path, query) in [("message_channel/get", ["id": "\(id)"]), ("message_channel/query", ["ids": "\(id)"]),
                                  ("message_channel/list", ["page": "1", "page_size": "10", "time_range": "all"])] {
                let answer = try await api.get(path, token: token, query)
                #expect(answer.errcode == 0)
                #expect(!answer.text.contains("bXlTdXBlclNlY3JldDEyMw=="))
                #expect(!answer.text.contains("bXlBUElLZXk0NTY="))
            }
        }
    }

    @Test(arguments: TestEngines.available)
    func everySMSProviderAcceptsExactlyItsKeySet(engine: DatabaseEngine) async throws {
        try await ChannelFixture.run(engine) { hub, api, token in
            for (index, provider) in ChannelProvider.creatable.filter({ $0.type == .sms }).enumerated() {
                let pairs: [JSONValue] = provider.authKeys.map { key in
                    ["k": .string(key.name), "v": key.kind == .url ? "http://127.0.0.1:9/send" : "c2VjcmV0"]
                }
                var body = ChannelSeeds.with(ChannelSeeds.generalSMS, "channel", .string(provider.rawValue))
                body = ChannelSeeds.with(body, "account_data", .array(pairs))
                body = ChannelSeeds.with(body, "accompanying_msg", "Sent by Switchboard")
                body = ChannelSeeds.with(body, "dids", [["did_number": .string("Shop\(index)"), "destination_type": "api"]])
                let created = try await api.post("message_channel/create", token: token, body)
                #expect(created.errcode == 0, "\(provider): \(created.text)")
                let got = try await api.get("message_channel/get", token: token, ["id": String(created.int("id") ?? 0)])
                ChannelFixture.expectReadsBack(body, got.json["data"], provider: provider)
            }
        }
    }

    @Test(arguments: TestEngines.available)
    func listAndSearchReportNumbersStatusAndCountersOverTheTimeRange(engine: DatabaseEngine) async throws {
        try await ChannelFixture.run(engine) { hub, api, token in
            _ = try await api.post("message_channel/create", token: token, ChannelSeeds.generalSMS)
            _ = try await api.post("message_channel/create", token: token, ChannelSeeds.whatsApp)
            let now = hub.clock.now()
            let today = now - now % 86_400
            try await hub.hub.database.run { db in
                try await db.raw("""
                    INSERT INTO channel_number_stats (number_id, day, shard, sent, delivered, failed, received)
                    VALUES (1, \(bind: today), 0, 3, 2, 1, 4), (1, \(bind: today), 5, 2, 2, 0, 3), (1, \(bind: today - 86_400), 0, 2, 2, 0, 3),
                      (1, \(bind: today - 40 * 86_400), 0, 100, 100, 0, 100)
                    """).run()
            }
            let expectations: [(String, [Int64])] = [
                ("today", [5, 4, 1, 7]), ("yesterday", [2, 2, 0, 3]), ("last_7_days", [7, 6, 1, 10]), ("all", [107, 106, 1, 110]),
            ]
            for (range, counters) in expectations {
                let list = try await api.get("message_channel/list", token: token, ["page": "1", "page_size": "10", "time_range": range])
                #expect(list.int("total_number") == 2)
                let first = try #require(list.json["list"]?.arrayValue?.first)
                #expect([first["sent"], first["delivered"], first["failed"], first["received"]] == counters.map { .int($0) }, "\(range)")
                #expect(first["number"] == ["+1234567890"])
                #expect(first["status"] == "status_connect_succ")
                #expect(first["reason"] == "")
                #expect(first["type"] == "sms")
            }
            let search = try await api.get("message_channel/search", token: token,
                                           ["page": "1", "page_size": "10", "time_range": "today", "search_value": "whatsapp"])
            #expect(search.int("total_number") == 1)
            #expect(search.json["list"]?.arrayValue?.first?["sent"] == 0)
            let byNumber = try await api.get("message_channel/search", token: token,
                                             ["page": "1", "page_size": "10", "time_range": "today", "search_value": "+1556"])
            #expect(byNumber.json["list"]?.arrayValue?.first?["channel"] == "whatsapp")
            let bad = try await api.get("message_channel/list", token: token, ["page": "1", "page_size": "10", "time_range": "week"])
            #expect(bad.errcode == 40002 && bad.invalidFields == ["time_range"])
            let missing = try await api.get("message_channel/list", token: token, ["page": "1", "page_size": "10"])
            #expect(missing.errcode == 40002 && missing.invalidFields == ["time_range"])
        }
    }

    @Test(arguments: TestEngines.available)
    func menuOptionsServeChannelsAndQueues(engine: DatabaseEngine) async throws {
        try await ChannelFixture.run(engine) { hub, api, token in
            _ = try await api.post("message_channel/create", token: token, ChannelSeeds.facebook)
            let channels = try await api.get("system/get_menuoptions", token: token, ["menu": "message_channel"])
            #expect(ChannelFixture.sorted(channels.json["data"]) == ChannelFixture.sorted([["text": "Docs-Facebook Channel", "value": "1"]]))
            let queues = try await api.get("system/get_menuoptions", token: token, ["menu": "message_queue"])
            #expect(ChannelFixture.sorted(queues.json["data"]) == ChannelFixture.sorted([["text": "Support", "value": "1"]]))
        }
    }
}
