import SQLKit
import SwitchboardCore

/// `company_contact/*`: shared contacts with nine number types, filed in phonebooks (`phonebook_ids`).
struct CompanyContactResource: CrudResource {
    let path = "company_contact"
    let table = "company_contacts"
    let searchColumns = ["first_name", "last_name", "company", "email"] + ContactNumberType.allCases.map(\.rawValue)
    let sortColumns = ["id", "first_name", "last_name", "company", "email"]

    private static let textColumns = ["first_name", "last_name", "company", "email", "remark"]

    func render(_ row: any SQLRow, db: any SQLDatabase) async throws -> JSONObject {
        let id = try row.decode(column: "id", as: Int64.self)
        var object: JSONObject = ["id": .int(id)]
        for column in Self.textColumns + ContactNumberType.allCases.map(\.rawValue) {
            object[column] = .string(try row.decode(column: column, as: String.self))
        }
        let phonebooks = try await LinkTable.contactPhonebooks.ids(of: id, db: db)
        object["phonebook_ids"] = .array(phonebooks.map(JSONValue.int))
        return object
    }

    func create(_ body: JSONObject, db: any SQLDatabase, now: Int64) async throws -> Int64 {
        var reader = FieldReader(body)
        let fields = CompanyContactFields.read(&reader, creating: true)
        try reader.finish()
        try await requirePhonebooks(db, fields.phonebookIDs)
        var insert = db.insert(into: table).columns(["created_at"] + changes(fields).map(\.0))
        insert = insert.values([SQLBind(now)] + changes(fields).map { SQLBind($0.1) })
        guard let row = try await insert.returning("id").first() else { throw APIError(.internalServerError) }
        let id = try row.decode(column: "id", as: Int64.self)
        try await LinkTable.contactPhonebooks.replace(owner: id, with: fields.phonebookIDs ?? [], db: db)
        return id
    }

    func update(id: Int64, _ body: JSONObject, db: any SQLDatabase) async throws {
        var reader = FieldReader(body)
        let fields = CompanyContactFields.read(&reader, creating: false)
        try reader.finish()
        guard let current = try await db.raw("SELECT first_name, last_name, company FROM company_contacts WHERE id = \(bind: id)").first() else {
            throw APIError.notFound
        }
        let stored = try ["first_name", "last_name", "company"].map { try current.decode(column: $0, as: String.self) }
        if fields.lacksName(first: stored[0], last: stored[1], company: stored[2]) {
            throw APIError.invalid(CompanyContactFields.nameField, "required")
        }
        try await requirePhonebooks(db, fields.phonebookIDs)
        try await updateColumns(db, table: table, id: id, changes(fields).map { ($0.0, $0.1) })
        if let phonebooks = fields.phonebookIDs { try await LinkTable.contactPhonebooks.replace(owner: id, with: phonebooks, db: db) }
    }

    /// The columns the request sets, with their values.
    private func changes(_ fields: CompanyContactFields) -> [(String, String)] {
        let text: [(String, String?)] = [
            ("first_name", fields.firstName), ("last_name", fields.lastName), ("company", fields.company),
            ("email", fields.email), ("remark", fields.remark),
        ]
        let numbers = ContactNumberType.allCases.map { ($0.rawValue, fields.numbers[$0]) }
        return (text + numbers).compactMap { column, value in value.map { (column, $0) } }
    }

    /// `70093 PHONEBOOK_NOT_EXISTED` naming `phonebook_ids[i]` for each id that is not a phonebook.
    private func requirePhonebooks(_ db: any SQLDatabase, _ ids: [Int64]?) async throws {
        try await requireExisting(db, table: "phonebooks", ids: ids ?? [], code: .phonebookNotExisted) { "phonebook_ids[\($0)]" }
    }
}
