import SQLKit
import SwitchboardCore

/// Menu options for `message_channel` and `message_queue`.
@Sendable func messagingMenuOptions(_ menu: String, _ db: any SQLDatabase) async throws -> [JSONValue]? {
    nil
}
