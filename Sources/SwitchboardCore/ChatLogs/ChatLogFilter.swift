/// The criteria of the External Chat Logs page (seed 003 "Check and Manage External Chat Logs"):
/// time, sender, recipient, channel type, channel number, session status and session ID. Every
/// criterion is optional; none at all means "all chat logs" (the download's "Download All").
///
/// The time range keeps the sessions that were active in it: created before its end and last
/// active after its start (seed 003 lists a session created in August under a September range).
public struct ChatLogFilter: Sendable, Equatable {
    public var startTime: Int64?
    public var endTime: Int64?
    /// Part of the sender as the log shows it (`Name<number>`), any case.
    public var sender: String = ""
    /// Part of the recipient as the log shows it, any case.
    public var recipient: String = ""
    public var channelType: ChannelType?
    /// The channel number (DID, page id, WhatsApp number, `LC…`), matched exactly.
    public var channelNumber: String = ""
    /// `true` closed only, `false` not closed only, nil both.
    public var closed: Bool?
    public var sessionID: Int64?

    public init() {}

    public static let maxTextLength = 127

    /// Reads `start_time`, `end_time` (Unix seconds), `sender`, `recipient`, `channel_type`,
    /// `channel_number`, `is_closed` (0 not closed, 1 closed, 2 or absent both) and `session_id`.
    /// An end before the start is `end_time` `range`.
    public static func read(_ reader: inout FieldReader) -> ChatLogFilter {
        var filter = ChatLogFilter()
        filter.startTime = reader.int("start_time", range: 0...Int64(Int32.max) * 4)
        filter.endTime = reader.int("end_time", range: 0...Int64(Int32.max) * 4)
        if let start = filter.startTime, let end = filter.endTime, end < start { reader.fail("end_time", "range") }
        filter.sender = (reader.string("sender", maxLength: maxTextLength) ?? "").trimmingSpaces
        filter.recipient = (reader.string("recipient", maxLength: maxTextLength) ?? "").trimmingSpaces
        if reader.string("channel_type")?.isEmpty == false { filter.channelType = reader.choice("channel_type", as: ChannelType.self) }
        filter.channelNumber = (reader.string("channel_number", maxLength: 64) ?? "").trimmingSpaces
        switch reader.int("is_closed", range: 0...2) {
        case 0: filter.closed = false
        case 1: filter.closed = true
        default: filter.closed = nil
        }
        filter.sessionID = reader.id("session_id")
        return filter
    }

    /// A `LIKE` pattern matching `text` anywhere, lowercased, with `%`, `_` and `\` escaped
    /// (use with `ESCAPE '\'`).
    public static func containsPattern(_ text: String) -> String {
        var escaped = ""
        for character in text.lowercased() {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }
}

/// Which sessions or messages a delete request names: 1 to 1000 distinct ids (`ids=3,5,8`).
public enum ChatLogIDs {
    public static let maxCount = 1000

    public static func read(_ reader: inout FieldReader) -> [Int64]? {
        guard let ids = reader.idList("ids") else { return nil }
        var seen = Set<Int64>()
        let unique = ids.filter { seen.insert($0).inserted }
        if unique.count > maxCount {
            reader.fail("ids", "max_length")
            return nil
        }
        return unique
    }
}

extension PageRequest {
    /// `page` (from 1, default 1) and `page_size` (1–1000, default `defaultSize`), each optional.
    public static func readOptional(_ reader: inout FieldReader, defaultSize: Int64 = 20) -> PageRequest {
        let page = reader.int("page", range: 1...Int64(Int32.max)) ?? 1
        let size = reader.int("page_size", range: 1...maxPageSize) ?? defaultSize
        return PageRequest(page: page, pageSize: size)
    }
}
