import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import SwitchboardAdapters
import SwitchboardCore
import SwitchboardTesting
import Synchronization

/// A closed-loop HTTP load: `concurrency` workers post until `requests` are done.
struct Load {
    var elapsed: Duration
    var latencies: [Duration]
    var failures: Int

    static func run(requests: Int, concurrency: Int, _ make: @escaping @Sendable (Int) -> (String, String, [String: String])) async throws -> Load {
        let next = Shared(0)
        let results = Shared<([Duration], Int)>(([], 0))
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    while true {
                        let index = next.update { value -> Int in
                            defer { value += 1 }
                            return value
                        }
                        guard index < requests else { return }
                        let (url, body, headerPairs) = make(index)
                        var headers = HTTPHeaders()
                        for (name, value) in headerPairs { headers.add(name: name, value: value) }
                        let begin = ContinuousClock.now
                        let answer = await callProvider(HTTPClient.shared, method: .POST, url: url, headers: headers, body: Array(body.utf8), timeout: .seconds(30))
                        let took = ContinuousClock.now - begin
                        results.update { state in
                            state.0.append(took)
                            if answer.status != 204 { state.1 += 1 }
                        }
                    }
                }
            }
        }
        let (latencies, failures) = results.update { $0 }
        return Load(elapsed: ContinuousClock.now - start, latencies: latencies.sorted(), failures: failures)
    }

    func percentile(_ p: Double) -> Double {
        guard !latencies.isEmpty else { return 0 }
        return latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))].seconds * 1000
    }

    func line(label: String) -> String {
        String(format: "%@ %8.0f req/s   p50 %6.2f ms   p99 %6.2f ms", label, Double(latencies.count) / elapsed.seconds, percentile(0.5), percentile(0.99))
    }
}

/// The same load against a bare Hummingbird route that reads the body and answers 204.
enum Ceiling {
    static func measure(requests: Int, concurrency: Int) async throws -> Load {
        let router = Router()
        router.post("hook") { request, _ -> Response in
            var request = request
            _ = try await request.collectBody(upTo: 1 << 20)
            return Response(status: .noContent)
        }
        let server = try await FakeServer.start(router)
        defer { Task { await server.stop() } }
        return try await Load.run(requests: requests, concurrency: concurrency) { index in
            (server.baseURL + "/hook", FakeGeneralProvider.inboundBody(id: "c-\(index)", from: "+15551234567", to: "+15550001000", text: "x"), ["Content-Type": "application/json"])
        }
    }
}

/// The hub's application on a loopback port, with its background services running.
struct RunningHub {
    let baseURL: String
    let task: Task<Void, any Error>

    static func start(_ hub: Switchboard) async throws -> RunningHub {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = hub.makeApplication { port in continuation.yield(port) }
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestFailure("the hub did not start") }
        return RunningHub(baseURL: "http://127.0.0.1:\(port)", task: task)
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}

/// The few OpenAPI calls the bench makes, over real HTTP.
final class HubAPI: @unchecked Sendable {
    let baseURL: String
    var token = ""

    init(baseURL: String) { self.baseURL = baseURL }

    func signIn() async throws {
        let answer = await callProvider(
            HTTPClient.shared, method: .POST, url: baseURL + "/openapi/v1.0/get_token", headers: ["User-Agent": "bench", "Content-Type": "application/json"],
            body: Array(#"{"username":"bench","password":"bench-secret-0123456789"}"#.utf8))
        guard let token = answer.json?["access_token"]?.stringValue else { throw TestFailure("get_token: \(answer.body)") }
        self.token = token
    }

    func post(_ path: String, _ body: JSONValue) async throws -> JSONValue {
        let answer = await callProvider(
            HTTPClient.shared, method: .POST, url: baseURL + "/openapi/v1.0/\(path)?access_token=\(token)",
            headers: ["User-Agent": "bench", "Content-Type": "application/json"], body: Array(body.serialized().utf8))
        guard let json = answer.json, json["errcode"] == .int(0) else { throw TestFailure("\(path): \(answer.body)") }
        return json
    }

    func get(_ path: String, _ query: String) async throws -> JSONValue {
        let answer = await callProvider(HTTPClient.shared, method: .GET, url: baseURL + "/openapi/v1.0/\(path)?\(query)&access_token=\(token)", headers: ["User-Agent": "bench"])
        guard let json = answer.json, json["errcode"] == .int(0) else { throw TestFailure("\(path): \(answer.body)") }
        return json
    }

    struct Channel { var id: Int64; var webhookPath: String }

    func createChannel(fake: FakeGeneralProvider, number: String, rate: Int, extensionID: Int64, secret: String?) async throws -> Channel {
        var account: [JSONValue] = [
            ["k": "api_key", "v": .string(Formats.encodeBase64(Array(fake.apiKey.utf8)))], ["k": "api_send_url", "v": .string(fake.sendURL)],
        ]
        if let secret { account.append(["k": "api_secret", "v": .string(Formats.encodeBase64(Array(secret.utf8)))]) }
        let created = try await post("message_channel/create", [
            "name": .string("Bench \(number)"), "webhook_url_type": "nat", "channel": "general", "send_rate": .int(Int64(rate)),
            "account_data": .array(account),
            "dids": [["did_number": .string(number), "destination_type": "extension", "destination_id": .string(String(extensionID))]],
        ])
        guard case .int(let id)? = created["id"] else { throw TestFailure("no channel id") }
        let detail = try await get("message_channel/get", "id=\(id)")
        guard let url = detail["data"]?["webhook_url"]?.stringValue, let path = URLComponents(string: url)?.path else { throw TestFailure("no webhook url") }
        return Channel(id: id, webhookPath: path)
    }
}

/// A value behind a lock, shareable between tasks.
final class Shared<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func update<T: Sendable>(_ body: (inout Value) -> T) -> T { value.withLock { body(&$0) } }
}
