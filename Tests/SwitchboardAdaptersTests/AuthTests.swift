import Hummingbird
import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

@Suite("OpenAPI authentication and conventions")
struct AuthTests {
    static let credentials: JSONValue = ["username": .string(TestHub.clientID), "password": .string(TestHub.clientSecret)]

    @Test(arguments: TestEngines.available)
    func getTokenReturnsBothTokensAndTheirLifetimes(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            try await hub.withClient { api in
                let answer = try await api.post("get_token", token: nil, Self.credentials)
                #expect(answer.errcode == 0)
                #expect(answer.errmsg == "SUCCESS")
                #expect(answer.int("access_token_expire_time") == 1800)
                #expect(answer.int("refresh_token_expire_time") == 86400)
                let access = try #require(answer.json["access_token"]?.stringValue)
                #expect(access.count == 32 && access.allSatisfy { $0.isLetter || $0.isNumber })
                let list = try await api.get("extension/list", token: access, ["page": "1", "page_size": "10"])
                #expect(list.errcode == 0)
            }
        }
    }

    @Test(arguments: TestEngines.available)
    func wrongSecretIsFailureNamingUsernameOrPassword(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            try await hub.withClient { api in
                let answer = try await api.post("get_token", token: nil, ["username": .string(TestHub.clientID), "password": "nope"])
                #expect(answer.errcode == -1)
                #expect(answer.errmsg == "FAILURE")
                #expect(answer.json["invalid_param_list"] == [["field": "username or password", "value": "error"]])
                #expect(answer.json["access_token"] == nil)
            }
        }
    }

    @Test func missingFieldsAndMalformedBodiesAreParameterErrors() async throws {
        try await TestHub.with(.sqlite) { hub in
            try await hub.withClient { api in
                let missing = try await api.post("get_token", token: nil, [:])
                #expect(missing.errcode == 40002)
                #expect(missing.invalidFields == ["username", "password"])
                let syntax = try await api.call(.post, "get_token", body: "{not json")
                #expect(syntax.errcode == 40001)
                let array = try await api.call(.post, "get_token", body: "[1,2]")
                #expect(array.errcode == 40001)
            }
        }
    }

    @Test(arguments: TestEngines.available)
    func fiveFailuresBlockTheIPUntilTheCoolingPeriodEnds(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            try await hub.withClient { api in
                let wrong: JSONValue = ["username": .string(TestHub.clientID), "password": "wrong"]
                for attempt in 1...4 {
                    let answer = try await api.post("get_token", token: nil, wrong)
                    #expect(answer.errcode == -1, "attempt \(attempt)")
                }
                #expect(try await api.post("get_token", token: nil, wrong).errcode == 70004)
                let blocked = try await api.post("get_token", token: nil, Self.credentials)
                #expect(blocked.errcode == 70004)
                #expect(blocked.errmsg == "ACCOUNT IP BLOCKED")
                hub.clock.advance(by: 601)
                #expect(try await api.post("get_token", token: nil, Self.credentials).errcode == 0)
            }
        }
    }

    @Test func aSuccessResetsTheFailureCount() async throws {
        try await TestHub.with(.sqlite) { hub in
            try await hub.withClient { api in
                let wrong: JSONValue = ["username": .string(TestHub.clientID), "password": "wrong"]
                for _ in 1...4 { _ = try await api.post("get_token", token: nil, wrong) }
                #expect(try await api.post("get_token", token: nil, Self.credentials).errcode == 0)
                for _ in 1...4 { #expect(try await api.post("get_token", token: nil, wrong).errcode == -1) }
            }
        }
    }

    @Test(arguments: TestEngines.available)
    func atMostEightLiveAccessTokensPerClient(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            try await hub.withClient { api in
                var tokens: [String] = []
                for _ in 1...8 { tokens.append(try await api.token()) }
                let ninth = try await api.post("get_token", token: nil, Self.credentials)
                #expect(ninth.errcode == 60002)
                #expect(ninth.errmsg == "MAX LIMITATION EXCEEDED")
                #expect(try await api.get("del_token", token: tokens[0]).errcode == 0)
                #expect(try await api.post("get_token", token: nil, Self.credentials).errcode == 0)
                #expect(try await api.post("get_token", token: nil, Self.credentials).errcode == 60002)
                hub.clock.advance(by: 1801)
                #expect(try await api.post("get_token", token: nil, Self.credentials).errcode == 0)
            }
        }
    }

    @Test(arguments: TestEngines.available)
    func refreshRotatesBothTokens(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            try await hub.withClient { api in
                let first = try await api.post("get_token", token: nil, Self.credentials)
                let oldAccess = try #require(first.json["access_token"]?.stringValue)
                let oldRefresh = try #require(first.json["refresh_token"]?.stringValue)
                let refreshed = try await api.post("refresh_token", token: nil, ["refresh_token": .string(oldRefresh)])
                #expect(refreshed.errcode == 0)
                let newAccess = try #require(refreshed.json["access_token"]?.stringValue)
                let newRefresh = try #require(refreshed.json["refresh_token"]?.stringValue)
                #expect(newAccess != oldAccess && newRefresh != oldRefresh)
                #expect(refreshed.int("access_token_expire_time") == 1800)
                #expect(try await api.get("extension/list", token: oldAccess, ["page": "1", "page_size": "1"]).errcode == 10004)
                #expect(try await api.get("extension/list", token: newAccess, ["page": "1", "page_size": "1"]).errcode == 0)
                #expect(try await api.post("refresh_token", token: nil, ["refresh_token": .string(oldRefresh)]).errcode == 10004)
                hub.clock.advance(by: 86_401)
                #expect(try await api.post("refresh_token", token: nil, ["refresh_token": .string(newRefresh)]).errcode == 10004)
            }
        }
    }

    @Test func everyWayOfLackingAValidTokenIsTokenExpired() async throws {
        try await TestHub.with(.sqlite) { hub in
            try await hub.withClient { api in
                let query = ["page": "1", "page_size": "1"]
                #expect(try await api.get("extension/list", token: nil, query).errcode == 10004)
                #expect(try await api.get("extension/list", token: "x" + String(repeating: "a", count: 31), query).errcode == 10004)
                let token = try await api.token()
                let bearer = try await api.call(
                    .get, "extension/list", query: query,
                    headers: [.userAgent: "OpenAPI", .authorization: "Bearer \(token)"])
                #expect(bearer.errcode == 10004)
                #expect(try await api.get("del_token", token: token).errcode == 0)
                #expect(try await api.get("extension/list", token: token, query).errcode == 10004)
                let second = try await api.token()
                hub.clock.advance(by: 1801)
                let expired = try await api.get("extension/list", token: second, query)
                #expect(expired.errcode == 10004)
                #expect(expired.errmsg == "TOKEN EXPIRED")
            }
        }
    }

    @Test func userAgentIsRequired() async throws {
        try await TestHub.with(.sqlite) { hub in
            try await hub.withClient { api in
                let answer = try await api.call(
                    .post, "get_token", body: Self.credentials.serialized(), headers: [.contentType: "application/json"])
                #expect(answer.errcode == 40002)
                #expect(answer.invalidFields == ["User-Agent"])
            }
        }
    }

    @Test func unknownPathsAndWrongMethodsAreInterfaceNotExisted() async throws {
        try await TestHub.with(.sqlite) { hub in
            try await hub.withClient { api in
                let token = try await api.token()
                let unknown = try await api.get("no_such/thing", token: token)
                #expect(unknown.errcode == 10001)
                #expect(unknown.errmsg == "INTERFACE NOT EXISTED")
                #expect(try await api.post("extension/list", token: token, [:]).errcode == 10001)
                #expect(try await api.get("get_token", token: nil).errcode == 10001)
            }
        }
    }

    @Test func healthMetricsAndRequestIDs() async throws {
        try await TestHub.with(.sqlite) { hub in
            try await hub.withClient { api in
                let health = try await api.call(.get, "/health")
                #expect(health.json["status"] == "ok")
                #expect(health.headers[.init("X-Request-Id")!]?.isEmpty == false)
                let echoed = try await api.call(.get, "/health", headers: [.init("X-Request-Id")!: "abc-123"])
                #expect(echoed.headers[.init("X-Request-Id")!] == "abc-123")
                _ = try await api.token()
                let metrics = try await api.call(.get, "/metrics")
                #expect(metrics.text.contains("http_requests_total{method=\"POST\",route=\"/openapi/v1.0/get_token\",status=\"200\"}"))
                #expect(metrics.text.contains("http_request_duration_seconds_bucket"))
            }
        }
    }
}
