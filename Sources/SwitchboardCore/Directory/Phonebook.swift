/// The fields of a phonebook (`phonebook/*`); `nil` means "not given".
public struct PhonebookFields: Sendable, Equatable {
    public var name: String?
    public var description: String?
    /// Company contact ids from `contact_ids`, as sent; a full replacement on update.
    public var contactIDs: [Int64]?

    public init() {}

    /// Reads `phonebook/create` (`name` required) or `phonebook/update` (all optional).
    public static func read(_ reader: inout FieldReader, creating: Bool) -> PhonebookFields {
        var fields = PhonebookFields()
        fields.name = reader.directoryName(required: creating)
        fields.description = reader.string("description", maxLength: 255)
        fields.contactIDs = reader.idArray("contact_ids")
        return fields
    }
}
