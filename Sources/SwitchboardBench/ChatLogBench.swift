import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import SQLKit
import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting

/// `switchboard-bench chatlogs`: external chat logs at scale. Seeds `--messages` messages in
/// `--sessions` sessions (multi-row inserts, one transaction per batch), then over real HTTP prints
/// p50/p95 of a filtered search page and of opening one session's history, and the rows/s and peak
/// memory (VmHWM, reset just before) of a full CSV ZIP download — on SQLite and, when a server is
/// given (`--postgres` or `SWITCHBOARD_TEST_POSTGRES_URL`), on PostgreSQL. It measures only.
struct ChatLogBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "chatlogs", abstract: "Measure chat log search, history and download.")

    @Option(name: .customLong("message-count"), help: "Messages to seed.") var messages = 1_000_000
    @Option(name: .customLong("session-count"), help: "Sessions to seed (messages are spread evenly).") var sessions = 100_000
    @Option(help: "PostgreSQL server URL (a fresh database is made there and dropped after).") var postgres: String?
    @Option(help: "Which engines: sqlite, postgres or both.") var engines = "both"
    @Option(help: "Requests timed per figure.") var samples = 100

    func run() async throws {
        let server = postgres ?? TestEngines.postgresURL
        var chosen: [DatabaseEngine] = engines == "postgres" ? [] : [.sqlite]
        if engines != "sqlite" {
            if server != nil { chosen.append(.postgres) } else { say("(no PostgreSQL URL: --postgres or SWITCHBOARD_TEST_POSTGRES_URL; SQLite only)") }
        }
        say("Switchboard chat log bench — \(messages) messages in \(sessions) sessions, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        for engine in chosen { try await measure(engine, server: server) }
    }

    private func measure(_ engine: DatabaseEngine, server: String?) async throws {
        let directory = NSTemporaryDirectory() + "switchboard-bench-chatlogs-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var databaseURL = "sqlite:\(directory)/bench.sqlite"
        var dropName: String?
        if engine == .postgres, let server {
            let name = "sbbench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try await Self.admin(server, "CREATE DATABASE \(name)")
            var components = URLComponents(string: server)!
            components.path = "/" + name
            databaseURL = components.string!
            dropName = name
        }
        let hub = try await Switchboard.startForBench(databaseURL: databaseURL, directory: directory)
        let running = try await RunningHub.start(hub)
        do {
            let api = HubAPI(baseURL: running.baseURL)
            try await api.signIn()
            let seeded = try await ChatLogSeeder(database: hub.database, sessions: sessions, messages: messages).seed(api: api)
            say("")
            say("\(engine.rawValue): seeded \(messages) messages in \(sessions) sessions in \(String(format: "%.1f", seeded)) s")
            try await report(api: api)
        } catch {
            say("\(engine.rawValue): failed: \(error)")
        }
        await running.stop()
        await hub.database.close()
        if let dropName, let server { try? await Self.admin(server, "DROP DATABASE IF EXISTS \(dropName) WITH (FORCE)") }
    }

    private func report(api: HubAPI) async throws {
        let year = ChatLogSeeder.start
        var random = SystemRandomNumberGenerator()
        var search: [Double] = []
        var sender: [Double] = []
        var history: [Double] = []
        for _ in 0..<samples {
            let from = year + Int64.random(in: 0..<(335 * 86_400), using: &random)
            let type = ["sms", "whatsapp", "facebook", "livechat"].randomElement(using: &random)!
            search.append(try await timed(api, "chat_log/search",
                "channel_type=\(type)&is_closed=1&start_time=\(from)&end_time=\(from + 30 * 86_400)&page=\(Int.random(in: 1...5))&page_size=20"))
            sender.append(try await timed(api, "chat_log/search", "sender=Customer%20\(Int.random(in: 1...sessions))&page_size=20"))
            history.append(try await timed(api, "chat_log/history", "id=\(Int.random(in: 1...sessions))&page_size=50"))
        }
        say(Self.line("search page (type + closed + 30-day range, 20 rows)", search))
        say(Self.line("search page (sender contains, 20 rows)             ", sender))
        say(Self.line("open one session's history (50 rows)               ", history))

        let before = Self.memory("VmRSS")
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)  // resets VmHWM
        var request = HTTPClientRequest(url: api.baseURL + "/openapi/v1.0/chat_log/download?access_token=\(api.token)")
        request.headers.add(name: "User-Agent", value: "bench")
        let begin = ContinuousClock.now
        // The archive is built before its first byte is sent: allow a long wait.
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                                configuration: .init(timeout: .init(connect: .seconds(10), read: .seconds(7200))))
        defer { Task { try? await client.shutdown() } }
        let response = try await client.execute(request, timeout: .seconds(7200))
        var bytes = 0
        for try await chunk in response.body { bytes += chunk.readableBytes }
        let seconds = (ContinuousClock.now - begin).seconds
        let rows = Double(sessions + messages)
        say(String(format: "  full CSV ZIP download: %d rows in %.1f s = %.0f rows/s, ZIP %.1f MB (HTTP %d)",
                     sessions + messages, seconds, rows / seconds, Double(bytes) / 1e6, response.status.code))
        say("  memory: RSS \(before / 1024) MB before, peak (VmHWM) during the download \(Self.memory("VmHWM") / 1024) MB")
    }

    private func timed(_ api: HubAPI, _ path: String, _ query: String) async throws -> Double {
        let begin = ContinuousClock.now
        _ = try await api.get(path, query)
        return (ContinuousClock.now - begin).seconds * 1000
    }

    static func line(_ label: String, _ values: [Double]) -> String {
        let sorted = values.sorted()
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        return String(format: "  %@  p50 %7.2f ms   p95 %7.2f ms", label, percentile(0.5), percentile(0.95))
    }

    /// A `/proc/self/status` figure in kB.
    static func memory(_ key: String) -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix(key + ":") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }

    static func admin(_ url: String, _ sql: String) async throws {
        let database = try await Database.open(url: url, logger: Logger(label: "bench-admin"))
        defer { Task { await database.close() } }
        try await database.run { db in try await db.raw(SQLQueryString(sql)).run() }
    }
}

extension Switchboard {
    /// A hub for the bench: the bench API client, port 0, errors-only logs.
    static func startForBench(databaseURL: String, directory: String) async throws -> Switchboard {
        var configuration = AppConfiguration()
        configuration.databaseURL = databaseURL
        configuration.dataDirectory = directory
        configuration.port = 0
        configuration.apiClientID = "bench"
        configuration.apiClientSecret = "bench-secret-0123456789"
        configuration.logLevel = .error
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        return try await Switchboard.start(configuration: configuration, logger: logger)
    }
}

/// Prints a line at once (unbuffered, so a long run shows its progress).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
