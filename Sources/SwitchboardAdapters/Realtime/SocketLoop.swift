import Foundation
import HummingbirdWebSocket
import Synchronization
import SwitchboardCore

/// The loop both event WebSockets run: read the client's frames (answering `heartbeat` with
/// `heartbeat response`), send the events of a feed the connection wants, and — when an idle
/// policy is given — close the connection once the client has been silent that long.
///
/// Idleness is judged on the hub's `WallClock` (checked every `checkInterval`), so tests move a
/// manual clock instead of waiting a minute.
struct SocketLoop: Sendable {
    let clock: any WallClock
    let idle: IdlePolicy?
    let checkInterval: Duration

    /// Why the loop ended on the server's initiative.
    enum Ending: Sendable {
        case clientLeft, idle, feedEnded
    }

    func run(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, feed: EventFeed,
        onText: @escaping @Sendable (String) async throws -> Void,
        render: @escaping @Sendable (StoredEvent) -> String?
    ) async throws {
        let lastActivity = Shared(clock.now())
        let clock = self.clock
        let ending = try await withThrowingTaskGroup(of: Ending.self) { group in
            group.addTask {
                for try await message in inbound.messages(maxSize: 1 << 16) {
                    lastActivity.value = clock.now()
                    guard case .text(let text) = message else { continue }
                    if text.trimmingSpaces == RealtimeCommand.heartbeatText {
                        try await outbound.write(.text(RealtimeCommand.heartbeatResponse))
                    } else {
                        try await onText(text)
                    }
                }
                return .clientLeft
            }
            group.addTask {
                for try await event in feed {
                    if let text = render(event) { try await outbound.write(.text(text)) }
                }
                return .feedEnded
            }
            if let idle {
                let interval = checkInterval
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: interval)
                        if idle.isIdle(lastActivity: lastActivity.value, now: clock.now()) { return .idle }
                    }
                    return .clientLeft
                }
            }
            let first = try await group.next() ?? .clientLeft
            group.cancelAll()
            return first
        }
        switch ending {
        case .clientLeft: break
        case .idle: try await outbound.close(.normalClosure, reason: "idle timeout")
        case .feedEnded: try await outbound.close(.goingAway, reason: "reconnect and resume")
        }
    }

    /// Sends an error body and closes the connection (used before any subscription exists).
    static func refuse(_ outbound: WebSocketOutboundWriter, _ error: APIError) async throws {
        try await outbound.write(.text(error.json.serialized()))
        try await outbound.close(.policyViolation, reason: error.code.message)
    }

    /// JSON text to `JSONValue` (nil when it does not parse).
    static func decodeJSON(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}

/// A value several tasks of one connection read and write.
final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) {
        storage = Mutex(value)
    }

    var value: Value {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
