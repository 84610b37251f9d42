import AsyncHTTPClient
import SwitchboardCore

extension WhatsAppProvider {
    /// Inbound media arrives as a media id (`whatsapp-media:{id}`): `GET {graph}/{version}/{id}`
    /// with the Bearer token answers a short-lived `url` and the `mime_type`, and the file itself
    /// is fetched from that `url` with the same token (providers.md §9 "Media upload and
    /// download"). A plain link (newer webhooks may carry one) is fetched as it is.
    public func fetchMedia(_ media: MediaReference, account: ChannelAccount, http: HTTPClient, limit: Int) async -> FetchedMedia? {
        guard let mediaID = WhatsAppCloudAPI.mediaID(fromURL: media.url) else {
            return await downloadMedia(url: media.url, headers: [:], http: http, limit: limit, contentType: media.contentType)
        }
        guard let token = account.secret("access_token") else { return nil }
        let lookup = await callProvider(
            http, method: .GET, url: graph.url(mediaID), headers: ["Authorization": "Bearer \(token)"], timeout: .seconds(15))
        guard lookup.status == 200, let url = lookup.json?["url"]?.stringValue else { return nil }
        let contentType = lookup.json?["mime_type"]?.stringValue ?? media.contentType
        guard var file = await downloadMedia(
            url: url, headers: ["Authorization": "Bearer \(token)"], http: http, limit: limit, contentType: contentType)
        else { return nil }
        let subtype = contentType?.split(separator: "/").last?.split(separator: ";").first.map(String.init) ?? "bin"
        file.name = "whatsapp-\(mediaID).\(subtype)"
        return file
    }
}
