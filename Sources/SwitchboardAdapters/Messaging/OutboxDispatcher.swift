import AsyncHTTPClient
import Foundation
import Logging
import SQLKit
import ServiceLifecycle
import Synchronization
import SwitchboardCore

/// Sends what the outbox holds, at each channel's `send_rate`.
///
/// Claiming a row reserves the channel's next send slot (`channel_pacing`, evenly spaced at
/// 1/rate) and leases the row until the slot plus the send timeout, in one transaction; several
/// nodes therefore share one pace and never claim the same row. A row whose lease ran out (its
/// node died mid-send) is claimed again: for providers without an idempotency key that can reach
/// the customer twice — at most once more per crash — which `MessagingProvider.resendMayDuplicate`
/// states per provider.
public final class OutboxDispatcher: Service, Sendable {
    let database: Database
    let channels: ChannelStore
    let providers: ProviderRegistry
    let http: HTTPClient
    let clock: any WallClock
    let retry: RetryPolicy
    let logger: Logger
    /// Slots further ahead than this are not claimed yet (keeps reservations short).
    let lookahead: Int64 = 2_000_000
    /// How long a claimed send may take before another node may take it over.
    let leaseMicros: Int64
    private let wakeups = WakeSignal()
    private let gate = SendGate()

    init(database: Database, channels: ChannelStore, providers: ProviderRegistry, http: HTTPClient, clock: any WallClock, retry: RetryPolicy = .init(), leaseSeconds: Int64 = 60, logger: Logger) {
        self.leaseMicros = leaseSeconds * 1_000_000
        self.database = database
        self.channels = channels
        self.providers = providers
        self.http = http
        self.clock = clock
        self.retry = retry
        self.logger = logger
    }

    /// Tells the dispatcher new work is due (it also polls, so a missed nudge only delays).
    public func nudge() { wakeups.signal() }

