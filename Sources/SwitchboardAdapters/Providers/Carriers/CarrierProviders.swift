import SwitchboardCore

extension ProviderRegistry {
    /// The SMS carriers' adapters (Twilio, Telnyx, Bandwidth, Flowroute, SIPTRUNK, Skyetel,
    /// VoiceMeUp, Apidaze), each at `configuration.providerBaseURLs[name]` when set (fakes,
    /// staging), else at the provider's real API base.
    static func carrierProviders(configuration: AppConfiguration) -> [any MessagingProvider] {
        let bases = configuration.providerBaseURLs
        func base(_ name: String, _ real: String) -> String { CarrierSupport.baseURL(bases, name, default: real) }
        return [
            TwilioProvider(baseURL: base("twilio", TwilioProvider.defaultBaseURL)),
            TelnyxProvider(baseURL: base("telnyx", TelnyxProvider.defaultBaseURL)),
            BandwidthProvider(baseURL: base("bandwidth", BandwidthProvider.defaultBaseURL)),
            FlowrouteProvider(baseURL: base("flowroute", FlowrouteProvider.defaultBaseURL)),
            SIPTrunkProvider.make(baseURL: base("siptrunk", SIPTrunkProvider.defaultBaseURL)),
            SkyetelProvider(baseURL: base("skyetel", SkyetelProvider.defaultBaseURL)),
            VoiceMeUpProvider(baseURL: base("voicemeup", VoiceMeUpProvider.defaultBaseURL)),
            ApidazeProvider(baseURL: base("apidaze", ApidazeProvider.defaultBaseURL)),
        ]
    }
}
