/// Turns Yeastar's `whatsapp_msg_param` (seed 002 "MSG_Param": `{id, template_id, name,
/// language:{code}, parameter_format, components:[{type: HEADER|BODY|BUTTONS, parameters}]}`,
/// upper-case types, header files as `file_list`, one `BUTTONS` entry per template button) into
/// the `template` object of a Cloud API send (providers.md §9 "Template messages").
///
/// Evidence: the component/parameter forms are [C]/[S] in the reference; `parameter_name` for
/// NAMED templates is [S]; the mapping of Yeastar's `BUTTONS` list to Meta's per-button
/// components (by position, only buttons that carry a value) is our reading of seed 002's example,
/// where static buttons (`FLOW`, `VOICE_CALL`, a fixed `URL`) come with an empty `text`.
/// Components already in Meta's shape (lower-case types, `sub_type`) pass through unchanged.
public enum WhatsAppTemplate {
    /// Meta's `template` object. `mediaLinks` are public links to the message's files, used in order
    /// for header media whose `file_list` entry has no absolute URL.
    public static func payload(_ param: JSONValue, mediaLinks: [String] = []) throws(SendFailure) -> JSONValue {
        guard let name = param["name"]?.stringValue, !name.isEmpty else { throw SendFailure(.invalidParam, "the template has no name") }
        let language: JSONValue
        switch param["language"] {
        case .string(let code)? where !code.isEmpty: language = ["code": .string(code)]
        case .object(let object)? where object["code"]?.stringValue?.isEmpty == false: language = ["code": object["code"]!]
        default: throw SendFailure(.invalidParam, "the template has no language code")
        }
        var links = mediaLinks[...]
        var components: [JSONValue] = []
        for component in param["components"]?.arrayValue ?? [] {
            let type = component["type"]?.stringValue ?? ""
            switch type {
            case "HEADER", "BODY":
                let parameters = try (component["parameters"]?.arrayValue ?? []).map { (item) throws(SendFailure) in
                    try parameter(item, links: &links)
                }
                if !parameters.isEmpty { components.append(["type": .string(type.lowercased()), "parameters": .array(parameters)]) }
            case "BUTTONS":
                for (index, button) in (component["parameters"]?.arrayValue ?? []).enumerated() {
                    if let converted = buttonComponent(button, index: index) { components.append(converted) }
                }
            case "FOOTER":
                continue
            default:
                components.append(component)  // already Meta's shape (`header`, `body`, `button`, …)
            }
        }
        var template: JSONObject = ["name": .string(name), "language": language]
        if !components.isEmpty { template["components"] = .array(components) }
        return .object(template)
    }

    /// One header/body parameter: TEXT (with `parameter_name` for NAMED templates), IMAGE / VIDEO /
    /// DOCUMENT by link, CURRENCY / DATE_TIME / LOCATION passed on with a lower-case type.
    static func parameter(_ item: JSONValue, links: inout ArraySlice<String>) throws(SendFailure) -> JSONValue {
        guard var object = item.objectValue, let rawType = object["type"]?.stringValue else {
            throw SendFailure(.invalidParam, "a template parameter has no type")
        }
        let type = rawType.lowercased()
        switch type {
        case "text":
            var converted: JSONObject = ["type": "text", "text": .string(object["text"]?.stringValue ?? "")]
            if let name = object["parameter_name"]?.stringValue, !name.isEmpty { converted["parameter_name"] = .string(name) }
            return .object(converted)
        case "image", "video", "document":
            if object[type]?.objectValue != nil { return .object(object) }  // Meta's shape
            let file = object["file_list"]?.arrayValue?.first
            let given = [object["link"], file?["url"], file?["uri"]].compactMap { $0?.stringValue }.first { isAbsolute($0) }
            guard let link = given ?? links.popFirst() else {
                throw SendFailure(.invalidParam, "the template's \(type) header has no public link")
            }
            var media: JSONObject = ["link": .string(link)]
            if type == "document", let name = file?["name"]?.stringValue, !name.isEmpty { media["filename"] = .string(name) }
            var converted: JSONObject = ["type": .string(type), type: .object(media)]
            if let name = object["parameter_name"]?.stringValue, !name.isEmpty { converted["parameter_name"] = .string(name) }
            return .object(converted)
        default:
            object["type"] = .string(type)
            return .object(object)
        }
    }

    /// One of Yeastar's `BUTTONS` entries as Meta's `button` component at `index`, or nil when the
    /// button takes no value (static URL, phone call, flow, or an empty entry).
    static func buttonComponent(_ button: JSONValue, index: Int) -> JSONValue? {
        let value = button["text"]?.stringValue ?? button["payload"]?.stringValue ?? ""
        guard !value.isEmpty else { return nil }
        let subType: String
        let parameter: JSONValue
        switch button["type"]?.stringValue?.uppercased() {
        case "URL": subType = "url"; parameter = ["type": "text", "text": .string(value)]
        case "QUICK_REPLY": subType = "quick_reply"; parameter = ["type": "payload", "payload": .string(value)]
        case "COPY_CODE": subType = "copy_code"; parameter = ["type": "coupon_code", "coupon_code": .string(value)]
        default: return nil
        }
        return ["type": "button", "sub_type": .string(subType), "index": .string(String(index)), "parameters": [parameter]]
    }

    static func isAbsolute(_ link: String) -> Bool {
        link.hasPrefix("https://") || link.hasPrefix("http://")
    }
}
