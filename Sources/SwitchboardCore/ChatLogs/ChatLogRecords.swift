/// One session as the chat log shows it, from the facts storage holds: who started it (the
/// `created` entry of its timeline), the customer, and where it is now.
public struct ChatLogSession: Sendable, Equatable {
    public var id: Int64
    public var createdAt: Int64
    public var lastActiveAt: Int64
    public var closedAt: Int64?
    public var channelType: String
    public var channelNumber: String
    public var customer: String
    public var customerName: String
    /// `actor_type` of the `created` timeline entry: 1 an agent, 9 the API, 0 the hub; a customer
    /// type (2–5) or nil when the customer's message opened the session.
    public var creatorType: Int?
    public var creatorNumber: String
    public var creatorName: String
    /// The owner's display name and number, when an agent holds the session.
    public var ownerName: String?
    public var ownerNumber: String?
    /// The queue holding the session while nobody picked it up.
    public var queueName: String?

    public init(
        id: Int64, createdAt: Int64, lastActiveAt: Int64, closedAt: Int64?, channelType: String, channelNumber: String,
        customer: String, customerName: String, creatorType: Int?, creatorNumber: String, creatorName: String,
        ownerName: String?, ownerNumber: String?, queueName: String?
    ) {
        self.id = id
        self.createdAt = createdAt
        self.lastActiveAt = lastActiveAt
        self.closedAt = closedAt
        self.channelType = channelType
        self.channelNumber = channelNumber
        self.customer = customer
        self.customerName = customerName
        self.creatorType = creatorType
        self.creatorNumber = creatorNumber
        self.creatorName = creatorName
        self.ownerName = ownerName
        self.ownerNumber = ownerNumber
        self.queueName = queueName
    }

    /// Whether an agent, the API or the hub started the session (rather than the customer).
    public var startedByHub: Bool { creatorType.map(ChatLogRules.isHubSide) ?? false }

    public var customerLabel: String { ChatLogRules.label(name: customerName, number: customer) }

    /// Who holds the session now: its agent, else its queue, else the third-party platform.
    public var holderLabel: String {
        if let ownerNumber { return ChatLogRules.label(name: ownerName ?? "", number: ownerNumber) }
        if let queueName { return queueName }
        return ChatLogRules.platformName
    }

    /// The customer when they started the session; otherwise the agent (or API) who did.
    public var sender: String {
        guard startedByHub, let creatorType else { return customerLabel }
        return creatorType == 1 ? ChatLogRules.label(name: creatorName, number: creatorNumber) : ChatLogRules.systemName(creatorName)
    }

    /// Whom the session was for: where it is now for a customer's session, the customer otherwise.
    public var recipient: String { startedByHub ? customerLabel : holderLabel }

    public var isClosed: Bool { closedAt != nil }
}

/// One message as the chat history shows it.
public struct ChatLogMessage: Sendable, Equatable {
    public var id: Int64
    public var sessionID: Int64
    public var time: Int64
    /// `in`, `out` or `sys`.
    public var direction: String
    public var senderType: Int
    public var senderNumber: String
    public var senderName: String
    public var msgType: Int
    public var body: String
    /// Names and links of attached files.
    public var files: [(name: String, uri: String)]
    public var templateParam: String
    public var deliveryStatus: Int

    public init(
        id: Int64, sessionID: Int64, time: Int64, direction: String, senderType: Int, senderNumber: String, senderName: String,
        msgType: Int, body: String, files: [(name: String, uri: String)], templateParam: String, deliveryStatus: Int
    ) {
        self.id = id
        self.sessionID = sessionID
        self.time = time
        self.direction = direction
        self.senderType = senderType
        self.senderNumber = senderNumber
        self.senderName = senderName
        self.msgType = msgType
        self.body = body
        self.files = files
        self.templateParam = templateParam
        self.deliveryStatus = deliveryStatus
    }

    public static func == (lhs: ChatLogMessage, rhs: ChatLogMessage) -> Bool {
        lhs.id == rhs.id && lhs.body == rhs.body && lhs.files.map(\.uri) == rhs.files.map(\.uri) && lhs.time == rhs.time
    }

    public var isSystem: Bool { ChatLogRules.isSystemMessage(direction: direction, senderType: senderType) }

    /// `PBX System` for what the hub wrote; the agent as `Name<number>`; the customer likewise.
    public func sender(in session: ChatLogSession) -> String {
        if isSystem { return ChatLogRules.systemSender }
        switch direction {
        case "in": return ChatLogRules.label(name: senderName, number: senderNumber.isEmpty ? session.customer : senderNumber)
        default: return senderType == 1 ? ChatLogRules.label(name: senderName, number: senderNumber) : ChatLogRules.systemName(senderName)
        }
    }

    /// Empty for system messages; whoever holds the session for the customer's messages; the customer for replies.
    public func recipient(in session: ChatLogSession) -> String {
        if direction == "sys" { return "" }
        return direction == "in" ? session.holderLabel : session.customerLabel
    }

    /// `Inbound`, `Outbound`, or empty for system messages (as seed 003's history shows them).
    public var typeLabel: String {
        switch direction {
        case "in": "Inbound"
        case "out": "Outbound"
        default: ""
        }
    }

    /// The text, then each file as `name (link)`, then a WhatsApp template's parameters.
    public var content: String {
        var parts: [String] = []
        if !body.isEmpty { parts.append(body) }
        for file in files { parts.append(file.uri.isEmpty ? file.name : "\(file.name) (\(file.uri))") }
        if !templateParam.isEmpty { parts.append("[WhatsApp template] " + templateParam) }
        return parts.joined(separator: "\n")
    }
}

extension ChatLogSession {
    /// A row of `chat_log/search`: the page's columns as shown, with raw values beside them.
    public var json: JSONValue {
        [
            "session_id": .int(id), "created_at": .int(createdAt), "last_active_at": .int(lastActiveAt),
            "sender": .string(sender), "recipient": .string(recipient),
            "channel_type": .string(channelType), "channel_type_name": .string(ChatLogRules.channelTypeName(channelType)),
            "channel_number": .string(channelNumber),
            "is_closed": .int(isClosed ? 1 : 0), "session_status": .string(ChatLogRules.statusName(closed: isClosed)),
        ]
    }
}

extension ChatLogMessage {
    /// A row of `chat_log/history`.
    public func json(in session: ChatLogSession) -> JSONValue {
        [
            "msg_id": .int(id), "session_id": .int(sessionID), "time": .int(time),
            "sender": .string(sender(in: session)), "recipient": .string(recipient(in: session)),
            "message_type": .string(typeLabel), "message_content": .string(content),
            "msg_type": .integer(msgType), "is_system": .int(isSystem ? 1 : 0), "delivery_status": .integer(deliveryStatus),
            "files": .array(files.map { ["name": .string($0.name), "uri": .string($0.uri)] }),
        ]
    }
}
