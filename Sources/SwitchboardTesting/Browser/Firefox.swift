import Foundation
import Synchronization
import SwitchboardCore

/// Headless Firefox (Debian's `firefox-esr`) driven over WebDriver BiDi, the WebSocket protocol
/// Firefox serves itself (`--remote-debugging-port`), so no geckodriver is needed (Debian does
/// not package one). Offers the same calls as `Browser`; clicks and typing are real input actions
/// (pointer and key events), not scripted `click()`s. One `Firefox` is one browser process with
/// its own throw-away profile; `quit()` ends it.
public final class Firefox: BrowserSession {
    public static let candidates = ["/usr/bin/firefox-esr", "/usr/bin/firefox"]

    /// The Firefox binary on this machine, if any.
    public static var executable: String? { candidates.first { FileManager.default.isExecutableFile(atPath: $0) } }
    public static var isAvailable: Bool { executable != nil }

    private struct State {
        var nextID = 0
        /// Frames of the connection already looked at (answers are picked out by id).
        var scanned = 0
        var answers: [Int: JSONValue] = [:]
        var consoleErrors: [String] = []
    }
    private let state = Mutex(State())
    private let process: Process
    private let profile: String
    private let socket: SocketProbe
    private let context = Mutex("")

    private init(process: Process, profile: String, socket: SocketProbe) {
        self.process = process
        self.profile = profile
        self.socket = socket
    }

