import SwitchboardCore
import Testing

@Suite("Session rules")
struct SessionRulesTests {
    static let me: Int64 = 7
    static let other: Int64 = 8

    static func queueFacts(_ mode: AssignmentMode?, owner: Int64? = nil, inQueue: Bool = true, closed: Bool = false) -> SessionFacts {
        SessionFacts(destinationType: .queue, ownerExtensionID: owner, queueID: 3, queueMode: mode, actorInQueue: inQueue, closed: closed)
    }

    static func code(_ operation: SessionOperation, _ actor: SessionActor, _ facts: SessionFacts) -> ErrorCode {
        do {
            try SessionPolicy.check(operation, actor: actor, facts: facts)
            return .success
        } catch let error as APIError {
            return error.code
        } catch {
            return .internalServerError
        }
    }

    @Test func relationsFollowOwnerAndQueue() {
        #expect(Self.queueFacts(.manual, owner: Self.me).relation(of: Self.me) == .owner)
        #expect(Self.queueFacts(.manual).relation(of: Self.me) == .queueMember)
        #expect(Self.queueFacts(.manual, owner: Self.other).relation(of: Self.me) == .otherAgent)
        #expect(Self.queueFacts(.manual, inQueue: false).relation(of: Self.me) == .stranger)
    }

    @Test(arguments: SessionOperation.allCases)
    func theMatrixForAQueueSessionInManualMode(operation: SessionOperation) {
        let owner = Self.code(operation, .agent(Self.me), Self.queueFacts(.manual, owner: Self.me))
        let member = Self.code(operation, .agent(Self.me), Self.queueFacts(.manual))
        let otherAgent = Self.code(operation, .agent(Self.me), Self.queueFacts(.manual, owner: Self.other))
        let stranger = Self.code(operation, .agent(Self.me), Self.queueFacts(.manual, inQueue: false))
        #expect(owner == (operation == .pickup ? .actionForbidden : .success))
        #expect(member == .success)
        #expect(otherAgent == (operation == .pickup ? .actionForbidden : .accessDenied))
        #expect(stranger == .accessDenied)
    }

    @Test func disablePickupLetsEveryAgentReplyButNobodyPickUp() {
        #expect(Self.code(.reply, .agent(Self.me), Self.queueFacts(AssignmentMode.none)) == .success)
        #expect(Self.code(.pickup, .agent(Self.me), Self.queueFacts(AssignmentMode.none)) == .actionForbidden)
        #expect(!SessionPolicy.replyPicksUp(actor: .agent(Self.me), facts: Self.queueFacts(AssignmentMode.none)))
    }

    @Test func onlyAutoPickupTakesTheSessionOnTheFirstReply() {
        #expect(SessionPolicy.replyPicksUp(actor: .agent(Self.me), facts: Self.queueFacts(.auto)))
        #expect(!SessionPolicy.replyPicksUp(actor: .agent(Self.me), facts: Self.queueFacts(.manual)))
        #expect(!SessionPolicy.replyPicksUp(actor: .agent(Self.me), facts: Self.queueFacts(.auto, owner: Self.me)))
        #expect(!SessionPolicy.replyPicksUp(actor: .platform, facts: Self.queueFacts(.auto)))
    }

    @Test func closedSessionsCanBeViewedButNotActedOn() {
        let closed = Self.queueFacts(.manual, owner: Self.me, closed: true)
        #expect(Self.code(.view, .agent(Self.me), closed) == .success)
        #expect(Self.code(.archive, .agent(Self.me), closed) == .success)
        for operation in [SessionOperation.reply, .transfer, .close] {
            #expect(Self.code(operation, .agent(Self.me), closed) == .actionForbidden)
        }
    }

    @Test func thePlatformHandlesApiSessionsAndTheAdministratorOnlyViewsTransfersAndCloses() {
        let api = SessionFacts(destinationType: .api, ownerExtensionID: nil, queueID: nil, queueMode: nil, actorInQueue: false, closed: false)
        let owned = SessionFacts(destinationType: .extension, ownerExtensionID: Self.me, queueID: nil, queueMode: nil, actorInQueue: false, closed: false)
        #expect(Self.code(.reply, .platform, api) == .success)
        #expect(Self.code(.pickup, .platform, api) == .accessDenied)
        #expect(Self.code(.reply, .platform, owned) == .accessDenied)
        #expect(Self.code(.view, .administrator, owned) == .success)
        #expect(Self.code(.transfer, .administrator, owned) == .success)
        #expect(Self.code(.reply, .administrator, owned) == .accessDenied)
        #expect(Self.code(.view, .agent(Self.other), owned) == .accessDenied)
    }

    @Test func expireCountsDownTheWindowOnMetaChannelsOnly() {
        #expect(ReplyWindow.expire(channelType: "sms", lastInboundAt: nil, now: 100) == -1)
        #expect(ReplyWindow.expire(channelType: "livechat", lastInboundAt: 0, now: 10_000_000) == -1)
        #expect(ReplyWindow.expire(channelType: "whatsapp", lastInboundAt: nil, now: 100) == 0)
        #expect(ReplyWindow.expire(channelType: "whatsapp", lastInboundAt: 1000, now: 1000 + 3600) == 86_400 - 3600)
        #expect(ReplyWindow.expire(channelType: "facebook", lastInboundAt: 1000, now: 1000 + 86_400) == 0)
    }

