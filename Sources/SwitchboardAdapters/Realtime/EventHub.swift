import Foundation
import Logging
import PostgresKit
import SQLKit
import ServiceLifecycle
import Synchronization
import SwitchboardCore

/// Tails the event log by `seq` and fans new events out to in-memory subscribers (WebSockets,
/// the webhook planner). The table is the truth: a subscriber that starts after sequence N is
/// given every event with `seq > N`, in order, once (`subscribe(after:)`).
///
/// Wake-ups: a poll every `pollInterval`, an in-process nudge when this process appends
/// (SQLite), and on PostgreSQL a `LISTEN` on `EventWake.channel`, which every appending
/// transaction NOTIFYs on commit — so every node wakes at once.
///
/// Ordering on PostgreSQL: `seq` comes from a sequence, so a transaction can commit seq 11 while
/// seq 10 is still in flight. The hub never passes a gap until it is settled: either the missing
/// row appears, or — after a grace period in which its transaction must have obtained an xid —
/// every transaction older than a reference snapshot's `xmax` has ended (`pg_snapshot_xmin`),
/// which proves the row was rolled back. SQLite has a single writer, so it never sees a gap that
/// could still fill.
public final class EventHub: Service, Sendable {
    let database: Database
    let logger: Logger
    let pollInterval: Duration
    let gapGrace: Duration
    /// The PostgreSQL URL to LISTEN on (nil: no LISTEN, e.g. SQLite).
    let listenURL: String?
    /// Events buffered per subscriber before it is cut off (it then resumes from its last seq).
    let maxBuffered: Int
    private let wakeups = WakeSignal()
    private let state: Mutex<State>
    private let gap = Mutex<Gap?>(nil)

    /// The published cursor and the live subscribers.
    private struct State {
        var cursor: Int64
        var subscribers: [UUID: AsyncStream<StoredEvent>.Continuation] = [:]
        var listening = false
        var stopped = false
    }

    /// A run of missing sequence numbers being waited on (PostgreSQL).
    private struct Gap {
        var seq: Int64
        var firstSeen: ContinuousClock.Instant
        var xmaxReference: Int64?
    }

    init(
        database: Database, head: Int64, listenURL: String?, logger: Logger, pollInterval: Duration = .milliseconds(200),
        gapGrace: Duration = .seconds(1), maxBuffered: Int = 10_000
    ) {
        self.database = database
        self.logger = logger
        self.pollInterval = pollInterval
        self.gapGrace = gapGrace
        self.listenURL = listenURL
        self.maxBuffered = maxBuffered
        self.state = Mutex(State(cursor: head))
    }

    /// Builds a hub starting at the log's current head.
    static func make(database: Database, databaseURL: String, logger: Logger, pollInterval: Duration = .milliseconds(200)) async throws -> EventHub {
        let head = try await database.run { db in try await EventStore.head(db) }
        return EventHub(
            database: database, head: head, listenURL: database.engine == .postgres ? databaseURL : nil, logger: logger,
            pollInterval: pollInterval)
    }

    /// Wakes the tail loop now (it also polls, so a lost nudge only delays).
    public func nudge() { wakeups.signal() }

    /// The last sequence number published to subscribers.
    public var cursor: Int64 { state.withLock { $0.cursor } }

    /// Where a client resuming after `lastSeq` starts, given the log's head and what retention
    /// pruned (`EventRetention`).
    func resumePoint(lastSeq: Int64?) async throws -> ResumePoint {
        let prunedThrough = try await database.run { db in try await EventRetention.prunedThrough(db) }
        return ResumePoint.resolve(lastSeq: lastSeq, head: cursor, prunedThrough: prunedThrough)
    }

    /// Whether the PostgreSQL LISTEN connection is up.
    public var isListening: Bool { state.withLock { $0.listening } }

    /// Events with `seq > after`, oldest first, each once: first the backlog from the table, then
    /// live events. The sequence ends when the hub stops or the subscriber falls `maxBuffered` behind.
    public func subscribe(after start: Int64) -> EventFeed {
        let (live, continuation) = AsyncStream<StoredEvent>.makeStream(bufferingPolicy: .bufferingOldest(maxBuffered))
        let id = UUID()
        let registeredAt = state.withLock { state -> Int64? in
            if state.stopped { return nil }
            state.subscribers[id] = continuation
            return state.cursor
        }
        continuation.onTermination = { [weak self] _ in self?.remove(id) }
        if registeredAt == nil { continuation.finish() }
        return EventFeed(database: database, start: start, backlogEnd: registeredAt ?? start, live: live)
    }

    private func remove(_ id: UUID) {
        _ = state.withLock { $0.subscribers.removeValue(forKey: id) }
    }

    public func run() async throws {
        let token = EventWake.register { [weak self] in self?.nudge() }
        defer { EventWake.unregister(token) }
        await withStopHandlers(nudge) {
            await withDiscardingTaskGroup { group in
                if let listenURL { group.addTask { await self.listen(url: listenURL) } }
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    var more = false
                    do {
                        more = try await pollOnce()
                    } catch {
                        logger.error("event log read failed", metadata: ["error": .string("\(error)")])
                    }
                    if !more { await wakeups.wait(timeout: pollInterval) }
                }
                group.cancelAll()
            }
        }
        let subscribers = state.withLock { state in
            state.stopped = true
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }

