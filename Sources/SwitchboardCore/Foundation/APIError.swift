/// The Yeastar OpenAPI error codes (`errcode`) with their exact `errmsg` strings.
public enum ErrorCode: Int, Sendable, CaseIterable {
    case internalServerError = -2
    case failure = -1
    case success = 0
    case interfaceNotExisted = 10001
    case tokenExpired = 10004
    case accessDenied = 10005
    case parameterSyntaxError = 40001
    case parameterError = 40002
    case duplicateKeyValue = 40003
    case fileSizeExceeded = 40004
    case dataNotFound = 60001
    case maxLimitationExceeded = 60002
    case accountIPBlocked = 70004
    case overloadTaskRunning = 70082
    case actionForbidden = 70084
    case connectionRelationExisted = 70091
    case phonebookNotExisted = 70093
    case contactsNotExisted = 70128
    case operationNotSupported = 70132

    /// The message Yeastar sends with this code, spelled as Yeastar spells it.
    public var message: String {
        switch self {
        case .internalServerError: "INTERNAL SERVER ERROR"
        case .failure: "FAILURE"
        case .success: "SUCCESS"
        case .interfaceNotExisted: "INTERFACE NOT EXISTED"
        case .tokenExpired: "TOKEN EXPIRED"
        case .accessDenied: "ACCESS DENIED"
        case .parameterSyntaxError: "PARAMETER SYNTAX ERROR"
        case .parameterError: "PARAMETER ERROR"
        case .duplicateKeyValue: "DUPLICATE KEY VALUE"
        case .fileSizeExceeded: "FILE SIZE EXCEEDED"
        case .dataNotFound: "DATA NOT FOUND"
        case .maxLimitationExceeded: "MAX LIMITATION EXCEEDED"
        case .accountIPBlocked: "ACCOUNT IP BLOCKED"
        case .overloadTaskRunning: "OVERLOAD_TASK_RUNNING"
        case .actionForbidden: "ACTION FORBIDDEN"
        case .connectionRelationExisted: "CONNECTION_RELATION_EXISTED"
        case .phonebookNotExisted: "PHONEBOOK_NOT_EXISTED"
        case .contactsNotExisted: "CONTACTS_NOT_EXISTED"
        case .operationNotSupported: "OPERATION NOT SUPPORTED"
        }
    }
}

/// One entry of `invalid_param_list`: the field and either the rule it broke or the offending value.
public struct ParamIssue: Sendable, Equatable {
    public var field: String
    public var validationType: String?
    public var value: String?

    public init(field: String, validationType: String? = nil, value: String? = nil) {
        self.field = field
        self.validationType = validationType
        self.value = value
    }

    public var json: JSONValue {
        var object: JSONObject = ["field": .string(field)]
        if let validationType { object["validation_type"] = .string(validationType) }
        if let value { object["value"] = .string(value) }
        return .object(object)
    }
}

/// An error a client receives as an `errcode`/`errmsg` body. Anything else thrown becomes `-2`.
public struct APIError: Error, Sendable, Equatable {
    public var code: ErrorCode
    public var invalidParams: [ParamIssue]
    public var duplicateFields: [String]
    /// Extra human-readable detail (ours, not Yeastar's): sent as `errdetail` when present.
    public var detail: String?

    public init(_ code: ErrorCode, invalidParams: [ParamIssue] = [], duplicateFields: [String] = [], detail: String? = nil) {
        self.code = code
        self.invalidParams = invalidParams
        self.duplicateFields = duplicateFields
        self.detail = detail
    }

    public static func invalid(_ field: String, _ validationType: String, detail: String? = nil) -> APIError {
        APIError(.parameterError, invalidParams: [ParamIssue(field: field, validationType: validationType)], detail: detail)
    }

    public static func duplicate(_ fields: String...) -> APIError {
        APIError(.duplicateKeyValue, duplicateFields: fields)
    }

    public static let notFound = APIError(.dataNotFound)
    public static let tokenExpired = APIError(.tokenExpired)

    public var json: JSONValue {
        var object: JSONObject = ["errcode": .integer(code.rawValue), "errmsg": .string(code.message)]
        if !invalidParams.isEmpty { object["invalid_param_list"] = .array(invalidParams.map(\.json)) }
        if !duplicateFields.isEmpty {
            object["duplicate_field_list"] = .array(duplicateFields.map { .object(["field": .string($0)]) })
        }
        if let detail { object["errdetail"] = .string(detail) }
        return .object(object)
    }
}

/// The success envelope: `errcode` 0, `errmsg` SUCCESS, then the endpoint's own members.
public func successBody(_ members: JSONObject = [:]) -> JSONValue {
    var object: JSONObject = ["errcode": 0, "errmsg": "SUCCESS"]
    for member in members.members { object[member.key] = member.value }
    return .object(object)
}
