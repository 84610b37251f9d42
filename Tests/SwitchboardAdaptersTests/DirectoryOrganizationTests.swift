import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// `organization/*` over HTTP: the tree, sibling-unique names, cycles, and the children delete guard.
@Suite("Directory: organizations")
struct DirectoryOrganizationTests {
    @Test(arguments: TestEngines.available)
    func treeReadsBackWithParentsAndMembers(engine: DatabaseEngine) async throws {
        try await DirectoryAPI.with(engine) { api in
            let alice = try await api.createExtension("1001", "Alice")
            let hq = try await api.create("organization", ["name": "HQ"])
            let sales = try await api.create("organization", ["name": "Sales", "parent_id": .int(hq), "members": [["extension_id": .int(alice)]]])
            let root = try await api.create("organization", ["name": "Branch", "parent_id": 0])
            #expect(try await api.read("organization", hq) == DirectoryAPI.canonical(["id": .int(hq), "name": "HQ", "parent_id": 0, "members": []]))
            #expect(try await api.read("organization", sales) == DirectoryAPI.canonical([
                "id": .int(sales), "name": "Sales", "parent_id": .int(hq), "members": DirectoryAPI.members([(alice, "1001", "Alice")]),
            ]))
            #expect(try await api.all("organization").map { $0["id"] } == [.int(hq), .int(sales), .int(root)])
            #expect(try await api.search("organization", "ale").map { $0["id"] } == [.int(sales)])
        }
    }

    @Test(arguments: TestEngines.available)
    func namesAreUniqueAmongSiblingsOnly(engine: DatabaseEngine) async throws {
        try await DirectoryAPI.with(engine) { api in
            let hq = try await api.create("organization", ["name": "HQ"])
            let branch = try await api.create("organization", ["name": "Branch"])
            _ = try await api.create("organization", ["name": "Sales", "parent_id": .int(hq)])
            let branchSales = try await api.create("organization", ["name": "Sales", "parent_id": .int(branch)])
            let rootDuplicate = try await api.post("organization/create", ["name": "HQ", "parent_id": 0])
            #expect(rootDuplicate.errcode == 40003)
            #expect(rootDuplicate.duplicateFieldNames == ["name"])
            let childDuplicate = try await api.post("organization/create", ["name": "Sales", "parent_id": .int(hq)])
            #expect(childDuplicate.errcode == 40003)
            // Moving Branch/Sales under HQ would put two "Sales" side by side.
            let moved = try await api.post("organization/update", ["id": .int(branchSales), "parent_id": .int(hq)])
            #expect(moved.errcode == 40003)
            #expect(moved.duplicateFieldNames == ["name"])
            #expect(try await api.read("organization", branchSales)["parent_id"] == .int(branch))
            #expect(try await api.all("organization").count == 4)
        }
    }

    @Test(arguments: TestEngines.available)
    func createRejectsBadNamesParentsAndMembers(engine: DatabaseEngine) async throws {
        try await DirectoryAPI.with(engine) { api in
            let missing = try await api.post("organization/create", ["parent_id": 0])
            #expect(missing.errcode == 40002)
            #expect(missing.invalidParamEntries == ["name: required"])
            let long = try await api.post("organization/create", ["name": .string(String(repeating: "o", count: 128))])
            #expect(long.invalidParamEntries == ["name: max_length"])
            let noParent = try await api.post("organization/create", ["name": "Sales", "parent_id": 404])
            #expect(noParent.errcode == 40002)
            #expect(noParent.invalidParamEntries == ["parent_id: not_existed"])
            let negative = try await api.post("organization/create", ["name": "Sales", "parent_id": -3])
            #expect(negative.invalidParamEntries == ["parent_id: range"])
            let badMember = try await api.post("organization/create", ["name": "Sales", "members": [["extension_id": 12]]])
            #expect(badMember.errcode == 40002)
            #expect(badMember.invalidParamEntries == ["members[0].extension_id: not_existed"])
            #expect(try await api.all("organization").isEmpty)
        }
    }

    @Test(arguments: TestEngines.available)
    func updateCannotCreateACycle(engine: DatabaseEngine) async throws {
        try await DirectoryAPI.with(engine) { api in
            let hq = try await api.create("organization", ["name": "HQ"])
            let sales = try await api.create("organization", ["name": "Sales", "parent_id": .int(hq)])
            let emea = try await api.create("organization", ["name": "EMEA", "parent_id": .int(sales)])
            for parent in [hq, sales, emea] {
                let answer = try await api.post("organization/update", ["id": .int(hq), "name": "Head Office", "parent_id": .int(parent)])
                #expect(answer.errcode == 40002)
                #expect(answer.invalidParamEntries == ["parent_id: invalid_value"])
            }
            let before = try await api.all("organization")
            #expect(before.map { $0["parent_id"] } == [0, .int(hq), .int(sales)])
            #expect(before.first?["name"] == "HQ")
            let noParent = try await api.post("organization/update", ["id": .int(sales), "parent_id": 999])
            #expect(noParent.invalidParamEntries == ["parent_id: not_existed"])
            #expect(try await api.all("organization") == before)
        }
    }

    @Test(arguments: TestEngines.available)
    func updateMovesRenamesAndReplacesMembers(engine: DatabaseEngine) async throws {
        try await DirectoryAPI.with(engine) { api in
            let alice = try await api.createExtension("1001", "Alice")
            let bob = try await api.createExtension("1002", "Bob")
            let hq = try await api.create("organization", ["name": "HQ"])
            let sales = try await api.create("organization", ["name": "Sales", "parent_id": .int(hq), "members": [["extension_id": .int(alice)]]])
            let emea = try await api.create("organization", ["name": "EMEA", "parent_id": .int(sales)])

            #expect(try await api.post("organization/update", ["id": .int(emea), "parent_id": .int(hq), "name": "Europe"]).errcode == 0)
            #expect(try await api.read("organization", emea) == DirectoryAPI.canonical(["id": .int(emea), "name": "Europe", "parent_id": .int(hq), "members": []]))
            #expect(try await api.post("organization/update", ["id": .int(sales), "parent_id": 0, "members": [["extension_id": .int(bob)]]]).errcode == 0)
            #expect(try await api.read("organization", sales) == DirectoryAPI.canonical([
                "id": .int(sales), "name": "Sales", "parent_id": 0, "members": DirectoryAPI.members([(bob, "1002", "Bob")]),
            ]))
            let blank = try await api.post("organization/update", ["id": .int(sales), "name": ""])
            #expect(blank.invalidFields == ["name"])
            try await api.expectMissing("organization")
        }
    }

    @Test(arguments: TestEngines.available)
    func anOrganizationWithChildrenCannotBeDeleted(engine: DatabaseEngine) async throws {
        try await DirectoryAPI.with(engine) { api in
            let alice = try await api.createExtension("1001", "Alice")
            let hq = try await api.create("organization", ["name": "HQ", "members": [["extension_id": .int(alice)]]])
            let sales = try await api.create("organization", ["name": "Sales", "parent_id": .int(hq)])
            let before = try await api.all("organization")

            let refused = try await api.get("organization/delete", ["id": String(hq)])
            #expect(refused.errcode == 70091)
            #expect(refused.errmsg == "CONNECTION_RELATION_EXISTED")
            #expect(try await api.all("organization") == before)

            #expect(try await api.get("organization/delete", ["id": String(sales)]).errcode == 0)
            #expect(try await api.get("organization/delete", ["id": String(hq)]).errcode == 0)
            #expect(try await api.all("organization").isEmpty)
            #expect(try await api.read("extension", alice)["number"] == "1001")
        }
    }
}
