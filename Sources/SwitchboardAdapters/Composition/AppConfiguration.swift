import Logging
import SwitchboardCore

/// Everything `switchboard serve` can be told, from flags or `SWITCHBOARD_*` variables.
public struct AppConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// `sqlite:<path>` (default `<data-dir>/switchboard.sqlite`) or `postgres://…`.
    public var databaseURL: String?
    /// The base URL providers and browsers reach this hub at (webhook URLs and file links start with it).
    public var publicURL: String?
    /// The base used by channels whose `webhook_url_type` is `fqdn`; falls back to `publicURL`.
    public var fqdnURL: String?
    public var dataDirectory = "./data"
    public var apiClientID: String?
    public var apiClientSecret: String?
    public var adminPassword: String?
    /// Base64 of 32 bytes; when nil the key lives in `<data-dir>/master.key`.
    public var secretKey: String?
    public var logLevel: Logger.Level = .info
    /// Adds a sandbox channel and a simulated customer (`serve --demo`).
    public var demo = false
    /// How long a claimed send may stay unfinished before another claim may retry it (a crashed
    /// node's sends). Must exceed the provider call timeout (30 s).
    public var outboxLeaseSeconds: Int64 = 60
    /// PostgreSQL connections per event loop.
    public var databasePoolSize = 8
    /// Days events are kept for realtime resume and webhooks (`SWITCHBOARD_EVENT_RETENTION_DAYS`).
    public var eventRetentionDays: Int64 = 30
    /// Backoff of outbound sends that failed transiently.
    public var outboxRetry = RetryPolicy()
    /// Provider API bases overridden by name (`twilio` → `http://127.0.0.1:9001`), for fakes and staging.
    public var providerBaseURLs: [String: String] = [:]
    /// PEM file of certificates trusted for the email (SMTP) server besides the system roots.
    public var smtpCAFile: String?

    public init() {}

    public var resolvedDatabaseURL: String {
        databaseURL ?? "sqlite:\(dataDirectory)/switchboard.sqlite"
    }

    public var resolvedPublicURL: String {
        var url = publicURL ?? "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)"
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
