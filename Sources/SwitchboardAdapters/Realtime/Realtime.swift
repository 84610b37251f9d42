import AsyncHTTPClient
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import ServiceLifecycle
import SwitchboardCore

/// Tunables of realtime delivery.
public struct RealtimeOptions: Sendable {
    /// How often the hub reads the log when nothing woke it.
    public var pollInterval: Duration = .milliseconds(200)
    /// Yeastar closes an event WebSocket after this long without a client frame.
    public var idle = IdlePolicy(timeoutSeconds: 60)
    /// How often sockets compare the clock against the idle timeout.
    public var idleCheckInterval: Duration = .milliseconds(200)
    /// Backoff of event webhook deliveries: 8 attempts over roughly 20 minutes.
    public var webhookRetry = RetryPolicy(maxAttempts: 8, baseSeconds: 5, capSeconds: 600, jitter: 0.2)

    public init() {}
}

/// Realtime delivery of the event log, assembled once per hub: the `EventHub`, the two event
/// WebSockets (`/openapi/v1.0/subscribe` for OpenAPI clients, `/api/inbox/ws` for agents) and the
/// event webhooks (their OpenAPI endpoints and the delivering service).
public struct Realtime: Sendable {
    public let hub: EventHub
    public let webhooks: EventWebhookDeliverer
    /// This install's serial: the `sn` of every event envelope.
    public let serial: String
    let options: RealtimeOptions
    let database: Database
    let clock: any WallClock
    let tokens: TokenService
    let secrets: SecretBox
    let http: HTTPClient
    let agents: any AgentAuthenticator

    public static func make(
        database: Database, databaseURL: String, clock: any WallClock, tokens: TokenService, secrets: SecretBox, http: HTTPClient,
        agents: any AgentAuthenticator, logger: Logger, options: RealtimeOptions = .init()
    ) async throws -> Realtime {
        let hub = try await EventHub.make(database: database, databaseURL: databaseURL, logger: logger, pollInterval: options.pollInterval)
        let serial = try await EventStore.serial(database)
        let webhooks = EventWebhookDeliverer(
            database: database, hub: hub, http: http, clock: clock, secrets: secrets, retry: options.webhookRetry, serial: serial,
            logger: logger, pollInterval: options.pollInterval)
        return Realtime(
            hub: hub, webhooks: webhooks, serial: serial, options: options, database: database, clock: clock, tokens: tokens,
            secrets: secrets, http: http, agents: agents)
    }

    /// The background services: the hub and the webhook deliverer.
    public var services: [any Service] { [hub, webhooks] }

    /// The routes that upgrade to WebSockets (give it to `.http1WebSocketUpgrade(webSocketRouter:)`).
    public func makeWebSocketRouter() -> Router<BasicWebSocketRequestContext> {
        let router = Router(context: BasicWebSocketRequestContext.self)
        let loop = SocketLoop(clock: clock, idle: options.idle, checkInterval: options.idleCheckInterval)
        SubscribeSocket(hub: hub, tokens: tokens, loop: loop, serial: serial).addRoute(to: router)
        InboxSocket(hub: hub, agents: agents, loop: SocketLoop(clock: clock, idle: nil, checkInterval: options.idleCheckInterval))
            .addRoute(to: router)
        return router
    }

    /// The HTTP server builder with the WebSocket upgrades.
    public var server: HTTPServerBuilder {
        .http1WebSocketUpgrade(webSocketRouter: makeWebSocketRouter())
    }

    /// `event_webhook/*` under the token-protected OpenAPI group.
    func addRoutes(to protected: RouterGroup<AppRequestContext>) {
        EventWebhookController(database: database, clock: clock, secrets: secrets, http: http, serial: serial).addRoutes(to: protected)
    }
}
