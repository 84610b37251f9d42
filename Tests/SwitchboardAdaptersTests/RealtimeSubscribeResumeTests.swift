import Foundation
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// `/openapi/v1.0/subscribe?last_seq=N&topic_list=…`: a subscriber that reconnects with the last
/// `seq` it processed receives exactly the subscribed events it missed, then live ones.
@Suite("OpenAPI event WebSocket resume")
struct RealtimeSubscribeResumeTests {
    @Test(arguments: TestEngines.available)
    func aReconnectingSubscriberGetsExactlyWhatItMissed(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            try await hub.withLiveServer { live in
                let token = try await live.api.token()
                let first = try await SocketProbe.connect(port: live.port, path: "/openapi/v1.0/subscribe?access_token=\(token)&last_seq=0&topic_list=30032")
                #expect(frameJSON(try await first.message(0))["ready"] == true)
                let seen = try await hub.appendEvent(.messageSendingResult, payload: ["n": 1])
                let live1 = frameJSON(try await first.message(1))
                #expect(live1["seq"] == .int(seen) && live1["type"] == 30032)
                await first.close()

                // While disconnected: two subscribed events and one of another type.
                let missed1 = try await hub.appendEvent(.messageSendingResult, payload: ["n": 2])
                try await hub.appendEvent(.messageCreated, payload: ["n": 3])
                let missed2 = try await hub.appendEvent(.messageSendingResult, payload: ["n": 4])

                let again = try await SocketProbe.connect(
                    port: live.port, path: "/openapi/v1.0/subscribe?access_token=\(token)&last_seq=\(seen)&topic_list=30032")
                let ready = frameJSON(try await again.message(0))
                #expect(ready["last_seq"] == .int(seen) && ready["reset"] == false)
                #expect(frameJSON(try await again.message(1))["seq"] == .int(missed1))
                #expect(frameJSON(try await again.message(2))["seq"] == .int(missed2))
                let next = try await hub.appendEvent(.messageSendingResult, payload: ["n": 5])
                #expect(frameJSON(try await again.message(3))["seq"] == .int(next))
                #expect(again.messages.count == 4)
                await again.close()
            }
        }
    }

    @Test func aLastSeqBeforeThePrunedPointResetsToTheHead() async throws {
        try await TestHub.with(.sqlite) { hub in
            try await hub.withLiveServer { live in
                let token = try await live.api.token()
                let head = try await hub.appendEvent(.messageSendingResult, payload: ["n": 1])
                try await hub.hub.database.run { db in
                    try await db.raw("INSERT INTO settings (key, value) VALUES ('events_pruned_through', \(bind: String(head)))").run()
                }
                let socket = try await SocketProbe.connect(
                    port: live.port, path: "/openapi/v1.0/subscribe?access_token=\(token)&last_seq=\(head - 1)&topic_list=30032")
                let ready = frameJSON(try await socket.message(0))
                #expect(ready["reset"] == true && ready["last_seq"] == .int(head))
                let bad = try await SocketProbe.connect(port: live.port, path: "/openapi/v1.0/subscribe?access_token=\(token)&topic_list=30032,x")
                #expect(frameJSON(try await bad.message(0))["errcode"] == 40002)
                await socket.close()
            }
        }
    }
}
