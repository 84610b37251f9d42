import Hummingbird
import SQLKit
import SwitchboardCore

/// `GET system/get_menuoptions?menu=…`: `{text, value}` pairs (values are strings, as Yeastar sends them)
/// for the menus other requests need ids from. Each feature answers for its own menus.
struct MenuOptionsController {
    let database: Database

    /// A source of menu options: returns nil when it does not serve `menu`.
    typealias Source = @Sendable (_ menu: String, _ db: any SQLDatabase) async throws -> [JSONValue]?

    static let sources: [Source] = [directoryMenuOptions, messagingMenuOptions]

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("system/get_menuoptions") { request, _ -> JSONResponse in
            var reader = request.queryReader
            let menu = reader.requiredText("menu")
            try reader.finish()
            let options = try await database.run { db -> [JSONValue]? in
                for source in Self.sources {
                    if let options = try await source(menu!, db) { return options }
                }
                return nil
            }
            guard let options else { throw APIError.invalid("menu", "invalid_value") }
            return .success(["data": .array(options)])
        }
    }
}
