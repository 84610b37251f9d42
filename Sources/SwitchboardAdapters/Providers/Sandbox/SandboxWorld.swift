import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import SwitchboardCore

/// The outside world of the sandbox provider: a scheduler that, after a delay, posts receipts and
/// customer messages to the hub's own webhook over loopback HTTP. Its queue lives in memory — a
/// simulation, so a restart simply forgets pending replies.
public final class SandboxWorld: Service, Sendable {
    /// Something the sandbox network will deliver to the hub.
    public enum Delivery: Sendable {
        case receipt(messageID: String)
        case message(from: String, to: String, text: String)
    }

    private struct Pending: Sendable {
        var due: ContinuousClock.Instant
        var delivery: Delivery
        var webhookPath: String
        var secret: String?
    }

    public let customer = SimulatedCustomer()
    private let pending = Mutex<[Pending]>([])
    private let port = Mutex<Int?>(nil)
    private let wake = WakeSignal()
    let http: HTTPClient
    let logger: Logger

    public init(http: HTTPClient, logger: Logger) {
        self.http = http
        self.logger = logger
    }

    /// Called once the HTTP server listens: the sandbox posts to this port on 127.0.0.1.
    public func serverStarted(port: Int) {
        self.port.withLock { $0 = port }
        wake.signal()
    }

    /// Queues `delivery` to the channel's webhook after `delay`.
    public func schedule(_ delivery: Delivery, for account: ChannelAccount, after delay: Duration) {
        guard let path = URLComponents(string: account.webhookURL)?.path else { return }
        pending.withLock { $0.append(Pending(due: .now + delay, delivery: delivery, webhookPath: path, secret: account.secret("api_secret"))) }
        wake.signal()
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let now = ContinuousClock.now
            let (due, next) = pending.withLock { items -> ([Pending], ContinuousClock.Instant?) in
                let due = items.filter { $0.due <= now }
                items.removeAll { $0.due <= now }
                return (due, items.map(\.due).min())
            }
            if let port = port.withLock({ $0 }) {
                for item in due { await post(item, port: port) }
            } else if !due.isEmpty {
                pending.withLock { $0.append(contentsOf: due) }
            }
            let wait = next.map { max(.milliseconds(10), $0 - .now) } ?? .seconds(1)
            await wake.wait(timeout: min(wait, .seconds(1)))
        }
    }

    private func post(_ item: Pending, port: Int) async {
        let body: JSONValue
        switch item.delivery {
        case .receipt(let id):
            body = ["data": ["event_type": "message.status", "payload": ["id": .string(id), "status": "delivered"]]]
        case .message(let from, let to, let text):
            body = [
                "data": [
                    "event_type": "message.received", "id": .string(UUID().uuidString),
                    "payload": [
                        "id": .string("sbx-in-" + UUID().uuidString.lowercased()), "from": ["phone_number": .string(from)],
                        "to": [["phone_number": .string(to)]], "text": .string(text), "record_type": "message",
                        "received_at": .string(Self.timestamp()),
                    ],
                ]
            ]
        }
        let bytes = Array(body.serialized().utf8)
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        if let secret = item.secret { headers.add(name: "X-Signature-256", value: Self.signature(secret: secret, body: bytes)) }
        let answer = await callProvider(http, method: .POST, url: "http://127.0.0.1:\(port)\(item.webhookPath)", headers: headers, body: bytes, timeout: .seconds(10))
        if answer.status != 204 {
            logger.warning("sandbox webhook was not accepted", metadata: ["status": .string(answer.status.map(String.init) ?? "none")])
        }
    }

    static func signature(secret: String, body: [UInt8]) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8))).map { String(format: "%02x", $0) }.joined()
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}

/// The demo's customer: answers an agent's message with the next line of a short conversation,
/// then waits for the agent to start over.
public final class SimulatedCustomer: Sendable {
    public static let opening = "Hi! I ordered a blue kettle last week (order #1042). Any news on the delivery?"
    static let lines = [
        "Thanks! Could you send it to my office instead? 12 Harbour Street.",
        "Perfect. Will I get a tracking link by SMS?",
        "Great, that's all I needed. Have a nice day! 👋",
    ]
    private let step = Mutex(0)

    /// The customer's answer to `text`, or nil once the conversation is over.
    func reply(to text: String) -> String? {
        step.withLock { index in
            guard index < Self.lines.count else { return nil }
            defer { index += 1 }
            return Self.lines[index]
        }
    }
}

import NIOHTTP1
