import Foundation
import MetricFilters
import TriplineCore

/// Reads Tripline files, which are also `describe-metric-filters` and `describe-alarms` output.
struct TriplineFileDecoder {
    var problems = ProblemList()
    var configuration = Configuration()

    static let topLevelKeys: Set<String> = ["metricFilters", "MetricAlarms", "CompositeAlarms", "Destinations", "Parameters"]
    /// Pagination tokens `describe-*` prints.
    static let ignoredTopLevelKeys: Set<String> = ["nextToken", "NextToken"]

    mutating func decode(_ root: ConfigNode) {
        var reader = ObjectReader(root, path: "", problems: &problems)
        reader.ignored = Self.ignoredTopLevelKeys
        _ = reader.value("Parameters")  // applied before decoding, see ParameterSubstitution
        if let filters = reader.value("metricFilters") {
            for (node, path) in items(filters, "metricFilters") { decodeMetricFilter(node, path: path) }
        }
        if let alarms = reader.value("MetricAlarms") {
            for (node, path) in items(alarms, "MetricAlarms") { decodeMetricAlarm(node, path: path) }
        }
        if let composites = reader.value("CompositeAlarms") {
            for (node, path) in items(composites, "CompositeAlarms") { decodeCompositeAlarm(node, path: path) }
        }
        if let destinations = reader.value("Destinations") {
            decodeDestinations(destinations)
        }
        reader.reportUnknownKeys(problems: &problems)
    }

    /// The entries of a list section with their logical paths.
    private mutating func items(_ node: ConfigNode, _ path: String) -> [(ConfigNode, String)] {
        guard case .sequence(let items, _, _) = node else {
            problems.error(node, path, "expected a list, found \(node.kindName)", fix: "write one '- ' entry per item")
            return []
        }
        return items.enumerated().map { ($1, "\(path)[\($0)]") }
    }

    mutating func decodeMetricFilter(_ node: ConfigNode, path: String) {
        var reader = ObjectReader(node, path: path, problems: &problems)
        guard reader.isMapping else { return }
        reader.ignored = ["creationTime", "applyOnTransformedLogs", "fieldSelectionCriteria", "emitSystemFieldDimensions"]
        let name = reader.string("filterName", required: true, problems: &problems)
        let patternNode = reader.value("filterPattern")
        let pattern = reader.string("filterPattern", problems: &problems) ?? ""
        let logGroup = reader.string("logGroupName", problems: &problems)
        var transformations: [MetricTransformation] = []
        if let list = reader.value("metricTransformations") {
            if case .sequence(let items, _, _) = list {
                for (index, item) in items.enumerated() {
                    if let transformation = decodeTransformation(item, path: "\(path).metricTransformations[\(index)]") {
                        transformations.append(transformation)
                    }
                }
            } else {
                problems.error(list, "\(path).metricTransformations", "expected a list, found \(list.kindName)", fix: "write one '- ' entry with metricName, metricNamespace and metricValue")
            }
        } else {
            problems.error(node, "\(path).metricTransformations", "the required field 'metricTransformations' is missing", fix: "add one transformation with metricName, metricNamespace and metricValue")
        }
        reader.reportUnknownKeys(problems: &problems)
        if let name {
            Validation.checkFilterName(name, at: node.location, path: "\(path).filterName", problems: &problems)
            configuration.metricFilters.append(
                MetricFilterDefinition(
                    filterName: name, filterPattern: pattern, logGroupName: logGroup, transformations: transformations,
                    location: node.location, patternLocation: patternNode?.location ?? node.location, path: path))
        }
    }

