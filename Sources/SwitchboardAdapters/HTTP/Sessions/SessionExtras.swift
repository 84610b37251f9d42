import Hummingbird
import SQLKit
import SwitchboardCore

/// Our additions under `message_session/` (same conventions as the reference's):
/// - `GET timeline?id=` — the session's operation timeline (seed 003 "External Chat Logs");
/// - `POST add_contact` — adds the session's customer to company contacts: a new contact from the
///   body's contact fields, or, with `contact_id`, the customer's number written into an existing
///   one (`number_type`, else the first empty number field). Answers the contact `id`.
struct SessionExtras {
    let context: SessionContext

    /// Where the customer's number goes when `number_type` is not given, in order of preference.
    static let numberPreference: [ContactNumberType] = [
        .mobileNumber, .mobileNumber2, .businessNumber, .businessNumber2, .homeNumber, .homeNumber2, .otherNumber,
    ]

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("message_session/timeline") { request, _ in try await timeline(request) }
        group.post("message_session/add_contact") { request, requestContext in
            var request = request
            return try await addContact(try await request.jsonObject(context: requestContext))
        }
    }

    func timeline(_ request: Request) async throws -> JSONResponse {
        var reader = request.queryReader
        let id = reader.id("id", required: true)
        let acting = try await context.acting(&reader, required: false)
        let items = try await context.database.run { db in
            try await SessionStore.authorize(db, id: id!, .view, acting: acting)
            return try await SessionTimeline.render(db, sessionID: id!)
        }
        return .success(["list": .array(items)])
    }

    func addContact(_ body: JSONObject) async throws -> JSONResponse {
        var reader = FieldReader(body)
        let sessionID = reader.id("session_id", required: true)
        let contactID = reader.id("contact_id")
        let numberType = reader.choice("number_type", as: ContactNumberType.self)
        let acting = try await context.acting(&reader, required: false)
        let now = context.clock.now()
        var given = body
        for key in ["session_id", "contact_id", "number_type", "user_type", "user_no"] { given[key] = nil }
        let id = try await context.database.transaction { [given] db in
            var fields = given
            let record = try await SessionStore.authorize(db, id: sessionID!, .view, acting: acting)
            let dialable = Formats.isDialable(record.customer)
            let resource = CompanyContactResource()
            if let contactID {
                guard let row = try await db.raw("SELECT * FROM company_contacts WHERE id = \(bind: contactID)").first() else {
                    throw APIError(.contactsNotExisted)
                }
                if dialable {
                    let free = try Self.numberPreference.first { try row.decode(column: $0.rawValue, as: String.self).isEmpty }
                    fields[(numberType ?? free ?? .otherNumber).rawValue] = .string(record.customer)
                }
                try await resource.update(id: contactID, fields, db: db)
                return contactID
            }
            if dialable { fields[(numberType ?? .mobileNumber).rawValue] = .string(record.customer) }
            if CompanyContactFields.nameKeys.allSatisfy({ (fields[$0]?.stringValue ?? "").trimmingSpaces.isEmpty }) {
                fields["first_name"] = .string(record.customerName.isEmpty ? record.customer : record.customerName)
            }
            return try await resource.create(fields, db: db, now: now)
        }
        return .success(["id": .int(id)])
    }
}

extension CompanyContactFields {
    /// The fields of which a contact needs at least one.
    static let nameKeys = ["first_name", "last_name", "company"]
}
