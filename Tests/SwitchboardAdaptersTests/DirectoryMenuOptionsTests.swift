import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// `system/get_menuoptions` for `ext_group`, `org_list` and `phonebook`.
@Suite("Directory: menu options")
struct DirectoryMenuOptionsTests {
    @Test(arguments: TestEngines.available)
    func groupsPhonebooksAndOrganizationsAreOffered(engine: DatabaseEngine) async throws {
        try await DirectoryAPI.with(engine) { api in
            let support = try await api.create("extensiongroup", ["name": "Support"])
            let sales = try await api.create("extensiongroup", ["name": "Sales"])
            let book = try await api.create("phonebook", ["name": "Partners"])
            let hq = try await api.create("organization", ["name": "HQ"])
            let team = try await api.create("organization", ["name": "Sales", "parent_id": .int(hq)])
            let emea = try await api.create("organization", ["name": "EMEA", "parent_id": .int(team)])
            let branch = try await api.create("organization", ["name": "Branch"])

            func menu(_ name: String) async throws -> JSONValue? {
                let answer = try await api.get("system/get_menuoptions", ["menu": name])
                #expect(answer.errcode == 0)
                return answer.json["data"].map(DirectoryAPI.canonical)
            }
            #expect(try await menu("ext_group") == DirectoryAPI.canonical([
                ["text": "Sales", "value": .string(String(sales))], ["text": "Support", "value": .string(String(support))],
            ]))
            #expect(try await menu("phonebook") == DirectoryAPI.canonical([["text": "Partners", "value": .string(String(book))]]))
            #expect(try await menu("org_list") == DirectoryAPI.canonical([
                ["text": "Branch", "value": .string(String(branch)), "item": []],
                ["text": "HQ", "value": .string(String(hq)), "item": [
                    ["text": "Sales", "value": .string(String(team)), "item": [["text": "EMEA", "value": .string(String(emea)), "item": []]]],
                ]],
            ]))
        }
    }

    @Test func emptyDirectoryGivesEmptyMenus() async throws {
        try await DirectoryAPI.with(.sqlite) { api in
            for menu in ["ext_group", "org_list", "phonebook"] {
                let answer = try await api.get("system/get_menuoptions", ["menu": menu])
                #expect(answer.errcode == 0)
                #expect(answer.json["data"] == [])
            }
        }
    }
}
