import SwitchboardCore

/// The payload checks Graph makes before it takes a message (Cloud API "messages" reference and
/// Messenger Send API reference, providers.md §9–§10): a description of the first problem, which
/// the fake answers as a `(#100)` invalid-parameter error, or nil when Graph would take it.
extension FakeGraphAPI {
    static func whatsAppProblem(_ body: JSONValue) -> String? {
        guard body["messaging_product"] == "whatsapp" else { return "The parameter messaging_product is required." }
        guard let to = body["to"]?.stringValue, !to.isEmpty, to.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return "The parameter to must be the recipient's digits."
        }
        if let recipientType = body["recipient_type"], recipientType != "individual" { return "Invalid recipient_type." }
        guard let type = body["type"]?.stringValue, let content = body[type] else { return "The parameter type is missing its object." }
        switch type {
        case "text":
            guard let text = content["body"]?.stringValue, !text.isEmpty else { return "The parameter text['body'] is required." }
            return text.count > 4096 ? "Param text['body'] must be at most 4096 characters long." : nil
        case "image", "video", "audio", "document", "sticker":
            return mediaProblem(content, type: type)
        case "template":
            return templateProblem(content)
        default:
            return "Unsupported message type \(type)."
        }
    }

    static func mediaProblem(_ media: JSONValue, type: String) -> String? {
        let link = media["link"]?.stringValue
        guard (link != nil) != (media["id"] != nil) else { return "Param \(type) must have exactly one of link or id." }
        if let link, !(link.hasPrefix("https://") || link.hasPrefix("http://")) { return "Param \(type)['link'] is not a valid URL." }
        if let caption = media["caption"] {
            guard ["image", "video", "document"].contains(type) else { return "Param \(type) does not take a caption." }
            guard (caption.stringValue?.count ?? 0) <= 1024 else { return "Param \(type)['caption'] is too long." }
        }
        if media["filename"] != nil && type != "document" { return "Param \(type) does not take a filename." }
        return nil
    }

    static func templateProblem(_ template: JSONValue) -> String? {
        guard template["name"]?.stringValue?.isEmpty == false else { return "The parameter template['name'] is required." }
        guard template["language"]?["code"]?.stringValue?.isEmpty == false else { return "The parameter template['language']['code'] is required." }
        for component in template["components"]?.arrayValue ?? [] {
            let type = component["type"]?.stringValue ?? ""
            guard ["header", "body", "button"].contains(type) else { return "Invalid component type \(type)." }
            if type == "button" {
                guard component["sub_type"]?.stringValue != nil, component["index"]?.stringValue != nil else {
                    return "Button components need sub_type and index."
                }
            }
            guard let parameters = component["parameters"]?.arrayValue, !parameters.isEmpty else { return "Component parameters are required." }
            for parameter in parameters {
                guard let parameterType = parameter["type"]?.stringValue, parameter[parameterType] != nil else {
                    return "Each parameter needs a type and a value under that type."
                }
                if ["image", "video", "document"].contains(parameterType), let problem = mediaProblem(parameter[parameterType]!, type: parameterType) {
                    return problem
                }
            }
        }
        return nil
    }

    /// Tags the Send API still takes (providers.md §10: the update tags return 100 since April 2026).
    static let messengerTags: Set<String> = ["HUMAN_AGENT", "CUSTOMER_FEEDBACK"]

    static func messengerProblem(_ body: JSONValue) -> String? {
        guard body["recipient"]?["id"]?.stringValue?.isEmpty == false else { return "The parameter recipient is required" }
        switch body["messaging_type"]?.stringValue {
        case "RESPONSE"?, "UPDATE"?:
            if body["tag"] != nil { return "Param tag requires messaging_type MESSAGE_TAG" }
        case "MESSAGE_TAG"?:
            guard let tag = body["tag"]?.stringValue, messengerTags.contains(tag) else { return "Param tag must be a valid message tag" }
        default:
            return "Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}"
        }
        guard let message = body["message"] else { return "The parameter message is required" }
        let text = message["text"]?.stringValue
        let attachment = message["attachment"]
        guard (text != nil) != (attachment != nil) else { return "Param message must have exactly one of text or attachment" }
        if let text {
            guard !text.isEmpty else { return "Param message[text] must be non-empty" }
            return text.count > 2000 ? "Param message[text] must be at most 2000 characters" : nil
        }
        guard let type = attachment?["type"]?.stringValue, ["image", "video", "audio", "file", "template"].contains(type) else {
            return "Param message[attachment][type] must be one of {image, video, audio, file, template}"
        }
        let url = attachment?["payload"]?["url"]?.stringValue
        guard url != nil || attachment?["payload"]?["attachment_id"] != nil else { return "Param message[attachment][payload] needs url or attachment_id" }
        if let url, !(url.hasPrefix("https://") || url.hasPrefix("http://")) { return "Param message[attachment][payload][url] is not a valid URL" }
        return nil
    }
}
