import SQLKit
import SwitchboardCore

/// `phonebook/*`: named lists of company contacts.
struct PhonebookResource: CrudResource {
    let path = "phonebook"
    let table = "phonebooks"
    let searchColumns = ["name", "description"]
    let sortColumns = ["id", "name"]

    func render(_ row: any SQLRow, db: any SQLDatabase) async throws -> JSONObject {
        let id = try row.decode(column: "id", as: Int64.self)
        let contacts = try await LinkTable.phonebookContacts.ids(of: id, db: db)
        return [
            "id": .int(id),
            "name": .string(try row.decode(column: "name", as: String.self)),
            "description": .string(try row.decode(column: "description", as: String.self)),
            "contact_count": .integer(contacts.count),
            "contact_ids": .array(contacts.map(JSONValue.int)),
        ]
    }

    func create(_ body: JSONObject, db: any SQLDatabase, now: Int64) async throws -> Int64 {
        var reader = FieldReader(body)
        let fields = PhonebookFields.read(&reader, creating: true)
        try reader.finish()
        try await requireContacts(db, fields.contactIDs)
        try await requireUnique(db, table: table, column: "name", value: fields.name!, field: "name")
        let id = try await insertReturningID(db, """
            INSERT INTO phonebooks (name, description, created_at)
            VALUES (\(bind: fields.name!), \(bind: fields.description ?? ""), \(bind: now))
            """)
        try await LinkTable.phonebookContacts.replace(owner: id, with: fields.contactIDs ?? [], db: db)
        return id
    }

    func update(id: Int64, _ body: JSONObject, db: any SQLDatabase) async throws {
        var reader = FieldReader(body)
        let fields = PhonebookFields.read(&reader, creating: false)
        try reader.finish()
        try await requireContacts(db, fields.contactIDs)
        if let name = fields.name {
            try await requireUnique(db, table: table, column: "name", value: name, field: "name", excluding: id)
        }
        try await updateColumns(db, table: table, id: id, [("name", fields.name), ("description", fields.description)])
        if let contacts = fields.contactIDs { try await LinkTable.phonebookContacts.replace(owner: id, with: contacts, db: db) }
    }

    /// `70128 CONTACTS_NOT_EXISTED` naming `contact_ids[i]` for each id that is not a company contact.
    private func requireContacts(_ db: any SQLDatabase, _ ids: [Int64]?) async throws {
        try await requireExisting(db, table: "company_contacts", ids: ids ?? [], code: .contactsNotExisted) { "contact_ids[\($0)]" }
    }
}
