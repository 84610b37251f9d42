import Synchronization

/// Page-number paging as Yeastar's list endpoints take it (`page` from 1, `page_size`).
public struct PageRequest: Sendable, Equatable {
    public static let maxPageSize: Int64 = 1000
    public var page: Int64
    public var pageSize: Int64

    public init(page: Int64, pageSize: Int64) {
        self.page = page
        self.pageSize = pageSize
    }

    public var offset: Int64 { (page - 1) * pageSize }

    /// Reads `page` and `page_size`; both are required by Yeastar's list endpoints.
    public static func read(_ reader: inout FieldReader, required: Bool = true) -> PageRequest? {
        let page = reader.int("page", required: required, range: 1...Int64(Int32.max))
        let size = reader.int("page_size", required: required, range: 1...maxPageSize)
        if !required && page == nil && size == nil { return PageRequest(page: 1, pageSize: 100) }
        guard let page, let size else { return nil }
        return PageRequest(page: page, pageSize: size)
    }
}

/// The time source every rule uses, so tests can move time by hand.
public protocol WallClock: Sendable {
    /// Seconds since 1970, UTC.
    func now() -> Int64
}

/// A clock moved only by `advance`, for tests and simulations.
public final class ManualClock: WallClock {
    private let seconds: Mutex<Int64>

    public init(_ start: Int64 = 1_767_225_600) { self.seconds = Mutex(start) }

    public func now() -> Int64 { seconds.withLock { $0 } }

    public func advance(by delta: Int64) { seconds.withLock { $0 += delta } }
}
