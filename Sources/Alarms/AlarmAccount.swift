/// The AWS account and Region that alarm ARNs and notifications name.
///
/// Tripline runs outside AWS, but CloudWatch's notification format carries an account id, a
/// Region display name and ARNs; receivers parse them. The defaults are AWS's documentation
/// placeholders.
///
/// ```swift
/// let account = AlarmAccount(region: "eu-west-1", accountID: "111122223333")
/// account.regionDisplayName  // "EU (Ireland)"
/// ```
public struct AlarmAccount: Sendable, Hashable, Codable {
    /// The Region code, e.g. `us-east-1`.
    public var region: String
    /// The 12-digit account id.
    public var accountID: String

    /// Creates an account; the defaults are `us-east-1` and `123456789012`.
    public init(region: String = "us-east-1", accountID: String = "123456789012") {
        self.region = region
        self.accountID = accountID
    }

    /// The ARN CloudWatch gives an alarm of this name: `arn:aws:cloudwatch:<region>:<account>:alarm:<name>`.
    public func alarmArn(named name: String) -> String {
        "arn:aws:cloudwatch:\(region):\(accountID):alarm:\(name)"
    }

    /// The long Region name SNS messages carry (`US East (N. Virginia)`); the code itself when unknown.
    public var regionDisplayName: String {
        Self.displayNames[region] ?? region
    }

    /// Region display names as CloudWatch writes them in the `Region` field of alarm messages.
    static let displayNames: [String: String] = [
        "us-east-1": "US East (N. Virginia)",
        "us-east-2": "US East (Ohio)",
        "us-west-1": "US West (N. California)",
        "us-west-2": "US West (Oregon)",
        "af-south-1": "Africa (Cape Town)",
        "ap-east-1": "Asia Pacific (Hong Kong)",
        "ap-south-1": "Asia Pacific (Mumbai)",
        "ap-south-2": "Asia Pacific (Hyderabad)",
        "ap-northeast-1": "Asia Pacific (Tokyo)",
        "ap-northeast-2": "Asia Pacific (Seoul)",
        "ap-northeast-3": "Asia Pacific (Osaka)",
        "ap-southeast-1": "Asia Pacific (Singapore)",
        "ap-southeast-2": "Asia Pacific (Sydney)",
        "ap-southeast-3": "Asia Pacific (Jakarta)",
        "ap-southeast-4": "Asia Pacific (Melbourne)",
        "ca-central-1": "Canada (Central)",
        "ca-west-1": "Canada West (Calgary)",
        "eu-central-1": "EU (Frankfurt)",
        "eu-central-2": "EU (Zurich)",
        "eu-west-1": "EU (Ireland)",
        "eu-west-2": "EU (London)",
        "eu-west-3": "EU (Paris)",
        "eu-north-1": "EU (Stockholm)",
        "eu-south-1": "EU (Milan)",
        "eu-south-2": "EU (Spain)",
        "il-central-1": "Israel (Tel Aviv)",
        "me-south-1": "Middle East (Bahrain)",
        "me-central-1": "Middle East (UAE)",
        "sa-east-1": "South America (Sao Paulo)",
        "us-gov-east-1": "AWS GovCloud (US-East)",
        "us-gov-west-1": "AWS GovCloud (US-West)",
    ]
}
