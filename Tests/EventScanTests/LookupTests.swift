import EventScan
import Testing

struct LookupTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var id: String
        var json: String
        var path: [PathStep]
        /// The expected kind and text (decoded for strings, raw for other kinds), or nil for "not found".
        var expected: (kind: JSONKind, text: String)?

        var testDescription: String { id }
    }

    static let cases: [Case] = [
        Case(id: "simple", json: #"{"a":1}"#, path: [.key("a")], expected: (.number, "1")),
        Case(
            id: "whitespace everywhere", json: " \t{ \"a\" \n: \r [ 1 , { \"b\" : \"x\" } ] } \r\n",
            path: [.key("a"), .index(1), .key("b")], expected: (.string, "x")),
        Case(id: "escaped key", json: #"{"ev\u0065nt":"x"}"#, path: [.key("event")], expected: (.string, "x")),
        Case(id: "escaped quote in key", json: #"{"a\"b":1}"#, path: [.key(#"a"b"#)], expected: (.number, "1")),
        Case(id: "escaped backslash in key", json: #"{"a\\b":1}"#, path: [.key(#"a\b"#)], expected: (.number, "1")),
        Case(id: "surrogate pair key", json: #"{"\ud83d\ude00":true}"#, path: [.key("😀")], expected: (.true, "true")),
        Case(id: "escape text is not the key", json: #"{"a\u0062":1}"#, path: [.key(#"a\u0062"#)], expected: nil),
        Case(id: "duplicate key: last wins", json: #"{"a":1,"a":2}"#, path: [.key("a")], expected: (.number, "2")),
        Case(
            id: "duplicate object key: last wins", json: #"{"a":{"b":1},"b":2,"a":{"c":3}}"#,
            path: [.key("a"), .key("c")], expected: (.number, "3")),
        Case(
            id: "duplicate object key: earlier one hidden", json: #"{"a":{"b":1},"b":2,"a":{"c":3}}"#,
            path: [.key("a"), .key("b")], expected: nil),
        Case(
            id: "escaped and plain duplicates", json: #"{"a":1,"\u0061":2}"#, path: [.key("a")],
            expected: (.number, "2")),
        Case(
            id: "quotes and brackets in strings", json: #"{"x":"]}\"{[","y":[1,"]",{"z":"}"}]}"#,
            path: [.key("y"), .index(2), .key("z")], expected: (.string, "}")),
        Case(
            id: "decoded string with brackets", json: #"{"x":"]}\"{[","y":[1,"]",{"z":"}"}]}"#, path: [.key("x")],
            expected: (.string, #"]}"{["#)),
        Case(
            id: "nested arrays", json: #"{"m":[[1,2],[3,[4,5]]]}"#, path: [.key("m"), .index(1), .index(1), .index(0)],
            expected: (.number, "4")),
        Case(
            id: "array value range", json: #"{"m":[[1,2],[3,[4,5]]]}"#, path: [.key("m"), .index(1)],
            expected: (.array, "[3,[4,5]]")),
        Case(id: "index out of range", json: #"{"m":[1,2]}"#, path: [.key("m"), .index(2)], expected: nil),
        Case(id: "negative index", json: #"{"m":[1,2]}"#, path: [.key("m"), .index(-1)], expected: nil),
        Case(id: "index into object", json: #"{"m":{"0":1}}"#, path: [.key("m"), .index(0)], expected: nil),
        Case(id: "key into array", json: #"{"m":[1]}"#, path: [.key("m"), .key("0")], expected: nil),
        Case(id: "key into string", json: #"{"m":"{\"a\":1}"}"#, path: [.key("m"), .key("a")], expected: nil),
        Case(id: "absent key", json: #"{"a":1}"#, path: [.key("b")], expected: nil),
        Case(
            id: "prefix of a longer key", json: #"{"eventNameX":1,"eventName":2}"#, path: [.key("eventName")],
            expected: (.number, "2")),
        Case(id: "longer than the key", json: #"{"event":1}"#, path: [.key("eventName")], expected: nil),
        Case(id: "empty key", json: #"{"":5}"#, path: [.key("")], expected: (.number, "5")),
        Case(id: "malformed after the match", json: #"{"a":1,"b":"#, path: [.key("a")], expected: nil),
        Case(id: "missing comma", json: #"{"a":1 "b":2}"#, path: [.key("b")], expected: nil),
        Case(id: "unterminated string", json: #"{"a":"abc"#, path: [.key("a")], expected: nil),
        Case(id: "truncated literal", json: #"{"t":tru}"#, path: [.key("t")], expected: nil),
        Case(id: "unbalanced container", json: #"{"a":[1,{"b":2}"#, path: [.key("a")], expected: nil),
        Case(id: "false", json: #"{"f":false}"#, path: [.key("f")], expected: (.false, "false")),
        Case(id: "null", json: #"{"n":null}"#, path: [.key("n")], expected: (.null, "null")),
        Case(id: "negative number", json: #"{"n":-1.5e3,"m":0}"#, path: [.key("n")], expected: (.number, "-1.5e3")),
        Case(id: "empty object", json: #"{"a":{},"b":[]}"#, path: [.key("a")], expected: (.object, "{}")),
        Case(id: "empty array", json: #"{"a":{},"b":[]}"#, path: [.key("b")], expected: (.array, "[]")),
        Case(
            id: "unicode escapes decoded", json: #"{"s":"\u00e9\u20ac\ud83d\ude00\/\t"}"#, path: [.key("s")],
            expected: (.string, "é€😀/\t")),
        Case(
            id: "lone surrogate decodes to U+FFFD", json: #"{"s":"a\ud800b\udc00"}"#, path: [.key("s")],
            expected: (.string, "a\u{FFFD}b\u{FFFD}")),
        Case(id: "top-level array is no root", json: #"[{"a":1}]"#, path: [], expected: nil),
        Case(id: "empty line", json: "", path: [], expected: nil),
    ]

    @Test(arguments: cases)
    func lookup(_ testCase: Case) {
        withView(testCase.json) { view in
            let node = view.lookup(testCase.path)
            #expect(node?.kind == testCase.expected?.kind)
            #expect(node.map { view.text($0) } == testCase.expected?.text)
        }
    }

    @Test func stringNodeRangeExcludesQuotes() {
        withView(#"{"a":"x\"y"}"#) { view in
            let node = view.root().flatMap { view.member(Array("a".utf8), of: $0) }
            #expect(node == JSONNode(kind: .string, start: 6, end: 10, hasEscapes: true))
            let plain = withView(#"{"a":"xy"}"#) { $0.lookup([.key("a")]) }
            #expect(plain == JSONNode(kind: .string, start: 6, end: 8, hasEscapes: false))
        }
    }

    @Test func rootEndsAtLastNonWhitespaceByte() {
        withView("  {\"a\":1} \r\n") { view in
            #expect(view.root() == JSONNode(kind: .object, start: 2, end: 9))
        }
    }

    @Test func forEachChildVisitsValuesInOrder() throws {
        try withView(#"{"a":1, "b":[true,"x",{"c":null}], "a":"z"}"#) { view in
            var kinds: [JSONKind] = []
            let root = try #require(view.root())
            view.forEachChild(of: root) {
                kinds.append($0.kind); return true
            }
            #expect(kinds == [.number, .array, .string])

            var texts: [String] = []
            if let array = view.member(Array("b".utf8), of: root) {
                view.forEachChild(of: array) {
                    texts.append(view.text($0)); return true
                }
            }
            #expect(texts == ["true", "x", #"{"c":null}"#])

            var visited = 0
            view.forEachChild(of: root) { _ in
                visited += 1; return visited < 2
            }
            #expect(visited == 2)
        }
    }

    @Test func forEachChildStopsAtMalformedData() throws {
        try withView(#"{"a":1,"b":2,"c":}"#) { view in
            var texts: [String] = []
            view.forEachChild(of: try #require(view.root())) {
                texts.append(view.text($0)); return true
            }
            #expect(texts == ["1", "2"])
        }
        try withView(#"{"a":[1,2,]}"#) { view in
            var texts: [String] = []
            let array = try #require(view.lookup([.key("a")]))
            view.forEachChild(of: array) {
                texts.append(view.text($0)); return true
            }
            #expect(texts == ["1", "2"])
        }
    }

    @Test func forEachMemberReportsDuplicates() throws {
        try withView(#"{"a":1,"b\u0041":2,"a":3}"#) { view in
            var names: [String] = []
            let complete = view.forEachMember(of: try #require(view.root())) { name, _ in
                names.append(view.text(name))
                return true
            }
            #expect(complete)
            #expect(names == ["a", "bA", "a"])
        }
    }

    @Test func handMadeNodesNeverReadOutOfBounds() {
        withView(#"{"a":"b"}"#) { view in
            let wild = [
                JSONNode(kind: .object, start: -5, end: 100), JSONNode(kind: .array, start: 50, end: 60),
                JSONNode(kind: .string, start: 3, end: 1000, hasEscapes: true),
                JSONNode(kind: .number, start: 900, end: 1000),
            ]
            for node in wild {
                #expect(view.member(Array("a".utf8), of: node) == nil)
                #expect(view.element(0, of: node) == nil)
                view.forEachChild(of: node) { _ in true }
                _ = view.text(node)
                _ = view.doubleValue(node)
            }
        }
    }
}
