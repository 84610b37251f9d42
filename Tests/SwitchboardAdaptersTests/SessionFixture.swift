import Foundation
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Synchronization
import Testing

/// The General SMS fixture plus agents and, optionally, a message queue the number routes to.
///
/// Extensions: `1001` (Leo Ball, the fixture's, owner of the number when it routes to an extension
/// and allowed to start sessions on it), `2001` and `2002` (agents of the queue), `3001` (a stranger).
/// With `passwords`, every extension signs in to the inbox with `password`.
final class SessionFixture: Sendable {
    static let password = "secret-123"
    let f: GeneralChannelFixture
    let agents: [String: Int64]
    let queueID: Int64?
    private let currentToken: Mutex<String>

    init(f: GeneralChannelFixture, agents: [String: Int64], queueID: Int64?) {
        self.f = f
        self.agents = agents
        self.queueID = queueID
        self.currentToken = Mutex(f.token)
    }

    var api: OpenAPIClient { f.api }
    /// A live access token (renewed by `advance`, since access tokens last 30 minutes).
    var token: String { currentToken.withLock { $0 } }
    var hub: TestHub { f.hub }

    /// `mode` nil: the number routes to extension 1001; otherwise to a queue of 2001 and 2002 in `mode`.
    static func with(
        _ engine: DatabaseEngine, mode: AssignmentMode? = nil, passwords: Bool = false, _ body: @escaping @Sendable (SessionFixture) async throws -> Void
    ) async throws {
        try await GeneralChannelFixture.with(engine) { f in
            var agents = ["1001": f.extensionID]
            if passwords {
                _ = try await f.api.post("extension/update", token: f.token, ["id": .int(f.extensionID), "user_password": .string(password)])
            }
            for (number, name) in [("2001", "Ann"), ("2002", "Bob"), ("3001", "Zed")] {
                var fields: JSONObject = ["number": .string(number), "first_name": .string(name)]
                if passwords { fields["user_password"] = .string(password) }
                let created = try await f.api.post("extension/create", token: f.token, .object(fields))
                agents[number] = try #require(created.int("id"), "\(created.text)")
            }
            var queueID: Int64?
            if let mode {
                let queue = try await f.api.post("message_queue/create", token: f.token, [
                    "name": "Tech Support", "assignment_mode": .string(mode.rawValue),
                    "members": [["extension_id": .int(agents["2001"]!)], ["extension_id": .int(agents["2002"]!)]],
                ])
                let id = try #require(queue.int("id"), "\(queue.text)")
                queueID = id
                let did = GeneralChannelFixture.did
                try await f.hub.hub.database.run { db in
                    try await db.raw("""
                        UPDATE channel_numbers SET destination_type = 'queue', destination_id = \(bind: id) WHERE did_number = \(bind: did)
                        """).run()
                }
            }
            try await body(SessionFixture(f: f, agents: agents, queueID: queueID))
        }
    }

    /// Moves the test clock and fetches a fresh access token.
    func advance(by seconds: Int64) async throws {
        hub.clock.advance(by: seconds)
        let fresh = try await api.token()
        currentToken.withLock { $0 = fresh }
    }

    /// A customer's inbound SMS through the signed webhook.
    func inbound(_ text: String, from customer: String = GeneralChannelFixture.customer) async throws {
        let answer = try await f.deliver(FakeGeneralProvider.inboundBody(id: UUID().uuidString, from: customer, to: GeneralChannelFixture.did, text: text))
        #expect(answer.status == .noContent)
    }

    /// The newest session's id.
    func latestSessionID() async throws -> Int64 {
        try await f.scalar("SELECT MAX(id) AS n FROM sessions")
    }

    /// `message/send` as extension `number` into `session`.
    func send(_ text: String, as number: String, session: Int64) async throws -> OpenAPIClient.Answer {
        try await api.post("message/send", token: token, [
            "sender_type": 1, "sender_no": .string(number), "session_id": .int(session), "msg_body": .string(text),
        ])
    }

    /// A session action (`pickup`, `close`, `archive`, …) as extension `number`.
    func action(_ name: String, _ session: Int64, as number: String) async throws -> OpenAPIClient.Answer {
        try await api.post("message_session/\(name)", token: token, [
            "session_id": .int(session), "user_type": 1, "user_no": .string(number),
        ])
    }

    /// The ids `message_session/list` shows extension `number` (with extra query fields).
    func listed(as number: String, _ extra: [String: String] = [:]) async throws -> [Int64] {
        var query = ["page_size": "50", "user_type": "1", "user_no": number]
        for (key, value) in extra { query[key] = value }
        let answer = try await api.get("message_session/list", token: token, query)
        #expect(answer.errcode == 0, "\(answer.text)")
        return answer.json["list"]?.arrayValue?.compactMap { if case .int(let id)? = $0["id"] { id } else { nil } } ?? []
    }

    /// The `msg_type`s of the session's messages, oldest first.
    func messageTypes(_ session: Int64) async throws -> [Int64] {
        try await hub.hub.database.run { db in
            try await db.raw("SELECT msg_type FROM messages WHERE session_id = \(bind: session) ORDER BY id").all()
                .map { try $0.decode(column: "msg_type", as: Int64.self) }
        }
    }

    func owner(_ session: Int64) async throws -> Int64 {
        try await f.scalar("SELECT COALESCE(owner_extension_id, 0) AS n FROM sessions WHERE id = \(bind: session)")
    }
}
