import Hummingbird

/// Registers the web: static assets, the admin portal, the agent inbox page and its extra
/// endpoints, the Live Chat widget and its API, and the Live Chat office-hours endpoints.
struct WebRoutes {
    let hub: Switchboard

    init(_ hub: Switchboard) { self.hub = hub }

    func addRoutes(to router: Router<AppRequestContext>, openapi: RouterGroup<AppRequestContext>) {
        let web = WebResources.shared
        let inboxAuth = InboxAuth(database: hub.database, clock: hub.clock)
        router.get("assets/:name") { request, context in web.assetResponse(try context.parameters.require("name"), request: request) }
        let adminSessions = AdminSessions(database: hub.database, clock: hub.clock, credentials: hub.credentials, inbox: inboxAuth)
        let channelContext = ChannelContext(database: hub.database, clock: hub.clock, secrets: hub.secrets, configuration: hub.configuration)
        PortalController(
            sessions: adminSessions, database: hub.database, web: web,
            pages: PortalPages(database: hub.database, clock: hub.clock, channels: channelContext)
        ).addRoutes(to: router)
        PortalBridge(hub: hub, sessions: adminSessions).addRoutes(to: router)
        InboxPage(auth: inboxAuth, database: hub.database, clock: hub.clock, templates: hub.templates, files: hub.files, web: web).addRoutes(to: router)
        let dispatcher = hub.dispatcher
        LiveChatWidgetAPI(
            database: hub.database, clock: hub.clock, inbound: hub.inbound, files: hub.files, hub: hub.realtime.hub,
            nudge: { dispatcher.nudge() }, web: web
        ).addRoutes(to: router)
        LiveChatHoursStore.addRoutes(to: openapi, database: hub.database, clock: hub.clock)
    }
}