    /// Microseconds of real time, for pacing.
    static func nowMicros() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000_000) }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let claimed: [Job]
                do {
                    claimed = try await claimDue()
                } catch {
                    logger.error("outbox claim failed", metadata: ["error": .string("\(error)")])
                    claimed = []
                }
                for job in claimed { group.addTask { await self.deliver(job) } }
                // Wait for a nudge or the next poll, whichever comes first.
                if claimed.isEmpty { await wakeups.wait(timeout: .milliseconds(200)) }
            }
        }
    }

    struct Job: Sendable {
        var outboxID: Int64
        var messageID: Int64
        var channelID: Int64
        var attempt: Int
        var slot: Int64
        /// Microseconds between two sends of this channel.
        var interval: Int64 = 0
        /// The channel as loaded when the job was claimed.
        var channel: ChannelStore.Channel?
        /// Claimed from an attempt whose lease ran out (its node died or stalled mid-send).
        var takenOver = false
    }

    /// Claims what is due now and delivers it, waiting for every send; returns how many were sent.
    /// (Tests and the benchmark use this to step the dispatcher deterministically.)
    @discardableResult
    public func drainOnce() async throws -> Int {
        let jobs = try await claimDue()
        await withDiscardingTaskGroup { group in
            for job in jobs { group.addTask { await self.deliver(job) } }
        }
        return jobs.count
    }

    /// Claims due rows whose channel has a slot within the lookahead.
    func claimDue(limit: Int = 50) async throws -> [Job] {
        let now = Self.nowMicros()
        let candidates = try await database.run { db in
            try await db.raw("""
                SELECT id, message_id, channel_id, status FROM outbox
                WHERE (status = 'pending' AND due_at <= \(bind: now)) OR (status = 'sending' AND lease_until <= \(bind: now))
                ORDER BY due_at, id LIMIT \(unsafeRaw: String(limit))
                """).all()
        }
        var jobs: [Job] = []
        var fullChannels: Set<Int64> = []
        // One load (query + credential opening) per channel per pass, not per row; the job carries it to the send.
        var loaded: [Int64: ChannelStore.Channel?] = [:]
        for row in candidates {
            let channelID = try row.decode(column: "channel_id", as: Int64.self)
            if fullChannels.contains(channelID) { continue }
            if loaded[channelID] == nil { loaded[channelID] = .some(try await channels.channel(id: channelID)) }
            guard let channel = loaded[channelID] ?? nil else { continue }
            if var job = try await claim(
                outboxID: try row.decode(column: "id", as: Int64.self), messageID: try row.decode(column: "message_id", as: Int64.self),
                channelID: channelID, rate: channel.sendRate, now: now)
            {
                job.takenOver = try row.decode(column: "status", as: String.self) == "sending"

                job.channel = channel
                jobs.append(job)
            } else {
                fullChannels.insert(channelID)
            }
        }
        return jobs
    }

    private struct NotYet: Error {}

    private func claim(outboxID: Int64, messageID: Int64, channelID: Int64, rate: Int, now: Int64) async throws -> Job? {
        let interval = SendPacer.interval(rate: rate)
        let greatest = database.engine == .sqlite ? "MAX" : "GREATEST"
        let lookahead = self.lookahead, lease = self.leaseMicros
        do {
            return try await database.transaction { db in
                let reserved = try await db.raw("""
                    INSERT INTO channel_pacing (channel_id, next_free_us) VALUES (\(bind: channelID), \(bind: now + interval))
                    ON CONFLICT (channel_id) DO UPDATE
                      SET next_free_us = \(unsafeRaw: greatest)(channel_pacing.next_free_us, \(bind: now)) + \(bind: interval)
                    RETURNING next_free_us
                    """).first()?.decode(column: "next_free_us", as: Int64.self) ?? now + interval
                let slot = reserved - interval
                guard slot <= now + lookahead else { throw NotYet() }
                guard let row = try await db.raw("""
                    UPDATE outbox SET status = 'sending', attempts = attempts + 1, lease_until = \(bind: slot + lease)
                    WHERE id = \(bind: outboxID)
                      AND ((status = 'pending' AND due_at <= \(bind: now)) OR (status = 'sending' AND lease_until <= \(bind: now)))
                    RETURNING attempts
                    """).first()
                else { throw NotYet() }
                return Job(outboxID: outboxID, messageID: messageID, channelID: channelID,
                           attempt: try row.decode(column: "attempts", as: Int.self), slot: slot, interval: interval)
            }
        } catch is NotYet {
            return nil
        }
    }

    /// Waits for the job's slot, calls the provider and records the outcome.
    func deliver(_ job: Job) async {
        let wait = job.slot - Self.nowMicros()
        if wait > 0 { try? await Task.sleep(for: .microseconds(wait)) }
        // A task that woke late must not bunch up with the next one: actual send starts on this
        // node stay at least one interval apart, whatever the scheduler did.
        await gate.admit(channel: job.channelID, interval: .microseconds(job.interval))
        let outcome: SendOutcome
        do {
            outcome = try await send(job)
        } catch {
            logger.error("send preparation failed", metadata: ["message_id": .stringConvertible(job.messageID), "error": .string("\(error)")])
            outcome = .retry(SendFailure(.unknownError, "internal error"), retryAfter: nil)
        }
        do {
            try await record(outcome, for: job)
        } catch {
            // The lease will run out and another claim will retry the send.
            logger.error("could not record a send result", metadata: ["message_id": .stringConvertible(job.messageID), "error": .string("\(error)")])
        }
    }

    private func send(_ job: Job) async throws -> SendOutcome {
        var channel = job.channel
        if channel == nil { channel = try await channels.channel(id: job.channelID) }
        guard let channel, let provider = providers[channel.account.provider] else {
            return .failed(SendFailure(.resourceNotFound, "the channel or its provider no longer exists"))
        }
        guard let row = try await database.run({ db in
            try await db.raw("""
                SELECT m.body, m.files, m.tag, m.whatsapp_msg_param, m.recipient, m.campaign_id, s.customer,
                  COALESCE(s.did_number, (SELECT n.did_number FROM campaigns c JOIN channel_numbers n ON n.id = c.sender_id
                    WHERE c.id = m.campaign_id)) AS did_number
                FROM messages m LEFT JOIN sessions s ON s.id = m.session_id WHERE m.id = \(bind: job.messageID)
                """).first()
        }) else { return .failed(SendFailure(.resourceNotFound, "the message was deleted")) }
        if job.takenOver, try row.decode(column: "campaign_id", as: Int64?.self) != nil {
            // The earlier attempt may have reached the provider: a campaign message is not sent again.
            return .retry(SendFailure(.unknownError, "an earlier attempt was cut off mid-send"), retryAfter: nil)
        }
        let files = (try? JSONDecoder().decode(JSONValue.self, from: Data(try row.decode(column: "files", as: String.self).utf8)))?.arrayValue ?? []
        let param = try row.decode(column: "whatsapp_msg_param", as: String.self)
        let tag = try row.decode(column: "tag", as: String.self)
        let request = OutboundRequest(
            messageID: job.messageID,
            from: try row.decode(column: "did_number", as: String?.self) ?? "",
            to: try row.decode(column: "customer", as: String?.self) ?? row.decode(column: "recipient", as: String.self),
            text: try row.decode(column: "body", as: String.self),
            mediaURLs: files.compactMap { $0["uri"]?.stringValue },
            template: param.isEmpty ? nil : try? JSONDecoder().decode(JSONValue.self, from: Data(param.utf8)),
            tag: tag.isEmpty ? nil : tag)
        return await provider.send(request, account: channel.account, http: http)
    }

    func record(_ outcome: SendOutcome, for job: Job) async throws {
        let now = clock.now()
        let unit = Double.random(in: 0..<1), policy = retry
        try await database.transaction { db in
            let owned = try await db.raw("""
                SELECT id FROM outbox WHERE id = \(bind: job.outboxID) AND status = 'sending' AND attempts = \(bind: job.attempt)
                """).first()
            guard owned != nil else { return }  // another node took over after our lease ran out
            let message = try await db.raw("""
                SELECT m.campaign_id, COALESCE(s.number_id, (SELECT c.sender_id FROM campaigns c WHERE c.id = m.campaign_id)) AS number_id
                FROM messages m LEFT JOIN sessions s ON s.id = m.session_id WHERE m.id = \(bind: job.messageID)
                """).first()
            let numberID = try message?.decode(column: "number_id", as: Int64?.self)
            let campaignID = try message?.decode(column: "campaign_id", as: Int64?.self)
            // A campaign message is sent at most once: see `OutboxDecision`.
            switch OutboxDecision.decide(outcome, attempt: job.attempt, atMostOnce: campaignID != nil, policy: policy, unit: unit) {
            case .delivered(let providerID):
                try await db.raw("""
                    UPDATE messages SET delivery_status = 1, provider_message_id = \(bind: providerID), send_error = '', send_error_msg = ''
                    WHERE id = \(bind: job.messageID)
                    """).run()
                try await db.raw("UPDATE outbox SET status = 'done', last_error = '' WHERE id = \(bind: job.outboxID)").run()
                try await ChannelStats.bump(db, numberID: numberID, [.sent, .delivered], at: now)
            case .retry(let failure, let delay):
                let due = Self.nowMicros() + Int64(delay * 1_000_000)
                try await db.raw("""
                    UPDATE outbox SET status = 'pending', due_at = \(bind: due), last_error = \(bind: failure.kind.rawValue + ": " + failure.providerMessage)
                    WHERE id = \(bind: job.outboxID)
                    """).run()
                return
            case .failed(let failure, let uncertain):
                try await db.raw("""
                    UPDATE messages SET delivery_status = 2, send_error = \(bind: failure.kind.rawValue), send_error_msg = \(bind: failure.providerMessage)
                    WHERE id = \(bind: job.messageID)
                    """).run()
                try await db.raw("UPDATE outbox SET status = 'done', last_error = \(bind: failure.kind.rawValue) WHERE id = \(bind: job.outboxID)").run()
                if uncertain {
                    try await db.raw("UPDATE campaign_recipients SET uncertain = 1 WHERE message_id = \(bind: job.messageID)").run()
                }
                try await ChannelStats.bump(db, numberID: numberID, [.sent, .failed], at: now)
            }
            guard let record = try await MessageRecords.load(db, id: job.messageID) else { return }
            let sessionID: Int64? = { if case .int(let id)? = record["session_id"], id > 0 { return id } else { return nil } }()
            try await EventLog.append(db, .messageUpdated, sessionID: sessionID, payload: .object(record), now: now)
            if case .int(9)? = record["sender"]?["user_type"] {
                try await EventLog.append(db, .messageSendingResult, sessionID: sessionID, payload: .object(record), now: now)
            }
        }
    }
}

/// A one-slot wake-up: `signal` wakes the current waiter, or the next one when none waits.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        var generation = 0
    }
    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns on a signal or after `timeout`.
    func wait(timeout: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let generation = state.withLock { state -> Int? in
                if state.pending {
                    state.pending = false
                    return nil
                }
                state.generation += 1
                state.waiter = continuation
                return state.generation
            }
            guard let generation else {
                continuation.resume()
                return
            }
            Task {
                try? await Task.sleep(for: timeout)
                let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
                    guard state.generation == generation, let waiter = state.waiter else { return nil }
                    state.waiter = nil
                    return waiter
                }
                waiter?.resume()
            }
        }
    }
}

/// Keeps the actual send starts of each channel on this node at least one interval apart.
actor SendGate {
    private var last: [Int64: ContinuousClock.Instant] = [:]

    func admit(channel: Int64, interval: Duration) async {
        let now = ContinuousClock.now
        let start = last[channel].map { max(now, $0 + interval) } ?? now
        last[channel] = start
        if start > now { try? await Task.sleep(until: start, clock: .continuous) }
    }
}
