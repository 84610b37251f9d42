/// The `user_type`/`user_no` (or `sender_type`/`sender_no`) pair naming who acts (reference §5).
public enum UserReference: Sendable, Equatable {
    /// `1`: an extension user, by extension number.
    case `extension`(String)
    /// `9`: the third-party platform (`user_no` `api` or empty).
    case platform

    /// Reads the pair; `required` makes the type mandatory, otherwise nil when it is absent.
    public static func read(_ reader: inout FieldReader, type typeKey: String, number numberKey: String, required: Bool) -> UserReference? {
        guard let type = reader.int(typeKey, required: required) else { return nil }
        switch type {
        case 1:
            return reader.requiredText(numberKey, maxLength: 64).map(UserReference.extension)
        case 9:
            let number = reader.string(numberKey, maxLength: 64) ?? ""
            if !number.isEmpty && number != "api" { reader.fail(numberKey, "invalid_value") }
            return .platform
        default:
            reader.fail(typeKey, "invalid_value")
            return nil
        }
    }
}

/// The fields of `message/send` (reference §5.1).
public struct SendRequest: Sendable, Equatable {
    public var sender: UserReference?
    public var sessionID: Int64?
    public var channel: String?
    public var didNumber: String?
    public var to: String?
    public var msgKind: Int64 = 0
    public var body: String = ""
    /// File_Info JSON array text, or "".
    public var files: String = ""
    public var whatsappParam: String = ""
    public var tag: String = ""
    public var requestID: String = ""

    public init() {}

    /// Reads and validates the body. `forcedSender` replaces `sender_type`/`sender_no` (the web
    /// inbox sends as the signed-in agent).
    public static func read(_ reader: inout FieldReader, forcedSender: UserReference? = nil) -> SendRequest {
        var request = SendRequest()
        request.sender = forcedSender ?? UserReference.read(&reader, type: "sender_type", number: "sender_no", required: true)
        request.sessionID = reader.id("session_id")
        if request.sessionID == nil {
            request.channel = reader.requiredText("channel", maxLength: 32)
            request.didNumber = reader.requiredText("did_number", maxLength: 64)
            request.to = reader.requiredText("to", maxLength: 64)
            if let to = request.to, !isValidRecipient(to) { reader.fail("to", "invalid_format") }
        }
        request.msgKind = reader.int("msg_kind", range: 0...1) ?? 0
        _ = reader.int("msg_type", range: 0...0)
        request.body = reader.string("msg_body", maxLength: 4096) ?? ""
        if let files = reader.objects("files") {
            if files.count > 1 { reader.fail("files", "max_length") }
            var items: [JSONValue] = []
            for var file in files {
                let uri = file.requiredText("uri", maxLength: 2048)
                let item: JSONValue = [
                    "id": .string(file.string("id", maxLength: 255) ?? ""), "name": .string(file.string("name", maxLength: 255) ?? ""),
                    "uri": .string(uri ?? ""), "type": .string(file.string("type", maxLength: 127) ?? ""),
                    "size": .int(file.int("size", range: 0...Int64.max) ?? 0),
                ]
                reader.absorb(file)
                items.append(item)
            }
            if !items.isEmpty { request.files = JSONValue.array(items).serialized() }
        }
        if request.msgKind == 1 {
            // Its JSON form is checked by the adapter, which has a JSON parser.
            request.whatsappParam = reader.requiredText("whatsapp_msg_param", maxLength: 65_536) ?? ""
        } else if request.body.isEmpty && request.files.isEmpty && !reader.issues.contains(where: { $0.field.hasPrefix("files") }) {
            reader.fail("msg_body", "required")
        }
        request.tag = reader.string("tag", maxLength: 64) ?? ""
        request.requestID = reader.string("request_id", maxLength: 127) ?? ""
        return request
    }

    /// `to`: may begin with `+`, then digits, `( ) . - * #` and spaces, with at least one digit.
    public static func isValidRecipient(_ text: String) -> Bool {
        let body = text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        return body.contains(where: \.isNumber)
            && body.allSatisfy { ($0.isASCII && $0.isNumber) || "().-*# ".contains($0) }
    }

    /// The number a provider is given: `to` without the formatting characters.
    public static func normalizedRecipient(_ text: String) -> String {
        String(text.filter { ($0.isASCII && $0.isNumber) || $0 == "+" || $0 == "*" || $0 == "#" })
    }
}

/// The filters of `message_session/list|search` (reference §5.6/§5.7).
public struct SessionListQuery: Sendable, Equatable {
    /// Which sessions by origin (`collection`).
    public enum Collection: String, Sendable, CaseIterable { case all, campaign, regular = "" }

    public var pageSize: Int64 = 20
    public var user: UserReference = .platform
    public var collection: Collection = .regular
    public var firstMsgID: Int64?
    /// 0 unarchived only, 1 archived only, 2 both.
    public var archived: Int64 = 2
    /// 0 open only, 1 closed only, 2 both.
    public var closed: Int64 = 2
    /// 0 all, 1 picked up (assigned) only, 2 not picked up only.
    public var pickup: Int64 = 0
    public var search: String = ""

    public init() {}

    public static func read(_ reader: inout FieldReader, forcedUser: UserReference?, searching: Bool) -> SessionListQuery {
        var query = SessionListQuery()
        query.pageSize = reader.int("page_size", required: true, range: 1...PageRequest.maxPageSize) ?? 20
        if let user = forcedUser ?? UserReference.read(&reader, type: "user_type", number: "user_no", required: true) { query.user = user }
        if let text = reader.string("collection") {
            if let collection = Collection(rawValue: text) { query.collection = collection } else { reader.fail("collection", "invalid_value") }
        }
        query.firstMsgID = reader.int("first_msg_id", range: 0...Int64.max).flatMap { $0 == 0 ? nil : $0 }
        query.archived = reader.int("is_archived", range: 0...2) ?? 2
        query.closed = reader.int("is_closed", range: 0...2) ?? 2
        query.pickup = reader.int("is_pickup", range: 0...2) ?? 0
        if searching { query.search = reader.string("search_value", maxLength: 127) ?? "" }
        return query
    }
}
