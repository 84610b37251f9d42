import SwitchboardCore

extension ProviderRegistry {
    /// The SMS carriers' adapters (Twilio, Telnyx, Bandwidth, Flowroute, SIPTRUNK, Skyetel, VoiceMeUp, Apidaze).
    static func carrierProviders(configuration: AppConfiguration) -> [any MessagingProvider] {
        []
    }
}
