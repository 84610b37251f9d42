import Foundation
import Logging
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// Kills a real `switchboard` process (SIGKILL) while a campaign is executing, restarts it and
/// retries the campaign: it shows `stop` after the restart, the retry finishes it, and no
/// recipient is sent the campaign twice.
@Suite("Campaign crash recovery", .serialized)
struct CampaignCrashTests {
    static let recipients = 200

    /// Under load a send can also time out although the provider took it (CI once showed a
    /// recipient sent twice that way); such a campaign send is failed as uncertain, never retried
    /// (`OutboxDecision`), so the test holds however slow the machine is.
    @Test(arguments: TestEngines.available)
    func aCampaignKilledMidRunStopsAndItsRetrySendsNoRecipientTwice(engine: DatabaseEngine) async throws {
        let storage = try await TestDatabase.make(engine)
        let fake = try await FakeGeneralProvider.start()
        fake.sendDelay.withLock { $0 = .milliseconds(30) }
        let port = try HubProcess.freePort()
        let arguments = [
            "--database", storage.url, "--data-dir", storage.directory + "/data",
            "--api-client-id", "camp-client", "--api-client-secret", "camp-secret-123456", "--admin-password", "admin-pass",
            "--public-url", "http://127.0.0.1:\(port)",
        ]
        let hub = try await HubProcess.start(port: port, arguments: arguments)
        defer { hub.kill() }
        func token(_ hub: HubProcess) async throws -> String {
            let answer = await hub.call(.POST, "/openapi/v1.0/get_token", json: ["username": "camp-client", "password": "camp-secret-123456"])
            return try #require(answer.json?["access_token"]?.stringValue)
        }
        func int(_ value: JSONValue?) -> Int64? { if case .int(let v)? = value { v } else { nil } }
        let first = try await token(hub)
        let created = await hub.call(.POST, "/openapi/v1.0/message_channel/create?access_token=\(first)", json: [
            "name": "Campaign SMS", "webhook_url_type": "nat", "channel": "general", "send_rate": 25,
            "account_data": [
                ["k": "api_key", "v": .string(Formats.encodeBase64(Array(fake.apiKey.utf8)))],
                ["k": "api_secret", "v": .string(Formats.encodeBase64(Array("whsec".utf8)))],
                ["k": "api_send_url", "v": .string(fake.sendURL)],
            ],
            "dids": [["did_number": "+15550001111", "destination_type": "api"]],
        ])
        let channelID = try #require(int(created.json?["id"]), "\(created.body)")
        let database = try await Database.open(url: storage.url, logger: Logger(label: "campaign-crash-test"))
        defer { Task { await database.close() } }
        let numberID = try await database.run { db in
            try await db.raw("SELECT id FROM channel_numbers").first()!.decode(column: "id", as: Int64.self)
        }
        let numbers = (0..<Self.recipients).map { "+1505555\(String(format: "%04d", $0))" }
        let campaign = await hub.call(.POST, "/openapi/v1.0/message_campaign/create?access_token=\(first)", json: [
            "name": "Crash", "channel_type": "sms", "omnichannel_id": .int(channelID), "sender": .int(numberID), "recipient_type": "input",
            "number_list": .array(numbers.map { ["number": .string($0)] }), "content_type": "text", "content": "Hi",
            "send_type": "immediately", "send_mode": "direct",
        ])
        let id = try #require(int(campaign.json?["id"]), "\(campaign.body)")

        let deadline = ContinuousClock.now + .seconds(120)
        while fake.sent.count < 40 {
            guard ContinuousClock.now < deadline else { throw TestFailure("the campaign did not get going: \(fake.sent.count) sent") }
            try await Task.sleep(for: .milliseconds(5))
        }
        hub.kill()
        let sentBeforeKill = fake.sent.count
        #expect(sentBeforeKill < Self.recipients, "the kill should interrupt the campaign")
        // Claimed by the outbox (leased up to two seconds ahead of their send slot) when the process died,
        // or tried once and waiting for a retry: their outcome is unknown.
        let inFlight = try await database.run { db in
            try await db.raw("""
                SELECT r.number FROM campaign_recipients r JOIN outbox o ON o.message_id = r.message_id
                WHERE r.campaign_id = \(bind: id) AND (o.status = 'sending' OR (o.status = 'pending' AND o.attempts > 0))
                """).all().map { try $0.decode(column: "number", as: String.self) }
        }

        let restarted = try await HubProcess.start(port: port, arguments: arguments)
        defer { restarted.kill() }
        let second = try await token(restarted)
        func detail() async -> JSONValue? {
            await restarted.call(.GET, "/openapi/v1.0/message_campaign/get?id=\(id)&access_token=\(second)").json?["data"]
        }
        // The restarted process takes the runner lease over once the dead one's has run out (10 s).
        let stopped = ContinuousClock.now + .seconds(60)
        while await detail()?["status"] != "stop" {
            guard ContinuousClock.now < stopped else { throw TestFailure("the interrupted campaign was not stopped: \(await detail() ?? nil)") }
            try await Task.sleep(for: .milliseconds(200))
        }
        // The stop is reported like a completion with failures (30030).
        let reported = try await database.run { db in
            try await db.raw("SELECT payload FROM events WHERE type = 30030").all().map { try $0.decode(column: "payload", as: String.self) }
        }
        #expect(reported.count == 1 && SocketLoop.decodeJSON(reported.first ?? "")?["task_id"] == .int(id), "\(reported)")
        #expect(SocketLoop.decodeJSON(reported.first ?? "")?["total"] == .int(Int64(Self.recipients)))
        let retried = await restarted.call(.GET, "/openapi/v1.0/message_campaign/retry?id=\(id)&access_token=\(second)")
        #expect(retried.json?["errcode"] == 0, "\(retried.body)")
        let finish = ContinuousClock.now + .seconds(180)
        while await detail()?["status"] != "completed" {
            guard ContinuousClock.now < finish else { throw TestFailure("the retried campaign did not complete") }
            try await Task.sleep(for: .milliseconds(100))
        }

        // No number received the campaign twice.
        let sent = fake.sent.all.map(\.to)
        let twice = Dictionary(grouping: sent, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        var history: [String] = []
        if let number = twice.first {
            // What the hub recorded for one recipient sent twice: its messages and their outbox rows.
            history = try await database.run { db in
                try await db.raw("""
                    SELECT m.id, m.delivery_status, m.send_error, m.send_error_msg, o.status, o.attempts, o.last_error
                    FROM messages m LEFT JOIN outbox o ON o.message_id = m.id WHERE m.recipient = \(bind: number) ORDER BY m.id
                    """).all().map { row in
                    "\(try row.decode(column: "id", as: Int64.self)): status \(try row.decode(column: "delivery_status", as: Int.self)) "
                        + "\(try row.decode(column: "send_error", as: String.self)) \(try row.decode(column: "send_error_msg", as: String.self)) | outbox "
                        + "\(try row.decode(column: "status", as: String?.self) ?? "-") x\(try row.decode(column: "attempts", as: Int?.self) ?? 0) "
                        + "\(try row.decode(column: "last_error", as: String?.self) ?? "")"
                }
            }
        }
        #expect(twice.isEmpty, "sent twice: \(twice.count) recipients, e.g. \(twice.first ?? ""): \(history)")
        // Every recipient has a final result: succeeded, or failed because its send was cut by the kill.
        let rows = try await database.run { db in
            try await db.raw("""
                SELECT r.number, r.uncertain, m.delivery_status, m.send_error FROM campaign_recipients r LEFT JOIN messages m ON m.id = r.message_id
                WHERE r.campaign_id = \(bind: id)
                """).all().map {
                (try $0.decode(column: "number", as: String.self), try $0.decode(column: "uncertain", as: Int.self),
                 try $0.decode(column: "delivery_status", as: Int?.self), try $0.decode(column: "send_error", as: String?.self) ?? "")
            }
        }
        #expect(rows.count == Self.recipients)
        let succeeded = Set(rows.filter { $0.1 == 0 && $0.2 == 1 }.map(\.0))
        let uncertain = Set(rows.filter { $0.1 == 1 }.map(\.0))
        #expect(succeeded.count + uncertain.count == Self.recipients, "every recipient ends succeeded or cut by the kill")
        #expect(succeeded.isSubset(of: Set(sent)))
        #expect(Set(inFlight).isSubset(of: uncertain), "every send in flight at the kill is uncertain")
        // Any other uncertain recipient is one whose send got no answer (a timeout under load).
        let unanswered = Set(rows.filter { $0.1 == 1 && SendFailure(SendErrorKind(rawValue: $0.3) ?? .invalidParam).outcomeUnknown }.map(\.0))
        #expect(uncertain.subtracting(inFlight).isSubset(of: unanswered), "uncertain for no reason: \(uncertain.subtracting(inFlight).subtracting(unanswered))")
        #expect(Set(sent).subtracting(succeeded).isSubset(of: uncertain))

        await restarted.stop()
        await fake.stop()
        await storage.destroy()
    }
}
