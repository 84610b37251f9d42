import Foundation
import HTTPTypes
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// The admin portal's sign-in, cookie session and CSRF checks, and the static assets.
@Suite("Web: portal sign-in and assets")
struct WebPortalTests {
    static func cookie(_ answer: OpenAPIClient.Answer, _ name: String) -> String? {
        answer.headers[values: .setCookie].first { $0.hasPrefix(name + "=") }.map { String($0.split(separator: ";")[0]) }
    }

    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    static func form(_ api: OpenAPIClient, _ path: String, _ fields: [String: String], cookies: [String]) async throws -> OpenAPIClient.Answer {
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        return try await api.call(.post, path, body: body, headers: [
            .contentType: "application/x-www-form-urlencoded", .cookie: cookies.joined(separator: "; "),
        ])
    }

    @Test(arguments: TestEngines.available)
    func adminSignsInWithTheAdminPasswordAndFormsNeedTheToken(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            try await hub.withClient { api in
                let page = try await api.call(.get, "/")
                #expect(page.status == .ok && page.headers[.contentType]?.hasPrefix("text/html") == true)
                let login = try #require(Self.cookie(page, AdminSessions.loginCookieName))
                let token = try #require(Self.csrf(in: page.text))
                #expect(login == "\(AdminSessions.loginCookieName)=\(token)")
                #expect(page.text.contains("<label for=\"password\">"))

                // No token, or a token without its cookie: refused before the password is looked at.
                let noToken = try await Self.form(api, "/", ["password": TestHub.adminPassword], cookies: [login])
                #expect(noToken.text.contains("The form expired") && Self.cookie(noToken, AdminSessions.cookieName) == nil)
                let noCookie = try await Self.form(api, "/", ["password": TestHub.adminPassword, "csrf": token], cookies: [])
                #expect(noCookie.text.contains("The form expired") && Self.cookie(noCookie, AdminSessions.cookieName) == nil)
                let wrong = try await Self.form(api, "/", ["password": "nope", "csrf": token], cookies: [login])
                #expect(wrong.status == .ok && wrong.text.contains("The password is incorrect.") && Self.cookie(wrong, AdminSessions.cookieName) == nil)

                let ok = try await Self.form(api, "/", ["password": TestHub.adminPassword, "csrf": token], cookies: [login])
                #expect(ok.status == .seeOther && ok.headers[.location] == "/portal/channels")
                let setCookie = try #require(ok.headers[values: .setCookie].first { $0.hasPrefix(AdminSessions.cookieName + "=") })
                for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] { #expect(setCookie.contains(attribute)) }
                let session = try #require(Self.cookie(ok, AdminSessions.cookieName))

                let signedOut = try await api.call(.get, "/portal/queues")
                #expect(signedOut.status == .seeOther && signedOut.headers[.location] == "/")
                let queues = try await api.call(.get, "/portal/queues", headers: [.cookie: session])
                #expect(queues.status == .ok && queues.text.contains("aria-current=\"page\">Queues"))
                for label in ["Channels", "Queues", "Directory", "Campaigns", "Chat logs", "API &amp; webhooks", "Email"] {
                    #expect(queues.text.contains(">\(label)</a>"), "navigation lacks \(label)")
                }
                let portalToken = try #require(Self.csrf(in: queues.text))

                let forged = try await Self.form(api, "/portal/logout", [:], cookies: [session])
                #expect(forged.status == .forbidden)
                let out = try await Self.form(api, "/portal/logout", ["csrf": portalToken], cookies: [session])
                #expect(out.status == .seeOther)
                #expect(try await api.call(.get, "/portal/channels", headers: [.cookie: session]).status == .seeOther)
            }
        }
    }

    @Test func assetsAreCachedAndRevalidated() async throws {
        try await TestHub.with(.sqlite) { hub in
            try await hub.withClient { api in
                for (name, type) in [("app.css", "text/css"), ("inbox.js", "text/javascript")] {
                    let asset = try await api.call(.get, "/assets/" + name)
                    #expect(asset.status == .ok && asset.headers[.contentType]?.hasPrefix(type) == true)
                    #expect(asset.headers[.cacheControl] == "public, max-age=3600")
                    let etag = try #require(asset.headers[.eTag])
                    let again = try await api.call(.get, "/assets/" + name, headers: [.ifNoneMatch: etag])
                    #expect(again.status == .notModified)
                }
                #expect(try await api.call(.get, "/assets/nothing.js").status == .notFound)
                let inbox = try await api.call(.get, "/inbox")
                #expect(inbox.status == .ok && inbox.text.contains("Do Not Disturb") && inbox.text.contains("<label for=\"ext\">"))
            }
        }
    }
}
