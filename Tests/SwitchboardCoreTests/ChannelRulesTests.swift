import SwitchboardCore
import Testing

@Suite("Channel and queue rules")
struct ChannelRulesTests {
    @Test func providerKeySetsMatchSeed000() {
        func keys(_ provider: ChannelProvider) -> [String] { provider.authKeys.map { $0.required ? $0.name : $0.name + "?" } }
        for provider in [ChannelProvider.general, .athena, .ixica, .vetta] {
            #expect(keys(provider) == ["api_key", "api_secret?", "api_verify_url?", "api_send_url"])
        }
        #expect(keys(.apidaze) == ["api_key", "api_secret"])
        #expect(keys(.bandwidth) == ["application_id", "account_id", "username", "password"])
        #expect(keys(.flowroute) == ["access_key", "secret_key"] && keys(.siptrunk) == ["access_key", "secret_key"])
        #expect(keys(.skyetel) == ["sid_key", "secret_key"])
        #expect(keys(.telnyx) == ["api_key", "public_key"])
        #expect(keys(.twilio) == ["account_sid", "auth_token"])
        #expect(keys(.voicemeup) == ["username", "auth_token"])
        #expect(keys(.whatsapp) == ["access_token", "app_secret"])
        #expect(keys(.facebook) == ["access_token", "app_secret", "page_name"])
        #expect(ChannelProvider.general.authKey(named: "api_send_url")?.kind == .url)
        #expect(ChannelProvider.facebook.authKey(named: "page_name")?.kind == .plain)
        #expect(ChannelProvider.creatable.filter { $0.type == .sms && $0 != .sandbox }.count == 12)
    }

    @Test func accountDataNamesEachBadPair() {
        var reader = FieldReader([
            "account_data": [["k": "account_sid", "v": "QUJD"], ["k": "auth_token", "v": "%%%"], ["k": "api_key", "v": "QUJD"], ["v": "QUJD"]],
        ])
        #expect(AuthPair.readAccountData(&reader, provider: .twilio, required: true) == nil)
        #expect(reader.issues.map(\.field) == ["account_data[1].v", "account_data[2].k", "account_data[3].k"])
    }

    @Test func routingNumbersFollowTheChannelType() {
        #expect(RoutingEntry.isValidNumber("+14102161183", for: .sms))
        #expect(RoutingEntry.isValidNumber("Yeastar", for: .sms))
        #expect(!RoutingEntry.isValidNumber("123", for: .sms))
        #expect(!RoutingEntry.isValidNumber("Yeastar", for: .whatsapp))
        #expect(RoutingEntry.isValidNumber("12345678901234", for: .facebook))
        #expect(!RoutingEntry.isValidNumber("+123", for: .facebook))
    }

    @Test func apiDestinationNeedsNoIDOthersDo() {
        var reader = FieldReader(["dids": [["did_number": "+15550001", "destination_type": "api"], ["did_number": "+15550002", "destination_type": "queue"]]])
        #expect(RoutingEntry.readAll(&reader, type: .sms, updating: false) == nil)
        #expect(reader.issues.map(\.field) == ["dids[1].destination_id"])
    }

    @Test func timeRangesAreUTCDayWindowsAroundNow() {
        let now: Int64 = 1_767_225_600 + 3_600  // 2026-01-01 01:00 UTC
        let day: Int64 = 86_400
        let midnight: Int64 = 1_767_225_600
        #expect(TimeRange.today.window(now: now) == (midnight, midnight + day))
        #expect(TimeRange.yesterday.window(now: now) == (midnight - day, midnight))
        #expect(TimeRange.last_7_days.window(now: now) == (midnight - 6 * day, midnight + day))
        #expect(TimeRange.last_30_days.window(now: now) == (midnight - 29 * day, midnight + day))
        #expect(TimeRange.this_month.window(now: now) == (midnight, midnight + 31 * day))
        // 2024-02-15: February of a leap year has 29 days.
        let february: Int64 = 1_707_955_200
        #expect(TimeRange.this_month.window(now: february) == (1_706_745_600, 1_706_745_600 + 29 * day))
        #expect(TimeRange.all.window(now: now) == (nil, nil))
    }

    @Test func liveChatNumbersAndEmbedCode() {
        #expect(LiveChat.channelNumber(0) == "LC00000")
        #expect(LiveChat.channelNumber(42) == "LC00042")
        #expect(LiveChat.sequence(of: "LC00042") == 42)
        #expect(LiveChat.sequence(of: "LC0042") == nil)
        #expect(LiveChat.embedCode(publicURL: "https://a.example", channelNumber: "LC00000")
            == "<script src=\"https://a.example/live_chat.v1.0.0.js?channelNumber=LC00000\"></script>")
    }

    @Test func liveChatDefaultsAndRanges() {
        var reader = FieldReader(["communication_method": 2, "message_type": 1, "theme_mode": "light", "theme_color": "00ff00"])
        let settings = LiveChat.readSettings(&reader, existing: nil)
        #expect(reader.issues.isEmpty)
        #expect(settings["max_concurrent_call"] == 5)
        #expect(settings["pre_chat_fields"] == ["name"])
        var tooMany = FieldReader(["communication_method": 2, "message_type": 1, "theme_mode": "light", "theme_color": "00ff00", "max_concurrent_call": 11])
        _ = LiveChat.readSettings(&tooMany, existing: nil)
        #expect(tooMany.issues.map(\.field) == ["max_concurrent_call"])
    }

    @Test func queueDefaultsAreTheLargestModel() {
        #expect(QueueLimits.default == QueueLimits(maxQueues: 64, maxAgentsPerQueue: 120))
        #expect(AssignmentMode.allCases.map(\.rawValue) == ["manual", "auto", "none"])
    }
}
