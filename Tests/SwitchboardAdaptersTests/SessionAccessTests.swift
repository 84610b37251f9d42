import Foundation
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

@Suite("Session permissions, archive, paging and concurrent pickup")
struct SessionAccessTests {
    /// One operation of the matrix, called as extension `number` on `session`.
    static func perform(_ s: SessionFixture, _ operation: SessionOperation, _ session: Int64, as number: String) async throws -> Int64? {
        let user: [String: String] = ["user_type": "1", "user_no": number]
        switch operation {
        case .view:
            return try await s.api.get("message_session/get", token: s.token, user.merging(["id": String(session)]) { $1 }).errcode
        case .reply:
            return try await s.send("hello", as: number, session: session).errcode
        case .transfer:
            return try await s.api.post("message_session/transfer", token: s.token, [
                "session_id": .int(session), "destination_type": "extension", "destination_id": .int(s.agents["1001"]!),
                "user_type": 1, "user_no": .string(number),
            ]).errcode
        case .remove:
            return try await s.api.get("message_session/delete", token: s.token, user.merging(["session_id": String(session)]) { $1 }).errcode
        case .close, .archive, .unarchive, .pickup:
            return try await s.action(operation.rawValue, session, as: number).errcode
        }
    }

    @Test func everyOperationFollowsTheAuthorizationMatrix() async throws {
        try await SessionFixture.with(.sqlite, mode: .manual) { s in
            var customer = 5_550_100_000
            func fresh(pickedBy agent: String?) async throws -> Int64 {
                customer += 1
                try await s.inbound("help", from: "+1\(customer)")
                let session = try await s.latestSessionID()
                if let agent { #expect(try await s.action("pickup", session, as: agent).errcode == 0) }
                return session
            }
            for operation in SessionOperation.allCases {
                let waiting = try await fresh(pickedBy: nil)
                #expect(try await Self.perform(s, operation, waiting, as: "3001") == 10005, "stranger \(operation)")
                #expect(try await Self.perform(s, operation, waiting, as: "2002") == 0, "queue member \(operation)")
                let picked = try await fresh(pickedBy: "2001")
                #expect(try await Self.perform(s, operation, picked, as: "2002") == (operation == .pickup ? 70084 : 10005), "other agent \(operation)")
                #expect(try await Self.perform(s, operation, picked, as: "3001") == 10005, "stranger \(operation)")
                #expect(try await Self.perform(s, operation, picked, as: "2001") == (operation == .pickup ? 70084 : 0), "owner \(operation)")
            }
            let unknown = try await s.action("archive", 1, as: "9999")
            #expect(unknown.errcode == 40002 && unknown.invalidFields == ["user_no"])
            #expect(try await s.action("archive", 999_999, as: "2001").errcode == 60001)
        }
    }

    @Test(arguments: TestEngines.available)
    func archiveUnarchiveAndRemoveArePerAgent(engine: DatabaseEngine) async throws {
        try await SessionFixture.with(engine) { s in
            try await s.inbound("hello")
            let session = try await s.latestSessionID()
            #expect(try await s.action("archive", session, as: "1001").errcode == 0)
            #expect(try await s.listed(as: "1001", ["is_archived": "0"]).isEmpty)
            #expect(try await s.listed(as: "1001", ["is_archived": "1"]) == [session])
            #expect(try await s.send("back again", as: "1001", session: session).errcode == 0)
            #expect(try await s.listed(as: "1001", ["is_archived": "0"]) == [session], "sending unarchives")
            #expect(try await s.action("archive", session, as: "1001").errcode == 0)
            #expect(try await s.action("unarchive", session, as: "1001").errcode == 0)
            #expect(try await s.listed(as: "1001", ["is_archived": "0"]) == [session])
            let removed = try await s.api.get("message_session/delete", token: s.token, ["session_id": String(session), "user_type": "1", "user_no": "1001"])
            #expect(removed.errcode == 0)
            #expect(try await s.listed(as: "1001").isEmpty)
            try await s.inbound("are you there?")
            #expect(try await s.listed(as: "1001") == [session], "new activity brings a removed session back")
            #expect(try await s.action("close", session, as: "1001").errcode == 0)
            #expect(try await s.listed(as: "1001", ["is_archived": "1"]) == [session], "closed sessions are in the archive")
            #expect(try await s.action("unarchive", session, as: "1001").errcode == 70084)
        }
    }

    @Test(arguments: TestEngines.available)
    func twoAgentsPickingUpAtOnceGetExactlyOneOwner(engine: DatabaseEngine) async throws {
        try await SessionFixture.with(engine, mode: .manual) { s in
            for round in 0..<3 {
                try await s.inbound("race \(round)", from: "+1555030000\(round)")
                let session = try await s.latestSessionID()
                let codes = try await withThrowingTaskGroup(of: (String, Int64?).self) { group in
                    for agent in ["2001", "2002"] {
                        group.addTask { (agent, try await s.action("pickup", session, as: agent).errcode) }
                    }
                    var codes: [String: Int64?] = [:]
                    for try await (agent, code) in group { codes[agent] = code }
                    return codes
                }
                let winners = codes.filter { $0.value == 0 }.map(\.key)
                #expect(winners.count == 1, "\(codes)")
                #expect(codes.values.compactMap { $0 }.sorted() == [0, 70084])
                #expect(try await s.owner(session) == s.agents[winners.first ?? ""])
                #expect(try await s.messageTypes(session).filter { $0 == 5 }.count == 1)
            }
        }
    }

    @Test(arguments: TestEngines.available)
    func messagesAndSessionsPageWithMessageIDCursors(engine: DatabaseEngine) async throws {
        try await SessionFixture.with(engine) { s in
            for index in 1...5 { try await s.inbound("m\(index)") }
            let session = try await s.latestSessionID()
            var bodies: [String] = []
            var cursor: String?
            for _ in 0..<4 {
                var query = ["id": String(session), "page_size": "2"]
                if let cursor { query["last_msg_id"] = cursor }
                let page = try await s.api.get("message/get", token: s.token, query)
                #expect(page.json["data"]?["session_id"] == .int(session))
                let records = page.json["data"]?["records"]?.arrayValue ?? []
                bodies += records.compactMap { $0["msg_body"]?.stringValue }
                guard case .int(let oldest)? = records.last?["msg_id"] else { break }
                cursor = String(oldest)
            }
            #expect(bodies == ["m5", "m4", "m3", "m2", "m1"])
            let record = try await s.api.get("message/get", token: s.token, ["id": String(session), "page_size": "1"]).json["data"]?["records"]?.arrayValue?.first
            #expect(record?["send_error"] == "" && record?["msg_files"] == "" && record?["sender"]?["user_type"] == 2)

            for index in 1...4 { try await s.inbound("other \(index)", from: "+1555040000\(index)") }
            var seen: [Int64] = []
            var first: String?
            for _ in 0..<5 {
                var query = ["page_size": "2", "user_type": "1", "user_no": "1001"]
                if let first { query["first_msg_id"] = first }
                let page = try await s.api.get("message_session/list", token: s.token, query).json["list"]?.arrayValue ?? []
                seen += page.compactMap { if case .int(let id)? = $0["id"] { id } else { nil } }
                guard case .int(let last)? = page.last?["last_msg_id"] else { break }
                first = String(last)
            }
            #expect(seen.count == 5 && Set(seen).count == 5)
            #expect(seen.first == (try await s.latestSessionID()))
            let item = try await s.api.get("message_session/list", token: s.token, ["page_size": "1", "user_type": "1", "user_no": "1001"]).json["list"]?.arrayValue?.first
            #expect(item?["expire"] == -1 && item?["type"] == "sms" && item?["to"]?["user_id"] == 0 && item?["did_number"] == .string(GeneralChannelFixture.did))
        }
    }

    @Test func queryEndpointsAnswerSeveralSessions() async throws {
        try await SessionFixture.with(.sqlite) { s in
            try await s.inbound("a", from: "+15550500001")
            let first = try await s.latestSessionID()
            try await s.inbound("b", from: "+15550500002")
            let second = try await s.latestSessionID()
            let sessions = try await s.api.get("message_session/query", token: s.token, ["ids": "\(first),\(second)"])
            #expect(sessions.json["list"]?.arrayValue?.compactMap { $0["to_number"]?.stringValue } == ["+15550500001", "+15550500002"])
            let messages = try await s.api.get("message/query", token: s.token, ["ids": "\(first),\(second)", "page_size": "5"])
            #expect(messages.json["data"]?.arrayValue?.compactMap { $0["records"]?.arrayValue?.first?["msg_body"]?.stringValue } == ["a", "b"])
            #expect(try await s.api.get("message/query", token: s.token, ["ids": "\(first)", "page_size": "5", "user_type": "1", "user_no": "3001"]).errcode == 10005)
        }
    }
}
