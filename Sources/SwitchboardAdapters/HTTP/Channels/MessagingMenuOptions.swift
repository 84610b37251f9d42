import SQLKit
import SwitchboardCore

/// Menu options for `message_channel` (`{name, id}` of every channel) and `message_queue`.
@Sendable func messagingMenuOptions(_ menu: String, _ db: any SQLDatabase) async throws -> [JSONValue]? {
    let table: String
    switch menu {
    case "message_channel": table = "message_channels"
    case "message_queue": table = "message_queues"
    default: return nil
    }
    return try await db.raw("SELECT id, name FROM \(unsafeRaw: table) ORDER BY id").all().map { row in
        [
            "text": .string(try row.decode(column: "name", as: String.self)),
            "value": .string(String(try row.decode(column: "id", as: Int64.self))),
        ]
    }
}