    private mutating func decodeTransformation(_ node: ConfigNode, path: String) -> MetricTransformation? {
        var reader = ObjectReader(node, path: path, problems: &problems)
        guard reader.isMapping else { return nil }
        let name = reader.string("metricName", required: true, problems: &problems)
        let namespace = reader.string("metricNamespace", required: true, problems: &problems)
        let value = reader.string("metricValue", required: true, problems: &problems)
        let defaultValue = reader.double("defaultValue", problems: &problems)
        var dimensions: [(name: String, value: String)] = []
        if let map = reader.value("dimensions") {
            if let members = map.members {
                for member in members {
                    guard let text = member.value.text else {
                        problems.error(member.value, "\(path).dimensions.\(member.key)", "expected a field reference such as $.eventSource", fix: "write the dimension's value as text")
                        continue
                    }
                    dimensions.append((member.key, text))
                }
            } else {
                problems.error(map, "\(path).dimensions", "expected a mapping from dimension name to field, found \(map.kindName)", fix: "write dimensions: {EventSource: $.eventSource}")
            }
        }
        let unit = reader.string("unit", problems: &problems).flatMap { text -> StandardUnit? in
            guard let unit = StandardUnit(rawValue: text) else {
                problems.error(node, "\(path).unit", "'\(text)' is not a CloudWatch unit", fix: Validation.suggestion(text, StandardUnit.allCases.map(\.rawValue)))
                return nil
            }
            return unit
        }
        reader.reportUnknownKeys(problems: &problems)
        guard let name, let namespace, let value else { return nil }
        return MetricTransformation(
            metricName: name, metricNamespace: namespace, metricValue: value, defaultValue: defaultValue,
            dimensions: dimensions, unit: unit)
    }

    private mutating func decodeDestinations(_ node: ConfigNode) {
        guard let members = node.members else {
            problems.error(node, "Destinations", "expected a mapping from destination name to destination, found \(node.kindName)", fix: "write Destinations: {security-team: {Type: stdout}}")
            return
        }
        for member in members {
            let path = "Destinations.\(member.key)"
            var reader = ObjectReader(member.value, path: path, problems: &problems)
            guard reader.isMapping else { continue }
            let typeNode = reader.value("Type")
            let type = reader.string("Type", required: true, problems: &problems)
            let arns = reader.stringList("Arns", problems: &problems).map(\.0)
            let kind = type.flatMap(DestinationDefinition.Kind.init(rawValue:))
            var webhook: WebhookSettings?
            if kind == .webhook {
                webhook = decodeWebhook(&reader, path: path)
            } else if kind == .stdout {
                // Webhook keys on a stdout destination are a mistake worth naming.
                for key in Self.webhookKeys where member.value[key] != nil {
                    _ = reader.value(key)
                    problems.error(
                        member.value[key] ?? member.value, "\(path).\(key)", "'\(key)' applies only to Type: webhook",
                        fix: "remove it, or write Type: webhook")
                }
            }
            reader.reportUnknownKeys(problems: &problems)
            guard let type else { continue }
            guard let kind else {
                problems.error(
                    typeNode ?? member.value, "\(path).Type", "'\(type)' is not a destination type Tripline supports",
                    fix: Validation.suggestion(type, DestinationDefinition.Kind.allCases.map(\.rawValue)))
                continue
            }
            if kind == .webhook && webhook == nil { continue }
            configuration.destinations.append(
                DestinationDefinition(name: member.key, kind: kind, arns: arns, location: member.keyLocation, path: path, webhook: webhook))
        }
    }

    static let webhookKeys = [
        "Url", "UrlEnv", "Format", "Template", "TemplateFile", "Headers", "TimeoutSeconds", "CaBundle", "AllowInsecureHttp",
        "SecretEnv", "SecretFile", "RoutingKey", "RoutingKeyEnv", "RoutingKeyFile", "RetryBaseDelay", "RetryMaxDelay",
        "DeadLetterAfter",
    ]

    /// Headers Tripline sets itself, which a destination may not override.
    static let reservedHeaders: Set<String> = [
        "content-length", "host", "transfer-encoding", "connection", "idempotency-key", "x-tripline-timestamp", "x-tripline-signature",
    ]

