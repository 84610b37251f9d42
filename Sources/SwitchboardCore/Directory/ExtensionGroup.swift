/// The fields of an extension group (`extensiongroup/*`); `nil` means "not given".
public struct ExtensionGroupFields: Sendable, Equatable {
    public var name: String?
    /// Extension ids from `members: [{"extension_id": N}]`, as sent; a full replacement on update.
    public var memberIDs: [Int64]?

    public init() {}

    /// Reads `extensiongroup/create` (`name` required) or `extensiongroup/update` (all optional).
    public static func read(_ reader: inout FieldReader, creating: Bool) -> ExtensionGroupFields {
        var fields = ExtensionGroupFields()
        fields.name = reader.directoryName(required: creating)
        fields.memberIDs = reader.memberIDs("members", idKey: "extension_id")
        return fields
    }
}
