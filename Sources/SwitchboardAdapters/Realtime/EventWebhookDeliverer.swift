import AsyncHTTPClient
import Foundation
import Logging
import SQLKit
import ServiceLifecycle
import SwitchboardCore

/// Pushes events to the configured webhooks, at least once each, safely on several nodes.
///
/// Planning: it follows the hub from the persisted `event_cursors` row `webhooks` and, for each
/// event, inserts one `event_deliveries` row per enabled webhook that selected it (and existed
/// before it: `start_seq`), then advances the cursor — one transaction per event; the unique
/// (webhook, event) key makes a second node planning the same event a no-op.
///
/// Delivering: due rows are claimed with a lease (`status 'sending'`, `attempts + 1`) as the
/// outbox does, sent signed (`EventWebhookRequest`), and recorded only by the claim that still
/// owns the row: a 2xx is `done`; anything else (non-2xx, network error, timeout) is retried
/// after the `RetryPolicy`'s jittered backoff until `maxAttempts`, then `failed` with the last
/// error. Time comes from the hub's `WallClock`, so tests move a manual clock to reach retries.
/// Deliveries of different events are not ordered; receivers order by `X-Event-Id` if they need to.
public final class EventWebhookDeliverer: Service, Sendable {
    let database: Database
    let hub: EventHub
    let http: HTTPClient
    let clock: any WallClock
    let secrets: SecretBox
    let retry: RetryPolicy
    let serial: String
    let logger: Logger
    let pollInterval: Duration
    let leaseSeconds: Int64 = 60
    private let wakeups = WakeSignal()

    static let cursorName = "webhooks"

    init(
        database: Database, hub: EventHub, http: HTTPClient, clock: any WallClock, secrets: SecretBox, retry: RetryPolicy,
        serial: String, logger: Logger, pollInterval: Duration = .milliseconds(200)
    ) {
        self.database = database
        self.hub = hub
        self.http = http
        self.clock = clock
        self.secrets = secrets
        self.retry = retry
        self.serial = serial
        self.logger = logger
        self.pollInterval = pollInterval
    }

    /// Tells the deliverer rows may be due (it also polls).
    public func nudge() { wakeups.signal() }

