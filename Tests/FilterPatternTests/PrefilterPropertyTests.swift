import FilterPattern
import Foundation
import PropertyBased
import Testing
import TriplineTestSupport

/// A prefilter rejection always implies a matcher rejection, over random patterns and events.
struct PrefilterPropertyTests {
    /// Real CloudTrail events, plus the same events disguised by JSON escapes and cut short.
    static let events: [String] = {
        let url = Paths.shared.appendingPathComponent("data/cloudtrail/invictus-ir-aws-dataset/invictus-aws-dataset.ndjson")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        let lines = text.split(separator: "\n").prefix(600).map(String.init)
        var events = lines
        for line in lines.prefix(200) {
            // \u0065 spells 'e', \/ spells '/': the raw text no longer holds the literal.
            events.append(line.replacingOccurrences(of: "e\"", with: "\\u0065\""))
            events.append(line.replacingOccurrences(of: "/", with: "\\/"))
            events.append(String(line.prefix(line.count / 2)))
        }
        return events
    }()

    static let selectors = [
        "$.eventName", "$.eventSource", "$.errorCode", "$.userIdentity.type", "$.userIdentity.arn",
        "$.requestParameters.bucketName", "$.resources[*].type", "$.resources[0].ARN", "$.*", "$.readOnly",
        "$.userIdentity.sessionContext.attributes.mfaAuthenticated", "$.awsRegion", "$.sourceIPAddress",
    ]
    static let values = [
        "ConsoleLogin", "\"ListBuckets\"", "s3.amazonaws.com", "\"*Bucket*\"", "Describe*", "*Policy",
        "AccessDenied*", "\"IAMUser\"", "us-east-1", "*", "\"true\"", "%Delete.*%", "%^Get%", "iam.amazonaws.com",
        "\"AWS::S3::Bucket\"", "\"arn:aws:iam::*:root\"", "12", "\"e\"", "\"/\"", "%e$%",
    ]
    static let words = ["ERROR", "\"ConsoleLogin\"", "s3", "\"eventName\":\"Get", "%Delete[A-Z]%", "IAMUser", "\"/\"", "e"]

    /// Builds a random pattern from `seed`: JSON conditions joined by && and ||, or terms.
    static func randomPattern(_ rng: inout SplitMix64) -> String {
        if rng.next(4) == 0 {
            return (0..<(1 + rng.next(3))).map { _ in
                ["", "?", "-"][rng.next(3)] + words[rng.next(words.count)]
            }.joined(separator: " ")
        }
        var regexes = 0
        var wildcards = 0
        func condition() -> String {
            var selector = selectors[rng.next(selectors.count)]
            if selector.contains("*") {
                wildcards += 1
                if wildcards > 3 { selector = "$.eventName" }
            }
            switch rng.next(8) {
            case 0: return "\(selector) NOT EXISTS"
            case 1: return "\(selector) IS TRUE"
            case 2: return "\(selector) IS NULL"
            default:
                var value = values[rng.next(values.count)]
                if value.hasPrefix("%") {
                    regexes += 1
                    if regexes > 2 { value = "x" }
                }
                return "\(selector) \(rng.next(3) == 0 ? "!=" : "=") \(value)"
            }
        }
        func expression(_ depth: Int) -> String {
            guard depth < 3, rng.next(3) != 0 else { return condition() }
            let parts = (0..<(2 + rng.next(2))).map { _ in expression(depth + 1) }
            return "(" + parts.joined(separator: rng.next(2) == 0 ? " && " : " || ") + ")"
        }
        return "{ " + expression(0) + " }"
    }

    @Test func prefilterNeverRejectsAMatch() async {
        #expect(Self.events.count > 1000)
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var rng = SplitMix64(seed: UInt64(seed))
            let text = Self.randomPattern(&rng)
            guard let pattern = try? CompiledPattern(text) else { return }
            for _ in 0..<40 {
                let event = Self.events[rng.next(Self.events.count)]
                if !passesPrefilter(pattern, event) {
                    #expect(!matches(pattern, event), "prefilter rejected a match: \(text) on \(event.prefix(200))")
                }
            }
        }
    }

    @Test func prefilterNarrowsCommonPatterns() throws {
        let pattern = try CompiledPattern(#"{ ($.eventName = "ConsoleLogin") && ($.errorMessage = "Failed authentication") }"#)
        #expect(!pattern.prefilter.isTrivial)
        let rejected = Self.events.filter { !passesPrefilter(pattern, $0) }.count
        #expect(rejected > Self.events.count / 2)
    }

    @Test func escapedLiteralStillMatches() throws {
        let pattern = try CompiledPattern(#"{ $.eventName = "ConsoleLogin" }"#)
        let event = #"{"eventName":"Console\u004cogin"}"#
        #expect(matches(pattern, event))
        #expect(passesPrefilter(pattern, event))
    }
}

