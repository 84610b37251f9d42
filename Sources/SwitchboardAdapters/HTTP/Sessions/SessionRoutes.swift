import AsyncHTTPClient
import Hummingbird
import SwitchboardCore

/// The agent a web inbox request was signed in as (set by `InboxAuthMiddleware` for the handlers
/// it wraps; nil for OpenAPI calls).
struct InboxAgent: Sendable {
    var extensionID: Int64
    var number: String

    @TaskLocal static var current: InboxAgent?

    /// The `user_type`/`user_no` a handler must use instead of the request's: the signed-in agent.
    static var forcedUser: UserReference? { current.map { .extension($0.number) } }
}

/// What the session and message handlers share.
struct SessionContext: Sendable {
    let database: Database
    let clock: any WallClock
    let views: SessionViews
    let sender: SessionSender
    let http: HTTPClient
    /// Wakes the outbox dispatcher after a send is committed.
    let nudge: @Sendable () -> Void

    /// The actor of a request: the signed-in agent in the inbox; otherwise `user_type`/`user_no`
    /// when sent (`required` for the endpoints whose reference lists them), else the OpenAPI client.
    func acting(_ reader: inout FieldReader, required: Bool, type: String = "user_type", number: String = "user_no") async throws -> Acting {
        let reference = InboxAgent.forcedUser ?? UserReference.read(&reader, type: type, number: number, required: required)
        try reader.finish()
        return try await database.run { db in try await Acting.resolve(db, reference, field: number) }
    }
}

/// Mounts the message and session handlers twice: on the OpenAPI group (access token) and on
/// `/api/inbox/` (agent sign-in cookie, `user_type` 1 and `user_no` forced to the agent).
struct SessionRoutes {
    let context: SessionContext
    let inbox: InboxAuth

    init(_ hub: Switchboard) {
        let dispatcher = hub.dispatcher
        context = SessionContext(
            database: hub.database, clock: hub.clock, views: SessionViews(channels: hub.channelStore, clock: hub.clock),
            sender: SessionSender(database: hub.database, clock: hub.clock), http: hub.http, nudge: { dispatcher.nudge() })
        inbox = InboxAuth(database: hub.database, clock: hub.clock)
    }

    func addRoutes(openapi: RouterGroup<AppRequestContext>, router: Router<AppRequestContext>) {
        addHandlers(to: openapi)
        VoiceEscalation(context: context).addSettingsRoutes(to: openapi)
        let inboxGroup = router.group("api/inbox")
        inbox.addRoutes(to: inboxGroup)
        addHandlers(to: inboxGroup.group().add(middleware: InboxAuthMiddleware(auth: inbox)))
    }

    private func addHandlers(to group: RouterGroup<AppRequestContext>) {
        MessageController(context: context).addRoutes(to: group)
        SessionController(context: context).addRoutes(to: group)
        SessionExtras(context: context).addRoutes(to: group)
        VoiceEscalation(context: context).addRoutes(to: group)
    }
}
