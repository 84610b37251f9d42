import Foundation
import Logging
import SQLKit
import ServiceLifecycle
import SwitchboardCore

/// Executes campaigns, one at a time, through the outbox.
///
/// Each pass starts the next due campaign when none is running (`scheduled` whose time has come,
/// then `pending` in the order they were queued), then tops up the running campaign's messages in
/// the outbox to about two seconds' worth at the channel's send rate (the outbox paces them), and
/// completes it once every recipient has a final result. A recipient is queued in its own
/// transaction that also records the message on the recipient row, and only when the row has no
/// message of the current round — so a recipient is never queued twice, however passes interleave
/// or the process restarts.
///
/// With several nodes on one database, only the holder of the `campaign-runner` lease runs
/// campaigns; it renews the lease on every pass. A node that takes the lease over (its holder died,
/// or at the first start) first recovers what the previous holder left `executing` (see `recover`).
public final class CampaignRunner: Service, Sendable {
    /// How long a runner's lease lasts without renewal: how long a crashed runner's campaign waits
    /// before another node (or the restarted one) stops it.
    static let leaseSeconds: Int64 = 10

    let database: Database
    let channels: ChannelStore
    let files: FileStore
    let dispatcher: OutboxDispatcher
    let clock: any WallClock
    let logger: Logger
    private let wakeups = WakeSignal()
    let lease: RunnerLease

    init(database: Database, channels: ChannelStore, files: FileStore, dispatcher: OutboxDispatcher, clock: any WallClock, logger: Logger) {
        self.database = database
        self.channels = channels
        self.files = files
        self.dispatcher = dispatcher
        self.clock = clock
        self.logger = logger
        self.lease = RunnerLease(database: database, name: "campaign-runner", seconds: Self.leaseSeconds)
    }

