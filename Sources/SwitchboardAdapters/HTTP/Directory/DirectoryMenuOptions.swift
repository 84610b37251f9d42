import SQLKit
import SwitchboardCore

/// Menu options for `extension`, `ext_group`, `org_list` and `phonebook`.
@Sendable func directoryMenuOptions(_ menu: String, _ db: any SQLDatabase) async throws -> [JSONValue]? {
    switch menu {
    case "extension":
        return try await db.raw("SELECT id, number, caller_id_name FROM extensions ORDER BY number").all().map { row in
            let number = try row.decode(column: "number", as: String.self)
            let name = try row.decode(column: "caller_id_name", as: String.self)
            return ["text": .string(name.isEmpty ? number : "\(number)-\(name)"), "value": .string(String(try row.decode(column: "id", as: Int64.self)))]
        }
    default:
        return nil
    }
}
