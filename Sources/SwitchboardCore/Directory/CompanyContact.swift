/// The number types a company contact carries; each raw value is both the API field and the column.
public enum ContactNumberType: String, Sendable, CaseIterable {
    case businessNumber = "business_number"
    case businessNumber2 = "business_number2"
    case mobileNumber = "mobile_number"
    case mobileNumber2 = "mobile_number2"
    case homeNumber = "home_number"
    case homeNumber2 = "home_number2"
    case businessFax = "business_fax"
    case homeFax = "home_fax"
    case otherNumber = "other_number"

    /// The field's name as the contact form shows it.
    public var label: String {
        switch self {
        case .businessNumber: "Business Number"
        case .businessNumber2: "Business Number 2"
        case .mobileNumber: "Mobile Number"
        case .mobileNumber2: "Mobile Number 2"
        case .homeNumber: "Home Number"
        case .homeNumber2: "Home Number 2"
        case .businessFax: "Business Fax"
        case .homeFax: "Home Fax"
        case .otherNumber: "Other Number"
        }
    }
}

/// The fields of a company contact (`company_contact/*`); `nil` means "not given".
public struct CompanyContactFields: Sendable, Equatable {
    /// The `invalid_param_list` field named when a contact would have no name at all.
    public static let nameField = "first_name or last_name or company"

    public var firstName: String?
    public var lastName: String?
    public var company: String?
    public var email: String?
    public var remark: String?
    /// The numbers given; an empty string clears one.
    public var numbers: [ContactNumberType: String] = [:]
    /// Phonebook ids from `phonebook_ids`, as sent; a full replacement on update.
    public var phonebookIDs: [Int64]?

    public init() {}

    /// Reads `company_contact/create` (a first name, last name or company required) or
    /// `company_contact/update` (all optional; the name rule is checked against the stored row).
    public static func read(_ reader: inout FieldReader, creating: Bool) -> CompanyContactFields {
        var fields = CompanyContactFields()
        fields.firstName = reader.string("first_name", maxLength: 63)
        fields.lastName = reader.string("last_name", maxLength: 63)
        fields.company = reader.string("company", maxLength: 127)
        fields.email = reader.string("email", maxLength: 127)
        if let email = fields.email, !email.isEmpty, !ExtensionFields.looksLikeEmail(email) {
            reader.fail("email", "invalid_format")
        }
        fields.remark = reader.string("remark", maxLength: 255)
        for type in ContactNumberType.allCases {
            guard let number = reader.string(type.rawValue, maxLength: 31) else { continue }
            if !number.isEmpty && !Formats.isDialable(number) {
                reader.fail(type.rawValue, "invalid_format")
            } else {
                fields.numbers[type] = number
            }
        }
        fields.phonebookIDs = reader.idArray("phonebook_ids")
        if creating && fields.lacksName() { reader.fail(nameField, "required") }
        return fields
    }

    /// Whether the contact has no first name, last name or company once these fields are applied
    /// over the stored ones (all empty for a new contact).
    public func lacksName(first: String = "", last: String = "", company: String = "") -> Bool {
        [firstName ?? first, lastName ?? last, self.company ?? company].allSatisfy { $0.trimmingSpaces.isEmpty }
    }
}
