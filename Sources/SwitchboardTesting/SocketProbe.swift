import Foundation
import HTTPTypes
import Logging
import NIOWebSocket
import Synchronization
import WSClient

/// A WebSocket client for tests: connects to a live hub, records every text frame it receives,
/// sends text frames, and reports how the server closed the connection. Every wait is bounded.
public final class SocketProbe: Sendable {
    /// What the connection has seen so far.
    private struct State {
        var received: [String] = []
        var writer: WebSocketOutboundWriter?
        var finished = false
        var closeCode: WebSocketErrorCode?
        var closeReason: String?
        var failure: String?
    }
    private let state = Mutex(State())
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Connects to `ws://127.0.0.1:<port><path>` and returns once the upgrade succeeded (or the connection ended).
    public static func connect(port: Int, path: String, headers: HTTPFields = [:], timeout: Duration = .seconds(30)) async throws -> SocketProbe {
        let probe = SocketProbe()
        var quiet = Logger(label: "socket-probe")
        quiet.logLevel = .warning
        let logger = quiet
        let configuration = WebSocketClientConfiguration(additionalHeaders: headers)
        let url = "ws://127.0.0.1:\(port)\(path)"
        probe.task.withLock {
            $0 = Task {
                do {
                    let close = try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
                        probe.state.withLock { $0.writer = outbound }
                        for try await message in inbound.messages(maxSize: 1 << 22) {
                            if case .text(let text) = message { probe.state.withLock { $0.received.append(text) } }
                        }
                    }
                    probe.state.withLock {
                        $0.closeCode = close?.closeCode
                        $0.closeReason = close?.reason
                    }
                } catch {
                    probe.state.withLock { $0.failure = "\(error)" }
                }
                probe.state.withLock { $0.finished = true }
            }
        }
        try await waitUntil(timeout: timeout, "the WebSocket to open") { probe.state.withLock { $0.writer != nil || $0.finished } }
        if let failure = probe.state.withLock({ $0.failure }) { throw TestFailure("WebSocket connection failed: \(failure)") }
        return probe
    }

    /// Every text frame received so far, in order.
    public var messages: [String] { state.withLock { $0.received } }

    /// Whether the connection has ended.
    public var isClosed: Bool { state.withLock { $0.finished } }

    /// The close code the server sent, once closed.
    public var closeCode: WebSocketErrorCode? { state.withLock { $0.closeCode } }

    /// The close reason the server sent, once closed.
    public var closeReason: String? { state.withLock { $0.closeReason } }

    public func send(_ text: String) async throws {
        guard let writer = state.withLock({ $0.writer }) else { throw TestFailure("the WebSocket is not open") }
        try await writer.write(.text(text))
    }

    /// The `index`-th text frame (0-based), waiting for it.
    public func message(_ index: Int, timeout: Duration = .seconds(30)) async throws -> String {
        try await Self.waitUntil(timeout: timeout, "message #\(index) (have \(messages))") { self.messages.count > index || self.isClosed }
        let all = messages
        guard all.count > index else { throw TestFailure("the WebSocket closed after \(all.count) messages: \(all)") }
        return all[index]
    }

    /// Waits until at least `count` frames arrived; returns all of them.
    public func messages(count: Int, timeout: Duration = .seconds(30)) async throws -> [String] {
        _ = try await message(count - 1, timeout: timeout)
        return messages
    }

    /// Waits for the server to end the connection.
    public func waitClosed(timeout: Duration = .seconds(30)) async throws {
        try await Self.waitUntil(timeout: timeout, "the server to close the WebSocket") { self.isClosed }
    }

    /// Closes from the client side and waits for the connection to end.
    public func close() async {
        if let writer = state.withLock({ $0.writer }), !isClosed {
            try? await writer.close(.normalClosure, reason: nil)
        }
        let task = self.task.withLock { $0 }
        if (try? await Self.waitUntil(timeout: .seconds(5), "close") { self.isClosed }) == nil { task?.cancel() }
        _ = await task?.value
    }

    /// Polls `condition` every 10 ms until it holds; throws after `timeout`.
    public static func waitUntil(timeout: Duration, _ what: @autoclosure () -> String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw TestFailure("timed out waiting for \(what())") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