    /// Tells the runner a campaign may be due now.
    public func nudge() { wakeups.signal() }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var running: Int64?
            do {
                running = try await tick()
            } catch {
                logger.error("campaign pass failed", metadata: ["error": .string("\(error)")])
            }
            // Idle: a second between looks for due schedules (create and retry nudge at once).
            await wakeups.wait(timeout: running == nil ? .seconds(1) : .milliseconds(100))
        }
        try? await lease.release()
    }

    /// One pass: start the next campaign if none runs, queue more of the running one, complete it when done.
    /// Returns the running campaign's id after the pass (nil when none runs). Tests step the runner with it.
    @discardableResult
    public func tick() async throws -> Int64? {
        let now = clock.now()
        switch try await lease.acquire(now: now) {
        case .busy: return nil
        case .renewed: break
        case .taken(let previous):
            if let previous { logger.notice("took over the campaign runner", metadata: ["previous": .string(previous)]) }
            try await Self.recover(database, now: now)
        }
        var current = try await running()
        if current == nil { current = try await startNext(now: now) }
        guard let campaign = current else { return nil }
        let queued = try await topUp(campaign, now: now)
        if queued > 0 { dispatcher.nudge() }
        return try await completeIfDone(campaign, now: now) ? nil : campaign.id
    }

    /// What a pass needs of the running campaign.
    struct Running: Sendable {
        var id: Int64
        var name: String
        var round: Int
        var channelID: Int64
        var channelType: String
        var senderID: Int64
        var senderNumber: String
        var contentType: CampaignContentType
        var content: String
        var msgParam: String
        var sendMode: CampaignSendMode
        var assignToType: String
        var assignToID: Int64?
    }

    private func running() async throws -> Running? {
        try await load(SQLQueryString("WHERE c.status IN ('executing', 'retrying') ORDER BY c.started_at, c.id"))
    }

    private func load(_ filter: SQLQueryString) async throws -> Running? {
        let row = try await database.run { db in
            try await db.raw(SQLQueryString("""
                SELECT c.*, n.did_number AS sender_number FROM campaigns c LEFT JOIN channel_numbers n ON n.id = c.sender_id
                """) + SQLQueryString(" ") + filter + SQLQueryString(" LIMIT 1")).first()
        }
        guard let row else { return nil }
        return Running(
            id: try row.decode(column: "id", as: Int64.self), name: try row.decode(column: "name", as: String.self),
            round: try row.decode(column: "round", as: Int.self), channelID: try row.decode(column: "channel_id", as: Int64.self),
            channelType: try row.decode(column: "channel_type", as: String.self), senderID: try row.decode(column: "sender_id", as: Int64.self),
            senderNumber: try row.decode(column: "sender_number", as: String?.self) ?? "",
            contentType: CampaignContentType(rawValue: try row.decode(column: "content_type", as: String.self)) ?? .text,
            content: try row.decode(column: "content", as: String.self), msgParam: try row.decode(column: "msg_param", as: String.self),
            sendMode: CampaignSendMode(rawValue: try row.decode(column: "send_mode", as: String.self)) ?? .direct,
            assignToType: try row.decode(column: "assign_to_type", as: String.self),
            assignToID: try row.decode(column: "assign_to_id", as: Int64?.self))
    }

    /// Scheduled campaigns whose time has come join the queue; the oldest queued one starts.
    private func startNext(now: Int64) async throws -> Running? {
        let due = try await database.run { db in
            try await db.raw("""
                SELECT id FROM campaigns WHERE status = 'pending' OR (status = 'scheduled' AND send_time <= \(bind: now)) LIMIT 1
                """).first()
        }
        guard due != nil else { return nil }
        let started = try await database.transaction { db -> Bool in
            try await db.raw("""
                UPDATE campaigns SET status = 'pending', queued_at = send_time WHERE status = 'scheduled' AND send_time <= \(bind: now)
                """).run()
            guard let next = try await db.raw("""
                SELECT id, round FROM campaigns WHERE status = 'pending' ORDER BY queued_at, id LIMIT 1
                """).first() else { return false }
            let status: CampaignStatus = try next.decode(column: "round", as: Int.self) > 1 ? .retrying : .executing
            try await db.raw("""
                UPDATE campaigns SET status = \(bind: status.rawValue), started_at = \(bind: now)
                WHERE id = \(bind: try next.decode(column: "id", as: Int64.self)) AND status = 'pending'
                """).run()
            return true
        }
        return started ? try await running() : nil
    }

    /// Recipients still to queue in this round: never queued, or failed in an earlier round.
    static func candidates(_ campaign: Running) -> SQLQueryString {
        """
        FROM campaign_recipients r LEFT JOIN messages m ON m.id = r.message_id
        WHERE r.campaign_id = \(bind: campaign.id) AND r.uncertain = 0 AND r.round < \(bind: campaign.round)
          AND (r.message_id IS NULL OR m.delivery_status = 2)
        """
    }

    /// Queues recipients until about two seconds of sends wait in the outbox; returns how many were queued.
    private func topUp(_ campaign: Running, now: Int64) async throws -> Int {
        let rate = try await channels.channel(id: campaign.channelID)?.sendRate ?? 1
        let window = max(rate * 2, 10)
        let (waiting, next) = try await database.run { db in
            let waiting = try await db.raw("""
                SELECT COUNT(*) AS n FROM campaign_recipients r JOIN messages m ON m.id = r.message_id
                WHERE r.campaign_id = \(bind: campaign.id) AND m.delivery_status = 0
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            guard waiting < window else { return (waiting, [(Int64, String, String)]()) }
            let rows = try await db.raw(SQLQueryString("SELECT r.id, r.number, r.contact_name ") + Self.candidates(campaign)
                + SQLQueryString(" ORDER BY r.position LIMIT \(unsafeRaw: String(window - waiting))")).all()
            return (waiting, try rows.map {
                (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "number", as: String.self),
                 try $0.decode(column: "contact_name", as: String.self))
            })
        }
        _ = waiting
        let content = try messageContent(campaign)
        // Several recipients per transaction (a commit per message is what limits PostgreSQL);
        // a chunk that fails is redone one recipient at a time so one bad number fails alone.
        for start in stride(from: 0, to: next.count, by: 25) {
            let chunk = Array(next[start..<min(start + 25, next.count)])
            do {
                try await database.transactionRetryingConflicts { db in
                    for (recipientID, number, name) in chunk {
                        try await Self.queue(db, campaign, recipientID: recipientID, number: number, name: name, content: content, now: now)
                    }
                }
                dispatcher.nudge()
            } catch {
                for (recipientID, number, name) in chunk {
                    try await queueAlone(campaign, recipientID: recipientID, number: number, name: name, content: content, now: now)
                }
            }
        }
        return next.count
    }

    /// Queues one recipient in its own transaction; a failure is recorded on the recipient as its result.
    private func queueAlone(
        _ campaign: Running, recipientID: Int64, number: String, name: String, content: OutboundService.Content, now: Int64
    ) async throws {
        do {
            try await database.transactionRetryingConflicts { db in
                try await Self.queue(db, campaign, recipientID: recipientID, number: number, name: name, content: content, now: now)
            }
        } catch {
            let reason = (error as? APIError).map { $0.detail ?? $0.code.message } ?? "could not queue the message"
            logger.warning("campaign recipient not queued", metadata: ["campaign": .stringConvertible(campaign.id), "error": .string("\(error)")])
            try await database.run { db in
                try await db.raw("""
                    UPDATE campaign_recipients SET error = \(bind: reason), round = \(bind: campaign.round) WHERE id = \(bind: recipientID)
                    """).run()
            }
        }
    }

    /// What every recipient's message carries.
    private func messageContent(_ campaign: Running) throws -> OutboundService.Content {
        switch campaign.contentType {
        case .text:
            return .init(text: campaign.content, campaignID: campaign.id)
        case .document:
            var file = SocketLoop.decodeJSON(campaign.content)?.objectValue ?? [:]
            if let id = file["id"]?.stringValue { file["uri"] = .string(files.link(for: id)) }
            return .init(files: JSONValue.array([.object(file)]).serialized(), campaignID: campaign.id)
        case .template:
            // Header media travel as the message's files, with our links (the provider sends those).
            let components = SocketLoop.decodeJSON(campaign.msgParam)?["components"]?.arrayValue ?? []
            let media: [JSONValue] = components.filter { $0["type"]?.stringValue?.uppercased() == "HEADER" }
                .flatMap { $0["parameters"]?.arrayValue ?? [] }.flatMap { $0["file_list"]?.arrayValue ?? [] }
                .compactMap { file in
                    guard var object = file.objectValue, let id = object["id"]?.stringValue else { return nil }
                    object["uri"] = .string(files.link(for: id))
                    return .object(object)
                }
            return .init(files: media.isEmpty ? "" : JSONValue.array(media).serialized(), kind: 1, whatsappParam: campaign.msgParam, campaignID: campaign.id)
        }
    }

    /// Queues one recipient's message (in a new or their open session for `new_session`), unless
    /// this round already did.
    static func queue(
        _ db: any SQLDatabase, _ campaign: Running, recipientID: Int64, number: String, name: String,
        content: OutboundService.Content, now: Int64
    ) async throws {
        let still = try await db.raw(SQLQueryString("SELECT r.id ") + candidates(campaign) + SQLQueryString(" AND r.id = \(bind: recipientID)")).first()
        guard still != nil else { return }
        guard Formats.isE164(number) else {  // a phonebook number typed another way
            throw APIError(.parameterError, detail: "\(number) is not an E.164 number (like +12025550101)")
        }
        var sessionID: Int64?
        if campaign.sendMode == .newSession {
            let account = ChannelAccount(channelID: campaign.channelID, provider: "", type: campaign.channelType, credentials: [:])
            sessionID = try await SessionStore.openSession(
                db, account: account, numberID: campaign.senderID, did: campaign.senderNumber, customer: number, customerName: name,
                route: SessionRoute(destinationType: campaign.assignToType, destinationID: campaign.assignToID),
                origin: "campaign", campaignID: campaign.id, now: now
            ).id
        }
        let sender = OutboundService.Sender(type: 0, number: "campaign", name: campaign.name)
        let messageID = try await OutboundService.queue(
            db, channelID: campaign.channelID, sessionID: sessionID, recipient: number, sender: sender, content: content, now: now)
        try await db.raw("""
            UPDATE campaign_recipients SET message_id = \(bind: messageID), round = \(bind: campaign.round), error = ''
            WHERE id = \(bind: recipientID)
            """).run()
    }

    /// Marks the campaign `completed` when nothing is left to queue or waiting to send; reports failures (30030).
    private func completeIfDone(_ campaign: Running, now: Int64) async throws -> Bool {
        try await database.transaction { db in
            let left = try await db.raw(SQLQueryString("SELECT COUNT(*) AS n ") + Self.candidates(campaign)).first()?.decode(column: "n", as: Int.self) ?? 0
            let waiting = try await db.raw("""
                SELECT COUNT(*) AS n FROM campaign_recipients r JOIN messages m ON m.id = r.message_id
                WHERE r.campaign_id = \(bind: campaign.id) AND m.delivery_status = 0
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            guard left == 0, waiting == 0 else { return false }
            try await db.raw("""
                UPDATE campaigns SET status = 'completed', finished_at = \(bind: now)
                WHERE id = \(bind: campaign.id) AND status IN ('executing', 'retrying')
                """).run()
            let tally = try await CampaignViews.tally(db, campaignID: campaign.id)
            if tally.failed > 0 {
                try await EventLog.append(db, .bulkMessageSendingFailed, sessionID: nil, payload: [
                    "task_id": .int(campaign.id), "total": .integer(tally.total), "fail_count": .integer(tally.failed),
                ], now: now)
            }
            return true
        }
    }

    /// On taking the runner lease over: campaigns left `executing`/`retrying` by a runner that
    /// died (or stopped) become `stop`. Their messages never tried are withdrawn (failed, so `retry` sends
    /// them); a message that was being sent — or was tried and waits for a retry, e.g. after the
    /// provider did not answer in time — has an unknown outcome, so it is marked failed and
    /// `uncertain` and never sent again. Each stopped campaign reports its failures (30030), as a
    /// completed one does, so an integration learns of the stop without polling.
    /// Outbox rows whose send may have reached the provider: being sent, or tried and waiting to retry.
    static let triedCondition = "status = 'sending' OR (status = 'pending' AND attempts > 0)"

    static func recover(_ database: Database, now: Int64) async throws {
        try await database.transaction { db in
            let orphans = try await db.raw("SELECT id FROM campaigns WHERE status IN ('executing', 'retrying')").all()
                .map { try $0.decode(column: "id", as: Int64.self) }
            for id in orphans {
                let mine = SQLQueryString("SELECT message_id FROM campaign_recipients WHERE campaign_id = \(bind: id) AND message_id IS NOT NULL")
                try await db.raw(SQLQueryString("""
                    UPDATE campaign_recipients SET uncertain = 1 WHERE campaign_id = \(bind: id)
                      AND message_id IN (SELECT message_id FROM outbox WHERE \(unsafeRaw: Self.triedCondition))
                    """)).run()
                try await db.raw(SQLQueryString("""
                    UPDATE messages SET delivery_status = 2, send_error = 'unknown_error',
                      send_error_msg = 'the process stopped while this message was being sent'
                    WHERE id IN (SELECT message_id FROM outbox WHERE \(unsafeRaw: Self.triedCondition)) AND id IN (
                    """) + mine + SQLQueryString(")")).run()
                try await db.raw(SQLQueryString("""
                    UPDATE messages SET delivery_status = 2, send_error = 'service_unavailable',
                      send_error_msg = 'the campaign stopped before this message was sent'
                    WHERE id IN (SELECT message_id FROM outbox WHERE status = 'pending' AND attempts = 0) AND id IN (
                    """) + mine + SQLQueryString(")")).run()
                try await db.raw(SQLQueryString("""
                    UPDATE outbox SET status = 'done', last_error = 'campaign stopped' WHERE status IN ('pending', 'sending') AND message_id IN (
                    """) + mine + SQLQueryString(")")).run()
                try await db.raw("UPDATE campaigns SET status = 'stop' WHERE id = \(bind: id)").run()
                let tally = try await CampaignViews.tally(db, campaignID: id)
                try await EventLog.append(db, .bulkMessageSendingFailed, sessionID: nil, payload: [
                    "task_id": .int(id), "total": .integer(tally.total), "fail_count": .integer(tally.failed),
                ], now: now)
            }
        }
    }
}