    public func run() async throws {
        await withStopHandlers(nudge) {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.planLoop() }
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    let sent = (try? await drainOnce()) ?? 0
                    if sent == 0 { await wakeups.wait(timeout: pollInterval) }
                }
                group.cancelAll()
            }
        }
    }

    // MARK: Planning

    private func planLoop() async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                for try await event in hub.subscribe(after: try await plannedCursor()) {
                    try await plan(event)
                }
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
            } catch {
                if Task.isCancelled { return }
                logger.error("event webhook planning failed", metadata: ["error": .string("\(error)")])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// The last planned seq; on first start, the log's head (webhooks do not receive history).
    func plannedCursor() async throws -> Int64 {
        let name = Self.cursorName
        return try await database.transaction { db in
            let head = try await EventStore.head(db)
            try await db.raw("INSERT INTO event_cursors (name, seq) VALUES (\(bind: name), \(bind: head)) ON CONFLICT (name) DO NOTHING").run()
            return try await db.raw("SELECT seq FROM event_cursors WHERE name = \(bind: name)").first()?.decode(column: "seq", as: Int64.self) ?? head
        }
    }

    /// Creates the delivery rows of one event and advances the cursor past it.
    func plan(_ event: StoredEvent) async throws {
        let nowMicros = clock.now() * 1_000_000
        let now = clock.now()
        let name = Self.cursorName
        let planned = try await database.transaction { db -> Int in
            let webhooks = try await db.raw("""
                SELECT id, events FROM event_webhooks WHERE enabled = 1 AND start_seq < \(bind: event.seq)
                """).all()
            var planned = 0
            for webhook in webhooks where EventSelection.matches(try webhook.decode(column: "events", as: String.self), type: event.type) {
                try await db.raw("""
                    INSERT INTO event_deliveries (webhook_id, event_seq, status, due_at, created_at)
                    VALUES (\(bind: try webhook.decode(column: "id", as: Int64.self)), \(bind: event.seq), 'pending', \(bind: nowMicros), \(bind: now))
                    ON CONFLICT (webhook_id, event_seq) DO NOTHING
                    """).run()
                planned += 1
            }
            try await db.raw("UPDATE event_cursors SET seq = \(bind: event.seq) WHERE name = \(bind: name) AND seq < \(bind: event.seq)").run()
            return planned
        }
        if planned > 0 { nudge() }
    }

    // MARK: Delivering

    /// One claimed delivery row.
    struct Job: Sendable {
        var id: Int64
        var webhookID: Int64
        var eventSeq: Int64
        var attempt: Int
    }

    /// Claims what is due and delivers it, waiting for every send; returns how many were sent.
    @discardableResult
    public func drainOnce() async throws -> Int {
        let jobs = try await claimDue()
        await withDiscardingTaskGroup { group in
            for job in jobs { group.addTask { await self.deliver(job) } }
        }
        return jobs.count
    }

    func claimDue(limit: Int = 20) async throws -> [Job] {
        let now = clock.now() * 1_000_000
        let lease = now + leaseSeconds * 1_000_000
        let candidates = try await database.run { db in
            try await db.raw("""
                SELECT id FROM event_deliveries
                WHERE (status = 'pending' AND due_at <= \(bind: now)) OR (status = 'sending' AND lease_until <= \(bind: now))
                ORDER BY due_at, id LIMIT \(unsafeRaw: String(limit))
                """).all().map { try $0.decode(column: "id", as: Int64.self) }
        }
        var jobs: [Job] = []
        for id in candidates {
            let claimed = try await database.run { db in
                try await db.raw("""
                    UPDATE event_deliveries SET status = 'sending', attempts = attempts + 1, lease_until = \(bind: lease)
                    WHERE id = \(bind: id)
                      AND ((status = 'pending' AND due_at <= \(bind: now)) OR (status = 'sending' AND lease_until <= \(bind: now)))
                    RETURNING webhook_id, event_seq, attempts
                    """).first()
            }
            guard let claimed else { continue }  // another node was faster
            jobs.append(Job(
                id: id, webhookID: try claimed.decode(column: "webhook_id", as: Int64.self),
                eventSeq: try claimed.decode(column: "event_seq", as: Int64.self), attempt: try claimed.decode(column: "attempts", as: Int.self)))
        }
        return jobs
    }

    /// What one attempt came to.
    enum Outcome: Sendable, Equatable {
        case delivered(status: Int)
        case failed(status: Int?, error: String)
        /// The webhook was disabled or the event vanished: nothing to send.
        case skipped(String)
    }

    func deliver(_ job: Job) async {
        let outcome: Outcome
        do {
            outcome = try await attempt(job)
        } catch {
            logger.error("event webhook preparation failed", metadata: ["delivery": .stringConvertible(job.id), "error": .string("\(error)")])
            outcome = .failed(status: nil, error: "internal error")
        }
        do {
            try await record(outcome, for: job)
        } catch {
            // The lease runs out and another claim retries.
            logger.error("could not record an event webhook delivery", metadata: ["delivery": .stringConvertible(job.id), "error": .string("\(error)")])
        }
    }

    private func attempt(_ job: Job) async throws -> Outcome {
        let (webhook, event) = try await database.run { db in
            (try await db.raw("SELECT url, method, secret, enabled FROM event_webhooks WHERE id = \(bind: job.webhookID)").first(),
             try await EventStore.event(db, seq: job.eventSeq))
        }
        guard let webhook, try webhook.decode(column: "enabled", as: Int.self) == 1 else { return .skipped("webhook disabled") }
        guard let event else { return .skipped("event no longer in the log") }
        let prepared = EventWebhookRequest.make(
            url: try webhook.decode(column: "url", as: String.self),
            method: WebhookMethod(rawValue: try webhook.decode(column: "method", as: String.self)) ?? .post,
            secret: try secrets.open(try webhook.decode(column: "secret", as: String.self)),
            eventID: String(event.seq), type: event.type, serial: serial, messageText: event.messageText)
        let answer = await EventWebhookRequest.send(prepared, http: http)
        guard let status = answer.status else { return .failed(status: nil, error: "no answer (network error or timeout)") }
        guard (200..<300).contains(status) else { return .failed(status: status, error: "HTTP \(status)") }
        return .delivered(status: status)
    }

    func record(_ outcome: Outcome, for job: Job) async throws {
        let now = clock.now()
        let owner = SQLQueryString("id = \(bind: job.id) AND status = 'sending' AND attempts = \(bind: job.attempt)")
        let update: SQLQueryString
        switch outcome {
        case .delivered(let status):
            update = "UPDATE event_deliveries SET status = 'done', last_status = \(bind: status), last_error = '', finished_at = \(bind: now) WHERE "
        case .skipped(let reason):
            update = "UPDATE event_deliveries SET status = 'done', last_error = \(bind: reason), finished_at = \(bind: now) WHERE "
        case .failed(let status, let error):
            if let delay = retry.delay(afterAttempt: job.attempt, unit: Double.random(in: 0..<1)) {
                let due = now * 1_000_000 + Int64(delay * 1_000_000)
                update = """
                    UPDATE event_deliveries SET status = 'pending', due_at = \(bind: due), last_status = \(bind: status),
                      last_error = \(bind: error) WHERE
                    """
            } else {
                logger.warning("event webhook delivery gave up", metadata: [
                    "webhook": .stringConvertible(job.webhookID), "seq": .stringConvertible(job.eventSeq), "error": .string(error)])
                update = """
                    UPDATE event_deliveries SET status = 'failed', last_status = \(bind: status), last_error = \(bind: error),
                      finished_at = \(bind: now) WHERE
                    """
            }
        }
        try await database.run { db in try await db.raw(update + SQLQueryString(" ") + owner).run() }
    }
}
