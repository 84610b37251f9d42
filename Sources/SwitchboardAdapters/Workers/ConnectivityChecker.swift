import AsyncHTTPClient
import Logging
import ServiceLifecycle
import SwitchboardCore

/// Periodically checks each channel's credentials with its provider (General: the challenge on
/// `api_verify_url`) and records the result as the channel's `status`/`reason`.
struct ConnectivityChecker: Service {
    let channels: ChannelStore
    let providers: ProviderRegistry
    let http: HTTPClient
    let logger: Logger
    var interval: Duration = .seconds(300)

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await checkAll()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One pass over every channel; also what the tests drive directly.
    func checkAll() async {
        guard let all = try? await channels.channels(providers: nil) else { return }
        for channel in all {
            guard let provider = providers[channel.account.provider],
                let result = await provider.checkConnectivity(account: channel.account, http: http)
            else { continue }
            if (try? await channels.record(result, channelID: channel.account.channelID)) == true {
                logger.info("channel status changed", metadata: [
                    "channel_id": .stringConvertible(channel.account.channelID), "status": .string(result.status), "reason": .string(result.reason),
                ])
            }
        }
    }
}