    /// Reads what follows the cursor and publishes the settled prefix; true when a full batch came back.
    @discardableResult
    func pollOnce(limit: Int = 500) async throws -> Bool {
        let cursor = self.cursor
        let events = try await database.run { db in try await EventStore.load(db, after: cursor, limit: limit) }
        var settled: [StoredEvent] = []
        var expected = cursor + 1
        for event in events {
            if event.seq != expected {
                guard try await gapSettled(from: expected, below: event.seq) else { break }
            }
            settled.append(event)
            expected = event.seq + 1
        }
        if settled.count == events.count { gap.withLock { $0 = nil } }
        publish(settled)
        return events.count == limit && settled.count == events.count
    }

    private func publish(_ events: [StoredEvent]) {
        guard let last = events.last else { return }
        let overflowed = state.withLock { state -> [AsyncStream<StoredEvent>.Continuation] in
            var overflowed: [UUID: AsyncStream<StoredEvent>.Continuation] = [:]
            for event in events {
                for (id, subscriber) in state.subscribers where overflowed[id] == nil {
                    if case .dropped = subscriber.yield(event) { overflowed[id] = subscriber }
                }
            }
            state.cursor = last.seq
            for id in overflowed.keys { state.subscribers.removeValue(forKey: id) }
            return Array(overflowed.values)
        }
        for subscriber in overflowed { subscriber.finish() }
    }

    /// Whether the missing rows `from..<below` can no longer appear (see the type's comment).
    private func gapSettled(from missing: Int64, below next: Int64) async throws -> Bool {
        guard database.engine == .postgres else { return true }
        let now = ContinuousClock.now
        let current = gap.withLock { gap -> Gap in
            if gap?.seq != missing { gap = Gap(seq: missing, firstSeen: now, xmaxReference: nil) }
            return gap!
        }
        guard now - current.firstSeen >= gapGrace else { return false }
        guard let reference = current.xmaxReference else {
            let xmax = try await snapshotBound("pg_snapshot_xmax")
            gap.withLock { $0?.xmaxReference = xmax }
            return false
        }
        guard try await snapshotBound("pg_snapshot_xmin") >= reference else { return false }
        // Every transaction that could hold the missing rows has ended; one may just have committed.
        let filled = try await database.run { db in try await EventStore.load(db, after: missing - 1, upTo: next - 1, limit: 1) }
        guard filled.isEmpty else { return false }
        logger.debug("skipping rolled-back event sequence numbers", metadata: ["from": .stringConvertible(missing), "below": .stringConvertible(next)])
        gap.withLock { $0 = nil }
        return true
    }

    private func snapshotBound(_ function: String) async throws -> Int64 {
        try await database.run { db in
            let text = try await db.raw("SELECT \(unsafeRaw: function)(pg_current_snapshot())::text AS x").first()?
                .decode(column: "x", as: String.self)
            return text.flatMap { Int64($0) } ?? 0
        }
    }

    /// Keeps a LISTEN connection open (reconnecting with backoff) and wakes the loop on every NOTIFY.
    private func listen(url: String) async {
        var backoff: Duration = .milliseconds(250)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                do {
                    try await connection.listen(on: EventWake.channel) { notifications in
                        state.withLock { $0.listening = true }
                        backoff = .milliseconds(250)
                        nudge()  // catch up on anything committed while not listening
                        for try await _ in notifications { nudge() }
                    }
                } catch {
                    if !Task.isCancelled { logger.warning("event LISTEN connection lost", metadata: ["error": .string("\(error)")]) }
                }
                state.withLock { $0.listening = false }
                try? await connection.close()
            } catch {
                logger.warning("cannot LISTEN for events", metadata: ["error": .string("\(error)")])
            }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(10))
        }
    }
}

/// The events one subscriber receives: the table's backlog up to the hub's cursor at subscription
/// time, then the hub's live events, skipping anything at or below the last one returned.
public struct EventFeed: AsyncSequence, Sendable {
    public typealias Element = StoredEvent
    let database: Database
    /// Events with a larger seq are returned.
    public let start: Int64
    let backlogEnd: Int64
    let live: AsyncStream<StoredEvent>

    public func makeAsyncIterator() -> Iterator {
        Iterator(database: database, last: start, backlogEnd: backlogEnd, live: live.makeAsyncIterator())
    }

    /// Reads the backlog in batches, then the live stream.
    public struct Iterator: AsyncIteratorProtocol {
        let database: Database
        var last: Int64
        let backlogEnd: Int64
        var live: AsyncStream<StoredEvent>.Iterator
        var buffer: [StoredEvent] = []
        var index = 0

        public mutating func next() async throws -> StoredEvent? {
            while true {
                if index < buffer.count {
                    let event = buffer[index]
                    index += 1
                    last = event.seq
                    return event
                }
                if last < backlogEnd {
                    let (after, upTo) = (last, backlogEnd)
                    buffer = try await database.run { db in try await EventStore.load(db, after: after, upTo: upTo, limit: 200) }
                    index = 0
                    if buffer.isEmpty { last = backlogEnd }
                    continue
                }
                guard let event = await live.next() else { return nil }
                if event.seq > last {
                    last = event.seq
                    return event
                }
            }
        }
    }
}

/// Runs `body`, calling `wake` when the task is cancelled or asked to shut down, so a loop
/// waiting on a `WakeSignal` notices at once instead of after its poll interval.
func withStopHandlers(_ wake: @escaping @Sendable () -> Void, _ body: () async -> Void) async {
    await withTaskCancellationHandler {
        await withGracefulShutdownHandler { await body() } onGracefulShutdown: { wake() }
    } onCancel: {
        wake()
    }
}
