/// A WhatsApp template as it is kept after syncing (`MSGTemplate_Info` without the ids).
public struct SyncedTemplate: Sendable, Equatable {
    public var templateID: String
    public var name: String
    public var language: String
    public var category: String
    public var subCategory: String
    public var parameterFormat: String
    /// The template's `components` array.
    public var components: JSONValue

    public init(templateID: String, name: String, language: String, category: String, subCategory: String, parameterFormat: String, components: JSONValue) {
        self.templateID = templateID
        self.name = name
        self.language = language
        self.category = category
        self.subCategory = subCategory
        self.parameterFormat = parameterFormat
        self.components = components
    }
}

/// Which of a WhatsApp Business Account's templates are kept: approved ones only, marketing
/// templates of the catalog kind left out (they cannot be sent from here), at most 250.
public enum WhatsAppTemplateSync {
    public static let maxTemplates = 250

    public static func select(_ templates: [JSONValue]) -> [SyncedTemplate] {
        var kept: [SyncedTemplate] = []
        for template in templates {
            guard kept.count < maxTemplates else { break }
            let status = template["status"]?.stringValue?.uppercased() ?? ""
            guard status == "APPROVED" || status == "ACTIVE",
                let id = template["id"]?.stringValue, let name = template["name"]?.stringValue,
                let language = template["language"]?.stringValue
            else { continue }
            let category = template["category"]?.stringValue?.uppercased() ?? ""
            let sub = template["sub_category"]?.stringValue?.uppercased() ?? ""
            let components = template["components"] ?? .array([])
            if category == "MARKETING", sub.contains("CATALOG") || hasCatalogButton(components) { continue }
            kept.append(SyncedTemplate(
                templateID: id, name: name, language: language, category: category, subCategory: sub.isEmpty ? "CUSTOM" : sub,
                parameterFormat: template["parameter_format"]?.stringValue?.uppercased() ?? "POSITIONAL", components: components))
        }
        return kept
    }

    static func hasCatalogButton(_ components: JSONValue) -> Bool {
        for component in components.arrayValue ?? [] where component["type"]?.stringValue?.uppercased() == "BUTTONS" {
            for button in component["buttons"]?.arrayValue ?? [] {
                if ["CATALOG", "MPM", "SPM"].contains(button["type"]?.stringValue?.uppercased() ?? "") { return true }
            }
        }
        return false
    }
}

/// Checks a template message (`msg_param` / `whatsapp_msg_param`, reference §5.10) against the
/// synced template: the same template, every placeholder filled (by name for NAMED, by position
/// for POSITIONAL), header media or location given where the header has one, buttons in the
/// template's order. Each problem is one sentence saying what is missing.
public enum WhatsAppTemplateCheck {
    public static let headerImageTypes = ["png", "gif", "jpg", "jpeg", "webp"]
    public static let maxHeaderImageBytes: Int64 = 5 << 20

    public static func problems(_ param: JSONValue, against template: SyncedTemplate) -> [String] {
        var problems: [String] = []
        if let name = param["name"]?.stringValue, name != template.name { problems.append("name is \(name), the template is \(template.name)") }
        if let id = param["template_id"]?.stringValue, id != template.templateID { problems.append("template_id does not match the template") }
        if let format = param["parameter_format"]?.stringValue, format.uppercased() != template.parameterFormat {
            problems.append("parameter_format must be \(template.parameterFormat)")
        }
        let given = param["components"]?.arrayValue ?? []
        func supplied(_ type: String) -> [JSONValue] {
            given.filter { $0["type"]?.stringValue?.uppercased() == type }.flatMap { $0["parameters"]?.arrayValue ?? [] }
        }
        let named = template.parameterFormat == "NAMED"
        for component in template.components.arrayValue ?? [] {
            let type = component["type"]?.stringValue?.uppercased() ?? ""
            switch type {
            case "HEADER":
                let format = component["format"]?.stringValue?.uppercased() ?? "TEXT"
                let parameters = supplied("HEADER")
                if format == "TEXT" {
                    problems += placeholderProblems(component["text"]?.stringValue ?? "", parameters, named: named, part: "header")
                } else if format == "LOCATION" {
                    let location = parameters.first { $0["type"]?.stringValue?.uppercased() == "LOCATION" }?["location"] ?? parameters.first?["location"]
                    for key in ["latitude", "longitude", "name", "address"] where location?[key] == nil || location?[key] == "" {
                        problems.append("the location header needs \(key)")
                    }
                } else {
                    problems += mediaProblems(format: format, parameters)
                }
            case "BODY":
                problems += placeholderProblems(component["text"]?.stringValue ?? "", supplied("BODY"), named: named, part: "body")
            case "BUTTONS":
                problems += buttonProblems(component["buttons"]?.arrayValue ?? [], supplied("BUTTONS"))
            default: break
            }
        }
        return problems
    }

