/// The Messenger Platform's wire rules (providers.md §10): page webhooks to messages and delivery
/// reports, Send API bodies, and its error codes. Pure: callers do the HTTP.
public enum MessengerPlatform {
    /// Longest text the Send API takes (Send API reference: "2000 character limit").
    public static let maxTextLength = 2000

    /// Reads an `object: page` webhook's `entry[].messaging[]` events. Customer messages become
    /// `InboundMessage`s (`sender.id` = PSID = `from`, `recipient.id` = page id = `to`, `mid` = the
    /// id); echoes of our own sends (`is_echo`) are ignored; `delivery.mids` become delivered
    /// reports and `read.mids`, when Meta lists them, read reports (a read event usually carries
    /// only a `watermark`, which names no message). `standby[]` events (another app owns the
    /// thread) are not ours to answer and are skipped.
    public static func webhookEvents(_ body: JSONValue) throws(InboundRejection) -> (messages: [InboundMessage], reports: [DeliveryReport]) {
        guard body["object"]?.stringValue == "page" else { throw InboundRejection("object must be page") }
        guard let entries = body["entry"]?.arrayValue else { throw InboundRejection("entry is required") }
        var messages: [InboundMessage] = []
        var reports: [DeliveryReport] = []
        for entry in entries {
            for event in entry["messaging"]?.arrayValue ?? [] {
                if let message = try inboundMessage(event) { messages.append(message) }
                for mid in event["delivery"]?["mids"]?.arrayValue ?? [] {
                    if let mid = mid.stringValue { reports.append(DeliveryReport(providerMessageID: mid, state: .delivered)) }
                }
                for mid in event["read"]?["mids"]?.arrayValue ?? [] {
                    if let mid = mid.stringValue { reports.append(DeliveryReport(providerMessageID: mid, state: .read)) }
                }
            }
        }
        return (messages, reports)
    }

    /// One `messaging[]` event as a customer message, or nil when it is not one (echo, delivery,
    /// read, a postback without a `mid`, a message with neither text nor a file link).
    static func inboundMessage(_ event: JSONValue) throws(InboundRejection) -> InboundMessage? {
        let content: (mid: String?, text: String, media: [MediaReference])
        if let message = event["message"] {
            if message["is_echo"] == .bool(true) { return nil }
            let media = (message["attachments"]?.arrayValue ?? []).compactMap { attachment -> MediaReference? in
                guard let url = attachment["payload"]?["url"]?.stringValue, !url.isEmpty else { return nil }
                return MediaReference(url: url, contentType: contentType(ofAttachment: attachment["type"]?.stringValue))
            }
            content = (message["mid"]?.stringValue, message["text"]?.stringValue ?? "", media)
        } else if let postback = event["postback"] {
            content = (postback["mid"]?.stringValue, postback["title"]?.stringValue ?? postback["payload"]?.stringValue ?? "", [])
        } else {
            return nil
        }
        guard !content.text.isEmpty || !content.media.isEmpty else { return nil }
        guard let mid = content.mid, !mid.isEmpty, mid.count <= 255 else { throw InboundRejection("message.mid is required") }
        guard let from = event["sender"]?["id"]?.stringValue, !from.isEmpty else { throw InboundRejection("sender.id is required") }
        guard let to = event["recipient"]?["id"]?.stringValue, !to.isEmpty else { throw InboundRejection("recipient.id is required") }
        let milliseconds = MetaGraph.integer(event["timestamp"]) ?? 0
        return InboundMessage(providerMessageID: mid, from: from, to: to, text: content.text, media: content.media, receivedAt: milliseconds / 1000)
    }

    /// A coarse MIME type from the attachment type (Messenger gives no exact type in webhooks).
    static func contentType(ofAttachment type: String?) -> String? {
        switch type {
        case "image": "image/*"
        case "video", "reel", "ig_reel": "video/*"
        case "audio": "audio/*"
        default: nil
        }
    }

    /// Messenger's own error codes (Send API error-codes page, providers.md §10); nil leaves the
    /// code to the Graph-wide rules.
    public static func classify(_ error: MetaGraph.GraphError) -> MetaGraph.Disposition? {
        switch (error.code, error.subcode) {
        case (10, 2018278?), (10, 2018065?): return .fail(.exceedsTimeLimit)  // sent outside the allowed window [U subcode]
        case (10, _) where error.message.lowercased().contains("outside of allowed window"): return .fail(.exceedsTimeLimit)
        case (100, 2018001?): return .fail(.invalidPhoneNumber)  // no matching user (bad PSID)
        case (100, 2018109?): return .fail(.exceedsSizeLimit)  // attachment too large
        case (100, 2018047?), (100, 2018074?): return .fail(.unsupportedMediaType)  // attachment upload failed / bad type
        case (551, _): return .fail(.sendFail)  // this person is not available right now
        case (1200, _): return .retry(.serviceError)  // temporary send failure
        default: return nil
        }
    }

    /// Classifies the Send API answer; the id is `message_id`.
    public static func sendOutcome(status: Int?, body: JSONValue?, rawBody: String, retryAfter: Int64? = nil) -> SendOutcome {
        MetaGraph.sendOutcome(
            status: status, body: body, rawBody: rawBody, messageID: body?["message_id"]?.stringValue, retryAfter: retryAfter,
            classify: classify)
    }

    /// The Send API calls one outbound message becomes: the text (Messenger cannot combine text
    /// and a file in one message), then one attachment per link.
    public static func messageBodies(to: String, text: String, mediaLinks: [String], tag: String?) throws(SendFailure) -> [JSONValue] {
        guard text.count <= maxTextLength else {
            throw SendFailure(.messageTooLong, "Messenger takes at most \(maxTextLength) characters of text")
        }
        let bodies = (text.isEmpty ? [] : [textBody(to: to, text: text, tag: tag)]) + mediaLinks.map { attachmentBody(to: to, link: $0, tag: tag) }
        guard !bodies.isEmpty else { throw SendFailure(.invalidParam, "the message has no text and no file") }
        return bodies
    }

    /// A text send: `RESPONSE` inside the 24-hour window, `MESSAGE_TAG` with `tag` outside it.
    public static func textBody(to: String, text: String, tag: String?) -> JSONValue {
        envelope(to: to, tag: tag, message: ["text": .string(text)])
    }

    /// A file send by public link: `image`/`video`/`audio` by extension, `file` otherwise.
    public static func attachmentBody(to: String, link: String, tag: String?) -> JSONValue {
        let type: String
        switch MetaGraph.fileExtension(ofURL: link) {
        case "jpg", "jpeg", "png", "gif", "webp": type = "image"
        case "mp4", "mov", "3gp", "3gpp": type = "video"
        case "mp3", "aac", "m4a", "ogg", "wav", "amr", "opus": type = "audio"
        default: type = "file"
        }
        return envelope(to: to, tag: tag, message: ["attachment": ["type": .string(type), "payload": ["url": .string(link), "is_reusable": false]]])
    }

    static func envelope(to: String, tag: String?, message: JSONValue) -> JSONValue {
        var body: JSONObject = ["recipient": ["id": .string(to)]]
        if let tag, !tag.isEmpty {
            body["messaging_type"] = "MESSAGE_TAG"
            body["tag"] = .string(tag)
        } else {
            body["messaging_type"] = "RESPONSE"
        }
        body["message"] = message
        return .object(body)
    }
}
