/// Field checks shared by every format.
enum Validation {
    /// "did you mean 'X'?" when one option is close, else the list of options.
    static func suggestion(_ text: String, _ options: [String]) -> String {
        if let close = ObjectReader.closest(to: text, in: Set(options)) { return "did you mean '\(close)'?" }
        return "use one of: " + options.joined(separator: ", ")
    }

    static func checkPeriod(_ period: Int, _ node: ConfigNode, _ path: String, _ problems: inout ProblemList) {
        guard period > 0 else {
            problems.error(node, path, "Period must be a positive whole number of seconds, not \(period)", fix: "use 60 or a multiple of 60 (or 10, 20, 30 for high resolution)")
            return
        }
        if ![10, 20, 30].contains(period), period % 60 != 0 {
            problems.error(node, path, "CloudWatch accepts periods of 10, 20, 30 or a multiple of 60 seconds, not \(period)", fix: "use \(max(60, (period + 30) / 60 * 60))")
        }
    }

    static func checkAlarmName(_ name: String, _ node: ConfigNode, _ path: String, _ problems: inout ProblemList) {
        if name.isEmpty || name.count > 255 || name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            problems.error(node, path, "an alarm name has 1 to 255 characters and no control characters", fix: "rename the alarm")
        }
    }

    static func checkFilterName(_ name: String, at location: SourceLocation, path: String, problems: inout ProblemList) {
        if name.isEmpty || name.count > 512 || name.contains(":") || name.contains("*") {
            problems.error(at: location, path, "a filter name has 1 to 512 characters and no ':' or '*'", fix: "rename the filter")
        }
    }
}
