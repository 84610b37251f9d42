import HTTPTypes
import Hummingbird
import SQLKit
import SwitchboardCore

/// The admin portal: sign-in at `/`, then `/portal/{section}` pages with one navigation; each
/// section's values come from `PortalPages`, its changes go through `PortalBridge`.
struct PortalController: Sendable {
    let sessions: AdminSessions
    let database: Database
    let web: WebResources
    let pages: PortalPages

    /// The portal's sections, in navigation order: path, label.
    static let sections: [(String, String)] = [
        ("channels", "Channels"), ("queues", "Queues"), ("directory", "Directory"), ("campaigns", "Campaigns"),
        ("chat-logs", "Chat logs"), ("api", "API & webhooks"), ("email", "Email"),
    ]

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/") { request, _ in try await signInPage(request, error: nil) }
        router.post("/") { request, context in try await signIn(request, ip: context.peerIP) }
        router.post("portal/logout") { request, _ in
            var request = request
            let form = try await WebCookies.form(&request)
            guard let admin = try await sessions.admin(for: request), WebCookies.same(form["csrf"], admin.csrf) else {
                return Response(status: .forbidden)
            }
            try await sessions.signOut(request)
            return WebCookies.redirect("/", cookies: [WebCookies.set(AdminSessions.cookieName, "", maxAge: 0)])
        }
        router.get("portal") { _, _ in WebCookies.redirect("/portal/channels") }
        router.get("portal/:section") { request, context in
            let section = try context.parameters.require("section")
            guard let label = Self.sections.first(where: { $0.0 == section })?.1 else { return Response(status: .notFound) }
            guard let admin = try await sessions.admin(for: request) else { return WebCookies.redirect("/") }
            var values: [String: Any] = [
                "title": label, "csrf": admin.csrf,
                "nav": Self.sections.map { ["href": "/portal/" + $0.0, "label": $0.1, "current": $0.0 == section] as [String: Any] },
            ]
            try await pages.fill(section, query: request.queryDictionary, into: &values)
            return web.page("portal", values)
        }
    }

    func signInPage(_ request: Request, error: String?) async throws -> Response {
        if try await sessions.admin(for: request) != nil { return WebCookies.redirect("/portal/channels") }
        let csrf = RandomToken.alphanumeric(32)
        var values: [String: Any] = ["title": "Sign in", "csrf": csrf]
        if let error { values["error"] = error }
        return web.page(
            "signin", values,
            headers: [.setCookie: WebCookies.set(AdminSessions.loginCookieName, csrf, maxAge: 3600)])
    }

    func signIn(_ request: Request, ip: String) async throws -> Response {
        var request = request
        let form = try await WebCookies.form(&request)
        guard WebCookies.same(form["csrf"], WebCookies.value(AdminSessions.loginCookieName, in: request)) else {
            return try await signInPage(request, error: "The form expired. Please sign in again.")
        }
        switch try await sessions.signIn(password: form["password"] ?? "", ip: ip) {
        case .signedIn(let cookie):
            return WebCookies.redirect("/portal/channels", cookies: [cookie, WebCookies.set(AdminSessions.loginCookieName, "", maxAge: 0)])
        case .refused(let reason):
            return try await signInPage(request, error: reason)
        }
    }
}
