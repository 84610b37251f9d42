import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import SwitchboardCore

/// A small W3C WebDriver client driving headless Chromium through a `chromedriver` child process
/// on a free loopback port. One `Browser` is one WebDriver session; `quit()` ends both.
public final class Browser: BrowserSession {
    /// Desktop and phone viewports.
    public enum Size: Sendable {
        case desktop, phone
        var rect: (width: Int, height: Int) { self == .desktop ? (1280, 860) : (390, 844) }
    }

    public static let chromium = "/usr/bin/chromium"
    /// chromedriver's page-load and script timeouts; no WebDriver call waits longer (plus a margin).
    static let commandTimeoutMS = 20_000
    static var commandTimeout: Duration { .milliseconds(commandTimeoutMS) }
    public static let chromedriver = "/usr/bin/chromedriver"

    let base: String
    let process: Process
    let http = HTTPClient.shared

    /// Whether this machine can run the browser tests.
    public static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: chromium) && FileManager.default.isExecutableFile(atPath: chromedriver)
    }

    private init(base: String, process: Process) {
        self.base = base
        self.process = process
    }

    /// Starts chromedriver and a headless Chromium session at `size`.
    public static func launch(size: Size) async throws -> Browser { try await launch(size: size, downloads: nil) }

    /// Starts chromedriver and a headless Chromium session at `size`; files the pages download are
    /// saved into `downloads` when given.
    public static func launch(size: Size = .desktop, downloads: String?) async throws -> Browser {
        let port = try await freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromedriver)
        process.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
        if let log = ProcessInfo.processInfo.environment["SWITCHBOARD_CHROMEDRIVER_LOG"] {
            process.arguments! += ["--verbose", "--log-path=\(log)-\(port).log"]
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let driver = Browser(base: "http://127.0.0.1:\(port)", process: process)
        do {
            try await driver.waitUntil("chromedriver ready", timeout: .seconds(20)) {
                (try? await driver.request(.GET, "/status"))?["value"]?["ready"] == true
            }
            let rect = size.rect
            var options: JSONObject = ["binary": .string(chromium), "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                .string("--window-size=\(rect.width),\(rect.height)"),
            ]]
            if let downloads {
                options["prefs"] = ["download.default_directory": .string(downloads), "download.prompt_for_download": false]
            }
            let capabilities: JSONValue = ["capabilities": ["alwaysMatch": [
                "browserName": "chrome", "goog:chromeOptions": .object(options), "goog:loggingPrefs": ["browser": "ALL"],
                // chromedriver runs one command per session at a time and, before most commands, waits
                // for any navigation it thinks is pending — by default up to 300 s. Bounded here so a
                // stuck navigation fails the command instead of stalling every later one.
                "timeouts": ["implicit": 0, "pageLoad": .integer(Self.commandTimeoutMS), "script": .integer(Self.commandTimeoutMS)],
                "unhandledPromptBehavior": "dismiss and notify",
            ]]]
            let answer = try await driver.request(.POST, "/session", capabilities)
            guard let id = answer["value"]?["sessionId"]?.stringValue else { throw TestFailure("no WebDriver session: \(answer.serialized())") }
            driver.session.withLock { $0 = id }
            try await driver.resize(size)
            return driver
        } catch {
            await driver.stopDriver()
            throw error
        }
    }

    private let session = Mutex<String>("")
    private var path: String { "/session/" + session.withLock { $0 } }

    /// Ends the session and the driver.
    public func quit() async {
        _ = try? await request(.DELETE, path)
        await stopDriver()
    }

    /// chromedriver does not stop on SIGTERM — it inherits the signal mask of the thread that spawned
    /// it, and the test runner's threads block SIGTERM (`SigBlk` in `/proc/<pid>/status`) — so a
    /// `terminate()` followed by a blocking `waitUntilExit()` never returns and takes one of the few
    /// cooperative threads with it (the portal suite's "hang"). Kill it and wait without blocking a
    /// thread. Its Chromium goes too: a SIGKILLed chromedriver cannot close it, and when the session
    /// could not be deleted the browser would outlive the test, holding connections to the hub.
    private func stopDriver() async {
        guard process.isRunning else { return }
        let browsers = Self.children(of: process.processIdentifier)
        kill(process.processIdentifier, SIGKILL)
        for pid in browsers { kill(pid, SIGKILL) }
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
    }

    /// The processes whose parent is `pid` (from `/proc/<pid>/stat`; none where there is no `/proc`).
    static func children(of pid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let child = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")") else { return nil }
            // After "pid (comm)": state, then the parent's pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == pid ? child : nil
        }
    }

    public func resize(_ size: Size) async throws {
        let rect = size.rect
        _ = try await command(.POST, "/window/rect", ["width": .integer(rect.width), "height": .integer(rect.height)])
    }

    public func open(_ url: String) async throws {
        _ = try await command(.POST, "/url", ["url": .string(url)])
    }

    /// The element matching `css`, waiting up to `timeout` for it to exist.
    public func find(_ css: String, timeout: Duration = .seconds(20)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            let answer = try await request(.POST, path + "/element", ["using": "css selector", "value": .string(css)])
            if let found = answer["value"]?[Self.elementKey]?.stringValue { return found }
            if ContinuousClock.now >= deadline { throw TestFailure("timed out waiting for element \(css)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    public func click(_ css: String) async throws {
        try await onElement(css) { element in _ = try await command(.POST, "/element/\(element)/click", [:]) }
    }

    public func type(_ css: String, _ text: String) async throws {
        try await onElement(css) { element in _ = try await command(.POST, "/element/\(element)/value", ["text": .string(text)]) }
    }

    /// Finds `css` and acts on it; when the page re-rendered the element between the two (a
    /// "stale element reference"), finds it again — up to `attempts` times.
    private func onElement(_ css: String, attempts: Int = 5, _ act: (String) async throws -> Void) async throws {
        for attempt in 1...attempts {
            do {
                return try await act(try await find(css))
            } catch let failure as TestFailure where attempt < attempts && failure.description.contains("stale element reference") {
                continue
            }
        }
    }

    /// Keys typed into whatever has focus (`Key.tab`, `Key.enter`, text).
    public func keys(_ text: String) async throws {
        var actions: [JSONValue] = []
        for character in text {
            actions.append(["type": "keyDown", "value": .string(String(character))])
            actions.append(["type": "keyUp", "value": .string(String(character))])
        }
        _ = try await command(.POST, "/actions", ["actions": [["type": "key", "id": "keyboard", "actions": .array(actions)]]])
    }

    /// WebDriver key codes.
    public enum Key {
        public static let tab = "\u{E004}"
        public static let enter = "\u{E007}"
        public static let escape = "\u{E00C}"
        public static let arrowUp = "\u{E013}"
    }

    /// Runs `script` (a function body; `arguments` are passed) and answers its return value.
    @discardableResult
    public func run(_ script: String, _ arguments: [JSONValue] = []) async throws -> JSONValue {
        try await command(.POST, "/execute/sync", ["script": .string(script), "args": .array(arguments)])
    }

    /// The value of the page's cookie `name` (HttpOnly ones included), or nil.
    public func cookie(_ name: String) async throws -> String? {
        let all = try await command(.GET, "/cookie")
        return all.arrayValue?.first { $0["name"]?.stringValue == name }?["value"]?.stringValue
    }

    /// The browser console entries since the last call, as (level, message).
    public func consoleLog() async throws -> [(level: String, message: String)] {
        let answer = try await request(.POST, path + "/se/log", ["type": "browser"])
        return (answer["value"]?.arrayValue ?? []).map { ($0["level"]?.stringValue ?? "", $0["message"]?.stringValue ?? "") }
    }

    /// The console's errors (SEVERE entries) since the last call.
    public func consoleErrors() async throws -> [String] {
        try await consoleLog().filter { $0.level == "SEVERE" }.map(\.message)
    }

    /// A PNG of the viewport.
    public func screenshot() async throws -> Data {
        guard let text = try await command(.GET, "/screenshot").stringValue, let data = Data(base64Encoded: text) else {
            throw TestFailure("no screenshot")
        }
        return data
    }

    /// Writes a screenshot to `path` (directories created).
    public func saveScreenshot(to file: String) async throws {
        let data = try await screenshot()
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: file))
    }

    /// A command on the session; answers `value`, throwing on a WebDriver error.
    private func command(_ method: HTTPMethod, _ suffix: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        // Only POSTs carry a body (`nil` must not become JSON `null`: JSONValue is nil-literal expressible).
        var payload: JSONValue?
        if method == .POST { payload = body ?? .object([:]) }
        let answer = try await request(method, path + suffix, payload)
        let value = answer["value"] ?? .null
        if let error = value["error"]?.stringValue { throw TestFailure("WebDriver \(suffix): \(error): \(value["message"]?.stringValue ?? "")") }
        return value
    }

    private func request(_ method: HTTPMethod, _ path: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body.serialized()))
        }
        let limit = Self.commandTimeout + .seconds(10)
        let bytes = try await BrowserWait.within(limit) { [http, request] in
            let response = try await http.execute(request, timeout: .seconds(limit.components.seconds))
            return try await response.body.collect(upTo: 64 << 20)
        }
        guard let bytes else { throw TestFailure("WebDriver \(method) \(path) did not answer within \(limit)") }
        return (try? JSONDecoder().decode(JSONValue.self, from: Data(bytes.readableBytesView))) ?? .null
    }

    /// A loopback port nobody listens on right now.
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}