    /// The placeholders of a template text (`{{1}}` or `{{name}}`), in order of first appearance.
    public static func placeholders(_ text: String) -> [String] {
        var found: [String] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "{{") {
            let after = rest[open.upperBound...]
            guard let close = after.firstRange(of: "}}") else { break }
            let key = String(after[..<close.lowerBound]).trimmingSpaces
            if !key.isEmpty, !found.contains(key) { found.append(key) }
            rest = after[close.upperBound...]
        }
        return found
    }

    static func placeholderProblems(_ text: String, _ parameters: [JSONValue], named: Bool, part: String) -> [String] {
        let keys = placeholders(text)
        guard !keys.isEmpty else { return [] }
        func filled(_ value: JSONValue?) -> Bool {
            guard let value else { return false }
            return !(value["text"]?.stringValue ?? "").isEmpty || value["currency"] != nil || value["date_time"] != nil
        }
        if named {
            let missing = keys.filter { key in !parameters.contains { $0["parameter_name"]?.stringValue == key && filled($0) } }
            return missing.isEmpty ? [] : ["the \(part) needs values for " + missing.map { "{{\($0)}}" }.joined(separator: ", ")]
        }
        let missing = keys.enumerated().filter { index, _ in !(index < parameters.count && filled(parameters[index])) }.map(\.element)
        return missing.isEmpty ? [] : ["the \(part) needs values for " + missing.map { "{{\($0)}}" }.joined(separator: ", ")]
    }

    /// Header media problems: a file given; for images, an allowed type and at most 5 MB.
    public static func mediaProblems(format: String, _ parameters: [JSONValue]) -> [String] {
        guard let parameter = parameters.first else { return ["the \(format.lowercased()) header needs a file"] }
        let files = parameter["file_list"]?.arrayValue ?? []
        let link = parameter[format.lowercased()]?["link"]?.stringValue
        guard !files.isEmpty || link != nil else { return ["the \(format.lowercased()) header needs a file"] }
        guard format == "IMAGE" else { return [] }
        var problems: [String] = []
        for file in files {
            let name = file["name"]?.stringValue?.lowercased() ?? ""
            let type = file["type"]?.stringValue?.lowercased() ?? ""
            let ext = name.split(separator: ".").last.map(String.init) ?? ""
            let subtype = type.hasPrefix("image/") ? String(type.dropFirst(6)) : ""
            if !headerImageTypes.contains(ext), !headerImageTypes.contains(subtype) {
                problems.append("the header image must be png, gif, jpg, jpeg or webp")
            }
            if case .int(let size)? = file["size"], size > maxHeaderImageBytes { problems.append("the header image must be at most 5 MB") }
        }
        return problems
    }

    static func buttonProblems(_ buttons: [JSONValue], _ parameters: [JSONValue]) -> [String] {
        var problems: [String] = []
        for (index, button) in buttons.enumerated() {
            let type = button["type"]?.stringValue?.uppercased() ?? ""
            let given: JSONValue? = index < parameters.count ? parameters[index] : nil
            if let given, let givenType = given["type"]?.stringValue?.uppercased(), givenType != type {
                problems.append("button \(index + 1) must be \(type), not \(givenType)")
                continue
            }
            let dynamic = type == "URL" && !placeholders(button["url"]?.stringValue ?? "").isEmpty
            if (dynamic || type == "COPY_CODE") && (given?["text"]?.stringValue ?? "").isEmpty {
                problems.append("button \(index + 1) (\(type)) needs a value")
            }
        }
        if parameters.count > buttons.count { problems.append("the template has \(buttons.count) buttons, \(parameters.count) were given") }
        return problems
    }
}

