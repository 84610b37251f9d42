/// A complete, validated campaign as `message_campaign/create` takes it (and `update` after its
/// fields are laid over the stored campaign). Every problem is collected into one `40002`.
public struct CampaignRequest: Sendable, Equatable {
    public var name: String
    public var channelType: CampaignChannelType
    public var channelID: Int64
    public var senderID: Int64
    public var recipientType: CampaignRecipientType
    /// E.164 numbers, duplicates removed (first kept), for `input`.
    public var numbers: [String]
    public var phonebookID: Int64?
    public var numberType: RecipientNumberType?
    public var contentType: CampaignContentType
    /// Text, or the File_Info JSON text for `document`.
    public var content: String
    /// The File_Info of a `document` campaign.
    public var document: JSONValue?
    /// The template parameter JSON text for `template`.
    public var msgParam: String
    public var template: JSONValue?
    public var sendType: CampaignSendType
    public var sendTime: Int64
    public var sendMode: CampaignSendMode
    public var assignToType: CampaignAssignTarget?
    public var assignToID: Int64?

    /// Reads and cross-checks every field. `parseJSON` decodes the JSON text of `content`
    /// (documents) and `msg_param` (the core has no JSON parser of its own).
    public static func read(_ object: JSONObject, parseJSON: (String) -> JSONValue?) throws -> CampaignRequest {
        var r = FieldReader(object)
        let name = r.requiredText("name", maxLength: CampaignLimits.maxNameLength)
        let channelType: CampaignChannelType? = r.choice("channel_type", required: true)
        let channelID = r.id("omnichannel_id", required: true)
        let senderID = r.id("sender", required: true)
        let recipientType: CampaignRecipientType? = r.choice("recipient_type", required: true)
        let contentType: CampaignContentType? = r.choice("content_type", required: true)
        let sendType: CampaignSendType? = r.choice("send_type", required: true)
        let sendMode: CampaignSendMode? = r.choice("send_mode", required: true)
        let sendTime = r.int("send_time", range: 0...Int64(Int32.max) * 4)
        var assignToType: CampaignAssignTarget? = r.choice("assign_to_type")
        var assignToID = r.id("assign_to_id")
        var numberType: RecipientNumberType? = r.choice("recipient_num_type")
        var phonebookID = r.id("recipient_id")

        var numbers: [String] = []
        switch recipientType {
        case .input?:
            if let entries = r.objects("number_list", required: true) {
                var seen: Set<String> = []
                for var entry in entries {
                    guard let number = entry.requiredText("number") else { r.absorb(entry); continue }
                    if !Formats.isE164(number) { entry.fail("number", "invalid_format") }
                    r.absorb(entry)
                    if seen.insert(number).inserted { numbers.append(number) }
                }
                if entries.isEmpty { r.fail("number_list", "required") }
            }
            phonebookID = nil
            numberType = nil
        case .phonebook?:
            if phonebookID == nil, !r.has("recipient_id") { r.fail("recipient_id", "required") }
            if numberType == nil, !r.has("recipient_num_type") { r.fail("recipient_num_type", "required") }
        case nil: break
        }

        var content = ""
        var document: JSONValue?
        var msgParam = ""
        var template: JSONValue?
        switch contentType {
        case .text?:
            if let text = r.requiredText("content") {
                if text.count > CampaignLimits.maxTextLength { r.fail("content", "max_length") } else { content = text }
            }
        case .document?:
            if let text = r.requiredText("content") {
                if let file = parseJSON(text), Self.isFileInfo(file) {
                    if case .int(let size)? = file["size"], size > CampaignLimits.maxDocumentBytes {
                        r.fail("content", "max_size")
                    } else {
                        content = text
                        document = file
                    }
                } else {
                    r.fail("content", "invalid_format")
                }
            }
        case .template?:
            if let text = r.requiredText("msg_param") {
                if let value = parseJSON(text), case .object = value {
                    // A pasted Google Maps link fills a location header's name and coordinates.
                    let filled = WhatsAppTemplateCheck.fillLocations(value)
                    msgParam = filled == value ? text : filled.serialized()
                    template = filled
                } else {
                    r.fail("msg_param", "invalid_format")
                }
            }
        case nil: break
        }
        // SMS campaigns send text or a file; WhatsApp campaigns send approved templates.
        if let channelType, let contentType {
            let allowed: Bool = channelType == .whatsapp ? contentType == .template : contentType != .template
            if !allowed { r.fail("content_type", "invalid_value") }
        }
        if sendType?.canonical == .schedule, sendTime == nil, !r.has("send_time") { r.fail("send_time", "required") }
        switch sendMode {
        case .newSession?:
            if assignToType == nil, !r.has("assign_to_type") { r.fail("assign_to_type", "required") }
            if assignToID == nil, !r.has("assign_to_id") { r.fail("assign_to_id", "required") }
        case .direct?:
            assignToType = nil
            assignToID = nil
        case nil: break
        }
        if numbers.count > CampaignLimits.maxRecipients {
            throw APIError(.maxLimitationExceeded, detail: "at most \(CampaignLimits.maxRecipients) recipients per campaign")
        }
        try r.finish()
        return CampaignRequest(
            name: name!, channelType: channelType!, channelID: channelID!, senderID: senderID!, recipientType: recipientType!,
            numbers: numbers, phonebookID: phonebookID, numberType: numberType, contentType: contentType!, content: content,
            document: document, msgParam: msgParam, template: template, sendType: sendType!.canonical, sendTime: sendTime ?? 0,
            sendMode: sendMode!, assignToType: assignToType, assignToID: assignToID)
    }

    /// A File_Info: `id`, `name`, `type` strings and an integer `size`.
    static func isFileInfo(_ value: JSONValue) -> Bool {
        guard case .object = value, let id = value["id"]?.stringValue, !id.isEmpty, value["name"]?.stringValue != nil else { return false }
        if case .int? = value["size"] { return true }
        return false
    }

    /// The File_Info id of a document campaign.
    public var documentID: String? { document?["id"]?.stringValue }

    /// The status this campaign is saved in.
    public var initialStatus: CampaignStatus { CampaignStatus.initial(for: sendType) }
}
