import SwitchboardCore

/// SIPTRUNK (siptrunk.com). **[U] No public documentation of its messaging API was found**
/// (reference §5). The best evidence is seed 003 and seed 000: SIPTRUNK channels take exactly
/// Flowroute's credentials (`access_key`/`secret_key`), its portal issues them the way Flowroute's
/// does and shows an API token that is Base64 of `access:secret` (HTTP Basic), and its DIDs are
/// shown as digits without `+`. So SIPTRUNK is served by the Flowroute v2.1 adapter — same paths,
/// bodies and webhooks — at SIPTRUNK's own base URL. This is the one place that assumption lives;
/// change it here when SIPTRUNK's API document is obtained.
public enum SIPTrunkProvider {
    /// [U] SIPTRUNK's API host; overridable with `providerBaseURLs["siptrunk"]`.
    public static let defaultBaseURL = "https://api.siptrunk.com"

    public static func make(baseURL: String = SIPTrunkProvider.defaultBaseURL) -> FlowrouteProvider {
        FlowrouteProvider(name: "siptrunk", baseURL: baseURL)
    }
}
