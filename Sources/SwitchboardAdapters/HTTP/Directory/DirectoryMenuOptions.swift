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
    case "ext_group":
        return try await namedOptions(db, table: "extension_groups")
    case "phonebook":
        return try await namedOptions(db, table: "phonebooks")
    case "org_list":
        return try await OrganizationResource.tree(db).menuOptions()
    default:
        return nil
    }
}

/// `{text: name, value: "id"}` for every row of a table with a `name`, sorted by name.
private func namedOptions(_ db: any SQLDatabase, table: String) async throws -> [JSONValue] {
    try await db.raw("SELECT id, name FROM \(unsafeRaw: table) ORDER BY name, id").all().map { row in
        [
            "text": .string(try row.decode(column: "name", as: String.self)),
            "value": .string(String(try row.decode(column: "id", as: Int64.self))),
        ]
    }
}
