import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import SwitchboardCore

/// The composition root: the one place that knows every concrete type. `main` and the tests both
/// build the hub through `Switchboard.start(configuration:)` and `makeApplication()`.
public struct Switchboard: Sendable {
    public let configuration: AppConfiguration
    public let database: Database
    public let clock: any WallClock
    public let logger: Logger
    public let secrets: SecretBox
    public let metrics: PrometheusCollectorRegistry
    public let tokens: TokenService
    public let credentials: CredentialStore
    /// What first start generated (admin password, API client); print it once.
    public let generated: CredentialStore.Generated
    public let providers: ProviderRegistry
    public let http: HTTPClient
    /// Sends the outbox at each channel's rate (a background service of the application).
    public let dispatcher: OutboxDispatcher
    /// The simulated network behind the `sandbox` provider.
    public let sandbox: SandboxWorld
    /// The event hub, the event WebSockets and the event webhooks.
    public let realtime: Realtime
    /// Executes message campaigns through the outbox (a background service).
    public let campaigns: CampaignRunner

    /// Opens storage, applies migrations and ensures first-start credentials.
    public static func start(configuration: AppConfiguration, clock: any WallClock = SystemClock(), logger: Logger? = nil) async throws -> Switchboard {
        var logger = logger ?? Logger(label: "switchboard")
        logger.logLevel = configuration.logLevel
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        let key = try SecretBox.loadMasterKey(environmentValue: configuration.secretKey, dataDirectory: configuration.dataDirectory)
        let database = try await Database.open(url: configuration.resolvedDatabaseURL, logger: logger, poolSize: configuration.databasePoolSize)
        do {
            try await MigrationRunner().migrate(database, logger: logger)
            let credentials = CredentialStore(database: database)
            let generated = try await credentials.ensure(
                adminPassword: configuration.adminPassword, clientID: configuration.apiClientID,
                clientSecret: configuration.apiClientSecret)
            let secrets = SecretBox(key: key)
            let http = HTTPClient.shared
            let sandbox = SandboxWorld(http: http, logger: logger)
            let providers = ProviderRegistry.standard(configuration: configuration, sandbox: sandbox)
            let channels = ChannelStore(context: ChannelContext(database: database, clock: clock, secrets: secrets, configuration: configuration))
            let dispatcher = OutboxDispatcher(
                database: database, channels: channels, providers: providers, http: http, clock: clock,
                retry: configuration.outboxRetry, leaseSeconds: configuration.outboxLeaseSeconds, logger: logger)
            let realtime = try await Realtime.make(
                database: database, databaseURL: configuration.resolvedDatabaseURL, clock: clock, tokens: TokenService(database: database, clock: clock),
                secrets: secrets, http: http, agents: InboxAuth(database: database, clock: clock), logger: logger)
            let files = FileStore(database: database, clock: clock, directory: configuration.dataDirectory + "/files", publicURL: configuration.resolvedPublicURL)
            let campaigns = CampaignRunner(database: database, channels: channels, files: files, dispatcher: dispatcher, clock: clock, logger: logger)
            return Switchboard(
                configuration: configuration, database: database, clock: clock, logger: logger,
                secrets: secrets, metrics: PrometheusCollectorRegistry(),
                tokens: TokenService(database: database, clock: clock), credentials: credentials, generated: generated,
                providers: providers, http: http, dispatcher: dispatcher, sandbox: sandbox, realtime: realtime, campaigns: campaigns)
        } catch {
            await database.close()
            throw error
        }
    }

    /// Every route of the hub.
    public func makeRouter() -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ObservabilityMiddleware(registry: metrics))
        router.add(middleware: OpenAPIErrorMiddleware())
        SystemController(database: database, registry: metrics).addRoutes(to: router)
        WebhookController(channels: channelStore, providers: providers, inbound: inbound).addRoutes(to: router)
        FileRoutes(files: files).addRoutes(to: router)

        let openapi = router.group("openapi/v1.0").add(middleware: UserAgentMiddleware())
        let auth = AuthController(tokens: tokens)
        auth.addPublicRoutes(to: openapi)
        let protected = openapi.group().add(middleware: AccessTokenMiddleware(tokens: tokens))
        auth.addProtectedRoutes(to: protected)
        DirectoryRoutes(database: database, clock: clock).addRoutes(to: protected)
        ChannelRoutes(database: database, clock: clock, secrets: secrets, configuration: configuration).addRoutes(to: protected)
        SessionRoutes(self).addRoutes(openapi: protected, router: router)
        CampaignController(database: database, clock: clock, runner: campaigns, files: files, templates: templates).addRoutes(to: protected)
        TemplateController(templates: templates).addRoutes(to: protected)
        realtime.addRoutes(to: protected)
        WebRoutes(self).addRoutes(to: router, openapi: protected)
        ChatLogController(self).addRoutes(to: protected)
        return router
    }

    /// The HTTP server plus every background service, ready for `runService()`.
    public func makeApplication(onServerRunning: (@Sendable (Int) async -> Void)? = nil) -> some ApplicationProtocol {
        var app = Application(
            router: makeRouter(),
            server: realtime.server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Switchboard"),
            onServerRunning: { [sandbox] channel in
                sandbox.serverStarted(port: channel.localAddress?.port ?? 0)
                await onServerRunning?(channel.localAddress?.port ?? 0)
            },
            logger: logger
        )
        app.addServices(DatabaseCloser(database: database), dispatcher, sandbox, mediaFetcher, FileSweeper(files: files), ConnectivityChecker(channels: channelStore, providers: providers, http: http, logger: logger),
            AutoCloser(database: database, clock: clock, logger: logger),
            EventRetention(database: database, clock: clock, logger: logger, retentionDays: configuration.eventRetentionDays))
        app.addServices(realtime.services)
        app.addServices(campaigns, TemplateRefresher(templates: templates))
        return app
    }
}

extension Switchboard {
    var channelStore: ChannelStore {
        ChannelStore(context: ChannelContext(database: database, clock: clock, secrets: secrets, configuration: configuration))
    }

    var inbound: InboundService { InboundService(database: database, clock: clock) }

    /// WhatsApp templates synced from Graph (base URL overridable like the WhatsApp provider's).
    var templates: TemplateStore {
        TemplateStore(database: database, channels: channelStore, http: http, graph: GraphEndpoint(configuration.providerBaseURLs["whatsapp"]), clock: clock)
    }

    /// Uploaded and downloaded files, served at `/api/chat/{id}`.
    public var files: FileStore {
        FileStore(database: database, clock: clock, directory: configuration.dataDirectory + "/files", publicURL: configuration.resolvedPublicURL)
    }

    var mediaFetcher: MediaFetcher {
        MediaFetcher(database: database, channels: channelStore, providers: providers, files: files, http: http, clock: clock, logger: logger)
    }
}

/// Wall-clock time from the system.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}

/// Closes the database when the service group shuts down (it is listed first, so it stops last).
struct DatabaseCloser: Service {
    let database: Database

    func run() async throws {
        try? await gracefulShutdown()
        await database.close()
    }
}
