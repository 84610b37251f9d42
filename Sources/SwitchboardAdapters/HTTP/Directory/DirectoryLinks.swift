import SQLKit
import SwitchboardCore

/// A link table joining an owner (a group, an organization, a phonebook) to what it holds.
struct LinkTable: Sendable {
    let table: String
    let ownerColumn: String
    let memberColumn: String

    static let groupMembers = LinkTable(table: "extension_group_members", ownerColumn: "group_id", memberColumn: "extension_id")
    static let organizationMembers = LinkTable(table: "organization_members", ownerColumn: "organization_id", memberColumn: "extension_id")
    static let phonebookContacts = LinkTable(table: "phonebook_contacts", ownerColumn: "phonebook_id", memberColumn: "contact_id")
    /// The phonebook link seen from the contact's side.
    static let contactPhonebooks = LinkTable(table: "phonebook_contacts", ownerColumn: "contact_id", memberColumn: "phonebook_id")

    /// The ids linked to `owner`, ascending.
    func ids(of owner: Int64, db: any SQLDatabase) async throws -> [Int64] {
        try await db.raw("""
            SELECT \(unsafeRaw: memberColumn) AS id FROM \(unsafeRaw: table)
            WHERE \(unsafeRaw: ownerColumn) = \(bind: owner) ORDER BY \(unsafeRaw: memberColumn)
            """).all().map { try $0.decode(column: "id", as: Int64.self) }
    }

    /// Makes `ids` (duplicates dropped) the whole set linked to `owner`.
    func replace(owner: Int64, with ids: [Int64], db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE \(unsafeRaw: ownerColumn) = \(bind: owner)").run()
        for id in DirectoryReference.unique(ids) {
            try await db.raw("""
                INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: ownerColumn), \(unsafeRaw: memberColumn))
                VALUES (\(bind: owner), \(bind: id))
                """).run()
        }
    }

    /// `[{"extension_id", "ext_num", "caller_id_name"}]` for a link table whose members are extensions.
    func renderedMembers(of owner: Int64, db: any SQLDatabase) async throws -> JSONValue {
        let rows = try await db.raw("""
            SELECT e.id, e.number, e.caller_id_name FROM \(unsafeRaw: table) m
            JOIN extensions e ON e.id = m.\(unsafeRaw: memberColumn)
            WHERE m.\(unsafeRaw: ownerColumn) = \(bind: owner) ORDER BY e.id
            """).all()
        return .array(try rows.map { row in
            [
                "extension_id": .int(try row.decode(column: "id", as: Int64.self)),
                "ext_num": .string(try row.decode(column: "number", as: String.self)),
                "caller_id_name": .string(try row.decode(column: "caller_id_name", as: String.self)),
            ]
        })
    }
}

/// `{"id", "name", …extra, "members"}` for a named row whose members, linked through `links`, are extensions.
func renderWithMembers(_ row: any SQLRow, links: LinkTable, extra: JSONObject = [:], db: any SQLDatabase) async throws -> JSONObject {
    let id = try row.decode(column: "id", as: Int64.self)
    var object: JSONObject = ["id": .int(id), "name": .string(try row.decode(column: "name", as: String.self))]
    for member in extra.members { object[member.key] = member.value }
    object["members"] = try await links.renderedMembers(of: id, db: db)
    return object
}

/// Throws `code` naming each element of `ids` that `table` has no row for, as `field(index)`
/// with `validation_type` `not_existed`.
func requireExisting(
    _ db: any SQLDatabase, table: String, ids: [Int64], code: ErrorCode = .parameterError, field: (Int) -> String
) async throws {
    guard !ids.isEmpty else { return }
    let unique = DirectoryReference.unique(ids)
    let rows = try await db.raw("SELECT id FROM \(unsafeRaw: table) WHERE id IN (\(binds: unique))").all()
    let existing = Set(try rows.map { try $0.decode(column: "id", as: Int64.self) })
    let missing = DirectoryReference.missingIndexes(ids, existing: existing)
    guard missing.isEmpty else {
        throw APIError(code, invalidParams: missing.map { ParamIssue(field: field($0), validationType: DirectoryReference.notExisted) })
    }
}

/// Throws `40002` naming `members[i].extension_id` for each member that is not an extension.
func requireExtensions(_ db: any SQLDatabase, _ ids: [Int64]?) async throws {
    try await requireExisting(db, table: "extensions", ids: ids ?? []) { "members[\($0)].extension_id" }
}