    @Test func whatsAppFreeTextNeedsTheWindowTemplatesDoNot() throws {
        let text = ReplyWindow.Outgoing(isTemplate: false, tag: "")
        let template = ReplyWindow.Outgoing(isTemplate: true, tag: "")
        try ReplyWindow.check(text, channelType: "whatsapp", lastInboundAt: 0, now: 86_399)
        #expect(throws: APIError.self) { try ReplyWindow.check(text, channelType: "whatsapp", lastInboundAt: 0, now: 86_400) }
        #expect(throws: APIError.self) { try ReplyWindow.check(text, channelType: "whatsapp", lastInboundAt: nil, now: 5) }
        try ReplyWindow.check(template, channelType: "whatsapp", lastInboundAt: nil, now: 5)
        #expect(throws: APIError.self) { try ReplyWindow.check(template, channelType: "sms", lastInboundAt: nil, now: 5) }
        try ReplyWindow.check(text, channelType: "sms", lastInboundAt: nil, now: 5)
    }

    @Test func facebookOutsideTheWindowNeedsATagAndHumanAgentOnlyForSevenDays() throws {
        let day: Int64 = 86_400
        #expect(throws: APIError.invalid("tag", "required", detail: "outside the 24-hour window Facebook needs a message tag")) {
            try ReplyWindow.check(.init(isTemplate: false, tag: ""), channelType: "facebook", lastInboundAt: 0, now: 2 * day)
        }
        try ReplyWindow.check(.init(isTemplate: false, tag: ""), channelType: "facebook", lastInboundAt: 0, now: day - 1)
        try ReplyWindow.check(.init(isTemplate: false, tag: "HUMAN_AGENT"), channelType: "facebook", lastInboundAt: 0, now: 7 * day)
        #expect(throws: APIError.self) {
            try ReplyWindow.check(.init(isTemplate: false, tag: "HUMAN_AGENT"), channelType: "facebook", lastInboundAt: 0, now: 7 * day + 1)
        }
        try ReplyWindow.check(.init(isTemplate: false, tag: "POST_PURCHASE_UPDATE"), channelType: "facebook", lastInboundAt: 0, now: 30 * day)
        #expect(throws: APIError.self) { try ReplyWindow.check(.init(isTemplate: false, tag: "NOPE"), channelType: "facebook", lastInboundAt: 0, now: 1) }
        #expect(throws: APIError.self) { try ReplyWindow.check(.init(isTemplate: false, tag: "HUMAN_AGENT"), channelType: "sms", lastInboundAt: 0, now: 1) }
    }

    @Test func agentsStartSessionsOnlyOnSMSAndWhatsApp() throws {
        try SessionStart.check(channelType: "sms")
        try SessionStart.check(channelType: "whatsapp")
        #expect(throws: APIError.self) { try SessionStart.check(channelType: "facebook") }
        #expect(throws: APIError.self) { try SessionStart.check(channelType: "livechat") }
    }

    @Test func membershipCountsGroupsAndOrganizationAncestors() {
        let members: [(type: RoutingMemberType, id: Int64)] = [(.extension, 1), (.ext_group, 20), (.organization, 300)]
        #expect(SessionStart.isMember(extensionID: 1, members: members, groupIDs: [], organizationIDs: []))
        #expect(SessionStart.isMember(extensionID: 2, members: members, groupIDs: [20], organizationIDs: []))
        #expect(!SessionStart.isMember(extensionID: 2, members: members, groupIDs: [21], organizationIDs: [301]))
        let organizations = SessionStart.organizationsWithAncestors([302], parents: [302: 301, 301: 300])
        #expect(organizations == [300, 301, 302])
        #expect(SessionStart.isMember(extensionID: 2, members: members, groupIDs: [], organizationIDs: organizations))
        // A cycle in the data does not hang.
        #expect(SessionStart.organizationsWithAncestors([1], parents: [1: 2, 2: 1]) == [1, 2])
    }

    @Test func autoCloseTimeoutsFollowTheChannelUnit() {
        #expect(AutoClose.timeout(autoClose: false, expiredTime: 3, unit: nil) == nil)
        #expect(AutoClose.timeout(autoClose: true, expiredTime: 3, unit: nil) == Int64(259_200))
        #expect(AutoClose.timeout(autoClose: true, expiredTime: 2, unit: "hour") == 7200)
        #expect(AutoClose.timeout(autoClose: true, expiredTime: 5, unit: "minute") == 300)
        #expect(AutoClose.timeout(autoClose: true, expiredTime: nil, unit: "day") == 86_400)
    }

    @Test func sendRequestsAreValidatedAsTheReferenceSays() {
        var reader = FieldReader(["sender_type": 1, "channel": "general", "did_number": "+1555", "to": "abc", "request_id": .string(String(repeating: "x", count: 128))])
        _ = SendRequest.read(&reader)
        #expect(Set(reader.issues.map(\.field)) == ["sender_no", "to", "msg_body", "request_id"])
        var ok = FieldReader(["sender_type": 9, "session_id": 3, "msg_body": "hi", "request_id": .string(String(repeating: "x", count: 127))])
        let request = SendRequest.read(&ok)
        #expect(ok.issues.isEmpty)
        #expect(request.sender == .platform && request.sessionID == 3)
        var forced = FieldReader(["session_id": 3, "msg_body": "hi"])
        #expect(SendRequest.read(&forced, forcedSender: .extension("1001")).sender == .extension("1001"))
        #expect(forced.issues.isEmpty)
        #expect(SendRequest.isValidRecipient("+1 (555) 010-0000 #2"))
        #expect(SendRequest.normalizedRecipient("+1 (555) 010-0000") == "+15550100000")
    }

    @Test func systemMessageKindsUseTheReferenceMsgTypes() {
        #expect(SystemMessageKind.allCases.map(\.rawValue) == [1, 2, 3, 5, 6, 7])
        #expect(SystemMessageKind.pickedUp.text(actor: "Leo Ball", target: "Tech Support") == "Leo Ball picked up the session from message queue Tech Support.")
    }
}