    /// Starts Firefox headless at `size` with a fresh profile and opens a BiDi session.
    public static func launch(size: Browser.Size = .desktop) async throws -> Firefox {
        guard let executable else { throw TestFailure("Firefox is not installed") }
        let port = try await Browser.freePort()
        let profile = NSTemporaryDirectory() + "switchboard-firefox-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: profile, withIntermediateDirectories: true)
        // Quiet, offline-friendly profile: no update checks, telemetry or first-run pages.
        try """
            user_pref("app.update.disabledForTesting", true);
            user_pref("browser.shell.checkDefaultBrowser", false);
            user_pref("datareporting.policy.dataSubmissionEnabled", false);
            user_pref("toolkit.telemetry.enabled", false);
            user_pref("browser.aboutwelcome.enabled", false);
            """.write(toFile: profile + "/user.js", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless", "--no-remote", "--profile", profile, "--remote-debugging-port", String(port),
            // The WebSocket client sends `Origin: ws://127.0.0.1`; Firefox refuses an upgrade from an origin it was not told to allow.
            "--remote-allow-origins", "ws://127.0.0.1", "about:blank"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var socket: SocketProbe?
        var failure = ""
        let deadline = ContinuousClock.now + .seconds(30)
        while socket == nil {
            do {
                socket = try await SocketProbe.connect(port: port, path: "/session", timeout: .seconds(5))
            } catch {
                failure = "\(error)"
            }
            if socket == nil {
                guard ContinuousClock.now < deadline, process.isRunning else {
                    let running = process.isRunning
                    Self.stop(process, profile: profile)
                    throw TestFailure("Firefox did not open WebDriver BiDi on port \(port) (running: \(running)): \(failure)")
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        let browser = Firefox(process: process, profile: profile, socket: socket!)
        do {
            _ = try await browser.command("session.new", ["capabilities": [:]])
            let tree = try await browser.command("browsingContext.getTree", [:])
            guard let id = tree["contexts"]?.arrayValue?.first?["context"]?.stringValue else { throw TestFailure("Firefox has no tab: \(tree)") }
            browser.context.withLock { $0 = id }
            _ = try await browser.command("session.subscribe", ["events": ["log.entryAdded"]])
            try await browser.resize(size)
            return browser
        } catch {
            await browser.quit()
            throw error
        }
    }

    private var target: JSONValue { ["context": .string(context.withLock { $0 })] }

    /// Ends the browser and removes its profile.
    public func quit() async {
        await socket.close()
        Self.stop(process, profile: profile)
    }

    private static func stop(_ process: Process, profile: String) {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: profile)
    }

    public func resize(_ size: Browser.Size) async throws {
        let rect = size.rect
        _ = try await command("browsingContext.setViewport", [
            "context": target["context"]!, "viewport": ["width": .integer(rect.width), "height": .integer(rect.height)],
        ])
    }

    public func open(_ url: String) async throws {
        _ = try await command("browsingContext.navigate", ["context": target["context"]!, "url": .string(url), "wait": "complete"])
    }

    /// Runs `script` (a function body; `arguments` are passed) and answers its return value as JSON.
    @discardableResult
    public func run(_ script: String, _ arguments: [JSONValue] = []) async throws -> JSONValue {
        let answer = try await call(script, arguments)
        return Self.json(answer)
    }

    private func call(_ script: String, _ arguments: [JSONValue]) async throws -> JSONValue {
        let answer = try await command("script.callFunction", [
            "functionDeclaration": .string("function () {\n\(script)\n}"), "awaitPromise": true, "target": target,
            "arguments": .array(arguments.map(Self.local)), "resultOwnership": "none",
        ])
        if answer["type"]?.stringValue == "exception" {
            throw TestFailure("script failed: \(answer["exceptionDetails"]?["text"]?.stringValue ?? "\(answer)")")
        }
        return answer["result"] ?? .null
    }

    /// Clicks the element's centre with a real mouse (after scrolling it into view), waiting for it to exist.
    public func click(_ css: String) async throws {
        let found = Mutex<JSONValue>(.null)
        try await waitUntil("element \(css)") {
            let element = try await self.call("var e = document.querySelector(arguments[0]); if (e) e.scrollIntoView({block: 'center'}); return e;", [.string(css)])
            found.withLock { $0 = element }
            return element["sharedId"] != nil
        }
        let element = found.withLock { $0 }
        _ = try await command("input.performActions", ["context": target["context"]!, "actions": [[
            "type": "pointer", "id": "mouse", "parameters": ["pointerType": "mouse"],
            "actions": [
                ["type": "pointerMove", "x": 0, "y": 0, "origin": ["type": "element", "element": ["sharedId": element["sharedId"]!]]],
                ["type": "pointerDown", "button": 0], ["type": "pointerUp", "button": 0],
            ],
        ]]])
    }

    /// Focuses the element and types `text` with real key events (`Browser.Key` codes allowed).
    public func type(_ css: String, _ text: String) async throws {
        try await waitUntil("element \(css)") {
            try await self.run("var e = document.querySelector(arguments[0]); if (e) e.focus(); return !!e && document.activeElement === e;", [.string(css)]) == true
        }
        try await keys(text)
    }

    /// Keys typed into whatever has focus.
    public func keys(_ text: String) async throws {
        let actions: [JSONValue] = text.unicodeScalars.flatMap { scalar -> [JSONValue] in
            [["type": "keyDown", "value": .string(String(scalar))], ["type": "keyUp", "value": .string(String(scalar))]]
        }
        _ = try await command("input.performActions", ["context": target["context"]!, "actions": [["type": "key", "id": "keyboard", "actions": .array(actions)]]])
    }

    /// The page's console errors and uncaught exceptions since the last call.
    public func consoleErrors() async throws -> [String] {
        scan()
        return state.withLock { state in
            defer { state.consoleErrors = [] }
            return state.consoleErrors
        }
    }

    /// Writes a PNG of the viewport to `file` (directories created).
    public func saveScreenshot(to file: String) async throws {
        let answer = try await command("browsingContext.captureScreenshot", ["context": target["context"]!])
        guard let text = answer["data"]?.stringValue, let data = Data(base64Encoded: text) else { throw TestFailure("no screenshot") }
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: file))
    }

    /// Sends one BiDi command and waits for its answer's `result`; a BiDi error throws.
    private func command(_ method: String, _ params: JSONValue) async throws -> JSONValue {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await socket.send(JSONValue.object(["id": .integer(id), "method": .string(method), "params": params]).serialized())
        try await SocketProbe.waitUntil(timeout: .seconds(60), "the answer to \(method)") {
            self.scan()
            return self.state.withLock { $0.answers[id] != nil } || self.socket.isClosed
        }
        guard let answer = state.withLock({ $0.answers.removeValue(forKey: id) }) else { throw TestFailure("Firefox closed the BiDi connection") }
        if answer["type"]?.stringValue == "error" {
            throw TestFailure("BiDi \(method): \(answer["error"]?.stringValue ?? "") \(answer["message"]?.stringValue ?? "")")
        }
        return answer["result"] ?? .null
    }

    /// Files newly received frames: answers by id, console errors from `log.entryAdded` events.
    private func scan() {
        let frames = socket.messages
        state.withLock { state in
            for frame in frames.dropFirst(state.scanned) {
                guard let message = try? JSONDecoder().decode(JSONValue.self, from: Data(frame.utf8)) else { continue }
                if case .int(let id)? = message["id"] {
                    state.answers[Int(id)] = message
                } else if message["method"] == "log.entryAdded", message["params"]?["level"] == "error" {
                    state.consoleErrors.append(message["params"]?["text"]?.stringValue ?? "\(message)")
                }
            }
            state.scanned = frames.count
        }
    }

    /// A JSON argument as a BiDi LocalValue.
    static func local(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): ["type": "string", "value": .string(text)]
        case .bool(let flag): ["type": "boolean", "value": .bool(flag)]
        case .null: ["type": "null"]
        case .array(let items): ["type": "array", "value": .array(items.map(local))]
        case .object(let object): ["type": "object", "value": .array(object.members.map { [.string($0.key), local($0.value)] })]
        default: ["type": "number", "value": value]
        }
    }

    /// A BiDi RemoteValue as JSON (nodes and other platform objects become their shared id, or null).
    static func json(_ remote: JSONValue) -> JSONValue {
        switch remote["type"]?.stringValue {
        case "string", "boolean": remote["value"] ?? .null
        case "number": remote["value"]?.stringValue == nil ? remote["value"] ?? .null : .null  // NaN, Infinity, -0
        case "array": .array((remote["value"]?.arrayValue ?? []).map(json))
        case "object":
            .object(JSONObject((remote["value"]?.arrayValue ?? []).compactMap { pair -> (key: String, value: JSONValue)? in
                guard let key = pair.arrayValue?.first?.stringValue, let value = pair.arrayValue?.last else { return nil }
                return (key: key, value: json(value))
            }))
        case "node": remote["sharedId"] ?? .null
        default: .null
        }
    }
}
