import ArgumentParser
import Foundation
import Logging
import SwitchboardAdapters

/// `switchboard` — the omnichannel messaging hub.
@main
struct SwitchboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchboard",
        abstract: "Self-hosted omnichannel messaging hub with a Yeastar-compatible OpenAPI.",
        subcommands: [Serve.self, Migrate.self],
        defaultSubcommand: Serve.self
    )
}

/// Options shared by every subcommand; each falls back to its `SWITCHBOARD_*` variable.
struct CommonOptions: ParsableArguments {
    @Option(help: "Database URL: sqlite:<path> or postgres://user:pass@host:port/db (env SWITCHBOARD_DATABASE).")
    var database: String?

    @Option(name: .customLong("data-dir"), help: "Directory for the SQLite file, uploaded files and the master key (env SWITCHBOARD_DATA_DIR).")
    var dataDir: String?

    func apply(to configuration: inout AppConfiguration, environment env: [String: String]) {
        configuration.databaseURL = database ?? env["SWITCHBOARD_DATABASE"]
        configuration.dataDirectory = dataDir ?? env["SWITCHBOARD_DATA_DIR"] ?? configuration.dataDirectory
        configuration.secretKey = env["SWITCHBOARD_SECRET_KEY"]
        if let level = env["SWITCHBOARD_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) { configuration.logLevel = level }
        if let lease = env["SWITCHBOARD_OUTBOX_LEASE_SECONDS"].flatMap(Int64.init), lease > 0 { configuration.outboxLeaseSeconds = lease }
        if let days = env["SWITCHBOARD_EVENT_RETENTION_DAYS"].flatMap(Int64.init), days > 0 { configuration.eventRetentionDays = days }
        for (key, value) in env where key.hasPrefix("SWITCHBOARD_PROVIDER_URL_") {
            configuration.providerBaseURLs[String(key.dropFirst("SWITCHBOARD_PROVIDER_URL_".count)).lowercased()] = value
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP server and every background service.")

    @OptionGroup var common: CommonOptions
    @Option(help: "Address to listen on (env SWITCHBOARD_HOST).") var host: String?
    @Option(help: "Port to listen on, default 8080 (env SWITCHBOARD_PORT).") var port: Int?
    @Option(name: .customLong("public-url"), help: "Base URL providers reach this hub at (env SWITCHBOARD_PUBLIC_URL).") var publicURL: String?
    @Option(name: .customLong("fqdn-url"), help: "Base URL for channels whose webhook_url_type is fqdn (env SWITCHBOARD_FQDN_URL).") var fqdnURL: String?
    @Option(name: .customLong("api-client-id"), help: "Ensure an OpenAPI client with this id exists (env SWITCHBOARD_API_CLIENT_ID).") var apiClientID: String?
    @Option(name: .customLong("api-client-secret"), help: "Secret of that client (env SWITCHBOARD_API_CLIENT_SECRET).") var apiClientSecret: String?
    @Option(name: .customLong("admin-password"), help: "Admin portal password (env SWITCHBOARD_ADMIN_PASSWORD).") var adminPassword: String?
    @Option(name: .customLong("smtp-ca-file"), help: "PEM certificates trusted for the email (SMTP) server besides the system's (env SWITCHBOARD_SMTP_CA_FILE).") var smtpCAFile: String?
    @Flag(help: "Add a sandbox SMS channel, an agent (extension 1000) and a simulated customer, so the whole loop works with no provider account (env SWITCHBOARD_DEMO=1).")
    var demo = false

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        var configuration = AppConfiguration()
        common.apply(to: &configuration, environment: env)
        configuration.host = host ?? env["SWITCHBOARD_HOST"] ?? configuration.host
        configuration.port = port ?? env["SWITCHBOARD_PORT"].flatMap(Int.init) ?? configuration.port
        configuration.publicURL = publicURL ?? env["SWITCHBOARD_PUBLIC_URL"]
        configuration.fqdnURL = fqdnURL ?? env["SWITCHBOARD_FQDN_URL"]
        configuration.apiClientID = apiClientID ?? env["SWITCHBOARD_API_CLIENT_ID"]
        configuration.apiClientSecret = apiClientSecret ?? env["SWITCHBOARD_API_CLIENT_SECRET"]
        configuration.adminPassword = adminPassword ?? env["SWITCHBOARD_ADMIN_PASSWORD"]
        configuration.smtpCAFile = smtpCAFile ?? env["SWITCHBOARD_SMTP_CA_FILE"]
        configuration.demo = demo || env["SWITCHBOARD_DEMO"] == "1"
        if (configuration.apiClientID == nil) != (configuration.apiClientSecret == nil) {
            throw ValidationError("--api-client-id and --api-client-secret go together")
        }

        let logLevel = configuration.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        let hub = try await Switchboard.start(configuration: configuration)
        let generated = hub.generated
        let demoInfo = configuration.demo ? try await hub.prepareDemo() : nil
        let publicURL = configuration.resolvedPublicURL
        let app = hub.makeApplication { port in
            var lines = ["", "Switchboard is running.", "  Admin portal:  \(publicURL)/", "  OpenAPI:       \(publicURL)/openapi/v1.0/"]
            if let password = generated.adminPassword {
                lines.append("  Admin password (generated, shown once): \(password)")
            }
            if let id = generated.clientID, let secret = generated.clientSecret {
                lines.append("  OpenAPI client id (generated, shown once):     \(id)")
                lines.append("  OpenAPI client secret (generated, shown once): \(secret)")
                lines.append("  Try: curl -s -X POST -H 'User-Agent: OpenAPI' -H 'Content-Type: application/json' \\")
                lines.append("         -d '{\"username\":\"\(id)\",\"password\":\"\(secret)\"}' \(publicURL)/openapi/v1.0/get_token")
            }
            if let demo = demoInfo {
                lines.append("  Demo: sandbox SMS channel \(demo.channelNumber); the simulated customer \(demo.customerNumber) writes in shortly")
                lines.append("        and answers every reply. Agent: extension \(demo.extensionNumber), password \(demo.extensionPassword).")
            }
            lines.append("")
            // Unbuffered, so the banner shows at once even when stdout is a pipe.
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
        try await app.runService()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply database migrations and exit.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        var configuration = AppConfiguration()
        common.apply(to: &configuration, environment: ProcessInfo.processInfo.environment)
        let logger = Logger(label: "switchboard.migrate")
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        let database = try await Database.open(url: configuration.resolvedDatabaseURL, logger: logger)
        do {
            let applied = try await MigrationRunner().migrate(database, logger: logger)
            print(applied.isEmpty ? "Schema is up to date." : "Applied: \(applied.joined(separator: ", "))")
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }
}
