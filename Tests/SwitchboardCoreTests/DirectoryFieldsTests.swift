import SwitchboardCore
import Testing

/// The pure field readers of the directory objects and the organization tree.
@Suite("Directory field parsing")
struct DirectoryFieldsTests {
    private func issues(_ body: JSONObject, _ read: (inout FieldReader) -> Void) -> [ParamIssue] {
        var reader = FieldReader(body)
        read(&reader)
        return reader.issues
    }

    @Test func groupNeedsANameOnCreateOnly() {
        var reader = FieldReader([:])
        let created = ExtensionGroupFields.read(&reader, creating: true)
        #expect(created.name == nil)
        #expect(reader.issues == [ParamIssue(field: "name", validationType: "required")])
        #expect(issues([:]) { _ = ExtensionGroupFields.read(&$0, creating: false) }.isEmpty)
        #expect(issues(["name": ""]) { _ = ExtensionGroupFields.read(&$0, creating: false) } == [ParamIssue(field: "name", validationType: "required")])
        let long = JSONValue.string(String(repeating: "x", count: 128))
        #expect(issues(["name": long]) { _ = ExtensionGroupFields.read(&$0, creating: true) } == [ParamIssue(field: "name", validationType: "max_length")])
        #expect(issues(["name": .string(String(repeating: "x", count: 127))]) { _ = ExtensionGroupFields.read(&$0, creating: true) }.isEmpty)
    }

    @Test func membersAreExtensionIDsInTheOrderSent() {
        var reader = FieldReader(["name": "Sales", "members": [["extension_id": 3], ["extension_id": "7"], ["extension_id": 3]]])
        let fields = ExtensionGroupFields.read(&reader, creating: true)
        #expect(reader.issues.isEmpty)
        #expect(fields.name == "Sales")
        #expect(fields.memberIDs == [3, 7, 3])
    }

    @Test func badMembersAreNamedByIndex() {
        let found = issues(["name": "Sales", "members": [["extension_id": 3], ["extension_id": 0], [:], 5]]) {
            _ = ExtensionGroupFields.read(&$0, creating: true)
        }
        #expect(found.map(\.field) == ["members[3]", "members[1].extension_id", "members[2].extension_id"])
        #expect(issues(["members": "3"]) { _ = OrganizationFields.read(&$0, creating: false) }.map(\.field) == ["members"])
    }

    @Test func organizationParentIsZeroForRootAndNeverNegative() {
        var reader = FieldReader(["name": "HQ", "parent_id": 0])
        #expect(OrganizationFields.read(&reader, creating: true).parentID == 0)
        #expect(issues(["name": "HQ", "parent_id": -1]) { _ = OrganizationFields.read(&$0, creating: true) }.map(\.field) == ["parent_id"])
        #expect(issues(["parent_id": "x"]) { _ = OrganizationFields.read(&$0, creating: false) }.map(\.field) == ["parent_id"])
    }

    @Test func cyclesAreDetectedThroughEveryAncestor() {
        // 1 ─ 2 ─ 3, and 4 on its own.
        let tree = OrganizationTree([
            .init(id: 1, name: "HQ", parentID: nil), .init(id: 2, name: "Sales", parentID: 1),
            .init(id: 3, name: "EMEA", parentID: 2), .init(id: 4, name: "Ops", parentID: 0),
        ])
        #expect(tree.createsCycle(moving: 1, under: 1))
        #expect(tree.createsCycle(moving: 1, under: 3))
        #expect(tree.createsCycle(moving: 2, under: 3))
        #expect(!tree.createsCycle(moving: 3, under: 1))
        #expect(!tree.createsCycle(moving: 1, under: 4))
        #expect(!tree.createsCycle(moving: 4, under: 3))
    }

    @Test func orgMenuNestsChildrenUnderRootsSortedByName() {
        let tree = OrganizationTree([
            .init(id: 2, name: "Sales", parentID: 1), .init(id: 1, name: "HQ", parentID: nil),
            .init(id: 3, name: "EMEA", parentID: 2), .init(id: 5, name: "APAC", parentID: 2), .init(id: 4, name: "Branch", parentID: nil),
        ])
        let expected: [JSONValue] = [
            ["text": "Branch", "value": "4", "item": []],
            ["text": "HQ", "value": "1", "item": [
                ["text": "Sales", "value": "2", "item": [
                    ["text": "APAC", "value": "5", "item": []],
                    ["text": "EMEA", "value": "3", "item": []],
                ]],
            ]],
        ]
        #expect(tree.menuOptions() == expected)
    }

