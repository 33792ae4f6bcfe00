import Foundation
import Testing
import TriplineConfig
import MetricFilters
import TriplineCore

/// The shipped packs and examples load, and each import format reads what users already have.
struct ImportTests {
    @Test func packsLoadWithoutProblems() {
        let result = ConfigLoader().load([Repository.root.appendingPathComponent("Filters").path])
        #expect(result.problems.problems.map(\.description) == [])
        #expect(result.configuration.metricFilters.count == 33)
        #expect(result.configuration.metricAlarms.count == 33)
        #expect(result.configuration.filters.count == 33)
        #expect(result.configuration.metricAlarms.allSatisfy { $0.treatMissingData == .notBreaching })
    }

    @Test func examplesLoadTogether() {
        let result = ConfigLoader().load([Repository.root.appendingPathComponent("Examples").path])
        #expect(result.problems.errors.map(\.description) == [])
        #expect(result.configuration.compositeAlarms.count >= 1)
        #expect(result.configuration.ignoredResources.contains { $0.contains("AWS::SNS::Topic") })
    }

    @Test func describeAlarmsKeepsStateAndIgnoresReadOnlyFields() {
        let fixture = ConfigFixture()
        defer { fixture.remove() }
        fixture.write("alarms.json", """
            {"MetricAlarms": [{"AlarmName": "a", "AlarmArn": "arn:aws:cloudwatch:us-east-1:1:alarm:a",
              "StateValue": "ALARM", "StateReason": "x", "StateUpdatedTimestamp": "2024-01-01T00:00:00.000Z",
              "MetricName": "M", "Namespace": "N", "Statistic": "Sum", "Dimensions": [], "Period": 300,
              "EvaluationPeriods": 2, "DatapointsToAlarm": 1, "Threshold": 1.0,
              "ComparisonOperator": "GreaterThanOrEqualToThreshold", "TreatMissingData": "breaching",
              "ActionsEnabled": true, "OKActions": [], "AlarmActions": [], "InsufficientDataActions": []}],
             "CompositeAlarms": [{"AlarmName": "c", "AlarmRule": "ALARM(\\"arn:aws:cloudwatch:us-east-1:1:alarm:a\\") OR FALSE",
              "ActionsEnabled": true, "OKActions": [], "AlarmActions": [], "InsufficientDataActions": [], "StateValue": "OK"}]}
            """)
        let result = fixture.load(["alarms.json"])
        #expect(result.problems.errors.map(\.description) == [])
        let alarm = result.configuration.metricAlarms.first
        #expect(alarm?.stateValue == .alarm)
        #expect(alarm?.datapointsToAlarm == 1)
        #expect(alarm?.treatMissingData == .breaching)
        #expect(result.configuration.compositeAlarms.first?.alarmRule.children == ["arn:aws:cloudwatch:us-east-1:1:alarm:a"])
    }

    @Test func describeMetricFiltersLoads() {
        let fixture = ConfigFixture()
        defer { fixture.remove() }
        fixture.write("filters.json", """
            {"metricFilters": [{"filterName": "f", "filterPattern": "{ $.eventName = \\"ConsoleLogin\\" }",
              "metricTransformations": [{"metricName": "M", "metricNamespace": "N", "metricValue": "1",
                                         "dimensions": {"Source": "$.eventSource"}, "unit": "Count"}],
              "creationTime": 1700000000000, "logGroupName": "CloudTrail", "applyOnTransformedLogs": false}]}
            """)
        let result = fixture.load(["filters.json"])
        #expect(result.problems.errors.isEmpty)
        #expect(result.configuration.filters.first?.dimensions.first?.name == "Source")
        #expect(result.configuration.filters.first?.transformation.unit == .count)
    }

