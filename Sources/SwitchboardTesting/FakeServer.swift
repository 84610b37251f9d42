import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A real HTTP server on a loopback port for the duration of a test: the stand-in for a provider's
/// API at the network edge. Routes are whatever the provider fake registers.
public final class FakeServer: Sendable {
    public let port: Int
    private let task: Task<Void, any Error>

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts `router` on 127.0.0.1 on a free port and returns once it listens.
    public static func start(_ router: Router<BasicRequestContext>) async throws -> FakeServer {
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "fake-server")
        logger.logLevel = .warning
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = portStream.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw TestFailure("the fake server did not start")
        }
        return FakeServer(port: port, task: task)
    }

    private init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    /// Stops the server.
    public func stop() async {
        task.cancel()
        _ = await task.result
    }
}

/// A thread-safe list a fake appends what it received to.
public final class Recorder<Item: Sendable>: Sendable {
    private let items = Mutex<[Item]>([])
    public init() {}
    public func append(_ item: Item) { items.withLock { $0.append(item) } }
    public var all: [Item] { items.withLock { $0 } }
    public var count: Int { items.withLock { $0.count } }
}

/// Scripted answers a fake gives instead of its normal one, first in first out.
public final class Script<Answer: Sendable>: Sendable {
    private let queue = Mutex<[Answer]>([])
    public init() {}
    public func push(_ answer: Answer, times: Int = 1) { queue.withLock { $0 += Array(repeating: answer, count: times) } }
    public func next() -> Answer? { queue.withLock { $0.isEmpty ? nil : $0.removeFirst() } }
}
