import Foundation
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Synchronization
import Testing

/// The General SMS channel fixture plus what campaigns refer to: the number's id and helpers to
/// create campaigns and step the runner and the outbox until a campaign finishes.
final class CampaignFixture: Sendable {
    let f: GeneralChannelFixture
    let numberID: Int64
    private let currentToken: Mutex<String>

    init(f: GeneralChannelFixture, numberID: Int64) {
        self.f = f
        self.numberID = numberID
        self.currentToken = Mutex(f.token)
    }

    var api: OpenAPIClient { f.api }
    /// A live access token (renewed by `advance`: access tokens last 30 minutes).
    var token: String { currentToken.withLock { $0 } }
    var hub: TestHub { f.hub }

    /// Moves the test clock and fetches a fresh access token.
    func advance(by seconds: Int64) async throws {
        hub.clock.advance(by: seconds)
        let fresh = try await api.token()
        currentToken.withLock { $0 = fresh }
    }

    static func with(
        _ engine: DatabaseEngine, sendRate: Int = 50, _ body: @escaping @Sendable (CampaignFixture) async throws -> Void
    ) async throws {
        try await GeneralChannelFixture.with(engine) { f in
            let channelID = f.channelID
            let numberID = try await f.hub.hub.database.run { db in
                try await db.raw("UPDATE message_channels SET send_rate = \(bind: sendRate) WHERE id = \(bind: channelID)").run()
                return try await db.raw("SELECT id FROM channel_numbers WHERE channel_id = \(bind: channelID)").first()!.decode(column: "id", as: Int64.self)
            }
            try await body(CampaignFixture(f: f, numberID: numberID))
        }
    }

    /// A create body for this channel: `numbers` typed in, text content.
    func body(_ name: String, numbers: [String], sendType: String = "immediately", mode: String = "new_session") -> JSONValue {
        var object: JSONObject = [
            "name": .string(name), "channel_type": "sms", "omnichannel_id": .int(f.channelID), "sender": .int(numberID),
            "recipient_type": "input", "number_list": .array(numbers.map { ["number": .string($0)] }),
            "content_type": "text", "content": "Hello 🌞", "send_type": .string(sendType), "send_mode": .string(mode),
        ]
        if mode == "new_session" {
            object["assign_to_type"] = "extension"
            object["assign_to_id"] = .int(f.extensionID)
        }
        return .object(object)
    }

    func create(_ body: JSONValue) async throws -> Int64 {
        let answer = try await api.post("message_campaign/create", token: token, body)
        return try #require(answer.int("id"), "\(answer.text)")
    }

    func detail(_ id: Int64) async throws -> JSONValue {
        let answer = try await api.get("message_campaign/get", token: token, ["id": String(id)])
        return try #require(answer.json["data"], "\(answer.text)")
    }

    func status(_ id: Int64) async throws -> String { try await detail(id)["status"]?.stringValue ?? "" }

    /// Steps the runner and the outbox until campaign `id` is `completed` (fails after `seconds`).
    func runUntilCompleted(_ id: Int64, seconds: Int = 180) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            try await hub.hub.campaigns.tick()
            try await hub.hub.dispatcher.drainOnce()
            if try await status(id) == "completed" { return }
        }
        throw TestFailure("campaign \(id) did not complete: \(try await status(id))")
    }

    func results(_ id: Int64) async throws -> [JSONValue] {
        let answer = try await api.get("message_campaign/results", token: token, ["id": String(id), "page": "1", "page_size": "1000"])
        return answer.json["data"]?.arrayValue ?? []
    }

    func scalar(_ sql: SQLQueryString) async throws -> Int64 { try await f.scalar(sql) }
}
