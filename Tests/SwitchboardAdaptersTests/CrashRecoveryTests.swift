import Foundation
import Logging
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// Kills a real `switchboard` process (SIGKILL) in the middle of a burst of inbound webhooks and
/// outbound sends, restarts it, and checks the promises: no accepted inbound message lost or
/// stored twice; every outbound message sent, and only those in flight at the kill sent twice
/// (the General API has no idempotency key, so those may reach the provider twice — by design).
@Suite("Crash recovery", .serialized)
struct CrashRecoveryTests {
    static let inboundCount = 1500
    static let outboundCount = 150
    static let redeliveryAttempts = 5

    @Sendable static func signed(_ body: String) -> [(String, String)] {
        [("Content-Type", "application/json"), ("X-Signature-256", FakeGeneralProvider.signature(secret: "whsec", body: body))]
    }

    @Test(arguments: TestEngines.available)
    func killingTheServerMidBurstLosesNothingAndDoubleSendsOnlyWhatWasInFlight(engine: DatabaseEngine) async throws {
        let storage = try await TestDatabase.make(engine)
        let fake = try await FakeGeneralProvider.start()
        fake.sendDelay.withLock { $0 = .milliseconds(40) }
        let port = try HubProcess.freePort()
        let arguments = [
            "--database", storage.url, "--data-dir", storage.directory + "/data",
            "--api-client-id", "crash-client", "--api-client-secret", "crash-secret-123456", "--admin-password", "admin-pass",
            "--public-url", "http://127.0.0.1:\(port)",
        ]
        let environment = ["SWITCHBOARD_OUTBOX_LEASE_SECONDS": "3"]
        let hub = try await HubProcess.start(port: port, arguments: arguments, environment: environment)
        defer { hub.kill() }

        // A General channel, as an admin would create it.
        let tokenAnswer = await hub.call(.POST, "/openapi/v1.0/get_token", json: ["username": "crash-client", "password": "crash-secret-123456"])
        let token = try #require(tokenAnswer.json?["access_token"]?.stringValue)
        let ext = await hub.call(.POST, "/openapi/v1.0/extension/create?access_token=\(token)", json: ["number": "1001", "first_name": "Leo"])
        let extensionID = try #require(ext.json?["id"].flatMap { if case .int(let v) = $0 { v } else { nil } })
        let created = await hub.call(.POST, "/openapi/v1.0/message_channel/create?access_token=\(token)", json: [
            "name": "Crash SMS", "webhook_url_type": "nat", "channel": "general", "send_rate": 100,
            "account_data": [
                ["k": "api_key", "v": .string(Formats.encodeBase64(Array(fake.apiKey.utf8)))],
                ["k": "api_secret", "v": .string(Formats.encodeBase64(Array("whsec".utf8)))],
                ["k": "api_send_url", "v": .string(fake.sendURL)],
            ],
            "dids": [["did_number": "+15550001111", "destination_type": "extension", "destination_id": .string(String(extensionID))]],
        ])
        let channelID = try #require(created.json?["id"].flatMap { if case .int(let v) = $0 { v } else { nil } }, "\(created.body)")
        let detail = await hub.call(.GET, "/openapi/v1.0/message_channel/get?id=\(channelID)&access_token=\(token)")
        let webhookURL = try #require(detail.json?["data"]?["webhook_url"]?.stringValue)
        let webhookPath = String(webhookURL.dropFirst("http://127.0.0.1:\(port)".count))

        // Outbound: one customer session, then a burst of replies written straight to the outbox
        // (the way the message API writes them) through a second connection to the same database.
        let opening = FakeGeneralProvider.inboundBody(id: "open", from: "+15557654321", to: "+15550001111", text: "hi")
        #expect(await hub.post(webhookPath, body: opening, headers: Self.signed(opening)).status == 204)
        let database = try await Database.open(url: storage.url, logger: Logger(label: "crash-test"))
        defer { Task { await database.close() } }
        let now = Int64(Date().timeIntervalSince1970)
        try await database.transaction { db in
            let session = try await db.raw("SELECT id FROM sessions").first()!.decode(column: "id", as: Int64.self)
            for index in 0..<Self.outboundCount {
                _ = try await OutboundService.queue(
                    db, channelID: channelID, sessionID: session, recipient: "+15557654321",
                    sender: .extension(number: "1001", name: "Leo"), content: .init(text: "out-\(index)"), now: now)
            }
        }

        // Inbound: a concurrent burst of distinct messages; kill the server while it is under way
        // and sends are in flight.
        let accepted = Recorder<Int>()
        let burst = Task {
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<Self.inboundCount {
                    group.addTask {
                        let body = FakeGeneralProvider.inboundBody(id: "in-\(index)", from: "+1555700\(1000 + index)", to: "+15550001111", text: "m\(index)")
                        if await hub.post(webhookPath, body: body, headers: CrashRecoveryTests.signed(body)).status == 204 { accepted.append(index) }
                    }
                    if index % 16 == 15 { await group.next() }
                }
            }
        }
        let burstDeadline = ContinuousClock.now + .seconds(60)
        while fake.sent.count < 10 || accepted.count < 100 {
            guard ContinuousClock.now < burstDeadline else {
                throw TestFailure("the burst did not get going: \(fake.sent.count) sent, \(accepted.count) accepted")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        hub.kill()
        await burst.value
        let inFlight = try await database.run { db in
            try await db.raw("SELECT m.body FROM outbox o JOIN messages m ON m.id = o.message_id WHERE o.status = 'sending'").all()
                .map { try $0.decode(column: "body", as: String.self) }
        }
        let acceptedBeforeKill = Set(accepted.all)
        #expect(acceptedBeforeKill.count < Self.inboundCount, "the kill should interrupt the burst")

        // Every 204 answered before the kill is stored, exactly once.
        let storedKeys = try await database.run { db in
            try await db.raw("SELECT inbound_key FROM messages WHERE direction = 'in'").all().map { try $0.decode(column: "inbound_key", as: String.self) }
        }
        #expect(Set(acceptedBeforeKill.map { "in-\($0)" }).isSubset(of: Set(storedKeys)))
        #expect(storedKeys.count == Set(storedKeys).count)

        // Restart; the provider retries everything (at-least-once, like Bandwidth promises), and
        // retries again what gets no 204 (a timeout on a busy machine is a retry, as for a real
        // provider) — up to `redeliveryAttempts` times each.
        let restarted = try await HubProcess.start(port: port, arguments: arguments, environment: environment)
        defer { restarted.kill() }
        let redelivered = Recorder<Int>()
        let refusals = Recorder<String>()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<Self.inboundCount {
                group.addTask {
                    let body = FakeGeneralProvider.inboundBody(id: "in-\(index)", from: "+1555700\(1000 + index)", to: "+15550001111", text: "m\(index)")
                    for _ in 0..<Self.redeliveryAttempts {
                        let answer = await restarted.post(webhookPath, body: body, headers: CrashRecoveryTests.signed(body))
                        if answer.status == 204 { redelivered.append(index); return }
                        refusals.append("\(answer.status.map(String.init) ?? "no answer") \(answer.body.prefix(120))")
                    }
                }
                if index % 16 == 15 { await group.next() }
            }
        }
        #expect(redelivered.count == Self.inboundCount, "refused: \(Set(refusals.all).sorted().prefix(5))")
        let inboundTotal = try await database.run { db in
            try await db.raw("SELECT COUNT(*) AS n, COUNT(DISTINCT inbound_key) AS d FROM messages WHERE direction = 'in'").first()!
        }
        #expect(try inboundTotal.decode(column: "n", as: Int.self) == Self.inboundCount + 1)
        #expect(try inboundTotal.decode(column: "d", as: Int.self) == Self.inboundCount + 1)

        // The restarted node finishes the outbox (in-flight leases expire after 3 s).
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let open = try await database.run { db in
                try await db.raw("SELECT COUNT(*) AS n FROM outbox WHERE status <> 'done'").first()!.decode(column: "n", as: Int.self)
            }
            if open == 0 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let statuses = try await database.run { db in
            try await db.raw("SELECT delivery_status AS s, COUNT(*) AS n FROM messages WHERE direction = 'out' GROUP BY delivery_status").all()
                .map { (try $0.decode(column: "s", as: Int.self), try $0.decode(column: "n", as: Int.self)) }
        }
        #expect(statuses.count == 1 && statuses.first?.0 == 1 && statuses.first?.1 == Self.outboundCount, "\(statuses)")
        var timesSent: [String: Int] = [:]
        for message in fake.sent.all { timesSent[message.text ?? "", default: 0] += 1 }
        #expect(timesSent.count == Self.outboundCount)
        let twice = Set(timesSent.filter { $0.value > 1 }.keys)
        #expect(twice.isSubset(of: Set(inFlight)), "only sends in flight at the kill may repeat: \(twice.subtracting(inFlight))")
        #expect(timesSent.values.allSatisfy { $0 <= 2 })

        await restarted.stop()
        await fake.stop()
        await storage.destroy()
    }
}
