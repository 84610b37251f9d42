import Foundation
import HTTPTypes
import NIOCore
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// Chat log test data on top of `SessionFixture` (queue "Tech Support" of Ann 2001 and Bob 2002,
/// Leo Ball 1001): sessions written straight into storage with their `created` timeline entry and
/// messages, for the filters; the real flows are exercised through the OpenAPI in the tests.
struct ChatLogFixture: Sendable {
    let s: SessionFixture
    static let t0: Int64 = 1_726_000_000

    var api: OpenAPIClient { s.api }
    var token: String { s.token }

    static func with(_ engine: DatabaseEngine, _ body: @escaping @Sendable (ChatLogFixture) async throws -> Void) async throws {
        try await SessionFixture.with(engine, mode: .manual) { s in try await body(ChatLogFixture(s: s)) }
    }

    /// Who opened a seeded session: the customer, or an agent / the API (their `created` entry).
    enum Creator: Sendable {
        case customer
        case agent(number: String, name: String)
        case api
    }

    struct Message: Sendable {
        var direction: String
        var senderType: Int
        var senderNo: String
        var senderName: String
        var body: String
        var msgType: Int = 0
        var files: String = ""

        static func inbound(_ body: String, from customer: String, name: String = "") -> Message {
            Message(direction: "in", senderType: 2, senderNo: customer, senderName: name, body: body)
        }
        static func reply(_ body: String, agent: String, name: String) -> Message {
            Message(direction: "out", senderType: 1, senderNo: agent, senderName: name, body: body)
        }
        static func system(_ body: String) -> Message {
            Message(direction: "sys", senderType: 0, senderNo: "", senderName: "PBX System", body: body, msgType: 2)
        }
    }

    /// Writes a session (destination from `owner` extension number, else `queue`, else `api`) and its messages.
    @discardableResult
    func seed(
        type: String = "sms", did: String = GeneralChannelFixture.did, customer: String, customerName: String = "",
        creator: Creator = .customer, owner: String? = nil, queue: Bool = false, closed: Bool = false,
        created: Int64, lastActive: Int64, messages: [Message] = []
    ) async throws -> (session: Int64, messages: [Int64]) {
        let channelID = s.f.channelID
        let ownerID = owner.flatMap { s.agents[$0] }
        let queueID = queue ? s.queueID : nil
        let destination = ownerID != nil ? "extension" : (queueID != nil ? "queue" : "api")
        return try await s.hub.hub.database.transaction { db in
            let session = try await insertReturningID(db, """
                INSERT INTO sessions (channel_id, channel_type, did_number, customer, customer_name, customer_type, destination_type,
                  owner_extension_id, queue_id, created_at, last_active_at, closed_at, close_type)
                VALUES (\(bind: channelID), \(bind: type), \(bind: did), \(bind: customer), \(bind: customerName), 2, \(bind: destination),
                  \(bind: ownerID), \(bind: queueID), \(bind: created), \(bind: lastActive), \(bind: closed ? lastActive : nil), \(bind: closed ? 2 : nil))
                """)
            let (actorType, actorNo, actorName): (Int, String, String) = switch creator {
            case .customer: (2, customer, customerName)
            case .agent(let number, let name): (1, number, name)
            case .api: (9, "api", "API")
            }
            try await db.raw("""
                INSERT INTO session_operations (session_id, operation, actor_type, actor_no, actor_name, created_at)
                VALUES (\(bind: session), 'created', \(bind: actorType), \(bind: actorNo), \(bind: actorName), \(bind: created))
                """).run()
            var ids: [Int64] = []
            for (index, message) in messages.enumerated() {
                ids.append(try await insertReturningID(db, """
                    INSERT INTO messages (session_id, channel_id, direction, sender_type, sender_no, sender_name, msg_type, body, files,
                      delivery_status, created_at, received_at)
                    VALUES (\(bind: session), \(bind: channelID), \(bind: message.direction), \(bind: message.senderType),
                      \(bind: message.senderNo), \(bind: message.senderName), \(bind: message.msgType), \(bind: message.body),
                      \(bind: message.files), 1, \(bind: created + Int64(index)), \(bind: created + Int64(index)))
                    """))
            }
            if let last = ids.last {
                try await db.raw("UPDATE sessions SET last_msg_id = \(bind: last) WHERE id = \(bind: session)").run()
            }
            return (session, ids)
        }
    }

    /// A campaign message sent in `direct` mode: stored without a session.
    @discardableResult
    func directCampaignMessage(_ body: String) async throws -> Int64 {
        let channelID = s.f.channelID
        return try await s.hub.hub.database.transaction { db in
            try await insertReturningID(db, """
                INSERT INTO messages (session_id, channel_id, direction, sender_type, sender_no, sender_name, recipient, body,
                  delivery_status, created_at, received_at)
                VALUES (NULL, \(bind: channelID), 'out', 9, 'api', 'API', '+15559990000', \(bind: body), 1, \(bind: Self.t0), \(bind: Self.t0))
                """)
        }
    }

    /// `chat_log/search` with `query`; the answer and the ids it lists.
    func search(_ query: [String: String] = [:]) async throws -> (answer: OpenAPIClient.Answer, ids: [Int64]) {
        let answer = try await api.get("chat_log/search", token: token, query)
        let ids = answer.json["list"]?.arrayValue?.compactMap { row -> Int64? in
            if case .int(let id)? = row["session_id"] { return id }
            return nil
        } ?? []
        return (answer, ids)
    }

    func count(_ sql: SQLQueryString) async throws -> Int64 { try await s.f.scalar(sql) }

    /// `chat_log/download` as raw bytes with its headers.
    func download(_ query: [String: String] = [:]) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: Data) {
        var items = query.sorted(by: { $0.key < $1.key }).map { URLQueryItem(name: $0.key, value: $0.value) }
        items.append(URLQueryItem(name: "access_token", value: token))
        var components = URLComponents()
        components.path = "/openapi/v1.0/chat_log/download"
        components.queryItems = items
        let response = try await api.client.executeRequest(
            uri: components.string!, method: .get, headers: [.userAgent: "OpenAPI"], body: nil)
        return (response.status, response.headers, Data(response.body.readableBytesView))
    }
}
