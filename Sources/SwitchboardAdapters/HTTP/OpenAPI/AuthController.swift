import Hummingbird
import SwitchboardCore

/// `get_token`, `refresh_token` (no access token needed) and `del_token`.
struct AuthController {
    let tokens: TokenService

    func addPublicRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("get_token", use: getToken)
        group.post("refresh_token", use: refreshToken)
    }

    func addProtectedRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("del_token", use: deleteToken)
    }

    @Sendable func getToken(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var request = request
        var reader = FieldReader(try await request.jsonObject(context: context))
        let username = reader.requiredText("username")
        let password = reader.requiredText("password")
        try reader.finish()
        let pair = try await tokens.issue(clientID: username!, secret: password!, ip: context.peerIP)
        return .success(pair.json)
    }

    @Sendable func refreshToken(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var request = request
        var reader = FieldReader(try await request.jsonObject(context: context))
        let token = reader.requiredText("refresh_token")
        try reader.finish()
        return .success(try await tokens.refresh(refreshToken: token!).json)
    }

    @Sendable func deleteToken(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        if let token = request.uri.queryParameters["access_token"] {
            try await tokens.revoke(accessToken: String(token))
        }
        return .success()
    }
}
