/// The WhatsApp Business Cloud API's wire rules (providers.md §9): webhook bodies to messages and
/// delivery reports, send bodies, and its error codes. Pure: callers do the HTTP.
public enum WhatsAppCloudAPI {
    /// Longest text body Meta accepts (Cloud API "text object": 4096 characters).
    public static let maxTextLength = 4096
    /// Longest media caption (Cloud API "media object": 1024 characters); longer text goes separately.
    public static let maxCaptionLength = 1024
    /// Prefix of `MediaReference.url` for inbound media: Meta sends a media id, fetched with
    /// `GET /{version}/{media-id}` and the Bearer token (ids expire after 7 days).
    public static let mediaURLScheme = "whatsapp-media:"

    /// The media id inside a `MediaReference.url` this API produced, or nil.
    public static func mediaID(fromURL url: String) -> String? {
        url.hasPrefix(mediaURLScheme) ? String(url.dropFirst(mediaURLScheme.count)) : nil
    }

    /// Our WhatsApp number as the channel stores it (E.164 with `+`) from `display_phone_number`,
    /// which Meta gives as digits (sometimes spaced or dashed).
    public static func e164(_ number: String) -> String {
        "+" + number.filter { $0.isASCII && $0.isNumber }
    }

    /// `to` of a send: Meta wants digits, no `+` (providers.md §0).
    public static func recipient(_ number: String) -> String {
        number.filter { $0.isASCII && $0.isNumber }
    }

    /// Reads a `whatsapp_business_account` webhook: every `entry[].changes[].value`, skipping
    /// changes for another phone number id than `phoneNumberID` (one Meta app can serve several
    /// numbers and posts all of them to the callback URL) when `phoneNumberID` is not empty.
    /// Messages Meta could not read (`unsupported`, with `errors`), reactions and system notices
    /// are skipped: they carry nothing an agent can answer.
    public static func webhookEvents(_ body: JSONValue, phoneNumberID: String) throws(InboundRejection) -> (
        messages: [InboundMessage], reports: [DeliveryReport]
    ) {
        guard body["object"]?.stringValue == "whatsapp_business_account" else {
            throw InboundRejection("object must be whatsapp_business_account")
        }
        guard let entries = body["entry"]?.arrayValue else { throw InboundRejection("entry is required") }
        var messages: [InboundMessage] = []
        var reports: [DeliveryReport] = []
        for entry in entries {
            for change in entry["changes"]?.arrayValue ?? [] {
                guard let value = change["value"], (change["field"]?.stringValue ?? "messages") == "messages" else { continue }
                let metadata = value["metadata"]
                if !phoneNumberID.isEmpty, let id = metadata?["phone_number_id"]?.stringValue, id != phoneNumberID { continue }
                let to = e164(metadata?["display_phone_number"]?.stringValue ?? "")
                let contacts = value["contacts"]?.arrayValue ?? []
                for item in value["messages"]?.arrayValue ?? [] {
                    guard let message = try inboundMessage(item, to: to, contacts: contacts) else { continue }
                    messages.append(message)
                }
                for status in value["statuses"]?.arrayValue ?? [] {
                    if let report = deliveryReport(status) { reports.append(report) }
                }
            }
        }
        return (messages, reports)
    }

    static func inboundMessage(_ item: JSONValue, to: String, contacts: [JSONValue]) throws(InboundRejection) -> InboundMessage? {
        guard let id = item["id"]?.stringValue, !id.isEmpty, id.count <= 255 else { throw InboundRejection("messages[].id is required") }
        guard let waID = item["from"]?.stringValue, !recipient(waID).isEmpty else { throw InboundRejection("messages[].from is required") }
        guard to.count > 1 else { throw InboundRejection("metadata.display_phone_number is required") }
        let contact = contacts.first { $0["wa_id"]?.stringValue == waID } ?? contacts.first
        let receivedAt = MetaGraph.integer(item["timestamp"]) ?? 0
        guard let content = content(item) else { return nil }
        return InboundMessage(
            providerMessageID: id, from: "+" + recipient(waID), to: to, text: content.text, media: content.media, receivedAt: receivedAt,
            senderName: contact?["profile"]?["name"]?.stringValue ?? "")
    }

