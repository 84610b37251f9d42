import Hummingbird
import Logging
import NIOCore

/// The request context of every route: Hummingbird's core storage, the peer address (for the
/// login throttle) and, once the token check has passed, the OpenAPI client that made the call.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The OpenAPI client id, set by `AccessTokenMiddleware`.
    public var apiClientID: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.apiClientID = nil
    }

    /// The caller's IP address as text, or `unknown` when the transport has none (in-process tests).
    public var peerIP: String {
        remoteAddress?.ipAddress ?? "unknown"
    }
}
