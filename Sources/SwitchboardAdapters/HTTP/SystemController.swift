import Hummingbird
import Prometheus
import SQLKit
import SwitchboardCore

/// `/health` (the database answers) and `/metrics` (Prometheus text format).
struct SystemController {
    let database: Database
    let registry: PrometheusCollectorRegistry

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("health") { _, _ -> JSONResponse in
            do {
                try await database.run { db in try await db.raw("SELECT 1 AS ok").run() }
                return JSONResponse(["status": "ok", "database": .string(database.engine.rawValue)])
            } catch {
                return JSONResponse(["status": "unavailable"], status: .serviceUnavailable)
            }
        }
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: .init(string: registry.emitToString())))
        }
    }
}
