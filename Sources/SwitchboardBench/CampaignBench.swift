import Foundation
import SQLKit
import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting

/// `switchboard-bench --mode campaign`: one campaign of `recipients` numbers on a channel sending
/// `rate` messages a second, created over the OpenAPI and executed by the running hub's services
/// (campaign runner → outbox → a local General SMS provider). Prints the time from create to
/// `completed` and the achieved rate; measures, asserts nothing.
enum CampaignBench {
    static func run(hub: Switchboard, api: HubAPI, fake: FakeGeneralProvider, extensionID: Int64, recipients: Int, rate: Int) async throws {
        let number = "+15550009000"
        let channel = try await api.createChannel(fake: fake, number: number, rate: rate, extensionID: extensionID, secret: nil)
        let numberID = try await hub.database.run { db in
            try await db.raw("SELECT id FROM channel_numbers WHERE did_number = \(bind: number)").first()!.decode(column: "id", as: Int64.self)
        }
        let before = fake.sent.count
        let started = ContinuousClock.now
        let created = try await api.post("message_campaign/create", [
            "name": "Bench campaign", "channel_type": "sms", "omnichannel_id": .int(channel.id), "sender": .int(numberID),
            "recipient_type": "input", "number_list": .array((0..<recipients).map { ["number": .string("+1303555\(String(format: "%04d", $0))")] }),
            "content_type": "text", "content": "Bench 🌞", "send_type": "immediately", "send_mode": "direct",
        ])
        guard case .int(let id)? = created["id"] else { throw TestFailure("no campaign id") }
        var detail: JSONValue = .null
        while true {
            detail = try await api.get("message_campaign/get", "id=\(id)")["data"] ?? .null
            if detail["status"] == "completed" { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let elapsed = (ContinuousClock.now - started).seconds
        let instants = fake.sent.all.dropFirst(before).map(\.at).sorted()
        let span = instants.count > 1 ? (instants.last! - instants.first!).seconds : 0
        print("Campaign (\(recipients) recipients, channel send rate \(rate) msg/s, direct mode, real HTTP to a local General SMS provider):")
        print(String(format: "  create → completed: %.2f s (ideal %.2f s); achieved %.2f msg/s between first and last send",
                     elapsed, Double(recipients) / Double(rate), span > 0 ? Double(instants.count - 1) / span : 0))
        print("  sent: \(instants.count) of \(recipients); result_count \(detail["result_count"]?.stringValue ?? "?")")
    }
}
