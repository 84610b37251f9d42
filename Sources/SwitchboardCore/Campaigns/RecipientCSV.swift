/// Reads a campaign recipient CSV (seed 003): UTF-8, a `Number` column of E.164 numbers. Rows that
/// cannot be used are reported with their 1-based line and a reason; blank rows are skipped.
public enum RecipientCSV {
    public static let maxBytes = 50 << 20
    public static let maxFileNameLength = 127

    /// One row left out and why (`invalid_format`, `duplicate`, `empty`).
    public struct Rejected: Sendable, Equatable {
        public var line: Int
        public var value: String
        public var reason: String

        public init(line: Int, value: String, reason: String) {
            self.line = line
            self.value = value
            self.reason = reason
        }

        public var json: JSONValue { ["line": .integer(line), "value": .string(value), "reason": .string(reason)] }
    }

    public struct Result: Sendable, Equatable {
        public var numbers: [String]
        public var rejected: [Rejected]
    }

    public enum Problem: Error, Equatable {
        case notUTF8, noNumberColumn
    }

    public static func parse(_ bytes: [UInt8]) throws(Problem) -> Result {
        var body = bytes
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body.removeFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else { throw .notUTF8 }
        let rows = records(text)
        guard let header = rows.first,
            let column = header.fields.firstIndex(where: { $0.trimmingSpaces.lowercased() == "number" })
        else { throw .noNumberColumn }
        var numbers: [String] = []
        var seen: Set<String> = []
        var rejected: [Rejected] = []
        for row in rows.dropFirst() {
            if row.fields.allSatisfy({ $0.trimmingSpaces.isEmpty }) { continue }
            let value = column < row.fields.count ? row.fields[column].trimmingSpaces : ""
            if value.isEmpty {
                rejected.append(Rejected(line: row.line, value: value, reason: "empty"))
            } else if !Formats.isE164(value) {
                rejected.append(Rejected(line: row.line, value: value, reason: "invalid_format"))
            } else if !seen.insert(value).inserted {
                rejected.append(Rejected(line: row.line, value: value, reason: "duplicate"))
            } else {
                numbers.append(value)
            }
        }
        return Result(numbers: numbers, rejected: rejected)
    }

    /// RFC 4180 records (quoted fields may hold commas, quotes and newlines), each with the line it starts on.
    static func records(_ text: String) -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var recordLine = 1
        var iterator = Array(text.unicodeScalars)[...]
        while let scalar = iterator.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if iterator.first == "\"" { field.unicodeScalars.append("\""); iterator.removeFirst() } else { quoted = false }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty: quoted = true
            case ",": fields.append(field); field = ""
            case "\r": continue
            case "\n":
                fields.append(field)
                records.append((recordLine, fields))
                fields = []
                field = ""
                line += 1
                recordLine = line
            default: field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append((recordLine, fields))
        }
        return records
    }
}
