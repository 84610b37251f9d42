/// Who is acting on a session (reference §5: `user_type`/`sender_type` 1 or 9).
public enum SessionActor: Sendable, Equatable, Hashable {
    /// The OpenAPI client itself, acting with no `user_type`: an administrator that may view,
    /// transfer and close any session (the endpoints that take no user fields).
    case administrator
    /// `user_type` 9: the third-party message analytics platform; it handles sessions routed to `api`.
    case platform
    /// `user_type` 1: an extension user (agent), by extension id.
    case agent(Int64)

    /// The key of the actor's per-agent state (archive, removal, last read): the extension id, 0 for the platform.
    public var stateKey: Int64 {
        if case .agent(let id) = self { return id }
        return 0
    }
}

/// What an actor asks to do with a session.
public enum SessionOperation: String, Sendable, CaseIterable {
    case view, reply, pickup, transfer, close, archive, unarchive, remove
}

/// How the actor stands towards a session, from the session's owner and queue.
public enum SessionRelation: String, Sendable, CaseIterable {
    /// The session is assigned to this agent (routed to their extension, started by them, picked up or transferred to them).
    case owner
    /// The session waits, unowned, in a message queue this agent belongs to.
    case queueMember
    /// This agent belongs to the session's queue, but another agent has picked the session up.
    case otherAgent
    /// No relation at all.
    case stranger
}

/// The facts about one session the policy decides on.
public struct SessionFacts: Sendable, Equatable {
    public var destinationType: DestinationType
    public var ownerExtensionID: Int64?
    public var queueID: Int64?
    /// The assignment mode of the session's queue (nil when it has none).
    public var queueMode: AssignmentMode?
    /// Whether the acting agent belongs to the session's queue.
    public var actorInQueue: Bool
    public var closed: Bool

    public init(
        destinationType: DestinationType, ownerExtensionID: Int64?, queueID: Int64?, queueMode: AssignmentMode?,
        actorInQueue: Bool, closed: Bool
    ) {
        self.destinationType = destinationType
        self.ownerExtensionID = ownerExtensionID
        self.queueID = queueID
        self.queueMode = queueMode
        self.actorInQueue = actorInQueue
        self.closed = closed
    }

    public func relation(of extensionID: Int64) -> SessionRelation {
        if ownerExtensionID == extensionID { return .owner }
        guard queueID != nil, actorInQueue else { return .stranger }
        return ownerExtensionID == nil ? .queueMember : .otherAgent
    }
}

/// The authorization matrix of sessions (issue 5, seed 003 "Message Queue Setup" and the Agent Guide).
///
/// | operation | owner | queue member (unowned session) | other agent (queue member, picked up by someone else) | stranger |
/// |---|---|---|---|---|
/// | view, archive, unarchive, remove | yes | yes | 10005 | 10005 |
/// | reply, transfer, close | yes | yes | 10005 | 10005 |
/// | pickup | 70084 (already theirs) | yes in manual/auto, 70084 in none | 70084 (already taken) | 10005 |
///
/// The platform (type 9) acts like the owner of sessions routed to `api` and is a stranger to the
/// rest; the administrator (the OpenAPI client with no user fields) may view, transfer and close any
/// session but replies only as the platform. Replying, transferring, closing and picking up a closed
/// session is `70084 ACTION FORBIDDEN`; viewing, archiving and removing it stays allowed.
public enum SessionPolicy {
    public static func check(_ operation: SessionOperation, actor: SessionActor, facts: SessionFacts) throws {
        let acting: Bool = [.reply, .transfer, .close, .pickup].contains(operation)
        switch actor {
        case .administrator:
            guard [.view, .transfer, .close].contains(operation) else { throw APIError(.accessDenied) }
        case .platform:
            guard facts.destinationType == .api, operation != .pickup else { throw APIError(.accessDenied) }
        case .agent(let id):
            switch (facts.relation(of: id), operation) {
            case (.stranger, _): throw APIError(.accessDenied)
            case (.otherAgent, .pickup): throw APIError(.actionForbidden, detail: "another agent has picked up the session")
            case (.otherAgent, _): throw APIError(.accessDenied)
            case (.owner, .pickup): throw APIError(.actionForbidden, detail: "the session is already yours")
            case (.queueMember, .pickup) where facts.queueMode == AssignmentMode.none || facts.queueMode == nil:
                throw APIError(.actionForbidden, detail: "the queue's assignment mode does not allow pickup")
            default: break
            }
        }
        if acting && facts.closed { throw APIError(.actionForbidden, detail: "the session is closed") }
    }

    /// Whether `actor`'s reply takes the session (Auto-Pickup: the first agent to reply picks it up).
    public static func replyPicksUp(actor: SessionActor, facts: SessionFacts) -> Bool {
        guard case .agent(let id) = actor else { return false }
        return facts.queueMode == .auto && facts.relation(of: id) == .queueMember
    }
}
