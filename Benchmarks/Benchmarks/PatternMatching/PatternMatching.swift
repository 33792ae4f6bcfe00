import Benchmark
import FilterPattern
import Foundation
import MetricFilters

/// Matching one compiled CIS pattern against one CloudTrail event of typical size (about 1.2 KB).
///
/// Issue target: at most 1 µs per event and no allocation per event. Each benchmark runs
/// `scaledIterations` matches of the same event so the per-match cost is wall clock / iterations.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .instructions, .throughput],
        timeUnits: .nanoseconds,
        scalingFactor: .kilo,
        maxDuration: .seconds(3)
    )

    let sample = Fixtures.sampleEvents()
    let typical = Fixtures.typicalEvent(in: sample)
    let cases: [(name: String, pattern: String, event: [UInt8])] = [
        ("CIS 4.3 root usage, typical event (prefilter rejects)", Fixtures.rootUsage, typical),
        ("CIS 4.6 console auth failures, typical event", Fixtures.consoleAuthFailures, typical),
        ("CIS 4.4 IAM policy changes, typical event", Fixtures.iamPolicyChanges, typical),
        ("CIS 4.1 unauthorized calls, typical event", Fixtures.unauthorized, typical),
        ("CIS 4.4 IAM policy changes, matching event", Fixtures.iamPolicyChanges, Fixtures.matchingIAMEvent),
        ("CIS 4.3 root usage, matching event", Fixtures.rootUsage, Fixtures.matchingRootEvent),
    ]
    for (name, text, event) in cases {
        // safe because: the fixtures are the CIS pack's own patterns, which compile
        let pattern = try! CompiledPattern(text)
        Benchmark("\(name), prefilter + matcher") { benchmark in
            var scratch = MatchScratch()
            event.withUnsafeBytes { raw in
                for _ in benchmark.scaledIterations {
                    var logEvent = LogEvent(raw)
                    blackHole(pattern.prefilter.mayMatch(raw) && pattern.matches(&logEvent, scratch: &scratch))
                }
            }
        }
        Benchmark("\(name), matcher only") { benchmark in
            var scratch = MatchScratch()
            event.withUnsafeBytes { raw in
                for _ in benchmark.scaledIterations {
                    var logEvent = LogEvent(raw)
                    blackHole(pattern.matches(&logEvent, scratch: &scratch))
                }
            }
        }
    }
}

enum Fixtures {
    static let rootUsage = #"{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}"#
    static let consoleAuthFailures = #"{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}"#
    static let unauthorized = #"{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}"#
    static let iamPolicyChanges =
        "{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || "
        + "($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || "
        + "($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || "
        + "($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || "
        + "($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || "
        + "($.eventName=DetachGroupPolicy)}"

    static let matchingIAMEvent = Array(
        #"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","accessKeyId":"AKIAEXAMPLE","userName":"alice"},"eventTime":"2024-01-01T00:00:00Z","eventSource":"iam.amazonaws.com","eventName":"PutUserPolicy","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.7","userAgent":"aws-cli/2.15.0","requestParameters":{"userName":"bob","policyName":"inline","policyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"},"responseElements":null,"requestID":"0d1b1f4e-1111-2222-3333-444455556666","eventID":"a1b2c3d4-1111-2222-3333-444455556666","readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"iam.amazonaws.com"}}"#
            .utf8)
    static let matchingRootEvent = Array(
        #"{"eventVersion":"1.08","userIdentity":{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333","accessKeyId":""},"eventTime":"2024-01-01T00:00:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.7","userAgent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36","requestParameters":null,"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"LoginTo":"https://console.aws.amazon.com/console/home","MobileVersion":"No","MFAUsed":"Yes"},"eventID":"a1b2c3d4-1111-2222-3333-444455556666","readOnly":false,"eventType":"AwsConsoleSignIn","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"signin.aws.amazon.com"}}"#
            .utf8)

    /// The example events shipped in `Examples/`.
    static func sampleEvents() -> [[UInt8]] {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples/cloudtrail-sample.ndjson")
        guard let data = try? Data(contentsOf: url) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).map(Array.init)
    }

    /// The event whose size is closest to the 1.2 KB median of real CloudTrail events.
    static func typicalEvent(in events: [[UInt8]]) -> [UInt8] {
        events.min { abs($0.count - 1_200) < abs($1.count - 1_200) } ?? matchingIAMEvent
    }
}
