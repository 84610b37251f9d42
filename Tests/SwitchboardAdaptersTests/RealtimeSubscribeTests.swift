import Foundation
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

extension TestHub {
    /// Appends an event the way state changes do (inside a transaction); returns its seq.
    @discardableResult
    func appendEvent(_ kind: EventKind, audience: [Int64] = [], payload: JSONValue = ["n": 1], sessionID: Int64? = nil) async throws -> Int64 {
        let now = clock.now()
        return try await hub.database.transaction { db in
            try await EventLog.append(db, kind, sessionID: sessionID, extensionIDs: audience, payload: payload, now: now)
        }
    }
}

/// Parses a frame as JSON.
func frameJSON(_ text: String) -> JSONValue {
    (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null
}

@Suite("OpenAPI event WebSocket (/openapi/v1.0/subscribe)")
struct RealtimeSubscribeTests {
    @Test(arguments: TestEngines.available)
    func subscribeAcknowledgesHeartbeatsAndDeliversSubscribedEventsInTheEnvelope(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            try await hub.withLiveServer { live in
                let socket = try await live.subscribe(token: try await live.api.token())
                try await socket.send(#"{"topic_list":[30032,30038]}"#)
                #expect(try await socket.message(0) == #"{"errcode":0,"errmsg":"SUCCESS"}"#)
                try await socket.send("heartbeat")
                #expect(try await socket.message(1) == "heartbeat response")
                try await socket.send("hello")
                #expect(frameJSON(try await socket.message(2))["errcode"] == 40001)

                try await hub.appendEvent(.messageCreated, payload: ["not": "subscribed"])
                let payload: JSONValue = ["session_id": 5, "msg_id": 7, "delivery_status": 1]
                try await hub.appendEvent(.messageSendingResult, payload: payload)
                let envelope = frameJSON(try await socket.message(3))
                #expect(envelope["type"] == 30032)
                #expect(envelope["sn"]?.stringValue == hub.hub.realtime.serial)
                #expect(envelope["sn"]?.stringValue?.count == 12)
                #expect(envelope["msg"]?.stringValue == payload.serialized(), "msg must be the payload as a JSON string")
                #expect(socket.messages.count == 4)
                await socket.close()
            }
        }
    }

    @Test func anInvalidTokenIsRefusedWith10004AndClosed() async throws {
        try await TestHub.with(.sqlite) { hub in
            try await hub.withLiveServer { live in
                let socket = try await live.subscribe(token: "not-a-token")
                #expect(frameJSON(try await socket.message(0))["errcode"] == 10004)
                try await socket.waitClosed()
                #expect(socket.closeCode == .policyViolation)
            }
        }
    }

    @Test func sixtySecondsWithoutClientTrafficClosesTheConnection() async throws {
        try await TestHub.with(.sqlite) { hub in
            try await hub.withLiveServer { live in
                let socket = try await live.subscribe(token: try await live.api.token())
                try await socket.send(#"{"topic_list":[30031]}"#)
                _ = try await socket.message(0)
                hub.clock.advance(by: 59)
                try await socket.send("heartbeat")
                #expect(try await socket.message(1) == "heartbeat response")
                hub.clock.advance(by: 59)
                try await socket.send("heartbeat")  // 59 s after the last heartbeat: still open
                #expect(try await socket.message(2) == "heartbeat response")
                hub.clock.advance(by: 60)
                try await socket.waitClosed(timeout: .seconds(5))
                #expect(socket.closeReason == "idle timeout")
            }
        }
    }

    @Test(arguments: TestEngines.available)
    func aNewMessageRoutedToTheAPIArrivesAs30031WithSessionChannelAndCustomer(engine: DatabaseEngine) async throws {
        try await GeneralChannelFixture.with(engine) { f in
            try await f.hub.hub.database.run { db in
                try await db.raw("UPDATE channel_numbers SET destination_type = 'api', destination_id = NULL").run()
            }
            try await f.hub.withLiveServer { live in
                let socket = try await live.subscribe(token: try await live.api.token())
                try await socket.send(#"{"topic_list":[30031]}"#)
                _ = try await socket.message(0)
                let body = FakeGeneralProvider.inboundBody(
                    id: "in-1", from: GeneralChannelFixture.customer, to: GeneralChannelFixture.did, text: "Need help")
                #expect(try await f.deliver(body).status == .noContent)
                let envelope = frameJSON(try await socket.message(1))
                #expect(envelope["type"] == 30031)
                let msg = frameJSON(try #require(envelope["msg"]?.stringValue))
                #expect(msg["msg_body"] == "Need help")
                #expect(msg["session_id"] != nil && msg["msg_id"] != nil)
                #expect(msg["channel_id"] == .int(f.channelID))
                #expect(msg["channel_type"] == "sms")
                #expect(msg["did_number"] == .string(GeneralChannelFixture.did))
                #expect(msg["customer"]?["user_no"] == .string(GeneralChannelFixture.customer))
                #expect(msg["customer"]?["user_type"] == 2)
                await socket.close()
            }
        }
    }
}