    /// The settings of a `Type: webhook` destination; nil (with problems) when they cannot work.
    private mutating func decodeWebhook(_ reader: inout ObjectReader, path: String) -> WebhookSettings? {
        let node = reader.node
        let directory = Self.directory(of: node.location.file)
        var valid = true

        let format: WebhookSettings.Format = reader.string("Format", problems: &problems).flatMap { text in
            guard let format = WebhookSettings.Format(rawValue: text) else {
                problems.error(
                    reader.node["Format"] ?? node, "\(path).Format", "'\(text)' is not a webhook format",
                    fix: Validation.suggestion(text, WebhookSettings.Format.allCases.map(\.rawValue)))
                valid = false
                return nil
            }
            return format
        } ?? .sns

        // URL: written, or from the environment; PagerDuty has a default.
        let allowInsecure = reader.bool("AllowInsecureHttp", problems: &problems) ?? false
        let urlNode = reader.value("Url")
        let url = reader.string("Url", problems: &problems)
        let urlEnv = reader.string("UrlEnv", problems: &problems)
        var source: WebhookSettings.URLSource?
        switch (url, urlEnv) {
        case (.some, .some):
            problems.error(node, "\(path).UrlEnv", "Url and UrlEnv are both set", fix: "keep one of them")
            valid = false
        case (.some(let url), nil):
            if let problem = WebhookSettings.urlProblem(url, allowInsecureHTTP: allowInsecure) {
                problems.error(
                    urlNode ?? node, "\(path).Url", "the URL \(problem)",
                    fix: problem.contains("plain http")
                        ? "use https, or set AllowInsecureHttp: true if the network between Tripline and the receiver is trusted"
                        : "write a URL such as https://alerts.example.com/tripline")
                valid = false
            }
            source = .literal(url)
        case (nil, .some(let name)):
            if Self.isEnvironmentName(name, path: "\(path).UrlEnv", node: reader.node["UrlEnv"] ?? node, problems: &problems) {
                source = .environment(name)
            } else {
                valid = false
            }
        case (nil, nil):
            if format == .pagerduty {
                source = .literal(WebhookSettings.pagerDutyEventsURL)
            } else {
                problems.error(node, "\(path).Url", "a webhook needs Url (or UrlEnv)", fix: "add Url: https://alerts.example.com/tripline")
                valid = false
            }
        }
        var settings = WebhookSettings(url: source ?? .literal(""))
        settings.format = format
        settings.allowInsecureHTTP = allowInsecure

        // Template: inline or from a file, only for Format: template.
        let templateNode = reader.value("Template")
        let template = reader.string("Template", problems: &problems)
        let templateFileNode = reader.value("TemplateFile")
        let templateFile = reader.string("TemplateFile", problems: &problems)
        if format == .template {
            switch (template, templateFile) {
            case (.some(let text), nil):
                settings.template = text
                settings.templateOrigin = (templateNode ?? node).location.description
            case (nil, .some(let file)):
                let resolved = Self.resolve(file, in: directory)
                if let data = FileManager.default.contents(atPath: resolved), let text = String(data: data, encoding: .utf8) {
                    settings.template = text
                    settings.templateOrigin = resolved
                } else {
                    problems.error(
                        templateFileNode ?? node, "\(path).TemplateFile", "cannot read the template file '\(resolved)'",
                        fix: "check the path (relative paths start at this config's folder) and that it is UTF-8 text")
                    valid = false
                }
            case (.some, .some):
                problems.error(node, "\(path).TemplateFile", "Template and TemplateFile are both set", fix: "keep one of them")
                valid = false
            case (nil, nil):
                problems.error(node, "\(path).Template", "Format: template needs Template or TemplateFile", fix: "add Template: '{\"text\": \"{{AlarmName}} is {{NewStateValue}}\"}'")
                valid = false
            }
        } else if template != nil || templateFile != nil {
            problems.error(
                templateNode ?? templateFileNode ?? node, "\(path).\(template != nil ? "Template" : "TemplateFile")",
                "a template applies only to Format: template", fix: "remove it, or write Format: template")
            valid = false
        }

        // Headers: a mapping of text, none that Tripline sets itself.
        if let headers = reader.value("Headers") {
            if let members = headers.members {
                for member in members {
                    let headerPath = "\(path).Headers.\(member.key)"
                    guard let value = member.value.text, member.value.tag == nil else {
                        problems.error(member.value, headerPath, "expected text, found \(member.value.kindName)", fix: "write the header's value as text")
                        valid = false
                        continue
                    }
                    if Self.reservedHeaders.contains(member.key.lowercased()) {
                        problems.error(at: member.keyLocation, headerPath, "Tripline sets the header '\(member.key)' itself", fix: "remove it")
                        valid = false
                    } else if member.key.isEmpty || !member.key.utf8.allSatisfy(Self.isTokenByte) {
                        problems.error(at: member.keyLocation, headerPath, "'\(member.key)' is not a valid header name", fix: "use letters, digits and '-'")
                        valid = false
                    } else if value.contains(where: { $0 == "\r" || $0 == "\n" }) {
                        problems.error(member.value, headerPath, "a header value cannot span lines", fix: "write it on one line")
                        valid = false
                    } else {
                        settings.headers.append((member.key, value))
                    }
                }
            } else {
                problems.error(headers, "\(path).Headers", "expected a mapping from header name to value, found \(headers.kindName)", fix: "write Headers: {X-Team: security}")
                valid = false
            }
        }

        if let timeout = reader.double("TimeoutSeconds", problems: &problems) {
            if timeout > 0 && timeout <= 600 {
                settings.timeoutSeconds = timeout
            } else {
                problems.error(reader.node["TimeoutSeconds"] ?? node, "\(path).TimeoutSeconds", "the timeout must be above 0 and at most 600 seconds", fix: "write TimeoutSeconds: 10")
                valid = false
            }
        }

        let caNode = reader.value("CaBundle")
        if let bundle = reader.string("CaBundle", problems: &problems) {
            let resolved = Self.resolve(bundle, in: directory)
            if FileManager.default.isReadableFile(atPath: resolved) {
                settings.caBundle = resolved
            } else {
                problems.error(caNode ?? node, "\(path).CaBundle", "cannot read the CA bundle '\(resolved)'", fix: "give a readable PEM file (relative paths start at this config's folder)")
                valid = false
            }
        }

        // Secrets are named, never written: an environment variable or a file.
        let secretEnv = reader.string("SecretEnv", problems: &problems)
        let secretFile = reader.string("SecretFile", problems: &problems)
        switch (secretEnv, secretFile) {
        case (.some, .some):
            problems.error(node, "\(path).SecretFile", "SecretEnv and SecretFile are both set", fix: "keep one of them")
            valid = false
        case (.some(let name), nil):
            if Self.isEnvironmentName(name, path: "\(path).SecretEnv", node: reader.node["SecretEnv"] ?? node, problems: &problems) {
                settings.secret = .environment(name)
            } else {
                valid = false
            }
        case (nil, .some(let file)):
            settings.secret = .file(Self.resolve(file, in: directory))
        case (nil, nil):
            break
        }

        let routingKeyNode = reader.value("RoutingKey")
        let routingKey = reader.string("RoutingKey", problems: &problems)
        let routingKeyEnv = reader.string("RoutingKeyEnv", problems: &problems)
        let routingKeyFile = reader.string("RoutingKeyFile", problems: &problems)
        let routingKeys = [routingKey, routingKeyEnv, routingKeyFile].compactMap { $0 }
        if format == .pagerduty {
            if routingKeys.count != 1 {
                problems.error(
                    node, "\(path).RoutingKeyEnv",
                    routingKeys.isEmpty ? "Format: pagerduty needs a routing key" : "give the routing key once",
                    fix: "write one of RoutingKeyEnv: PAGERDUTY_ROUTING_KEY, RoutingKeyFile: path, or RoutingKey: <integration key>")
                valid = false
            } else if let routingKey {
                settings.routingKey = .inline(routingKey)
                if routingKey.count != 32 {
                    problems.warning(at: (routingKeyNode ?? node).location, "\(path).RoutingKey", "a PagerDuty routing key has 32 characters", fix: "copy the integration key of an Events API v2 integration")
                }
            } else if let routingKeyEnv {
                if Self.isEnvironmentName(routingKeyEnv, path: "\(path).RoutingKeyEnv", node: reader.node["RoutingKeyEnv"] ?? node, problems: &problems) {
                    settings.routingKey = .environment(routingKeyEnv)
                } else {
                    valid = false
                }
            } else if let routingKeyFile {
                settings.routingKey = .file(Self.resolve(routingKeyFile, in: directory))
            }
        } else if !routingKeys.isEmpty {
            problems.error(node, "\(path).RoutingKey", "a routing key applies only to Format: pagerduty", fix: "remove it, or write Format: pagerduty")
            valid = false
        }

        for (key, apply) in [
            ("RetryBaseDelay", { (settings: inout WebhookSettings, value: Double) in settings.retryBaseDelaySeconds = value }),
            ("RetryMaxDelay", { (settings: inout WebhookSettings, value: Double) in settings.retryMaxDelaySeconds = value }),
            ("DeadLetterAfter", { (settings: inout WebhookSettings, value: Double) in settings.deadLetterAfterSeconds = value }),
        ] {
            guard let valueNode = reader.value(key) else { continue }
            guard let text = valueNode.text, let seconds = Self.durationSeconds(text), seconds > 0 else {
                problems.error(valueNode, "\(path).\(key)", "expected a duration such as 30s, 5m or 24h, found '\(valueNode.text ?? valueNode.kindName)'", fix: "write a positive number of seconds, or a number with s, m, h or d")
                valid = false
                continue
            }
            apply(&settings, seconds)
        }
        if settings.retryBaseDelaySeconds > settings.retryMaxDelaySeconds {
            problems.error(node, "\(path).RetryBaseDelay", "RetryBaseDelay is longer than RetryMaxDelay", fix: "make the first delay at most the largest one")
            valid = false
        }
        return valid ? settings : nil
    }

