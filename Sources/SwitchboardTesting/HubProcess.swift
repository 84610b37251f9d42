import AsyncHTTPClient
import Foundation
import NIOCore
import SwitchboardAdapters
import SwitchboardCore

/// The real `switchboard` executable run as a child process, for tests that must kill a server.
public final class HubProcess: @unchecked Sendable {
    public let port: Int
    public let baseURL: String
    private let process: Process

    /// The built executable next to the test bundle (`.build/<config>/switchboard`).
    public static var executable: URL {
        let bundle = Bundle.main.bundleURL
        var directory = bundle.deletingLastPathComponent()
        for _ in 0..<3 where !FileManager.default.fileExists(atPath: directory.appendingPathComponent("switchboard").path) {
            directory = directory.deletingLastPathComponent()
        }
        let candidate = directory.appendingPathComponent("switchboard")
        if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        // Fall back to the package's debug build folder.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/switchboard")
    }

    /// A TCP port that was free a moment ago.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw TestFailure("bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Starts `switchboard serve` with `arguments` on `port` and waits until `/health` answers.
    public static func start(port: Int, arguments: [String], environment: [String: String] = [:]) async throws -> HubProcess {
        let process = Process()
        process.executableURL = executable
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw TestFailure("build the executable first: \(executable.path) is missing")
        }
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", String(port)] + arguments
        var env = ProcessInfo.processInfo.environment
        env["SWITCHBOARD_LOG_LEVEL"] = "warning"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let hub = HubProcess(port: port, process: process)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw TestFailure("switchboard exited with \(process.terminationStatus)") }
            let answer = await callProvider(HTTPClient.shared, method: .GET, url: hub.baseURL + "/health", headers: [:], timeout: .seconds(2))
            if answer.status == 200 { return hub }
            try await Task.sleep(for: .milliseconds(100))
        }
        hub.kill()
        throw TestFailure("switchboard did not become healthy")
    }

    private init(port: Int, process: Process) {
        self.port = port
        self.baseURL = "http://127.0.0.1:\(port)"
        self.process = process
    }

    /// SIGKILL: no graceful shutdown, exactly like a crash or power loss.
    public func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// SIGTERM, then SIGKILL if the hub has not exited within `grace`. Waits without blocking a
    /// thread: a child can inherit a signal mask that blocks SIGTERM (chromedriver did), and a
    /// blocking `waitUntilExit()` then holds one of the two cooperative threads for good.
    public func stop(grace: Duration = .seconds(10)) async {
        if process.isRunning { process.terminate() }
        let deadline = ContinuousClock.now + grace
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
    }

    /// Calls the hub over real HTTP.
    public func call(_ method: NIOHTTP1.HTTPMethod, _ path: String, json: JSONValue? = nil, headers: [(String, String)] = []) async -> HTTPAnswer {
        var fields: HTTPHeaders = ["User-Agent": "OpenAPI", "Content-Type": "application/json"]
        for (name, value) in headers { fields.replaceOrAdd(name: name, value: value) }
        return await callProvider(HTTPClient.shared, method: method, url: baseURL + path, headers: fields, body: json.map { Array($0.serialized().utf8) }, timeout: .seconds(10))
    }

    /// Posts raw text (webhooks).
    public func post(_ path: String, body: String, headers: [(String, String)]) async -> HTTPAnswer {
        var fields = HTTPHeaders()
        for (name, value) in headers { fields.add(name: name, value: value) }
        return await callProvider(HTTPClient.shared, method: .POST, url: baseURL + path, headers: fields, body: Array(body.utf8), timeout: .seconds(10))
    }
}

import NIOHTTP1
