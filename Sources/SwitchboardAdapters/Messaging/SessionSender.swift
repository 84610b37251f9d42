import Foundation
import SQLKit
import SwitchboardCore

/// `message/send`: into an existing session, into the customer's open session on that number, or
/// into a new session the sender starts — checked against the authorization matrix, who may start
/// sessions on which number, and Meta's reply windows; then queued through the outbox in the same
/// transaction (Auto-Pickup's first reply takes the session in that transaction too).
struct SessionSender: Sendable {
    let database: Database
    let clock: any WallClock

    /// What `message/send` answers.
    struct Sent: Sendable {
        var sessionID: Int64
        var messageID: Int64
    }

    func send(_ request: SendRequest) async throws -> Sent {
        if !request.whatsappParam.isEmpty {
            guard case .object? = try? JSONDecoder().decode(JSONValue.self, from: Data(request.whatsappParam.utf8)) else {
                throw APIError.invalid("whatsapp_msg_param", "invalid_format")
            }
        }
        let now = clock.now()
        return try await database.transactionRetryingConflicts { db in
            let acting = try await Acting.resolve(db, request.sender, field: "sender_no")
            let record = try await Self.session(db, for: request, acting: acting, now: now)
            if request.msgKind == 1, let param = SocketLoop.decodeJSON(request.whatsappParam) {
                let issues = try await TemplateStore.checkIfSynced(db, channelID: record.channelID, param: param, field: "whatsapp_msg_param")
                if !issues.isEmpty { throw APIError(.parameterError, invalidParams: issues) }
            }
            let facts = try await SessionStore.facts(db, record, actor: acting.actor)
            try SessionPolicy.check(.reply, actor: acting.actor, facts: facts)
            try ReplyWindow.check(
                .init(isTemplate: request.msgKind == 1, tag: request.tag), channelType: record.channelType,
                lastInboundAt: record.lastInboundAt, now: now)
            if SessionPolicy.replyPicksUp(actor: acting.actor, facts: facts) {
                try await SessionActions.pickUp(db, record, by: acting, now: now)
            }
            let sender = OutboundService.Sender(type: acting.userType, number: acting.number, name: acting.name)
            let content = OutboundService.Content(
                text: request.body, files: request.files, kind: Int(request.msgKind), whatsappParam: request.whatsappParam,
                tag: request.tag, requestID: request.requestID)
            let messageID = try await OutboundService.queue(
                db, channelID: record.channelID, sessionID: record.id, recipient: record.customer, sender: sender, content: content, now: now)
            try await SessionActions.unarchiveOnSend(db, sessionID: record.id, by: acting, now: now)
            return Sent(sessionID: record.id, messageID: messageID)
        }
    }

    /// The session the message goes into: `session_id`, else the open session for
    /// channel + `did_number` + `to`, else a new one the sender starts.
    private static func session(_ db: any SQLDatabase, for request: SendRequest, acting: Acting, now: Int64) async throws -> SessionStore.Record {
        if let id = request.sessionID { return try await SessionStore.load(db, id: id) }
        guard let provider = request.channel, let did = request.didNumber, let to = request.to else { throw APIError(.parameterError) }
        guard let number = try await db.raw("""
            SELECT n.id, n.channel_id, c.type FROM channel_numbers n JOIN message_channels c ON c.id = n.channel_id
            WHERE n.did_number = \(bind: did) AND c.provider = \(bind: provider)
            """).first()
        else { throw APIError.invalid("did_number", "not_existed") }
        let numberID = try number.decode(column: "id", as: Int64.self)
        let channelID = try number.decode(column: "channel_id", as: Int64.self)
        let channelType = try number.decode(column: "type", as: String.self)
        let customer = channelType == ChannelType.sms.rawValue || channelType == ChannelType.whatsapp.rawValue
            ? SendRequest.normalizedRecipient(to) : to
        if let open = try await db.raw("""
            SELECT id FROM sessions WHERE channel_id = \(bind: channelID) AND did_number = \(bind: did) AND customer = \(bind: customer)
              AND closed_at IS NULL
            """).first()
        {
            return try await SessionStore.load(db, id: try open.decode(column: "id", as: Int64.self))
        }
        try SessionStart.check(channelType: channelType)
        let route: SessionRoute
        switch acting.actor {
        case .agent(let extensionID):
            guard try await isMember(db, extensionID: extensionID, numberID: numberID) else {
                throw APIError(.accessDenied, detail: "the extension may not start sessions on this number")
            }
            route = SessionRoute(destinationType: DestinationType.extension.rawValue, destinationID: extensionID)
        case .platform, .administrator:
            route = SessionRoute(destinationType: DestinationType.api.rawValue, destinationID: nil)
        }
        let account = ChannelAccount(channelID: channelID, provider: provider, type: channelType, credentials: [:])
        let opened = try await SessionStore.openSession(
            db, account: account, numberID: numberID, did: did, customer: customer, customerName: "", route: route,
            createdBy: acting, now: now)
        return try await SessionStore.load(db, id: opened.id)
    }

    /// Whether the extension is among the number's `members`, directly, through an extension group,
    /// or through an organization (or an ancestor of theirs).
    static func isMember(_ db: any SQLDatabase, extensionID: Int64, numberID: Int64) async throws -> Bool {
        let members = try await db.raw("""
            SELECT member_type, member_id FROM channel_number_members WHERE number_id = \(bind: numberID)
            """).all().compactMap { row -> (type: RoutingMemberType, id: Int64)? in
            guard let type = RoutingMemberType(rawValue: try row.decode(column: "member_type", as: String.self)) else { return nil }
            return (type, try row.decode(column: "member_id", as: Int64.self))
        }
        let groups = try await db.raw("SELECT group_id AS id FROM extension_group_members WHERE extension_id = \(bind: extensionID)").all()
            .map { try $0.decode(column: "id", as: Int64.self) }
        let direct = try await db.raw("SELECT organization_id AS id FROM organization_members WHERE extension_id = \(bind: extensionID)").all()
            .map { try $0.decode(column: "id", as: Int64.self) }
        var parents: [Int64: Int64] = [:]
        if !direct.isEmpty {
            for row in try await db.raw("SELECT id, parent_id FROM organizations WHERE parent_id IS NOT NULL").all() {
                parents[try row.decode(column: "id", as: Int64.self)] = try row.decode(column: "parent_id", as: Int64.self)
            }
        }
        return SessionStart.isMember(
            extensionID: extensionID, members: members, groupIDs: Set(groups),
            organizationIDs: SessionStart.organizationsWithAncestors(direct, parents: parents))
    }
}
