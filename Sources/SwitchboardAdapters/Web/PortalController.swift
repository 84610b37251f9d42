import HTTPTypes
import Hummingbird
import SQLKit
import SwitchboardCore

/// The admin portal: sign-in at `/`, then `/portal/{section}` pages with one navigation. Channels
/// and Queues list what is configured; the other sections are filled in by their own pages.
struct PortalController: Sendable {
    let sessions: AdminSessions
    let database: Database
    let web: WebResources

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
            switch section {
            case "channels":
                let list = try await channels()
                values["channels"] = list
                values["hasChannels"] = !list.isEmpty
                values["empty"] = list.isEmpty
            case "queues":
                let list = try await queues()
                values["queues"] = list
                values["hasQueues"] = !list.isEmpty
                values["empty"] = list.isEmpty
            default: values["placeholder"] = true
            }
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

    private func channels() async throws -> [[String: Any]] {
        let rows = try await database.run { db in
            try await db.raw("""
                SELECT c.id, c.name, c.type, c.provider, c.status, c.reason, c.channel_number,
                  (SELECT COUNT(*) FROM channel_numbers n WHERE n.channel_id = c.id) AS numbers
                FROM message_channels c ORDER BY c.id
                """).all()
        }
        return try rows.map { row -> [String: Any] in
            let status = try row.decode(column: "status", as: String.self)
            return [
                "id": try row.decode(column: "id", as: Int64.self), "name": try row.decode(column: "name", as: String.self),
                "type": try row.decode(column: "type", as: String.self), "provider": try row.decode(column: "provider", as: String.self),
                "status": status.hasSuffix("succ") ? "Connected" : "Disconnected", "ok": status.hasSuffix("succ"), "reason": try row.decode(column: "reason", as: String.self),
                "numbers": try row.decode(column: "channel_number", as: String?.self) ?? "\(try row.decode(column: "numbers", as: Int64.self)) number(s)",
            ]
        }
    }

    private func queues() async throws -> [[String: Any]] {
        let rows = try await database.run { db in
            try await db.raw("""
                SELECT q.id, q.name, q.assignment_mode, (SELECT COUNT(*) FROM message_queue_members m WHERE m.queue_id = q.id) AS members
                FROM message_queues q ORDER BY q.id
                """).all()
        }
        return try rows.map { row -> [String: Any] in
            [
                "id": try row.decode(column: "id", as: Int64.self), "name": try row.decode(column: "name", as: String.self),
                "mode": try row.decode(column: "assignment_mode", as: String.self), "members": try row.decode(column: "members", as: Int64.self),
            ]
        }
    }
}
