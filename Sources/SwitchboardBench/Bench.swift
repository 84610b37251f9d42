import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOHTTP1
import SQLKit
import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting

/// `swift run switchboard-bench`: prints the figures of issue 4 — inbound webhooks persisted end to
/// end (next to a bare Hummingbird route, the ceiling) and achieved vs configured send rates.
/// It measures; it asserts nothing.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchboard-bench", abstract: "Measure the provider edge.", subcommands: [ChatLogBench.self])

    @Option(help: "Database URL (default: a fresh SQLite file in a temporary directory).") var database: String?
    @Option(help: "Inbound webhooks to send in each inbound run.") var requests = 4000
    @Option(help: "Concurrent inbound connections.") var concurrency = 32
    @Option(help: "Messages sent at 10 and 80 msg/s.") var messages = 500
    @Option(help: "Messages sent at 1 msg/s (each takes a second).") var slowMessages = 60
    @Flag(help: "Skip the send-rate runs.") var skipRates = false
    @Option(help: "all: inbound and send rates; campaign: one campaign of --recipients at --campaign-rate msg/s.") var mode = "all"
    @Option(help: "Campaign recipients (campaign mode).") var recipients = 1000
    @Option(help: "Campaign channel send rate (campaign mode).") var campaignRate = 80

    func run() async throws {
        let directory = NSTemporaryDirectory() + "switchboard-bench-" + UUID().uuidString.lowercased()
        let hub = try await Switchboard.startForBench(databaseURL: database ?? "sqlite:\(directory)/bench.sqlite", directory: directory)
        let server = try await RunningHub.start(hub)
        defer { Task { await server.stop() } }
        let fake = try await FakeGeneralProvider.start()
        let api = HubAPI(baseURL: server.baseURL)
        try await api.signIn()
        let ext = try await api.post("extension/create", ["number": "1001", "first_name": "Bench"])
        guard case .int(let extensionID)? = ext["id"] else { throw TestFailure("no extension id") }

        print("Switchboard bench — \(hub.database.engine.rawValue), \(ProcessInfo.processInfo.activeProcessorCount) cores, debug build unless run with -c release")
        print("")
        if mode == "campaign" {
            try await CampaignBench.run(hub: hub, api: api, fake: fake, extensionID: extensionID, recipients: recipients, rate: campaignRate)
            await fake.stop()
            return
        }
        // 1. Inbound.
        let channel = try await api.createChannel(fake: fake, number: "+15550001000", rate: 80, extensionID: extensionID, secret: "whsec")
        let inbound = try await Load.run(requests: requests, concurrency: concurrency) { index in
            let body = FakeGeneralProvider.inboundBody(id: "bench-\(index)", from: "+1555\(String(format: "%07d", index))", to: "+15550001000", text: "load \(index)")
            return (server.baseURL + channel.webhookPath, body, ["Content-Type": "application/json", "X-Signature-256": FakeGeneralProvider.signature(secret: "whsec", body: body)])
        }
        let stored = try await hub.database.run { db in
            try await db.raw("SELECT COUNT(*) AS n FROM messages WHERE direction = 'in'").first()?.decode(column: "n", as: Int.self) ?? 0
        }
        let ceiling = try await Ceiling.measure(requests: requests, concurrency: concurrency)
        print("Inbound webhooks (\(requests) requests, \(concurrency) connections, signed, General SMS API):")
        print(inbound.line(label: "  switchboard (verify + store + 204)"))
        print(ceiling.line(label: "  bare Hummingbird route (ceiling)   "))
        print("  stored: \(stored) of \(requests) (non-204 answers: \(inbound.failures))")
        print("")
        guard !skipRates else { return }

        // 2. Send rates.
        print("Outbound send rate (real HTTP to a local General SMS provider):")
        for (rate, count) in [(1, slowMessages), (10, messages), (80, messages)] {
            let number = "+1555000\(2000 + rate)"
            let rateChannel = try await api.createChannel(fake: fake, number: number, rate: rate, extensionID: extensionID, secret: nil)
            let before = fake.sent.count
            let session = try await hub.database.transaction { db in
                try await db.raw("""
                    INSERT INTO sessions (channel_id, channel_type, did_number, customer, customer_type, destination_type, owner_extension_id, created_at, last_active_at)
                    VALUES (\(bind: rateChannel.id), 'sms', \(bind: number), '+15557654321', 2, 'extension', \(bind: extensionID), 0, 0) RETURNING id
                    """).first()!.decode(column: "id", as: Int64.self)
            }
            let now = Int64(Date().timeIntervalSince1970)
            try await hub.database.transaction { db in
                for index in 0..<count {
                    _ = try await OutboundService.queue(
                        db, channelID: rateChannel.id, sessionID: session, recipient: "+15557654321", sender: .api,
                        content: .init(text: "rate \(rate) #\(index)"), now: now)
                }
            }
            hub.dispatcher.nudge()
            while fake.sent.count - before < count { try await Task.sleep(for: .milliseconds(20)) }
            let instants = fake.sent.all.dropFirst(before).map(\.at).sorted()
            let seconds = (instants.last! - instants.first!).seconds
            let achieved = seconds > 0 ? Double(count - 1) / seconds : Double(count)
            var maxWindow = 0
            var start = 0
            for end in instants.indices {
                while instants[end] - instants[start] >= .seconds(1) { start += 1 }
                maxWindow = max(maxWindow, end - start + 1)
            }
            print(String(format: "  configured %3d msg/s: achieved %7.2f msg/s over %d messages; most in any one-second window: %d", rate, achieved, count, maxWindow))
        }
        await fake.stop()
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
