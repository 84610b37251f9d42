/// The fields of an organization (`organization/*`); `nil` means "not given".
public struct OrganizationFields: Sendable, Equatable {
    public var name: String?
    /// The parent organization; `0` means "at the root".
    public var parentID: Int64?
    /// Extension ids from `members: [{"extension_id": N}]`, as sent; a full replacement on update.
    public var memberIDs: [Int64]?

    public init() {}

    /// Reads `organization/create` (`name` required) or `organization/update` (all optional).
    public static func read(_ reader: inout FieldReader, creating: Bool) -> OrganizationFields {
        var fields = OrganizationFields()
        fields.name = reader.directoryName(required: creating)
        fields.parentID = reader.int("parent_id", range: 0...Int64.max)
        fields.memberIDs = reader.memberIDs("members", idKey: "extension_id")
        return fields
    }
}

/// The organization tree: each organization has at most one parent; roots have none.
public struct OrganizationTree: Sendable {
    /// One organization as the tree sees it.
    public struct Node: Sendable, Equatable {
        public var id: Int64
        public var name: String
        /// `nil` (or 0) for a root.
        public var parentID: Int64?

        public init(id: Int64, name: String, parentID: Int64?) {
            self.id = id
            self.name = name
            self.parentID = parentID == 0 ? nil : parentID
        }
    }

    public let nodes: [Node]
    private let parents: [Int64: Int64]

    public init(_ nodes: [Node]) {
        self.nodes = nodes
        var parents: [Int64: Int64] = [:]
        for node in nodes { if let parent = node.parentID { parents[node.id] = parent } }
        self.parents = parents
    }

    /// Whether putting `id` under `parent` would make `id` its own ancestor
    /// (`parent` is `id` itself or one of its descendants).
    public func createsCycle(moving id: Int64, under parent: Int64) -> Bool {
        var current: Int64? = parent
        var seen = Set<Int64>()
        while let node = current {
            if node == id || !seen.insert(node).inserted { return true }
            current = parents[node]
        }
        return false
    }

    /// `system/get_menuoptions?menu=org_list`: the roots, each with its children nested in `item`
    /// (every level, sorted by name), values as strings.
    public func menuOptions() -> [JSONValue] {
        var children: [Int64: [Node]] = [:]
        var roots: [Node] = []
        let known = Set(nodes.map(\.id))
        for node in nodes {
            if let parent = node.parentID, known.contains(parent) {
                children[parent, default: []].append(node)
            } else {
                roots.append(node)
            }
        }
        var visited = Set<Int64>()
        func options(_ level: [Node]) -> [JSONValue] {
            level.sorted { ($0.name, $0.id) < ($1.name, $1.id) }.compactMap { node in
                guard visited.insert(node.id).inserted else { return nil }
                return [
                    "text": .string(node.name), "value": .string(String(node.id)),
                    "item": .array(options(children[node.id] ?? [])),
                ]
            }
        }
        return options(roots)
    }
}
