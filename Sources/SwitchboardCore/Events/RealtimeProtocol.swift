/// The text protocol of Yeastar's event WebSocket (reference §8.1): a client subscribes with
/// `{"topic_list":[30031,30032]}` and is answered `{"errcode":0,"errmsg":"SUCCESS"}`; the literal
/// `heartbeat` is answered with the literal `heartbeat response`.
public enum RealtimeCommand: Sendable, Equatable {
    case heartbeat
    /// Replaces the connection's topics (event ids) with these.
    case subscribe([Int])
    /// Not understood: answered with this error, the connection stays open.
    case invalid(APIError)

    public static let heartbeatText = "heartbeat"
    public static let heartbeatResponse = "heartbeat response"
    /// The most topics one connection may hold.
    public static let maxTopics = 256

    /// Parses one text frame. `decodeJSON` turns text into JSON (Core has no JSON parser of its own).
    public static func parse(_ text: String, decodeJSON: (String) -> JSONValue?) -> RealtimeCommand {
        let trimmed = text.trimmingSpaces
        if trimmed == heartbeatText { return .heartbeat }
        guard case .object(let object)? = decodeJSON(trimmed) else {
            return .invalid(APIError(.parameterSyntaxError, detail: "send {\"topic_list\":[…]} or heartbeat"))
        }
        var reader = FieldReader(object)
        guard let items = reader.array("topic_list", required: true) else {
            return .invalid(APIError(.parameterError, invalidParams: reader.issues))
        }
        var topics: [Int] = []
        for item in items {
            guard case .int(let id) = item, id > 0, id <= Int64(Int32.max) else {
                return .invalid(APIError.invalid("topic_list", "invalid_value"))
            }
            if !topics.contains(Int(id)) { topics.append(Int(id)) }
        }
        guard topics.count <= maxTopics else { return .invalid(APIError.invalid("topic_list", "max_length")) }
        return .subscribe(topics)
    }

    /// The acknowledgement of a subscription.
    public static var subscribed: String { successBody().serialized() }
}

/// Yeastar drops an event WebSocket after 60 s without traffic from the client; heartbeats and
/// subscriptions count as traffic, events the server sends do not.
public struct IdlePolicy: Sendable, Equatable {
    public var timeoutSeconds: Int64

    public init(timeoutSeconds: Int64 = 60) {
        self.timeoutSeconds = timeoutSeconds
    }

    /// Whether a connection whose client last spoke at `lastActivity` is idle at `now`.
    public func isIdle(lastActivity: Int64, now: Int64) -> Bool {
        now - lastActivity >= timeoutSeconds
    }
}

/// Where an agent's event stream starts: after the client's `last_seq` when it gives one the log
/// can honour, else at the log's head (live only).
public struct ResumePoint: Sendable, Equatable {
    /// Events with a larger `seq` are sent.
    public var after: Int64
    /// True when the client's `last_seq` lay beyond the log's head (another install, a restored
    /// database) or before what retention pruned: it must reload its state instead of trusting
    /// what it holds.
    public var reset: Bool

    public init(after: Int64, reset: Bool) {
        self.after = after
        self.reset = reset
    }

    /// `prunedThrough`: the highest `seq` retention deleted (events after `lastSeq` may be gone
    /// when `lastSeq` is below it).
    /// The frame a resuming socket opens with: `{"ready":true,"last_seq":…,"reset":…}`.
    public var readyFrame: String {
        (["ready": true, "last_seq": .int(after), "reset": .bool(reset)] as JSONValue).serialized()
    }

    public static func resolve(lastSeq: Int64?, head: Int64, prunedThrough: Int64 = 0) -> ResumePoint {
        guard let lastSeq, lastSeq >= 0 else { return ResumePoint(after: head, reset: false) }
        if lastSeq > head || lastSeq < prunedThrough { return ResumePoint(after: head, reset: true) }
        return ResumePoint(after: lastSeq, reset: false)
    }
}
