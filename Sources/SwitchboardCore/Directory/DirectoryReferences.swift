/// Readers for the id arrays directory objects use to point at each other:
/// `members: [{"extension_id": 3}]` and plain arrays such as `contact_ids: [4, 9]`.
///
/// Ids come back in the order sent, duplicates included, so an existence check can name the
/// element by its original index (`members[1].extension_id`); storing them drops duplicates.
extension FieldReader {
    /// An array of objects each carrying one id under `idKey`; bad elements are named `key[i].idKey`.
    public mutating func memberIDs(_ key: String, idKey: String) -> [Int64]? {
        guard let readers = objects(key) else { return nil }
        var ids: [Int64] = []
        for var element in readers {
            if let id = element.id(idKey, required: true) { ids.append(id) }
            absorb(element)
        }
        return ids
    }

    /// An array of positive ids, as JSON numbers or numeric strings; bad elements are named `key[i]`.
    public mutating func idArray(_ key: String) -> [Int64]? {
        guard let items = array(key) else { return nil }
        var ids: [Int64] = []
        for (index, item) in items.enumerated() {
            let id: Int64?
            switch item {
            case .int(let value): id = value
            case .string(let text): id = Int64(text.trimmingSpaces)
            default: id = nil
            }
            guard let id, id > 0 else {
                fail("\(key)[\(index)]", "type")
                continue
            }
            ids.append(id)
        }
        return ids
    }

    /// The `name` of a directory object: non-empty, at most 127 characters; required on create,
    /// and never blank when given.
    mutating func directoryName(required: Bool) -> String? {
        guard required || has("name") else { return nil }
        return requiredText("name", maxLength: 127)
    }
}

/// Naming of the directory's references in `invalid_param_list`.
public enum DirectoryReference {
    /// The validation type for an id that names nothing.
    public static let notExisted = "not_existed"

    /// The indexes of `ids` whose value is not in `existing`, in order.
    public static func missingIndexes(_ ids: [Int64], existing: Set<Int64>) -> [Int] {
        ids.indices.filter { !existing.contains(ids[$0]) }
    }

    /// `ids` without repeats, first occurrence kept.
    public static func unique(_ ids: [Int64]) -> [Int64] {
        var seen = Set<Int64>()
        return ids.filter { seen.insert($0).inserted }
    }
}
