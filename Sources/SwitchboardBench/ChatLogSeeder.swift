import Foundation
import SQLKit
import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting

/// Writes a year of synthetic chat logs fast: explicit ids, multi-row INSERTs of generated literals
/// (no binds, so no parameter limits), one transaction per batch of sessions. Sessions cycle
/// through the four channel types (one number each), three destinations (an agent, the queue, the
/// platform), every fifth started by an agent; seven in ten are closed, ending with the system's
/// close message. Message text has commas, quotes and now and then an emoji.
struct ChatLogSeeder {
    let database: Database
    let sessions: Int
    let messages: Int
    static let start: Int64 = 1_704_067_200  // 2024-01-01
    static let types = [("sms", "+15550001000"), ("whatsapp", "+15550002000"), ("facebook", "334079033132769"), ("livechat", "LC00000")]

    /// Seeds and returns the seconds it took.
    func seed(api: HubAPI) async throws -> Double {
        let begin = ContinuousClock.now
        var agents: [(id: Int64, number: String, name: String)] = []
        for (number, name) in [("1001", "Leo Ball"), ("1002", "Terrell Smith"), ("1003", "Ann Lee")] {
            let created = try await api.post("extension/create", ["number": .string(number), "caller_id_name": .string(name)])
            guard case .int(let id)? = created["id"] else { throw TestFailure("no extension id") }
            agents.append((id, number, name))
        }
        let queue = try await api.post("message_queue/create", [
            "name": "Tech Support", "assignment_mode": "manual", "members": [["extension_id": .int(agents[0].id)]],
        ])
        guard case .int(let queueID)? = queue["id"] else { throw TestFailure("no queue id") }
        let fake = try await FakeGeneralProvider.start()
        let channel = try await api.createChannel(fake: fake, number: "+15550001000", rate: 80, extensionID: agents[0].id, secret: nil)
        await fake.stop()

        let perSession = max(1, messages / max(1, sessions))
        let spacing = max(1, Int64(365 * 86_400) / Int64(max(1, sessions)))
        let batch = 1000
        var first = 0
        while first < sessions {
            let last = min(sessions, first + batch)
            var sessionRows: [String] = []
            var operationRows: [String] = []
            var messageRows: [String] = []
            for i in first..<last {
                let (type, did) = Self.types[i % 4]
                let sessionID = Int64(i + 1)
                let created = Self.start + Int64(i) * spacing
                let closed = i % 10 < 7
                let lastActive = created + Int64(perSession - 1) * 60
                let agent = agents[i % agents.count]
                let customer = "+1555" + String(format: "%07d", i)
                let customerName = i % 3 == 0 ? "Customer \(i)" : ""
                let destination = ["extension", "queue", "api"][i % 3]
                let owner = destination == "extension" ? String(agent.id) : "NULL"
                let queue = destination == "queue" ? String(queueID) : "NULL"
                let firstMessage = Int64(i * perSession + 1)
                sessionRows.append("""
                    (\(sessionID), \(channel.id), '\(type)', '\(did)', '\(customer)', '\(customerName)', 2, '\(destination)', \(owner), \(queue),
                     \(created), \(lastActive), \(closed ? String(lastActive) : "NULL"), \(closed ? "2" : "NULL"), \(firstMessage + Int64(perSession) - 1))
                    """)
                let byAgent = i % 5 == 0
                operationRows.append(byAgent
                    ? "(\(sessionID), 'created', 1, '\(agent.number)', '\(agent.name)', \(created))"
                    : "(\(sessionID), 'created', 2, '\(customer)', '\(customerName)', \(created))")
                for j in 0..<perSession {
                    let at = created + Int64(j) * 60
                    let id = firstMessage + Int64(j)
                    if closed && j == perSession - 1 {
                        messageRows.append("(\(id), \(sessionID), \(channel.id), 'sys', 0, '', 'PBX System', 2, 'The session has been closed.', 1, \(at), \(at))")
                    } else if j % 2 == 0 {
                        let emoji = i % 7 == 0 ? " 😀" : ""
                        messageRows.append("""
                            (\(id), \(sessionID), \(channel.id), 'in', 2, '\(customer)', '\(customerName)', 0,
                             'Hello, this is message \(j) of session \(i): "is my order, #\(i), on its way?"\(emoji)', 1, \(at), \(at))
                            """)
                    } else {
                        messageRows.append("""
                            (\(id), \(sessionID), \(channel.id), 'out', 1, '\(agent.number)', '\(agent.name)', 0,
                             'Thanks for waiting, it ships today, see you soon.', 1, \(at), \(at))
                            """)
                    }
                }
            }
            try await database.transaction { [sessionRows, operationRows, messageRows] db in
                try await db.raw(SQLQueryString("""
                    INSERT INTO sessions (id, channel_id, channel_type, did_number, customer, customer_name, customer_type, destination_type,
                      owner_extension_id, queue_id, created_at, last_active_at, closed_at, close_type, last_msg_id) VALUES
                    """ + sessionRows.joined(separator: ","))).run()
                try await db.raw(SQLQueryString("""
                    INSERT INTO session_operations (session_id, operation, actor_type, actor_no, actor_name, created_at) VALUES
                    """ + operationRows.joined(separator: ","))).run()
                for start in stride(from: 0, to: messageRows.count, by: 2000) {
                    try await db.raw(SQLQueryString("""
                        INSERT INTO messages (id, session_id, channel_id, direction, sender_type, sender_no, sender_name, msg_type, body,
                          delivery_status, created_at, received_at) VALUES
                        """ + messageRows[start..<min(messageRows.count, start + 2000)].joined(separator: ","))).run()
                }
            }
            first = last
        }
        if database.engine == .postgres {
            try await database.run { db in
                for table in ["sessions", "messages"] {
                    try await db.raw(SQLQueryString("SELECT setval(pg_get_serial_sequence('\(table)', 'id'), (SELECT MAX(id) FROM \(table)))")).run()
                }
                // What autovacuum would have done by the time a table holds a year of logs.
                try await db.raw("ANALYZE").run()
            }
        }
        return (ContinuousClock.now - begin).seconds
    }
}