    /// `300`, `300s`, `5m`, `1h`, `2d` (fractions allowed) in seconds.
    static func durationSeconds(_ text: String) -> Double? {
        let text = text.trimmingCharacters(in: .whitespaces)
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        if let last = text.last, let unit = units[last] {
            return Double(text.dropLast()).flatMap { $0.isFinite ? $0 * unit : nil }
        }
        return Double(text).flatMap { $0.isFinite ? $0 : nil }
    }

    private static func isEnvironmentName(_ name: String, path: String, node: ConfigNode, problems: inout ProblemList) -> Bool {
        let valid = !name.isEmpty && name.utf8.first.map { !(48...57).contains($0) } == true
            && name.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
        if !valid {
            problems.error(node, path, "'\(name)' is not an environment variable name", fix: "name the variable, such as TRIPLINE_WEBHOOK_SECRET; never write the secret itself")
        }
        return valid
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
    }

    private static func directory(of file: String) -> String {
        guard let slash = file.lastIndex(of: "/") else { return "." }
        return slash == file.startIndex ? "/" : String(file[..<slash])
    }

    private static func resolve(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : (directory == "." ? path : "\(directory)/\(path)")
    }
}

extension TriplineFileDecoder {
    mutating func decodeMetricAlarm(_ node: ConfigNode, path: String) {
        if let alarm = AlarmDecoder.metricAlarm(node, path: path, problems: &problems) {
            configuration.metricAlarms.append(alarm)
        }
    }

    mutating func decodeCompositeAlarm(_ node: ConfigNode, path: String) {
        if let alarm = AlarmDecoder.compositeAlarm(node, path: path, problems: &problems) {
            configuration.compositeAlarms.append(alarm)
        }
    }
}
