import Foundation
import HTTPTypes
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// The portal's JSON bridge `/portal/api/{openapi path}`: the admin cookie and the session's CSRF
/// token are both required, and answers are the OpenAPI handlers' own.
@Suite("Web: portal JSON bridge")
struct WebPortalBridgeTests {
    /// A signed-in admin: the session cookie and the CSRF token of their pages.
    struct Admin {
        var cookie: String
        var csrf: String
    }

    static func signIn(_ api: OpenAPIClient) async throws -> Admin {
        let page = try await api.call(.get, "/")
        let login = try #require(WebPortalTests.cookie(page, AdminSessions.loginCookieName))
        let token = try #require(WebPortalTests.csrf(in: page.text))
        let ok = try await WebPortalTests.form(api, "/", ["password": TestHub.adminPassword, "csrf": token], cookies: [login])
        let session = try #require(WebPortalTests.cookie(ok, AdminSessions.cookieName))
        let portal = try await api.call(.get, "/portal/channels", headers: [.cookie: session])
        return Admin(cookie: session, csrf: try #require(WebPortalTests.csrf(in: portal.text)))
    }

    static func bridge(
        _ api: OpenAPIClient, _ method: HTTPRequest.Method, _ path: String, query: [String: String] = [:], _ body: JSONValue? = nil,
        cookie: String?, csrf: String?
    ) async throws -> OpenAPIClient.Answer {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let cookie { headers[.cookie] = cookie }
        if let csrf { headers[PortalAPIMiddleware.csrfHeader] = csrf }
        return try await api.call(method, "/portal/api/" + path, query: query, body: body?.serialized(), headers: headers)
    }

    @Test(arguments: TestEngines.available)
    func theCookieAndTheCSRFTokenAreBothRequired(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            try await hub.withClient { api in
                let admin = try await Self.signIn(api)
                let body: JSONValue = ["name": "Sales", "assignment_mode": "auto", "members": []]
                let noCookie = try await Self.bridge(api, .post, "message_queue/create", body, cookie: nil, csrf: admin.csrf)
                #expect(noCookie.errcode == 10004 && noCookie.errmsg == "TOKEN EXPIRED")
                let noToken = try await Self.bridge(api, .post, "message_queue/create", body, cookie: admin.cookie, csrf: nil)
                #expect(noToken.errcode == 10005 && noToken.errmsg == "ACCESS DENIED")
                let wrongToken = try await Self.bridge(api, .post, "message_queue/create", body, cookie: admin.cookie, csrf: String(repeating: "x", count: admin.csrf.count))
                #expect(wrongToken.errcode == 10005)
                // A forged cookie is no session either.
                let forged = try await Self.bridge(api, .post, "message_queue/create", body, cookie: AdminSessions.cookieName + "=forged", csrf: admin.csrf)
                #expect(forged.errcode == 10004)
                let token = try await api.token()
                let none = try await api.get("message_queue/list", token: token, ["page": "1", "page_size": "10"])
                #expect(none.errcode == 0 && !none.text.contains("Sales"), "a refused call wrote nothing: \(none.text)")

                let created = try await Self.bridge(api, .post, "message_queue/create", body, cookie: admin.cookie, csrf: admin.csrf)
                #expect(created.errcode == 0, "\(created.text)")
                let id = try #require(created.int("id"))
                let listed = try await Self.bridge(api, .get, "message_queue/get", query: ["id": String(id)], cookie: admin.cookie, csrf: admin.csrf)
                #expect(listed.json["data"]?["name"]?.stringValue == "Sales", "\(listed.text)")

                // Signed out: the same cookie and token no longer work.
                let out = try await WebPortalTests.form(api, "/portal/logout", ["csrf": admin.csrf], cookies: [admin.cookie])
                #expect(out.status == .seeOther)
                let after = try await Self.bridge(api, .get, "message_queue/list", cookie: admin.cookie, csrf: admin.csrf)
                #expect(after.errcode == 10004)
            }
        }
    }

    @Test(arguments: TestEngines.available)
    func errorsAreTheOpenAPIsOwn(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            try await hub.withClient { api in
                let admin = try await Self.signIn(api)
                let token = try await api.token()
                let bad: JSONValue = [
                    "name": "Bad", "webhook_url_type": "nat", "channel": "general",
                    "account_data": [["k": "api_key", "v": "not base64!"], ["k": "api_send_url", "v": "ftp://x"]],
                ]
                let viaBridge = try await Self.bridge(api, .post, "message_channel/create", bad, cookie: admin.cookie, csrf: admin.csrf)
                let viaOpenAPI = try await api.post("message_channel/create", token: token, bad)
                #expect(viaBridge.status == .ok && viaBridge.errcode == 40002)
                #expect(viaBridge.json == viaOpenAPI.json, "bridge \(viaBridge.text) vs OpenAPI \(viaOpenAPI.text)")
                #expect(Set(viaBridge.invalidFields) == ["account_data[0].v", "account_data[1].v"])

                let queue: JSONValue = ["name": "Support", "assignment_mode": "manual", "members": []]
                #expect(try await Self.bridge(api, .post, "message_queue/create", queue, cookie: admin.cookie, csrf: admin.csrf).errcode == 0)
                let duplicate = try await Self.bridge(api, .post, "message_queue/create", queue, cookie: admin.cookie, csrf: admin.csrf)
                #expect(duplicate.json == (try await api.post("message_queue/create", token: token, queue)).json)
                #expect(duplicate.errcode != 0)

                let missing = try await Self.bridge(api, .get, "message_queue/delete", query: ["id": "999"], cookie: admin.cookie, csrf: admin.csrf)
                #expect(missing.errcode == 60001, "\(missing.text)")
                let unknown = try await Self.bridge(api, .post, "no_such/thing", [:], cookie: admin.cookie, csrf: admin.csrf)
                #expect(unknown.errcode == 10001)
            }
        }
    }

    @Test func apiClientSecretsAreShownOnceAndTheLastClientStays() async throws {
        try await TestHub.with(.sqlite) { hub in
            try await hub.withClient { api in
                let admin = try await Self.signIn(api)
                let created = try await Self.bridge(api, .post, "api_client/create", [:], cookie: admin.cookie, csrf: admin.csrf)
                let id = try #require(created.json["client_id"]?.stringValue), secret = try #require(created.json["client_secret"]?.stringValue)
                let token = try await api.post("get_token", token: nil, ["username": .string(id), "password": .string(secret)])
                #expect(token.json["access_token"]?.stringValue?.isEmpty == false, "\(token.text)")
                let list = try await Self.bridge(api, .get, "api_client/list", cookie: admin.cookie, csrf: admin.csrf)
                #expect(list.int("total_number") == 2 && !list.text.contains(secret))
                #expect(try await Self.bridge(api, .post, "api_client/delete", ["client_id": .string(id)], cookie: admin.cookie, csrf: admin.csrf).errcode == 0)
                let last = try await Self.bridge(api, .post, "api_client/delete", ["client_id": .string(TestHub.clientID)], cookie: admin.cookie, csrf: admin.csrf)
                #expect(last.errcode == 70084)
                let access = try #require(token.json["access_token"]?.stringValue)
                #expect(try await api.get("message_queue/list", token: access).errcode == 10004, "a deleted client's token is revoked")
            }
        }
    }
}
