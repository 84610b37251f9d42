import Hummingbird
import Logging
import SwitchboardCore

/// Turns everything that goes wrong under `/openapi/` (and the inbox's `/api/inbox/` and the portal's
/// `/portal/api/`, which use the same handlers) into Yeastar's `errcode`/`errmsg` body:
/// unknown paths and wrong methods are `10001`, `APIError`s speak for themselves, and anything
/// unexpected is logged and answered `-2` without a stack trace or SQL.
struct OpenAPIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix("/openapi/") || path.hasPrefix("/api/inbox/") || path.hasPrefix("/portal/api/") else { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try JSONResponse(error.json).response(from: request, context: context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            return try JSONResponse(APIError(.interfaceNotExisted).json).response(from: request, context: context)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return try JSONResponse(APIError(.fileSizeExceeded).json).response(from: request, context: context)
        } catch where isUniqueViolation(error) {
            // A concurrent request won a uniqueness race the endpoint had checked for.
            return try JSONResponse(APIError(.duplicateKeyValue).json).response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error", metadata: ["error": .string(String(reflecting: error))])
            return try JSONResponse(APIError(.internalServerError).json).response(from: request, context: context)
        }
    }
}

/// Yeastar requires a `User-Agent` header on every OpenAPI call; without one the answer is `40002`.
struct UserAgentMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let agent = request.headers[.userAgent], !agent.isEmpty else {
            throw APIError.invalid("User-Agent", "required")
        }
        return try await next(request, context)
    }
}

/// Checks the `access_token` query parameter. Missing, unknown, expired or revoked → `10004 TOKEN EXPIRED`.
/// (A token sent as `Authorization: Bearer` is ignored, as Yeastar does.)
struct AccessTokenMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let tokens: TokenService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.uri.queryParameters["access_token"].map(String.init), !token.isEmpty,
            let clientID = try await tokens.clientID(forAccessToken: token)
        else {
            throw APIError.tokenExpired
        }
        var context = context
        context.apiClientID = clientID
        context.logger[metadataKey: "api_client"] = .string(clientID)
        return try await next(request, context)
    }
}
