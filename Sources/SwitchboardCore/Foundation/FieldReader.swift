/// Reads and validates the fields of one request (a JSON body or a query string), collecting every
/// problem so the client gets all of them in one `invalid_param_list`.
///
/// Integers are accepted as JSON numbers or as numeric strings, because Yeastar's own examples send
/// ids both ways (`"destination_id": "137"` next to `"id": 19`).
public struct FieldReader: Sendable {
    public let object: JSONObject
    /// Prefix for reported field names, e.g. `dids[0].` for a nested object.
    public let prefix: String
    public private(set) var issues: [ParamIssue] = []

    public init(_ object: JSONObject, prefix: String = "") {
        self.object = object
        self.prefix = prefix
    }

    /// A reader over query parameters (every value a string).
    public init(query: [String: String]) {
        self.object = JSONObject(query.sorted(by: { $0.key < $1.key }).map { (key: $0.key, value: .string($0.value)) })
        self.prefix = ""
    }

    public func has(_ key: String) -> Bool {
        if let value = object[key], value != .null { return true }
        return false
    }

    public mutating func fail(_ key: String, _ validationType: String) {
        issues.append(ParamIssue(field: prefix + key, validationType: validationType))
    }

    public mutating func absorb(_ other: FieldReader) {
        issues.append(contentsOf: other.issues)
    }

    /// Throws `40002 PARAMETER ERROR` listing every collected issue, if any.
    public func finish() throws {
        if !issues.isEmpty { throw APIError(.parameterError, invalidParams: issues) }
    }

    public mutating func string(_ key: String, required: Bool = false, maxLength: Int? = nil, allowEmpty: Bool = true) -> String? {
        guard let value = object[key], value != .null else {
            if required { fail(key, "required") }
            return nil
        }
        let text: String
        switch value {
        case .string(let s): text = s
        case .int(let i): text = String(i)
        default:
            fail(key, "type")
            return nil
        }
        if required && text.isEmpty && !allowEmpty {
            fail(key, "required")
            return nil
        }
        if let maxLength, text.count > maxLength {
            fail(key, "max_length")
            return nil
        }
        return text
    }

    /// A required, non-empty string.
    public mutating func requiredText(_ key: String, maxLength: Int? = nil) -> String? {
        string(key, required: true, maxLength: maxLength, allowEmpty: false)
    }

    public mutating func int(_ key: String, required: Bool = false, range: ClosedRange<Int64>? = nil) -> Int64? {
        guard let value = object[key], value != .null else {
            if required { fail(key, "required") }
            return nil
        }
        let number: Int64?
        switch value {
        case .int(let i): number = i
        case .string(let s): number = s.isEmpty && !required ? nil : Int64(s.trimmingSpaces)
            if s.isEmpty && !required { return nil }
        case .double(let d) where d == d.rounded() && abs(d) < 9e15: number = Int64(d)
        default: number = nil
        }
        guard let number else {
            fail(key, "type")
            return nil
        }
        if let range, !range.contains(number) {
            fail(key, "range")
            return nil
        }
        return number
    }

    /// An id (positive integer).
    public mutating func id(_ key: String, required: Bool = false) -> Int64? {
        int(key, required: required, range: 1...Int64.max)
    }

    public mutating func choice<E: RawRepresentable & CaseIterable>(_ key: String, required: Bool = false, as type: E.Type = E.self) -> E?
    where E.RawValue == String {
        guard let raw = string(key, required: required, allowEmpty: false) else { return nil }
        guard let value = E(rawValue: raw) else {
            fail(key, "invalid_value")
            return nil
        }
        return value
    }

    /// A 0/1 flag.
    public mutating func flag(_ key: String, required: Bool = false) -> Bool? {
        if case .bool(let b)? = object[key] { return b }
        return int(key, required: required, range: 0...1).map { $0 == 1 }
    }

    public mutating func array(_ key: String, required: Bool = false) -> [JSONValue]? {
        guard let value = object[key], value != .null else {
            if required { fail(key, "required") }
            return nil
        }
        guard case .array(let items) = value else {
            fail(key, "type")
            return nil
        }
        return items
    }

    /// Each element of an array of objects, with a nested reader whose issues are named `key[i].field`.
    public mutating func objects(_ key: String, required: Bool = false) -> [FieldReader]? {
        guard let items = array(key, required: required) else { return nil }
        var readers: [FieldReader] = []
        for (index, item) in items.enumerated() {
            guard case .object(let object) = item else {
                fail("\(key)[\(index)]", "type")
                continue
            }
            readers.append(FieldReader(object, prefix: "\(prefix)\(key)[\(index)]."))
        }
        return readers
    }

    /// A comma-separated list of ids (`ids=3035,3073`).
    public mutating func idList(_ key: String) -> [Int64]? {
        guard let text = string(key, required: true, allowEmpty: false) else { return nil }
        var ids: [Int64] = []
        for part in text.split(separator: ",") {
            guard let id = Int64(String(part).trimmingSpaces), id > 0 else {
                fail(key, "invalid_value")
                return nil
            }
            ids.append(id)
        }
        if ids.isEmpty { fail(key, "required") }
        return ids
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    public var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
