import SwitchboardCore

/// What the browser tests need of a browser, whichever protocol drives it (`Browser`: Chromium over
/// classic WebDriver; `Firefox`: WebDriver BiDi). Waiting and reading text are built on `run`.
public protocol BrowserSession: Sendable {
    static func launch(size: Browser.Size) async throws -> Self
    /// Ends the browser (and its driver).
    func quit() async
    func open(_ url: String) async throws
    func click(_ css: String) async throws
    func type(_ css: String, _ text: String) async throws
    func resize(_ size: Browser.Size) async throws
    /// Runs `script` (a function body; `arguments` are passed) and answers its return value.
    @discardableResult
    func run(_ script: String, _ arguments: [JSONValue]) async throws -> JSONValue
    /// The page's console errors since the last call.
    func consoleErrors() async throws -> [String]
    func saveScreenshot(to file: String) async throws
}

extension BrowserSession {
    /// The text of the first element matching `css`, or "" when there is none.
    public func text(_ css: String) async throws -> String {
        try await run("var e = document.querySelector(arguments[0]); return e ? e.innerText : '';", [.string(css)]).stringValue ?? ""
    }

    /// Polls `condition` until it holds or `timeout` passes (then throws, naming `what`). The deadline
    /// also bounds a condition that does not return (a driver call held back): it is cancelled, and
    /// the wait fails on time instead of hanging.
    public func waitUntil(_ what: String, timeout: Duration = .seconds(20), _ condition: @escaping @Sendable () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            let left = deadline - ContinuousClock.now
            if (try? await BrowserWait.within(max(left, .milliseconds(500)), condition)) == true { return }
            if ContinuousClock.now >= deadline { throw TestFailure("timed out waiting for \(what) in \(Self.self)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Waits until the page's text contains `text`.
    public func waitForText(_ text: String, in css: String = "body", timeout: Duration = .seconds(20)) async throws {
        try await waitUntil("\"\(text)\" in \(css)", timeout: timeout) { try await self.text(css).contains(text) }
    }
}

/// Time limits for browser waits.
public enum BrowserWait {
    /// `operation`'s result, or `nil` once `limit` has passed (the operation is then cancelled).
    public static func within<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T? {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }
}
