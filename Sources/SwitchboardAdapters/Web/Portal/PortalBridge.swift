import Foundation
import HTTPTypes
import Hummingbird
import SwitchboardCore

/// The portal's JSON bridge: `/portal/api/{openapi path}` (e.g. `/portal/api/message_channel/create`)
/// answers exactly like `/openapi/v1.0/{openapi path}` — the same handlers are mounted a second
/// time, so validation and `errcode`/`errmsg` are the OpenAPI's — but is authenticated by the admin
/// session cookie plus the session's CSRF token in `X-CSRF-Token` instead of an access token.
/// No cookie (or an expired session) answers `10004 TOKEN EXPIRED`; a missing or wrong token
/// `10005 ACCESS DENIED` (HTTP 200, like every OpenAPI error).
struct PortalBridge {
    let hub: Switchboard
    let sessions: AdminSessions

    func addRoutes(to router: Router<AppRequestContext>) {
        let group = router.group("portal/api").add(middleware: PortalAPIMiddleware(sessions: sessions))
        DirectoryRoutes(database: hub.database, clock: hub.clock).addRoutes(to: group)
        ChannelRoutes(database: hub.database, clock: hub.clock, secrets: hub.secrets, configuration: hub.configuration).addRoutes(to: group)
        hub.realtime.addRoutes(to: group)
        PortalAPIClients(database: hub.database, clock: hub.clock).addRoutes(to: group)
        LiveChatHoursStore.addRoutes(to: group, database: hub.database, clock: hub.clock)
        ChatLogController(hub).addRoutes(to: group)
        PortalEmail(email: hub.email).addRoutes(to: group)
        CampaignController(database: hub.database, clock: hub.clock, runner: hub.campaigns, files: hub.files, templates: hub.templates).addRoutes(to: group)
        TemplateController(templates: hub.templates).addRoutes(to: group)
    }
}

/// Admin cookie + `X-CSRF-Token` check of the portal bridge.
struct PortalAPIMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    let sessions: AdminSessions

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let admin = try await sessions.admin(for: request) else { throw APIError.tokenExpired }
        guard WebCookies.same(request.headers[Self.csrfHeader], admin.csrf) else {
            throw APIError(.accessDenied, detail: "X-CSRF-Token is missing or wrong")
        }
        var context = context
        context.logger[metadataKey: "portal"] = "admin"
        return try await next(request, context)
    }
}