    @Test func cloudFormationResolvesIntrinsics() {
        let fixture = ConfigFixture()
        defer { fixture.remove() }
        fixture.write("stack.yaml", """
            Parameters:
              Env: {Type: String, Default: prod}
              Threshold: {Type: Number, Default: "3"}
            Conditions:
              IsProd: !Equals [!Ref Env, prod]
            Resources:
              Topic:
                Type: AWS::SNS::Topic
                Properties: {TopicName: alerts}
              Filter:
                Type: AWS::Logs::MetricFilter
                Properties:
                  LogGroupName: trail
                  FilterPattern: '{ $.eventName = "StopLogging" }'
                  MetricTransformations:
                    - MetricName: !Sub '${Env}-stop'
                      MetricNamespace: !Join ['/', [Trail, !Ref Env]]
                      MetricValue: "1"
                      Dimensions: [{Key: Source, Value: $.eventSource}]
              Alarm:
                Type: AWS::CloudWatch::Alarm
                Properties:
                  AlarmName: !Sub '${AWS::StackName}-stop'
                  MetricName: !Sub '${Env}-stop'
                  Namespace: !Select [0, [Trail/prod, other]]
                  Dimensions: [{Name: Source, Value: cloudtrail.amazonaws.com}]
                  Statistic: Sum
                  Period: 60
                  EvaluationPeriods: 1
                  Threshold: !If [IsProd, !Ref Threshold, 10]
                  ComparisonOperator: GreaterThanOrEqualToThreshold
                  AlarmActions: [!Ref Topic]
              Composite:
                Type: AWS::CloudWatch::CompositeAlarm
                Properties:
                  AlarmRule: !Sub 'ALARM("${Alarm}") OR ALARM(${Alarm.Arn})'
            """)
        fixture.write("destinations.yaml", "Destinations:\n  alerts: {Type: stdout, Arns: ['arn:aws:sns:eu-west-1:111122223333:alerts']}\n")
        let result = fixture.load(["stack.yaml", "destinations.yaml"], parameters: ["AWS::Region": "eu-west-1", "AWS::AccountId": "111122223333"])
        #expect(result.problems.errors.map(\.description) == [])
        let alarm = result.configuration.metricAlarms.first
        #expect(alarm?.alarmName == "tripline-stop")
        #expect(alarm?.threshold == 3)
        #expect(alarm?.alarmActions.first?.name == "arn:aws:sns:eu-west-1:111122223333:alerts")
        #expect(result.configuration.metricFilters.first?.transformations.first?.metricNamespace == "Trail/prod")
        #expect(result.configuration.compositeAlarms.first?.alarmRule.children == ["tripline-stop", "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:tripline-stop"])
        #expect(result.configuration.ignoredResources == ["Topic (AWS::SNS::Topic)"])
    }

    @Test func parametersOverrideDefaults() {
        let fixture = ConfigFixture()
        defer { fixture.remove() }
        fixture.write("a.yaml", """
            Parameters:
              Bucket: {Default: default-bucket}
            metricFilters:
              - filterName: f
                filterPattern: '{ $.requestParameters.bucketName = "${Bucket}" }'
                metricTransformations: [{metricName: M, metricNamespace: N, metricValue: "1"}]
            """)
        #expect(fixture.load(["a.yaml"]).configuration.metricFilters.first?.filterPattern.contains("default-bucket") == true)
        let overridden = fixture.load(["a.yaml"], parameters: ["Bucket": "mine"])
        #expect(overridden.configuration.metricFilters.first?.filterPattern.contains("\"mine\"") == true)
    }

    @Test func warningsForUnusedDestinationAndUnproducedMetric() {
        let fixture = ConfigFixture()
        defer { fixture.remove() }
        fixture.write("a.yaml", alarm() + "\n  unused: {Type: stdout}\n")
        let result = fixture.load(["a.yaml"])
        let warnings = result.problems.warnings.map(\.description).joined(separator: "\n")
        #expect(!result.problems.hasErrors)
        #expect(warnings.contains("no metric filter produces Test/RootUsage"))
        #expect(warnings.contains("no alarm sends to the destination 'unused'"))
    }
}
