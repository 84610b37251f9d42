import Foundation
import Hummingbird
import Logging
import Prometheus

/// Gives each request an id (`X-Request-Id`, echoed when the client sent one), logs one line per
/// request with method, path (never the query: it carries the access token), status and duration,
/// and counts it in Prometheus metrics.
struct ObservabilityMiddleware<Context: RequestContext>: RouterMiddleware {
    let registry: PrometheusCollectorRegistry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let incoming = request.headers[.init("X-Request-Id")!].flatMap { $0.count <= 64 ? $0 : nil }
        let requestID = incoming ?? UUID().uuidString.lowercased()
        context.logger[metadataKey: "request_id"] = .string(requestID)
        let start = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - start
            let route = context.endpointPath ?? "unmatched"
            let labels = [("method", request.method.rawValue), ("route", route), ("status", String(status))]
            registry.makeCounter(descriptor: .init(metricName: "http_requests_total", helpText: "HTTP requests answered"), labels: labels)
                .increment()
            registry.makeDurationHistogram(
                descriptor: .init(metricName: "http_request_duration_seconds", helpText: "HTTP request latency"),
                labels: [("method", request.method.rawValue), ("route", route)],
                buckets: [.milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2), .seconds(10)]
            ).record(elapsed)
            context.logger.info(
                "request",
                metadata: [
                    "method": .string(request.method.rawValue), "path": .string(request.uri.path),
                    "status": .stringConvertible(status),
                    "duration_ms": .stringConvertible(Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)),
                ])
        }
        do {
            var response = try await next(request, context)
            status = response.status.code
            response.headers[.init("X-Request-Id")!] = requestID
            return response
        } catch let error as HTTPError {
            status = error.status.code
            throw error
        }
    }
}
