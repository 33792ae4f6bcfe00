import Foundation
import TriplineConfig

/// Writes config files into a fresh temporary folder and loads them.
struct ConfigFixture {
    let directory: URL

    init() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tripline-config-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let url = directory.appendingPathComponent(name)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func load(_ names: [String], parameters: [String: String] = [:]) -> ConfigLoader.Result {
        ConfigLoader(parameters: parameters).load(names.map { directory.appendingPathComponent($0).path })
    }

    /// Problems rendered with the folder stripped, so golden files do not depend on it.
    func render(_ result: ConfigLoader.Result) -> String {
        result.problems.problems.map { $0.description.replacingOccurrences(of: directory.path + "/", with: "") }
            .joined(separator: "\n")
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
}

/// A minimal valid filter and alarm, to which cases add one mistake.
let validFilter = """
    metricFilters:
      - filterName: root-usage
        filterPattern: '{ $.userIdentity.type = "Root" }'
        metricTransformations:
          - {metricName: RootUsage, metricNamespace: Test, metricValue: "1"}
    """

func alarm(_ fields: String = "") -> String {
    """
    MetricAlarms:
      - AlarmName: root-usage
        MetricName: RootUsage
        Namespace: Test
        Statistic: Sum
        Period: 300
        EvaluationPeriods: 1
        Threshold: 1
        ComparisonOperator: GreaterThanOrEqualToThreshold
        AlarmActions: [alerts]
    \(fields.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
    Destinations:
      alerts: {Type: stdout}
    """
}
