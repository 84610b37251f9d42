/// Which greeting a Live Chat visitor gets when they open the chat (seed 003 "Message" section).
public enum LiveChatGreeting: String, Sendable, Equatable {
    case online, offline

    /// Online within business hours when the destination is a queue (or the API platform), or an
    /// extension signed in to the inbox with presence Available; offline otherwise (outside hours,
    /// holidays, an extension signed out or Away / Business Trip / Do Not Disturb / Lunch Break / Off Work).
    public static func choose(
        withinBusinessHours: Bool, destination: DestinationType?, agentSignedIn: Bool, presence: PresenceStatus?
    ) -> LiveChatGreeting {
        guard withinBusinessHours else { return .offline }
        switch destination {
        case .extension?: return agentSignedIn && presence == .available ? .online : .offline
        case .queue?, .api?, nil: return .online
        }
    }
}

extension PresenceStatus {
    /// How the inbox shows the status (Yeastar's names).
    public var label: String {
        switch self {
        case .available: "Available"
        case .away: "Away"
        case .businessTrip: "Business Trip"
        case .doNotDisturb: "Do Not Disturb"
        case .lunchBreak: "Lunch Break"
        case .offWork: "Off Work"
        }
    }
}

/// The rules the Live Chat widget's API enforces on the server.
public enum LiveChatLimits {
    /// At most this many open sessions per Live Chat channel.
    public static let maxActiveSessions = 20
    /// What a visitor beyond the limit is told.
    public static let busyMessage = "All our agents are busy right now. Please try again in a few minutes."
    /// Largest image a visitor may send.
    public static let maxImageBytes = 10 << 20
    /// Image types a visitor may send (when the channel's `message_type` is 2, text and image).
    public static let imageTypes = ["image/png": "png", "image/jpeg": "jpg"]
    public static let imageExtensions = ["png", "jpg", "jpeg"]

    /// Whether one more session may open when `active` are open.
    public static func admitsNewSession(active: Int) -> Bool { active < maxActiveSessions }

    /// Whether a visitor may send an image named `fileName` of `size` bytes on a channel whose
    /// `message_type` is `messageType` (1 text only, 2 text and image).
    public static func acceptsImage(fileName: String, size: Int, messageType: Int64) -> Bool {
        guard messageType == 2, size > 0, size <= maxImageBytes else { return false }
        let ext = fileName.split(separator: ".").last.map { $0.lowercased() } ?? ""
        return fileName.contains(".") && imageExtensions.contains(ext)
    }
}

/// Matches a browser's `Origin` against a Live Chat channel's `website_domain`.
///
/// The domain may be a bare host (`example.com`, which also admits its subdomains and any scheme
/// and port), a host with port (`example.com:8080`), or a full origin (`https://example.com`,
/// which must then match scheme, host and port exactly). Hosts compare case-insensitively.
public enum WebsiteOrigin {
    public struct Parts: Sendable, Equatable {
        public var scheme: String?
        public var host: String
        public var port: Int?
    }

    /// Splits `scheme://host:port/…` or `host:port`; nil when there is no host.
    public static func parse(_ text: String) -> Parts? {
        var rest = text.trimmingSpaces.lowercased()
        var scheme: String?
        let pieces = rest.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        if pieces.count == 3, pieces[0].hasSuffix(":"), pieces[1].isEmpty {
            scheme = String(pieces[0].dropLast())
            rest = String(pieces[2])
        }
        if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = String(rest[..<slash]) }
        var port: Int?
        if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
            guard let number = Int(rest[rest.index(after: colon)...]) else { return nil }
            port = number
            rest = String(rest[..<colon])
        }
        while rest.hasSuffix(".") { rest.removeLast() }
        guard !rest.isEmpty, !rest.contains("@") else { return nil }
        return Parts(scheme: scheme, host: rest, port: port)
    }

    /// Whether `origin` (the browser's `Origin` header) may use the channel configured for `websiteDomain`.
    public static func allows(origin: String?, websiteDomain: String) -> Bool {
        guard let origin, origin != "null", let page = parse(origin), page.scheme != nil, let allowed = parse(websiteDomain) else {
            return false
        }
        if let scheme = allowed.scheme {
            return scheme == page.scheme && allowed.host == page.host && effectivePort(allowed) == effectivePort(page)
        }
        guard page.host == allowed.host || page.host.hasSuffix("." + allowed.host) else { return false }
        if let port = allowed.port { return effectivePort(page) == port }
        return true
    }

    static func effectivePort(_ parts: Parts) -> Int? {
        parts.port ?? (parts.scheme == "https" ? 443 : parts.scheme == "http" ? 80 : nil)
    }
}
