/// The system `msg_type` values of Msg_Record (reference §5.5) this hub writes into sessions.
public enum SystemMessageKind: Int, Sendable, CaseIterable {
    /// Transferred to an extension or to the third-party platform.
    case transferred = 1
    case closedManually = 2
    case closedAutomatically = 3
    case pickedUp = 5
    case transferredToQueue = 6
    case closedByVisitor = 7

    /// The text of the system message, as seed 003's chat history shows them.
    public func text(actor: String, target: String = "") -> String {
        switch self {
        case .transferred, .transferredToQueue: "\(actor) transferred the session to \(target)."
        case .closedManually: "The session has been closed."
        case .closedAutomatically: "The session has been closed automatically due to inactivity."
        case .pickedUp: "\(actor) picked up the session from message queue \(target)."
        case .closedByVisitor: "The session has been closed by visitor."
        }
    }
}

/// One entry of a session's operation timeline (seed 003 "External Chat Logs": only creation,
/// transfer, pickup from a queue and closing are recorded).
public enum TimelineOperation: String, Sendable, CaseIterable {
    case created, transferred, pickedUp = "picked_up", closed

    /// The timeline headline, as seed 003 words it.
    public var title: String {
        switch self {
        case .created: "Received an inbound message and created session"
        case .transferred: "Session has been transferred"
        case .pickedUp: "Session has been picked up from message queue"
        case .closed: "Session closed"
        }
    }
}

/// When channels close idle sessions (seed 003 "Close Session Automatically"; Live Chat also takes
/// minutes and hours through `session_expired_unit`).
public enum AutoClose {
    /// The idle time in seconds after which a session closes, or nil when the channel does not auto-close.
    public static func timeout(autoClose: Bool, expiredTime: Int64?, unit: String?) -> Int64? {
        guard autoClose else { return nil }
        let amount = max(1, expiredTime ?? 1)
        switch unit {
        case "minute": return amount * 60
        case "hour": return amount * 3600
        default: return amount * 86_400
        }
    }
}
