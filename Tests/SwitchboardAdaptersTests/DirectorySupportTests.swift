import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// The directory endpoints as the directory tests drive them: one hub, one client, one token.
struct DirectoryAPI: Sendable {
    let api: OpenAPIClient
    let token: String

    /// Runs `body` against a fresh hub on `engine`.
    static func with(_ engine: DatabaseEngine, _ body: @escaping @Sendable (DirectoryAPI) async throws -> Void) async throws {
        try await TestHub.with(engine) { hub in
            try await hub.withClient { api in
                try await body(DirectoryAPI(api: api, token: try await api.token()))
            }
        }
    }

    func post(_ path: String, _ body: JSONValue) async throws -> OpenAPIClient.Answer {
        try await api.post(path, token: token, body)
    }

    func get(_ path: String, _ query: [String: String] = [:]) async throws -> OpenAPIClient.Answer {
        try await api.get(path, token: token, query)
    }

    /// `<resource>/create`, requiring success; returns the new id.
    func create(_ resource: String, _ body: JSONValue) async throws -> Int64 {
        let answer = try await post("\(resource)/create", body)
        guard answer.errcode == 0, let id = answer.int("id") else { throw TestFailure("\(resource)/create failed: \(answer.text)") }
        return id
    }

    /// `value` with every object's keys sorted: the test client's decoder does not keep key order,
    /// so answers are compared in this form.
    static func canonical(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): .array(items.map(canonical))
        case .object(let object):
            .object(JSONObject(object.members.sorted { $0.key < $1.key }.map { (key: $0.key, value: canonical($0.value)) }))
        default: value
        }
    }

    /// The `data` of `<resource>/get` (canonical), requiring success.
    func read(_ resource: String, _ id: Int64) async throws -> JSONValue {
        let answer = try await get("\(resource)/get", ["id": String(id)])
        guard answer.errcode == 0, let data = answer.json["data"] else { throw TestFailure("\(resource)/get failed: \(answer.text)") }
        return Self.canonical(data)
    }

    /// Every object of `<resource>/list` (first page of 1000, canonical), requiring success.
    func all(_ resource: String) async throws -> [JSONValue] {
        let answer = try await get("\(resource)/list", ["page": "1", "page_size": "1000"])
        guard answer.errcode == 0, let data = answer.json["data"]?.arrayValue, answer.int("total_number") == Int64(data.count) else {
            throw TestFailure("\(resource)/list failed: \(answer.text)")
        }
        return data.map(Self.canonical)
    }

    /// The `search_value` matches of `<resource>/search` (canonical), requiring success.
    func search(_ resource: String, _ value: String) async throws -> [JSONValue] {
        let answer = try await get("\(resource)/search", ["page": "1", "page_size": "100", "search_value": value])
        guard answer.errcode == 0, let data = answer.json["data"]?.arrayValue else {
            throw TestFailure("\(resource)/search failed: \(answer.text)")
        }
        #expect(answer.int("total_number") == Int64(data.count))
        return data.map(Self.canonical)
    }

    /// Creates an extension `number` named `name`; returns its id.
    func createExtension(_ number: String, _ name: String) async throws -> Int64 {
        try await create("extension", ["number": .string(number), "caller_id_name": .string(name)])
    }

    /// `[{"extension_id", "ext_num", "caller_id_name"}]` as the directory renders members (canonical).
    static func members(_ members: [(id: Int64, number: String, name: String)]) -> JSONValue {
        canonical(.array(members.map { ["extension_id": .int($0.id), "ext_num": .string($0.number), "caller_id_name": .string($0.name)] }))
    }

    /// `get`, `update` and `delete` of an id that does not exist all answer `60001`.
    func expectMissing(_ resource: String, id: Int64 = 999_999) async throws {
        #expect(try await get("\(resource)/get", ["id": String(id)]).errcode == 60001)
        #expect(try await post("\(resource)/update", ["id": .int(id), "name": "Nobody", "first_name": "Nobody"]).errcode == 60001)
        #expect(try await get("\(resource)/delete", ["id": String(id)]).errcode == 60001)
    }
}

extension OpenAPIClient.Answer {
    /// The fields of `duplicate_field_list`.
    var duplicateFieldNames: [String] {
        json["duplicate_field_list"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
    }

    /// Each `invalid_param_list` entry as `field: validation_type` (or `field=value`).
    var invalidParamEntries: [String] {
        json["invalid_param_list"]?.arrayValue?.map { entry in
            let field = entry["field"]?.stringValue ?? "?"
            if let type = entry["validation_type"]?.stringValue { return "\(field): \(type)" }
            return "\(field)=\(entry["value"]?.stringValue ?? "")"
        } ?? []
    }
}
