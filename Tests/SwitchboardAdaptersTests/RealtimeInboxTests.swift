import Foundation
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// Creates an extension with an inbox password through the OpenAPI and signs it in; returns (id, cookie).
func signedInAgent(_ live: LiveServer, token: String, number: String) async throws -> (id: Int64, cookie: String) {
    let created = try await live.api.post(
        "extension/create", token: token, ["number": .string(number), "first_name": "Agent", "user_password": "inbox-pass-1"])
    let id = try #require(created.int("id"), "\(created.text)")
    return (id, try await live.signIn(extension: number, password: "inbox-pass-1"))
}

/// The `seq` of every event frame received (skipping the ready frame).
func eventSeqs(_ socket: SocketProbe) -> [Int64] {
    socket.messages.compactMap { text -> Int64? in
        if case .int(let seq)? = frameJSON(text)["seq"] { return seq }
        return nil
    }
}

@Suite("Agent event WebSocket (/api/inbox/ws)")
struct RealtimeInboxTests {
    @Test(arguments: TestEngines.available)
    func aReconnectingAgentReceivesExactlyTheEventsItMissed(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            try await hub.withLiveServer { live in
                let token = try await live.api.token()
                let agent = try await signedInAgent(live, token: token, number: "1001")
                var socket = try await live.inbox(cookie: agent.cookie)
                let ready = frameJSON(try await socket.message(0))
                #expect(ready["ready"] == true && ready["reset"] == false)

                let first = try await hub.appendEvent(.messageCreated, audience: [agent.id])
                let second = try await hub.appendEvent(.sessionUpdated)
                _ = try await socket.message(2)
                #expect(eventSeqs(socket) == [first, second])
                let frame = frameJSON(socket.messages[1])
                #expect(frame["type"] == 39003 && frame["data"] == ["n": 1] && frame["session_id"] == .null)
                await socket.close()

                // While it is away: two events for it, one for someone else.
                var missed = [try await hub.appendEvent(.messageCreated, audience: [agent.id])]
                try await hub.appendEvent(.messageCreated, audience: [agent.id + 100])
                missed.append(try await hub.appendEvent(.messageUpdated))

                // It reconnects with the last seq it processed while events keep coming.
                let appender = Task {
                    var seqs: [Int64] = []
                    for index in 0..<15 { seqs.append(try await hub.appendEvent(.messageUpdated, payload: ["i": .integer(index)])) }
                    return seqs
                }
                socket = try await live.inbox(cookie: agent.cookie, lastSeq: second)
                #expect(frameJSON(try await socket.message(0))["last_seq"] == .int(second))
                let expected = missed + (try await appender.value)
                try await SocketProbe.waitUntil(timeout: .seconds(30), "every missed and new event") {
                    eventSeqs(socket).count >= expected.count
                }
                #expect(eventSeqs(socket) == expected)
                let tail = try await hub.appendEvent(.sessionUpdated)
                try await SocketProbe.waitUntil(timeout: .seconds(30), "the live event") { eventSeqs(socket).last == tail }
                #expect(eventSeqs(socket) == expected + [tail])
                await socket.close()
            }
        }
    }

    @Test(arguments: TestEngines.available)
    func eachAgentSeesOnlyItsOwnAndEveryoneEvents(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            try await hub.withLiveServer { live in
                let token = try await live.api.token()
                let ann = try await signedInAgent(live, token: token, number: "1001")
                let bob = try await signedInAgent(live, token: token, number: "1002")
                let annSocket = try await live.inbox(cookie: ann.cookie)
                let bobSocket = try await live.inbox(cookie: bob.cookie)
                _ = try await annSocket.message(0)
                _ = try await bobSocket.message(0)
                let forAnn = try await hub.appendEvent(.messageCreated, audience: [ann.id])
                let forBob = try await hub.appendEvent(.messageCreated, audience: [bob.id])
                let forBoth = try await hub.appendEvent(.sessionUpdated, audience: [ann.id, bob.id])
                let forAll = try await hub.appendEvent(.channelStatusChanged)
                try await SocketProbe.waitUntil(timeout: .seconds(30), "both streams") {
                    eventSeqs(annSocket).last == forAll && eventSeqs(bobSocket).last == forAll
                }
                #expect(eventSeqs(annSocket) == [forAnn, forBoth, forAll])
                #expect(eventSeqs(bobSocket) == [forBob, forBoth, forAll])
                await annSocket.close()
                await bobSocket.close()
            }
        }
    }

    @Test func withoutASignInTheSocketIsRefused() async throws {
        try await TestHub.with(.sqlite) { hub in
            try await hub.withLiveServer { live in
                for cookie in [nil, "sb_inbox=forged"] {
                    let socket = try await live.inbox(cookie: cookie)
                    #expect(frameJSON(try await socket.message(0))["errcode"] == 10004)
                    try await socket.waitClosed()
                    #expect(socket.closeCode == .policyViolation)
                }
            }
        }
    }

    @Test func aLastSeqBeyondTheLogStartsAtTheHeadWithReset() async throws {
        try await TestHub.with(.sqlite) { hub in
            try await hub.withLiveServer { live in
                let agent = try await signedInAgent(live, token: try await live.api.token(), number: "1001")
                let head = try await hub.appendEvent(.sessionUpdated)
                try await SocketProbe.waitUntil(timeout: .seconds(5), "the hub to reach the head") { hub.hub.realtime.hub.cursor == head }
                let socket = try await live.inbox(cookie: agent.cookie, lastSeq: head + 1000)
                let ready = frameJSON(try await socket.message(0))
                #expect(ready["last_seq"] == .int(head) && ready["reset"] == true)
                await socket.close()
            }
        }
    }
}
