import Foundation
import Testing
import TriplineCore
@testable import TriplineIngest
import TriplineTestSupport

/// The tailer against a model: random writes, rename rotation, copytruncate, deletion and new files in
/// a followed folder, driven by explicit polls (no sleeps). Every line must come out exactly once, in
/// order per file, and a partial line must wait for its newline.
@Suite("Tailer")
struct TailerTests {

    /// One generation of a file: what was written to one identity (or to one inode since its last truncation).
    final class Generation {
        let id: Int
        var lines: [String] = []  // complete lines written
        var partial: String?  // the full text of a line whose first part was written
        var partialWritten = 0  // how many of its characters are in the file
        var ended = false
        /// Whether a poll saw its file: a file created and rotated away (or deleted) between two polls is
        /// never seen by a polling reader, as with `tail -F`.
        var observed = false
        var endedUnobserved = false
        init(id: Int) { self.id = id }

        /// What the tailer must have delivered after a poll.
        var expected: [String] {
            if endedUnobserved { return [] }
            if ended, let partial, partialWritten > 0 { return lines + [String(partial.prefix(partialWritten))] }
            return lines
        }
    }

    final class Model {
        let logs: URL
        let archive: URL
        var rng: SplitMix64
        var nextGeneration = 0
        var nextLine = 0
        var live: [String: Generation] = [:]  // file name in logs/ -> its current generation
        var all: [Generation] = []
        var archived = 0

        init(root: URL, seed: UInt64) {
            logs = root.appendingPathComponent("logs")
            archive = root.appendingPathComponent("archive")
            try? FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
            try? FileManager.default.createDirectory(at: archive, withIntermediateDirectories: true)
            rng = SplitMix64(state: seed)
        }

        func path(_ name: String) -> String { logs.appendingPathComponent(name).path }

        func append(_ name: String, _ text: String) {
            let fd = open(path(name), O_WRONLY | O_CREAT | O_APPEND, 0o644)
            precondition(fd >= 0, "open failed")
            var text = text
            text.withUTF8 { _ = Foundation.write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }

        func generation(_ name: String) -> Generation {
            if let g = live[name] { return g }
            let g = Generation(id: nextGeneration)
            nextGeneration += 1
            live[name] = g
            all.append(g)
            return g
        }

        /// write appends full lines and perhaps half a line to `name` (creating it if needed).
        func write(_ name: String) {
            let g = generation(name)
            var text = ""
            if let partial = g.partial {
                text += String(partial.dropFirst(g.partialWritten)) + "\n"
                g.lines.append(partial)
                g.partial = nil
                g.partialWritten = 0
            }
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                let line = newLine(g)
                text += line + "\n"
                g.lines.append(line)
            }
            if Bool.random(using: &rng) {
                let line = newLine(g)
                // Cut after the generation number, so every fragment names its generation.
                let cut = Int.random(in: #"{"g":\#(g.id),"#.count..<line.count, using: &rng)
                text += String(line.prefix(cut))
                g.partial = line
                g.partialWritten = cut
            }
            if !text.isEmpty { append(name, text) }
        }

        func newLine(_ g: Generation) -> String {
            nextLine += 1
            let padding = String(repeating: "x", count: Int.random(in: 0...40, using: &rng))
            return #"{"g":\#(g.id),"l":\#(nextLine),"p":"\#(padding)"}"#
        }

        func end(_ name: String) {
            if let g = live[name] {
                g.ended = true
                g.endedUnobserved = !g.observed
            }
            live[name] = nil
        }

        /// observe marks the generations whose files a poll is about to see.
        func observe() {
            for (name, g) in live where FileManager.default.fileExists(atPath: path(name)) { g.observed = true }
        }

        func renameRotate(_ name: String) {
            guard live[name] != nil else { return }
            archived += 1
            rename(path(name), archive.appendingPathComponent("\(name).\(archived)").path)
            end(name)
        }

        func copyTruncate(_ name: String) {
            guard live[name] != nil else { return }
            archived += 1
            try? FileManager.default.copyItem(atPath: path(name), toPath: archive.appendingPathComponent("\(name).\(archived)").path)
            truncate(path(name), 0)
            end(name)
            _ = generation(name)  // the same inode goes on as a new generation
        }

        func delete(_ name: String) {
            guard live[name] != nil else { return }
            unlink(path(name))
            end(name)
        }
    }