    @Test func phonebookReadsNameDescriptionAndContactIDs() {
        var reader = FieldReader(["name": "Partners", "description": "Key partners", "contact_ids": [4, "9"]])
        let fields = PhonebookFields.read(&reader, creating: true)
        #expect(reader.issues.isEmpty)
        #expect(fields == {
            var expected = PhonebookFields()
            expected.name = "Partners"
            expected.description = "Key partners"
            expected.contactIDs = [4, 9]
            return expected
        }())
        #expect(issues(["name": "P", "contact_ids": [1, -2, "x", .double(1.5)]]) { _ = PhonebookFields.read(&$0, creating: true) }.map(\.field)
            == ["contact_ids[1]", "contact_ids[2]", "contact_ids[3]"])
        #expect(issues(["description": .string(String(repeating: "d", count: 256))]) { _ = PhonebookFields.read(&$0, creating: false) }.map(\.field)
            == ["description"])
    }

    @Test func contactReadsEveryNumberType() {
        var body: JSONObject = ["first_name": "Ada", "email": "ada@example.com", "phonebook_ids": [2]]
        for (index, type) in ContactNumberType.allCases.enumerated() { body[type.rawValue] = .string("+1 555-01\(index)") }
        var reader = FieldReader(body)
        let fields = CompanyContactFields.read(&reader, creating: true)
        #expect(reader.issues.isEmpty)
        #expect(ContactNumberType.allCases.count == 9)
        for (index, type) in ContactNumberType.allCases.enumerated() { #expect(fields.numbers[type] == "+1 555-01\(index)") }
        #expect(fields.phonebookIDs == [2])
        #expect(fields.email == "ada@example.com")
    }

    @Test func contactNumbersMustBeDialableAndShort() {
        let found = issues([
            "company": "Acme", "business_number": "call me", "home_fax": .string(String(repeating: "1", count: 32)),
            "mobile_number2": "", "other_number": "+44 (20) 7946-0958",
        ]) { _ = CompanyContactFields.read(&$0, creating: true) }
        #expect(found == [
            ParamIssue(field: "business_number", validationType: "invalid_format"),
            ParamIssue(field: "home_fax", validationType: "max_length"),
        ])
    }

    @Test func contactNeedsSomeName() {
        #expect(issues(["email": "a@b.co"]) { _ = CompanyContactFields.read(&$0, creating: true) }
            == [ParamIssue(field: CompanyContactFields.nameField, validationType: "required")])
        #expect(issues(["first_name": " "]) { _ = CompanyContactFields.read(&$0, creating: true) }.map(\.field) == [CompanyContactFields.nameField])
        for key in ["first_name", "last_name", "company"] {
            #expect(issues([key: "X"]) { _ = CompanyContactFields.read(&$0, creating: true) }.isEmpty)
        }
        #expect(issues([:]) { _ = CompanyContactFields.read(&$0, creating: false) }.isEmpty)
        var clearing = CompanyContactFields()
        clearing.firstName = ""
        #expect(clearing.lacksName(first: "Ada"))
        #expect(!clearing.lacksName(first: "Ada", company: "Acme"))
        #expect(!CompanyContactFields().lacksName(last: "Lovelace"))
    }

    @Test func contactEmailIsChecked() {
        #expect(issues(["first_name": "A", "email": "not-an-email"]) { _ = CompanyContactFields.read(&$0, creating: true) }.map(\.field) == ["email"])
        #expect(issues(["first_name": "A", "email": ""]) { _ = CompanyContactFields.read(&$0, creating: true) }.isEmpty)
    }

    @Test func referenceHelpers() {
        #expect(DirectoryReference.missingIndexes([5, 6, 5, 7], existing: [6]) == [0, 2, 3])
        #expect(DirectoryReference.unique([3, 1, 3, 2, 1]) == [3, 1, 2])
    }
}
