import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// `extensiongroup/*` over HTTP: members, name rules, replacement on update, search and delete.
@Suite("Directory: extension groups")
struct DirectoryExtensionGroupTests {
    @Test(arguments: TestEngines.available)
    func createdGroupReadsBackWithItsMembers(engine: DatabaseEngine) async throws {
        try await DirectoryAPI.with(engine) { api in
            let alice = try await api.createExtension("1001", "Alice")
            let bob = try await api.createExtension("1002", "Bob")
            let id = try await api.create("extensiongroup", ["name": "Sales", "members": [["extension_id": .int(alice)], ["extension_id": .int(bob)]]])
            let expected = DirectoryAPI.canonical([
                "id": .int(id), "name": "Sales",
                "members": DirectoryAPI.members([(alice, "1001", "Alice"), (bob, "1002", "Bob")]),
            ])
            #expect(try await api.read("extensiongroup", id) == expected)
            #expect(try await api.all("extensiongroup") == [expected])
            let query = try await api.get("extensiongroup/query", ["ids": "\(id),424242"])
            #expect(query.json["data"].map(DirectoryAPI.canonical) == [expected])
            let empty = try await api.create("extensiongroup", ["name": "Empty"])
            #expect(try await api.read("extensiongroup", empty)["members"] == [])
        }
    }

    @Test(arguments: TestEngines.available)
    func nameIsRequiredBoundedAndUnique(engine: DatabaseEngine) async throws {
        try await DirectoryAPI.with(engine) { api in
            _ = try await api.create("extensiongroup", ["name": "Sales"])
            let missing = try await api.post("extensiongroup/create", ["members": []])
            #expect(missing.errcode == 40002)
            #expect(missing.invalidParamEntries == ["name: required"])
            let long = try await api.post("extensiongroup/create", ["name": .string(String(repeating: "n", count: 128))])
            #expect(long.errcode == 40002)
            #expect(long.invalidParamEntries == ["name: max_length"])
            let duplicate = try await api.post("extensiongroup/create", ["name": "Sales"])
            #expect(duplicate.errcode == 40003)
            #expect(duplicate.errmsg == "DUPLICATE KEY VALUE")
            #expect(duplicate.duplicateFieldNames == ["name"])
            #expect(try await api.all("extensiongroup").map { $0["name"] } == ["Sales"])
        }
    }

    @Test(arguments: TestEngines.available)
    func unknownMembersAreNamedAndNothingIsStored(engine: DatabaseEngine) async throws {
        try await DirectoryAPI.with(engine) { api in
            let alice = try await api.createExtension("1001", "Alice")
            let answer = try await api.post("extensiongroup/create", [
                "name": "Sales", "members": [["extension_id": .int(alice)], ["extension_id": 999], ["extension_id": "x"]],
            ])
            #expect(answer.errcode == 40002)
            #expect(answer.invalidParamEntries == ["members[2].extension_id: type"])
            let missing = try await api.post("extensiongroup/create", ["name": "Sales", "members": [["extension_id": 999], ["extension_id": .int(alice)]]])
            #expect(missing.errcode == 40002)
            #expect(missing.invalidParamEntries == ["members[0].extension_id: not_existed"])
            #expect(try await api.all("extensiongroup").isEmpty)
        }
    }

    @Test(arguments: TestEngines.available)
    func updateRenamesAndReplacesMembers(engine: DatabaseEngine) async throws {
        try await DirectoryAPI.with(engine) { api in
            let alice = try await api.createExtension("1001", "Alice")
            let bob = try await api.createExtension("1002", "Bob")
            let id = try await api.create("extensiongroup", ["name": "Sales", "members": [["extension_id": .int(alice)]]])
            _ = try await api.create("extensiongroup", ["name": "Support"])

            #expect(try await api.post("extensiongroup/update", ["id": .int(id), "name": "Field Sales"]).errcode == 0)
            var group = try await api.read("extensiongroup", id)
            #expect(group["name"] == "Field Sales")
            #expect(group["members"] == DirectoryAPI.members([(alice, "1001", "Alice")]))

            let replaced = try await api.post("extensiongroup/update", ["id": .int(id), "members": [["extension_id": .int(bob)], ["extension_id": .int(bob)]]])
            #expect(replaced.errcode == 0)
            group = try await api.read("extensiongroup", id)
            #expect(group["members"] == DirectoryAPI.members([(bob, "1002", "Bob")]))

            let duplicate = try await api.post("extensiongroup/update", ["id": .int(id), "name": "Support", "members": []])
            #expect(duplicate.errcode == 40003)
            #expect(duplicate.duplicateFieldNames == ["name"])
            let badMember = try await api.post("extensiongroup/update", ["id": .int(id), "name": "Other", "members": [["extension_id": 77]]])
            #expect(badMember.errcode == 40002)
            #expect(badMember.invalidFields == ["members[0].extension_id"])
            let blank = try await api.post("extensiongroup/update", ["id": .int(id), "name": ""])
            #expect(blank.errcode == 40002)
            #expect(blank.invalidFields == ["name"])
            #expect(try await api.read("extensiongroup", id) == group)

            #expect(try await api.post("extensiongroup/update", ["id": .int(id), "members": []]).errcode == 0)
            #expect(try await api.read("extensiongroup", id)["members"] == [])
        }
    }

    @Test(arguments: TestEngines.available)
    func searchMatchesNamesAndDeleteRemovesOnlyTheGroup(engine: DatabaseEngine) async throws {
        try await DirectoryAPI.with(engine) { api in
            let alice = try await api.createExtension("1001", "Alice")
            let sales = try await api.create("extensiongroup", ["name": "Sales", "members": [["extension_id": .int(alice)]]])
            _ = try await api.create("extensiongroup", ["name": "Support"])
            #expect(try await api.search("extensiongroup", "SAL").map { $0["id"] } == [.int(sales)])
            #expect(try await api.search("extensiongroup", "s").count == 2)

            #expect(try await api.get("extensiongroup/delete", ["id": String(sales)]).errcode == 0)
            #expect(try await api.all("extensiongroup").map { $0["name"] } == ["Support"])
            #expect(try await api.read("extension", alice)["number"] == "1001")
            try await api.expectMissing("extensiongroup", id: sales)
        }
    }

    @Test(arguments: TestEngines.available)
    func deletingAMemberExtensionLeavesTheGroup(engine: DatabaseEngine) async throws {
        try await DirectoryAPI.with(engine) { api in
            let alice = try await api.createExtension("1001", "Alice")
            let bob = try await api.createExtension("1002", "Bob")
            let id = try await api.create("extensiongroup", ["name": "Sales", "members": [["extension_id": .int(alice)], ["extension_id": .int(bob)]]])
            #expect(try await api.get("extension/delete", ["id": String(alice)]).errcode == 0)
            #expect(try await api.read("extensiongroup", id)["members"] == DirectoryAPI.members([(bob, "1002", "Bob")]))
        }
    }
}