    /// The text and files of one message by its `type`; nil for types stored as nothing.
    static func content(_ item: JSONValue) -> (text: String, media: [MediaReference])? {
        let type = item["type"]?.stringValue ?? ""
        switch type {
        case "text":
            return (item["text"]?["body"]?.stringValue ?? "", [])
        case "image", "document", "audio", "video", "sticker":
            guard let object = item[type], let mediaID = object["id"]?.stringValue, !mediaID.isEmpty else { return nil }
            let media = MediaReference(url: mediaURLScheme + mediaID, contentType: object["mime_type"]?.stringValue)
            return (object["caption"]?.stringValue ?? "", [media])
        case "location":
            guard let location = item["location"] else { return nil }
            let coordinates = [location["latitude"], location["longitude"]].compactMap { value -> String? in
                switch value {
                case .double(let number)?: String(number)
                case .int(let number)?: String(number)
                default: nil
                }
            }.joined(separator: ",")
            let parts = [location["name"]?.stringValue, location["address"]?.stringValue, coordinates.isEmpty ? nil : "(\(coordinates))"]
            return ("Location: " + parts.compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " "), [])
        case "interactive":
            let reply = item["interactive"]?["button_reply"] ?? item["interactive"]?["list_reply"]
            guard let title = reply?["title"]?.stringValue else { return nil }
            let description = reply?["description"]?.stringValue ?? ""
            return (description.isEmpty ? title : title + "\n" + description, [])
        case "button":
            guard let text = item["button"]?["text"]?.stringValue ?? item["button"]?["payload"]?.stringValue else { return nil }
            return (text, [])
        case "contacts":
            let cards = (item["contacts"]?.arrayValue ?? []).map { card -> String in
                let name = card["name"]?["formatted_name"]?.stringValue ?? ""
                let phones = (card["phones"]?.arrayValue ?? []).compactMap { $0["phone"]?.stringValue }
                return ([name] + phones).filter { !$0.isEmpty }.joined(separator: " ")
            }
            return cards.isEmpty ? nil : ("Contact: " + cards.joined(separator: "; "), [])
        default:
            return nil
        }
    }

    /// A `statuses[]` entry as a report; nil for states we do not track (`deleted`, `warning`).
    public static func deliveryReport(_ status: JSONValue) -> DeliveryReport? {
        guard let id = status["id"]?.stringValue, !id.isEmpty else { return nil }
        switch status["status"]?.stringValue {
        case "sent": return DeliveryReport(providerMessageID: id, state: .sent)
        case "delivered": return DeliveryReport(providerMessageID: id, state: .delivered)
        case "read": return DeliveryReport(providerMessageID: id, state: .read)
        case "failed":
            let graphError = (status["errors"]?.arrayValue?.first).flatMap { MetaGraph.error(["error": $0]) }
            let kind: SendErrorKind
            switch graphError.flatMap({ classify($0) ?? MetaGraph.commonDisposition($0) }) {
            case .retry(let known)?, .fail(let known)?: kind = known
            case nil: kind = .sendFail
            }
            return DeliveryReport(providerMessageID: id, state: .failed(SendFailure(kind, graphError?.text ?? "failed")))
        default: return nil
        }
    }

    /// WhatsApp's own error codes (Cloud API error-codes page, [C]/[S] per providers.md §9);
    /// nil leaves the code to the Graph-wide rules.
    public static func classify(_ error: MetaGraph.GraphError) -> MetaGraph.Disposition? {
        switch error.code {
        case 130429, 131056: .retry(.tooManyRequest)  // throughput limit; pair rate limit to one user
        case 131048: .fail(.tooManyRequest)  // spam rate limit: retrying makes it worse
        case 131047: .fail(.exceedsTimeLimit)  // re-engagement: more than 24 h since the customer wrote [U code]
        case 132001, 132015, 132016: .fail(.templateNotExist)  // missing / paused / disabled template
        case 132000, 132005, 132007, 132012, 132018, 131008, 131009, 135000: .fail(.invalidParam)
        case 131026, 131021, 131030: .fail(.invalidPhoneNumber)  // undeliverable, self, not on the test allow-list
        case 131051, 131052, 131053: .fail(.unsupportedMediaType)
        case 133010, 131045: .fail(.invalidDIDNumber)  // our number is not registered
        case 131031: .fail(.serviceUnavailable)  // business account locked
        case 131016: .retry(.serviceUnavailable)
        case 131000: .retry(.unknownError)  // "something went wrong … try again"
        default: nil
        }
    }

    /// Classifies the answer to `POST /{phone_number_id}/messages`; the id is `messages[0].id`.
    public static func sendOutcome(status: Int?, body: JSONValue?, rawBody: String, retryAfter: Int64? = nil) -> SendOutcome {
        MetaGraph.sendOutcome(
            status: status, body: body, rawBody: rawBody, messageID: body?["messages"]?.arrayValue?.first?["id"]?.stringValue,
            retryAfter: retryAfter, classify: classify)
    }

    /// The Graph messages one outbound message becomes: a text, or one media message per link
    /// with the text as the first file's caption when it fits (≤ 1024 characters and not audio,
    /// which takes no caption) — otherwise the text goes first on its own.
    public static func messageBodies(to: String, text: String, mediaLinks: [String]) throws(SendFailure) -> [JSONValue] {
        guard text.count <= maxTextLength else {
            throw SendFailure(.messageTooLong, "WhatsApp takes at most \(maxTextLength) characters of text")
        }
        guard let first = mediaLinks.first else {
            guard !text.isEmpty else { throw SendFailure(.invalidParam, "the message has no text and no file") }
            return [textBody(to: to, text: text)]
        }
        let firstIsAudio = mediaBody(to: to, link: first, caption: nil)["type"] == "audio"
        let captioned = !text.isEmpty && text.count <= maxCaptionLength && !firstIsAudio
        var bodies: [JSONValue] = text.isEmpty || captioned ? [] : [textBody(to: to, text: text)]
        for (index, link) in mediaLinks.enumerated() {
            bodies.append(mediaBody(to: to, link: link, caption: index == 0 && captioned ? text : nil))
        }
        return bodies
    }

    public static func textBody(to: String, text: String) -> JSONValue {
        envelope(to: to, type: "text", ["text": ["preview_url": false, "body": .string(text)]])
    }

    /// The body of a media send by public link: the type follows the file extension (WhatsApp's
    /// supported types: jpeg/png images, mp4/3gpp video, aac/amr/mp3/m4a/ogg audio); anything
    /// else goes as a document, which WhatsApp accepts for every file.
    public static func mediaBody(to: String, link: String, caption: String?) -> JSONValue {
        let type: String
        switch MetaGraph.fileExtension(ofURL: link) {
        case "jpg", "jpeg", "png": type = "image"
        case "mp4", "3gp", "3gpp": type = "video"
        case "aac", "amr", "mp3", "m4a", "ogg", "opus": type = "audio"
        default: type = "document"
        }
        var media: JSONObject = ["link": .string(link)]
        if let caption, !caption.isEmpty, type != "audio" { media["caption"] = .string(caption) }
        if type == "document", let name = link.split(separator: "?").first?.split(separator: "/").last, name.contains(".") {
            media["filename"] = .string(String(name))
        }
        return envelope(to: to, type: type, [type: .object(media)])
    }

    /// The body of a template send (`template` already in Meta's shape, see `WhatsAppTemplate`).
    public static func templateBody(to: String, template: JSONValue) -> JSONValue {
        envelope(to: to, type: "template", ["template": template])
    }

    static func envelope(to: String, type: String, _ content: JSONObject) -> JSONValue {
        var body: JSONObject = [
            "messaging_product": "whatsapp", "recipient_type": "individual", "to": .string(recipient(to)), "type": .string(type),
        ]
        for member in content.members { body[member.key] = member.value }
        return .object(body)
    }
}