/// A place from a pasted Google Maps URL (seed 003): its name and coordinates; the address is typed by hand.
public struct MapsLocation: Sendable, Equatable {
    public var name: String
    public var latitude: Double
    public var longitude: Double

    public init(name: String, latitude: Double, longitude: Double) {
        self.name = name
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Reads `…/maps/place/<name>/@lat,lng,zoom…` (the `!3d…!4d…` pin preferred over the view
    /// centre), `…?q=lat,lng` / `query=` / `ll=`; nil when the URL holds no coordinates.
    public static func parse(_ url: String) -> MapsLocation? {
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), lower.contains("google.") || lower.contains("goo.gl") else { return nil }
        var name = ""
        if let place = url.firstRange(of: "/place/") {
            let rest = url[place.upperBound...]
            name = percentDecode(String(rest.prefix { $0 != "/" && $0 != "?" && $0 != "@" }))
        }
        var coordinates: (Double, Double)?
        if let pin = url.firstRange(of: "!3d") {
            let rest = url[pin.upperBound...]
            if let lng = rest.firstRange(of: "!4d"),
                let lat = Double(rest[..<lng.lowerBound]),
                let lon = Double(rest[lng.upperBound...].prefix { $0 == "-" || $0 == "." || $0.isNumber }) {
                coordinates = (lat, lon)
            }
        }
        if coordinates == nil, let at = url.firstRange(of: "/@") {
            coordinates = pair(String(url[at.upperBound...].prefix { $0 != "/" && $0 != "?" }))
        }
        if let query = url.split(separator: "?", maxSplits: 1).dropFirst().first {
            for item in query.split(separator: "&") {
                let kv = item.split(separator: "=", maxSplits: 1)
                guard kv.count == 2, ["q", "query", "ll"].contains(String(kv[0])) else { continue }
                let value = percentDecode(String(kv[1]))
                if coordinates == nil, let found = pair(value) {
                    coordinates = found
                } else if name.isEmpty, pair(value) == nil {
                    name = value
                }
            }
        }
        guard let (latitude, longitude) = coordinates, (-90...90).contains(latitude), (-180...180).contains(longitude) else { return nil }
        return MapsLocation(name: name, latitude: latitude, longitude: longitude)
    }

    /// "lat,lng[,…]" → the two numbers.
    static func pair(_ text: String) -> (Double, Double)? {
        let parts = text.split(separator: ",")
        guard parts.count >= 2, let lat = Double(parts[0].trimmingSpacesSubstring), let lng = Double(parts[1].trimmingSpacesSubstring) else { return nil }
        return (lat, lng)
    }

    /// `%xx` escapes and `+` as a space.
    static func percentDecode(_ text: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if byte == UInt8(ascii: "%"), utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Substring {
    fileprivate var trimmingSpacesSubstring: String { String(self).trimmingSpaces }
}

extension WhatsAppTemplateCheck {
    /// Fills each location header parameter that carries a pasted Google Maps link (`maps_url`)
    /// with the place's name (unless given) and coordinates; the address stays as typed.
    public static func fillLocations(_ param: JSONValue) -> JSONValue {
        guard case .object(var object) = param, let components = object["components"]?.arrayValue else { return param }
        object["components"] = .array(components.map { component in
            guard component["type"]?.stringValue?.uppercased() == "HEADER", case .object(var header) = component,
                let parameters = header["parameters"]?.arrayValue else { return component }
            header["parameters"] = .array(parameters.map { parameter in
                guard case .object(var item) = parameter, let url = item["maps_url"]?.stringValue ?? item["location"]?["maps_url"]?.stringValue,
                    let place = MapsLocation.parse(url) else { return parameter }
                var location = item["location"]?.objectValue ?? [:]
                location["maps_url"] = nil
                location["latitude"] = .string(String(place.latitude))
                location["longitude"] = .string(String(place.longitude))
                if (location["name"]?.stringValue ?? "").isEmpty, !place.name.isEmpty { location["name"] = .string(place.name) }
                item["maps_url"] = nil
                item["type"] = "LOCATION"
                item["location"] = .object(location)
                return .object(item)
            })
            return .object(header)
        })
        return .object(object)
    }
}
