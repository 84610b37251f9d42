/// Runs bodies given the same key one after another (in call order) on this node; different keys
/// run concurrently. The Live Chat widget uses it per channel so "is there room for one more
/// session? then open it" cannot interleave and let concurrent visitors past the limit. Nodes share
/// no such lock: with several nodes the limit can be overshot by one session per extra node.
actor KeyedSerializer {
    private var tails: [Int64: Task<Void, Never>] = [:]

    func run<T: Sendable>(_ key: Int64, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let previous = tails[key]
        let task = Task { () async throws -> T in
            await previous?.value
            return try await body()
        }
        tails[key] = Task { _ = try? await task.value }
        return try await task.value
    }
}
