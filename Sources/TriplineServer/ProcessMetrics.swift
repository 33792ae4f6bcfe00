import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The standard `process_*` metrics, read from `/proc/self` (Linux; nil elsewhere).
struct ProcessMetrics {
    var residentBytes: Double
    var virtualBytes: Double
    var cpuSeconds: Double
    var openDescriptors: Double
    var maxDescriptors: Double

    static func read() -> ProcessMetrics? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name (which may hold spaces), starting at field 3 (state).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 22, let user = Double(fields[11]), let system = Double(fields[12]),
            let virtual = Double(fields[20]), let residentPages = Double(fields[21])
        else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return ProcessMetrics(
            residentBytes: residentPages * pageSize, virtualBytes: virtual, cpuSeconds: (user + system) / max(ticks, 1),
            openDescriptors: Double(descriptors), maxDescriptors: Double(limit.rlim_cur))
    }
}