    /// generationOf reads the generation number out of an event (partial fragments included).
    static func generationOf(_ text: String) -> Int? {
        guard let range = text.range(of: #"{"g":"#) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    @Test("every line written is delivered exactly once, in order per file", arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func againstModel(_ seed: UInt64) throws {
        let root = IngestTestSupport.temporaryDirectory("tripline-tail")
        let model = Model(root: root, seed: seed)
        let names = ["a.log", "b.log", "c.log", "d.log"]
        model.write("a.log")  // present at start: read from offset 0
        let tailer = Tailer(paths: [model.logs.path])
        var delivered: [Int: [String]] = [:]
        var references: [Int: [EventReference]] = [:]
        func poll() {
            model.observe()
            tailer.poll { line, source in
                let text = String(decoding: line, as: UTF8.self)
                let g = Self.generationOf(text) ?? -1
                delivered[g, default: []].append(text)
                references[g, default: []].append(source)
            }
        }
        func check(_ step: Int) {
            for g in model.all {
                #expect(delivered[g.id, default: []] == g.expected, "seed \(seed) step \(step) generation \(g.id)")
            }
            #expect(delivered[-1] == nil)
        }
        for step in 0..<250 {
            let name = names[Int.random(in: 0..<names.count, using: &model.rng)]
            switch Int.random(in: 0..<100, using: &model.rng) {
            case 0..<55: model.write(name)
            case 55..<65: model.renameRotate(name)
            case 65..<73:
                poll()  // copytruncate loses what was written since the last poll, as with tail -F
                check(step)
                model.copyTruncate(name)
                poll()
            case 73..<80: model.delete(name)
            default:
                poll()
                check(step)
            }
        }
        poll()
        check(250)
        // Offsets are increasing within a generation, and line numbers count from 1.
        for (_, refs) in references {
            #expect(refs.map(\.offset) == refs.map(\.offset).sorted())
        }
        // Positions are exposed for the live files.
        let existing = model.live.keys.filter { FileManager.default.fileExists(atPath: model.path($0)) }
        #expect(tailer.positions.map { URL(fileURLWithPath: $0.path).lastPathComponent } == existing.sorted())
        try? FileManager.default.removeItem(at: root)
    }

    @Test("a partial last line waits for its newline; a glob picks up new files")
    func partialAndGlob() throws {
        let root = IngestTestSupport.temporaryDirectory("tripline-tail")
        let tailer = Tailer(paths: [root.path + "/*.ndjson"])
        var events: [String] = []
        let collect: (UnsafeRawBufferPointer, EventReference) -> Void = { line, _ in
            events.append(String(decoding: line, as: UTF8.self))
        }
        tailer.poll(collect)
        #expect(events.isEmpty)
        let path = root.appendingPathComponent("x.ndjson").path
        _ = FileManager.default.createFile(atPath: path, contents: Data("{\"a\":1}\n{\"b\":".utf8))
        _ = FileManager.default.createFile(atPath: root.appendingPathComponent("x.txt").path, contents: Data("{\"no\":1}\n".utf8))
        tailer.poll(collect)
        #expect(events == ["{\"a\":1}"])
        tailer.poll(collect)
        #expect(events == ["{\"a\":1}"])
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("2}\n".utf8))
        try handle.close()
        tailer.poll(collect)
        #expect(events == ["{\"a\":1}", "{\"b\":2}"])
        #expect(tailer.positions.first?.offset == 16)
    }

    @Test("gzip files are read once their size is stable; run stops on the flag")
    func gzipAndRun() throws {
        let root = IngestTestSupport.temporaryDirectory("tripline-tail")
        let gz = try IngestTestSupport.gzip(Array(#"{"Records":[{"a":1},{"b":2}]}"#.utf8))
        try IngestTestSupport.write(gz, "t.json.gz", in: root)
        let tailer = Tailer(paths: [root.path])
        let stop = StopFlag()
        var events: [String] = []
        var sleeps = 0
        tailer.run(every: .milliseconds(250), stop: stop, sleep: { _ in
            sleeps += 1
            if sleeps == 3 { stop.stop() }
        }) { line, _ in events.append(String(decoding: line, as: UTF8.self)) }
        #expect(sleeps == 3)
        #expect(events == [#"{"a":1}"#, #"{"b":2}"#])
        #expect(tailer.takeProblems().isEmpty)
    }
}
