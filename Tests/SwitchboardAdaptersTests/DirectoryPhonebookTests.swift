import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// `phonebook/*` and `company_contact/*` over HTTP: numbers, name rule, and the links between them.
@Suite("Directory: phonebooks and company contacts")
struct DirectoryPhonebookTests {
    static let numberFields = [
        "business_number", "business_number2", "mobile_number", "mobile_number2", "home_number", "home_number2",
        "business_fax", "home_fax", "other_number",
    ]

    /// A contact with every field set; numbers differ per field so a swapped column shows.
    static func fullContact(phonebooks: [Int64]) -> JSONObject {
        var body: JSONObject = [
            "first_name": "Ada", "last_name": "Lovelace", "company": "Analytical Engines", "email": "ada@example.com",
            "remark": "Prefers email",
        ]
        for (index, field) in numberFields.enumerated() { body[field] = .string("+44 20 7946 00\(index)") }
        body["phonebook_ids"] = .array(phonebooks.map(JSONValue.int))
        return body
    }

    @Test(arguments: TestEngines.available)
    func contactReadsBackAsSentAndCountsInItsPhonebooks(engine: DatabaseEngine) async throws {
        try await DirectoryAPI.with(engine) { api in
            let partners = try await api.create("phonebook", ["name": "Partners", "description": "Key partners"])
            let vendors = try await api.create("phonebook", ["name": "Vendors"])
            let body = Self.fullContact(phonebooks: [vendors, partners])
            let id = try await api.create("company_contact", .object(body))
            var expected = body
            expected["phonebook_ids"] = .array([partners, vendors].sorted().map(JSONValue.int))
            let contact = try await api.read("company_contact", id)
            #expect(contact["id"] == .int(id))
            for member in expected.members { #expect(contact[member.key] == member.value, "\(member.key)") }
            #expect(contact.objectValue?.keys.count == expected.keys.count + 1)
            #expect(try await api.read("phonebook", partners) == DirectoryAPI.canonical([
                "id": .int(partners), "name": "Partners", "description": "Key partners", "contact_count": 1, "contact_ids": [.int(id)],
            ]))
            #expect(try await api.search("company_contact", "7946 003").map { $0["id"] } == [.int(id)])
            #expect(try await api.search("company_contact", "analytical").count == 1)
            #expect(try await api.search("company_contact", "babbage").isEmpty)
        }
    }

    @Test(arguments: TestEngines.available)
    func contactRulesNameEachBadFieldAndStoreNothing(engine: DatabaseEngine) async throws {
        try await DirectoryAPI.with(engine) { api in
            let book = try await api.create("phonebook", ["name": "Partners"])
            let noName = try await api.post("company_contact/create", ["email": "a@example.com", "mobile_number": "555"])
            #expect(noName.errcode == 40002)
            #expect(noName.invalidParamEntries == ["first_name or last_name or company: required"])
            let numbers = try await api.post("company_contact/create", [
                "company": "Acme", "home_number": "call me", "other_number": .string(String(repeating: "5", count: 32)), "email": "nope",
            ])
            #expect(numbers.errcode == 40002)
            #expect(Set(numbers.invalidParamEntries) == ["home_number: invalid_format", "other_number: max_length", "email: invalid_format"])
            let noBook = try await api.post("company_contact/create", ["company": "Acme", "phonebook_ids": [.int(book), 404]])
            #expect(noBook.errcode == 70093)
            #expect(noBook.errmsg == "PHONEBOOK_NOT_EXISTED")
            #expect(noBook.invalidParamEntries == ["phonebook_ids[1]: not_existed"])
            #expect(try await api.all("company_contact").isEmpty)
            #expect(try await api.read("phonebook", book)["contact_count"] == 0)
        }
    }

    @Test(arguments: TestEngines.available)
    func contactUpdateChangesOnlyWhatIsSentAndKeepsAName(engine: DatabaseEngine) async throws {
        try await DirectoryAPI.with(engine) { api in
            let partners = try await api.create("phonebook", ["name": "Partners"])
            let vendors = try await api.create("phonebook", ["name": "Vendors"])
            let id = try await api.create("company_contact", .object(Self.fullContact(phonebooks: [partners])))
            let update: JSONValue = ["id": .int(id), "first_name": "", "mobile_number": "", "home_fax": "+1 (555) 010-9999", "phonebook_ids": [.int(vendors)]]
            #expect(try await api.post("company_contact/update", update).errcode == 0)
            let contact = try await api.read("company_contact", id)
            #expect(contact["first_name"] == "")
            #expect(contact["last_name"] == "Lovelace")
            #expect(contact["mobile_number"] == "")
            #expect(contact["home_fax"] == "+1 (555) 010-9999")
            #expect(contact["business_number"] == "+44 20 7946 000")
            #expect(contact["phonebook_ids"] == [.int(vendors)])
            #expect(try await api.read("phonebook", partners)["contact_count"] == 0)

            let nameless = try await api.post("company_contact/update", ["id": .int(id), "last_name": "", "company": " "])
            #expect(nameless.errcode == 40002)
            #expect(nameless.invalidFields == ["first_name or last_name or company"])
            let badBook = try await api.post("company_contact/update", ["id": .int(id), "remark": "changed", "phonebook_ids": [999]])
            #expect(badBook.errcode == 70093)
            #expect(badBook.invalidFields == ["phonebook_ids[0]"])
            let badNumber = try await api.post("company_contact/update", ["id": .int(id), "remark": "changed", "business_fax": "fax?"])
            #expect(badNumber.invalidParamEntries == ["business_fax: invalid_format"])
            #expect(try await api.read("company_contact", id) == contact)
            try await api.expectMissing("company_contact")
        }
    }

    @Test(arguments: TestEngines.available)
    func phonebookRulesNameEachBadFieldAndStoreNothing(engine: DatabaseEngine) async throws {
        try await DirectoryAPI.with(engine) { api in
            let contact = try await api.create("company_contact", ["company": "Acme"])
            _ = try await api.create("phonebook", ["name": "Partners", "contact_ids": [.int(contact)]])
            let missing = try await api.post("phonebook/create", ["description": "x"])
            #expect(missing.errcode == 40002)
            #expect(missing.invalidParamEntries == ["name: required"])
            let long = try await api.post("phonebook/create", ["name": .string(String(repeating: "p", count: 128))])
            #expect(long.invalidParamEntries == ["name: max_length"])
            let duplicate = try await api.post("phonebook/create", ["name": "Partners"])
            #expect(duplicate.errcode == 40003)
            #expect(duplicate.duplicateFieldNames == ["name"])
            let noContact = try await api.post("phonebook/create", ["name": "Vendors", "contact_ids": [.int(contact), 404, 405]])
            #expect(noContact.errcode == 70128)
            #expect(noContact.errmsg == "CONTACTS_NOT_EXISTED")
            #expect(noContact.invalidParamEntries == ["contact_ids[1]: not_existed", "contact_ids[2]: not_existed"])
            let badType = try await api.post("phonebook/create", ["name": "Vendors", "contact_ids": ["abc"]])
            #expect(badType.invalidParamEntries == ["contact_ids[0]: type"])
            #expect(try await api.all("phonebook").map { $0["name"] } == ["Partners"])
        }
    }

    @Test(arguments: TestEngines.available)
    func phonebookUpdateReplacesContactsAndDeletesKeepContacts(engine: DatabaseEngine) async throws {
        try await DirectoryAPI.with(engine) { api in
            let acme = try await api.create("company_contact", ["company": "Acme"])
            let globex = try await api.create("company_contact", ["company": "Globex"])
            let id = try await api.create("phonebook", ["name": "Partners", "contact_ids": [.int(acme)]])
            _ = try await api.create("phonebook", ["name": "Vendors"])

            let update: JSONValue = ["id": .int(id), "name": "Friends", "description": "Close", "contact_ids": [.int(globex), .int(acme), .int(globex)]]
            #expect(try await api.post("phonebook/update", update).errcode == 0)
            let book = try await api.read("phonebook", id)
            #expect(book == DirectoryAPI.canonical(["id": .int(id), "name": "Friends", "description": "Close", "contact_count": 2, "contact_ids": [.int(acme), .int(globex)]]))
            #expect(try await api.read("company_contact", globex)["phonebook_ids"] == [.int(id)])

            let duplicate = try await api.post("phonebook/update", ["id": .int(id), "name": "Vendors"])
            #expect(duplicate.errcode == 40003)
            let badContact = try await api.post("phonebook/update", ["id": .int(id), "description": "x", "contact_ids": [777]])
            #expect(badContact.errcode == 70128)
            #expect(try await api.read("phonebook", id) == book)
            #expect(try await api.search("phonebook", "frien").map { $0["id"] } == [.int(id)])

            #expect(try await api.get("company_contact/delete", ["id": String(acme)]).errcode == 0)
            #expect(try await api.read("phonebook", id)["contact_ids"] == [.int(globex)])
            #expect(try await api.get("phonebook/delete", ["id": String(id)]).errcode == 0)
            #expect(try await api.read("company_contact", globex)["phonebook_ids"] == [])
            try await api.expectMissing("phonebook", id: id)
        }
    }
}
