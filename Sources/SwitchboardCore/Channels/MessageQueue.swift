/// How sessions of a message queue are taken by agents (`assignment_mode`).
public enum AssignmentMode: String, Sendable, CaseIterable {
    /// Manual Pickup: every agent sees and replies until one presses Pick Up.
    case manual
    /// Auto-Pickup: the first agent to reply takes the session.
    case auto
    /// Disable Pickup: every agent replies; sessions are never picked up.
    case none
}

/// How many queues and agents per queue the hub accepts. The defaults are the largest model in seed 003
/// (P570: 64 queues, 120 agents per queue).
public struct QueueLimits: Sendable, Equatable {
    public static let `default` = QueueLimits(maxQueues: 64, maxAgentsPerQueue: 120)
    /// Settings keys that override the defaults (integers as text).
    public static let maxQueuesSetting = "message_queue.max_queues"
    public static let maxAgentsSetting = "message_queue.max_agents_per_queue"

    public var maxQueues: Int64
    public var maxAgentsPerQueue: Int64

    public init(maxQueues: Int64, maxAgentsPerQueue: Int64) {
        self.maxQueues = maxQueues
        self.maxAgentsPerQueue = maxAgentsPerQueue
    }
}

/// One agent of a queue as a request sends it.
public struct QueueMemberEntry: Sendable, Equatable {
    /// The existing agent's id on update.
    public var id: Int64?
    public var extensionID: Int64
    /// The reported field prefix, e.g. `members[2].`.
    public var prefix: String
}

/// The fields of `message_queue/create|update`. On update nil means "keep"; `members` replaces the list.
public struct QueueFields: Sendable {
    public var name: String?
    public var assignmentMode: AssignmentMode?
    public var members: [QueueMemberEntry]?

    public static func read(_ reader: inout FieldReader, creating: Bool) -> QueueFields {
        var fields = QueueFields()
        fields.name = creating ? reader.requiredText("name", maxLength: 127) : reader.string("name", maxLength: 127)
        if !creating, fields.name?.isEmpty == true { reader.fail("name", "required") }
        fields.assignmentMode = reader.choice("assignment_mode", required: creating, as: AssignmentMode.self)
        if let items = reader.objects("members", required: creating) {
            var entries: [QueueMemberEntry] = []
            for var item in items {
                let id = creating ? nil : item.id("id")
                if let extensionID = item.id("extension_id", required: true) {
                    if entries.contains(where: { $0.extensionID == extensionID }) {
                        item.fail("extension_id", "duplicate")
                    } else {
                        entries.append(QueueMemberEntry(id: id, extensionID: extensionID, prefix: item.prefix))
                    }
                }
                reader.absorb(item)
            }
            fields.members = entries
        }
        return fields
    }
}
