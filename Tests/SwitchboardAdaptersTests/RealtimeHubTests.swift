import Foundation
import Logging
import SQLKit
@testable import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Testing

/// Collects what a feed yields, in a task of its own.
final class FeedReader: Sendable {
    private let recorder = Recorder<Int64>()
    private let task: Task<Void, Never>

    init(_ feed: EventFeed) {
        let recorder = self.recorder
        task = Task {
            do {
                for try await event in feed { recorder.append(event.seq) }
            } catch {}
        }
    }

    var all: [Int64] { recorder.all }

    func waitFor(count: Int, timeout: Duration = .seconds(30)) async throws -> [Int64] {
        try await SocketProbe.waitUntil(timeout: timeout, "\(count) events (have \(all))") { self.all.count >= count }
        return all
    }

    func stop() { task.cancel() }
}

@Suite("Event hub")
struct RealtimeHubTests {
    static let quiet: Logger = {
        var logger = Logger(label: "hub-test")
        logger.logLevel = .warning
        return logger
    }()

    @Test(arguments: TestEngines.available)
    func subscribersResumingFromAnySequenceGetEachLaterEventOnceInOrder(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            let realtime = hub.hub.realtime.hub
            let runner = Task { try await realtime.run() }
            var seqs: [Int64] = []
            for _ in 0..<5 { seqs.append(try await hub.appendEvent(.messageCreated)) }
            try await SocketProbe.waitUntil(timeout: .seconds(5), "the hub to catch up") { realtime.cursor == seqs.last }
            let fromStart = FeedReader(realtime.subscribe(after: 0))
            let fromMiddle = FeedReader(realtime.subscribe(after: seqs[2]))
            for _ in 0..<5 { seqs.append(try await hub.appendEvent(.messageUpdated)) }
            #expect(try await fromStart.waitFor(count: 10) == seqs)
            #expect(try await fromMiddle.waitFor(count: 7) == Array(seqs[3...]))
            let fromHead = FeedReader(realtime.subscribe(after: realtime.cursor))
            let last = try await hub.appendEvent(.sessionUpdated)
            #expect(try await fromHead.waitFor(count: 1) == [last])
            for reader in [fromStart, fromMiddle, fromHead] { reader.stop() }
            runner.cancel()
            _ = await runner.result
        }
    }

    @Test(arguments: TestEngines.available.filter { $0 == .postgres })
    func anotherNodesCommitWakesTheHubThroughListenNotify(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            // A poll interval far beyond the test's patience: only NOTIFY can deliver in time.
            let realtime = EventHub(database: hub.hub.database, head: 0, listenURL: hub.database.url, logger: Self.quiet, pollInterval: .seconds(120))
            let runner = Task { try await realtime.run() }
            try await SocketProbe.waitUntil(timeout: .seconds(30), "LISTEN") { realtime.isListening }
            let reader = FeedReader(realtime.subscribe(after: realtime.cursor))
            let otherNode = try await Database.open(url: hub.database.url, logger: Self.quiet)
            let seq = try await otherNode.transaction { db in
                try await EventLog.append(db, .messageCreated, sessionID: nil, payload: ["from": "node-2"], now: 1)
            }
            #expect(try await reader.waitFor(count: 1, timeout: .seconds(5)) == [seq])
            reader.stop()
            await otherNode.close()
            runner.cancel()
            _ = await runner.result
        }
    }

    @Test(arguments: TestEngines.available.filter { $0 == .postgres })
    func aSequenceGapIsHeldUntilItsTransactionCommitsOrRollsBack(engine: DatabaseEngine) async throws {
        try await TestHub.with(engine) { hub in
            let database = hub.hub.database
            let realtime = EventHub(database: database, head: 0, listenURL: nil, logger: Self.quiet, gapGrace: .milliseconds(50))
            let reader = FeedReader(realtime.subscribe(after: 0))
            var delivered: [Int64] = []
            for outcome in ["commit", "rollback"] {
                let held = try await HeldAppend.start(database)
                let later = try await hub.appendEvent(.messageUpdated)
                for _ in 0..<3 { try await realtime.pollOnce() }
                #expect(realtime.cursor < held.seq, "\(outcome): must not pass the in-flight seq \(held.seq)")
                try await held.finish(commit: outcome == "commit")
                try await SocketProbe.waitUntil(timeout: .seconds(30), "\(outcome): the gap to settle") {
                    try await realtime.pollOnce()
                    return realtime.cursor == later
                }
                delivered += outcome == "commit" ? [held.seq, later] : [later]
                #expect(try await reader.waitFor(count: delivered.count) == delivered)
            }
            reader.stop()
        }
    }
}

/// An event appended in a transaction that stays open until `finish`.
struct HeldAppend: Sendable {
    let seq: Int64
    let release: AsyncStream<Bool>.Continuation
    let task: Task<Void, any Error>

    struct RolledBack: Error {}

    static func start(_ database: Database) async throws -> HeldAppend {
        let (seqs, seqOut) = AsyncStream<Int64>.makeStream()
        let (decisions, release) = AsyncStream<Bool>.makeStream()
        let task = Task {
            try await database.transaction { db in
                seqOut.yield(try await EventLog.append(db, .messageCreated, sessionID: nil, payload: ["held": true], now: 1))
                var iterator = decisions.makeAsyncIterator()
                if await iterator.next() != true { throw RolledBack() }
            }
        }
        var iterator = seqs.makeAsyncIterator()
        guard let seq = await iterator.next() else { throw TestFailure("the held append did not start") }
        return HeldAppend(seq: seq, release: release, task: task)
    }

    func finish(commit: Bool) async throws {
        release.yield(commit)
        if commit { try await task.value } else { _ = await task.result }
    }
}
