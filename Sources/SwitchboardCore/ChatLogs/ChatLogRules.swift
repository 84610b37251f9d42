/// The wording and formatting rules of the chat log: labels, system senders, channel type and
/// status names, times, and the columns of the two CSV files of a download.
public enum ChatLogRules {
    /// The sender of system messages (seed 003's chat history).
    public static let systemSender = "PBX System"
    /// Where `api` sessions go (the name the session timeline uses).
    public static let platformName = "Third-Party Message Analytics Platform"

    /// `Name<number>` as seed 003 shows people; just the number (or name) when the other is missing
    /// or they are the same.
    public static func label(name: String, number: String) -> String {
        let name = name.trimmingSpaces
        if name.isEmpty || name == number { return number.isEmpty ? name : number }
        if number.isEmpty { return name }
        return "\(name)<\(number)>"
    }

    /// The name of a non-agent sender on the hub's side (`API`, `PBX System`).
    public static func systemName(_ name: String) -> String { name.isEmpty ? systemSender : name }

    /// Whether a `sender_type`/`actor_type` is on the hub's side: the hub (0), an agent (1), the API (9).
    public static func isHubSide(_ type: Int) -> Bool { type == 0 || type == 1 || type == 9 }

    /// Messages the hub wrote (session notices, and what it sends as `PBX System`): never deletable.
    public static func isSystemMessage(direction: String, senderType: Int) -> Bool {
        direction == "sys" || senderType == 0
    }

    /// `SMS`, `WhatsApp`, `Facebook Messenger`, `Live Chat`.
    public static func channelTypeName(_ type: String) -> String {
        switch ChannelType(rawValue: type) {
        case .sms: "SMS"
        case .whatsapp: "WhatsApp"
        case .facebook: "Facebook Messenger"
        case .livechat: "Live Chat"
        case nil: type
        }
    }

    public static func statusName(closed: Bool) -> String { closed ? "Closed" : "Not Closed" }

    /// `yyyy/MM/dd HH:mm:ss` of Unix `seconds` shifted by `offset` seconds (the reader's time zone).
    public static func formatTime(_ seconds: Int64, offset: Int = 0) -> String {
        let local = seconds + Int64(offset)
        let days = TimeRange.floorDiv(local, 86_400)
        let secondOfDay = local - days * 86_400
        let (year, month, day) = TimeRange.civil(fromDays: days)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)/\(two(month))/\(two(day)) \(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))"
    }

    /// The columns of `Session_Record.csv`: one row per session.
    public static let sessionColumns = [
        "Session ID", "Created At", "Last Active At", "Sender", "Recipient", "Channel Type", "Channel Number", "Session Status",
    ]

    /// The columns of `Chat_Data_Record.csv`: one row per message.
    public static let messageColumns = ["Session ID", "Time", "Sender", "Recipient", "Message Type", "Message Content"]

    public static let sessionFileName = "Session_Record.csv"
    public static let messageFileName = "Chat_Data_Record.csv"

    /// A `Session_Record.csv` row; `offset` gives the time zone's offset at a given instant.
    public static func sessionRow(_ session: ChatLogSession, offset: (Int64) -> Int = { _ in 0 }) -> [String] {
        [
            String(session.id), formatTime(session.createdAt, offset: offset(session.createdAt)),
            formatTime(session.lastActiveAt, offset: offset(session.lastActiveAt)), session.sender, session.recipient,
            channelTypeName(session.channelType), session.channelNumber, statusName(closed: session.isClosed),
        ]
    }

    /// A `Chat_Data_Record.csv` row.
    public static func messageRow(_ message: ChatLogMessage, in session: ChatLogSession, offset: (Int64) -> Int = { _ in 0 }) -> [String] {
        [
            String(message.sessionID), formatTime(message.time, offset: offset(message.time)), message.sender(in: session),
            message.recipient(in: session), message.typeLabel, message.content,
        ]
    }
}
