/// A customer's message as a provider delivered it, before it is stored.
public struct InboundMessage: Sendable, Equatable {
    /// The provider's id for the message: the de-duplication key with the channel.
    public var providerMessageID: String
    /// The customer: a phone number (E.164), a WhatsApp id, a page-scoped id, a visitor id.
    public var from: String
    /// Our side: the channel number (DID, WhatsApp number, page id).
    public var to: String
    public var text: String
    public var media: [MediaReference]
    /// Unix seconds.
    public var receivedAt: Int64
    /// A display name when the provider tells one (WhatsApp profile name, visitor name).
    public var senderName: String

    public init(providerMessageID: String, from: String, to: String, text: String, media: [MediaReference] = [], receivedAt: Int64, senderName: String = "") {
        self.providerMessageID = providerMessageID
        self.from = from
        self.to = to
        self.text = text
        self.media = media
        self.receivedAt = receivedAt
        self.senderName = senderName
    }
}

/// A file the provider points at (to be downloaded into our file store).
public struct MediaReference: Sendable, Equatable {
    public var url: String
    public var contentType: String?
    public var size: Int64?

    public init(url: String, contentType: String? = nil, size: Int64? = nil) {
        self.url = url
        self.contentType = contentType
        self.size = size
    }
}

/// A provider's report on a message we sent (delivered, failed, read).
public struct DeliveryReport: Sendable, Equatable {
    public enum State: Sendable, Equatable { case sent, delivered, failed(SendFailure), read }
    public var providerMessageID: String
    public var state: State

    public init(providerMessageID: String, state: State) {
        self.providerMessageID = providerMessageID
        self.state = state
    }
}

/// Why an inbound webhook body was refused (answered 400, nothing stored).
public struct InboundRejection: Error, Sendable, Equatable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}

extension GeneralSMSAPI {
    /// Reads the webhook body of seed 003 "Receive messages from Service Provider".
    public static func inboundMessage(_ body: JSONValue) throws(InboundRejection) -> InboundMessage {
        guard let data = body["data"]?.objectValue else { throw InboundRejection("data is required") }
        guard data["event_type"]?.stringValue == "message.received" else { throw InboundRejection("data.event_type must be message.received") }
        guard let payload = data["payload"]?.objectValue else { throw InboundRejection("data.payload is required") }
        guard let id = payload["id"]?.stringValue, !id.isEmpty, id.count <= 255 else {
            throw InboundRejection("data.payload.id is required (at most 255 characters)")
        }
        guard let from = payload["from"]?["phone_number"]?.stringValue, Formats.isE164(from) || Formats.isAlphanumericSenderID(from) else {
            throw InboundRejection("data.payload.from.phone_number must be an E.164 number")
        }
        // `to` is an array of recipients in the seed's example; a single object is accepted too.
        let toValue: JSONValue? = payload["to"]?.arrayValue?.first ?? payload["to"]
        guard let to = toValue?["phone_number"]?.stringValue, Formats.isE164(to) || Formats.isAlphanumericSenderID(to) else {
            throw InboundRejection("data.payload.to.phone_number must be an E.164 number")
        }
        let text = payload["text"]?.stringValue ?? ""
        var media: [MediaReference] = []
        for item in payload["media"]?.arrayValue ?? [] {
            guard let url = item["url"]?.stringValue, !url.isEmpty else { throw InboundRejection("data.payload.media[].url is required") }
            var size: Int64?
            if case .int(let value)? = item["size"] { size = value }
            media.append(MediaReference(url: url, contentType: item["content_type"]?.stringValue, size: size))
        }
        guard !text.isEmpty || !media.isEmpty else { throw InboundRejection("data.payload.text or data.payload.media is required") }
        guard let receivedText = payload["received_at"]?.stringValue, let receivedAt = ISO8601.parse(receivedText) else {
            throw InboundRejection("data.payload.received_at must be an ISO 8601 time")
        }
        guard payload["record_type"]?.stringValue == "message" else { throw InboundRejection("data.payload.record_type must be message") }
        return InboundMessage(providerMessageID: id, from: from, to: to, text: text, media: media, receivedAt: receivedAt)
    }
}

/// A small ISO 8601 reader for provider timestamps: `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM|±HHMM]`.
public enum ISO8601 {
    /// Unix seconds, or nil when the text is not such a time.
    public static func parse(_ text: String) -> Int64? {
        let chars = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int64? {
            guard start + count <= chars.count else { return nil }
            var value: Int64 = 0
            for c in chars[start..<start + count] {
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int64(c - 48)
            }
            return value
        }
        guard chars.count >= 19, chars[4] == 45, chars[7] == 45, chars[10] == 84 || chars[10] == 32, chars[13] == 58, chars[16] == 58,
            let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        if index < chars.count, chars[index] == 46 {
            index += 1
            while index < chars.count, chars[index] >= 48 && chars[index] <= 57 { index += 1 }
        }
        var offset: Int64 = 0
        if index < chars.count {
            if chars[index] == 90 && index == chars.count - 1 {
                offset = 0
            } else if chars[index] == 43 || chars[index] == 45 {
                let sign: Int64 = chars[index] == 43 ? 1 : -1
                guard let oh = number(index + 1, 2) else { return nil }
                let minuteStart = index + 3 < chars.count && chars[index + 3] == 58 ? index + 4 : index + 3
                guard let om = number(minuteStart, 2), minuteStart + 2 == chars.count else { return nil }
                offset = sign * (oh * 3600 + om * 60)
            } else {
                return nil
            }
        }
        return daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ y: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let year = m <= 2 ? y - 1 : y
        let era = (year >= 0 ? year : year - 399) / 400
        let yoe = year - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
